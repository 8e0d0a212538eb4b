"""Launch, navigate, help, palette, resize, quit and crash paths, in a real pseudo-terminal."""
import os
import re
import signal
import sqlite3
import time

from conftest import Term, run_cli

SCREEN_TITLES = {
    "dashboard": "Dashboard", "trends": "Trends", "seasonal": "Seasonal", "niches": "Niches",
    "composer": "Composer", "search": "Search", "experiments": "Experiments", "notifications": "Notifications",
    "settings": "Settings", "connect": "Connect accounts", "quotas": "Quotas", "queue": "Sync queue",
    "listings": "Listings",
}


def title_line(screen):
    return screen.splitlines()[0]


def test_first_run_offers_demo_and_fills_the_dashboard(term):
    term.start()
    term.wait_for("Welcome to PODPusher")
    assert "Load the demo workspace" in term.screen()
    term.keys("Enter")
    screen = term.wait_for("Demo workspace loaded", timeout=30)
    screen = term.wait_for("Volume (est.)")
    assert "DEMO" in title_line(screen)
    assert re.search(r"[+-]\d+%", screen), screen
    term.keys("q")
    assert term.exit_code() == 0
    # The log is in the data folder, private, and never on the terminal.
    log = os.path.join(term.data, "logs", "podpusher.log")
    assert os.stat(log).st_mode & 0o777 == 0o600
    with open(log) as f:
        assert "UI started" in f.read()


def test_every_screen_opens_with_the_screen_flag(term):
    for name, title in SCREEN_TITLES.items():
        t = Term()
        try:
            t.start(f"--screen {name}")
            screen = t.wait_for(title)
            assert title in title_line(screen), screen
            t.keys("C-c")
            assert t.exit_code() == 0
        finally:
            t.close()


def test_every_screen_is_reached_by_the_palette(term):
    term.start()
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape")
    term.wait_gone("Welcome to PODPusher")
    for name, title in SCREEN_TITLES.items():
        term.keys(":")
        term.wait_for("Commands")
        term.type(title.lower())
        term.keys("Enter")
        screen = term.wait_gone("› ")
        assert title in title_line(screen), (name, screen)
    term.keys("C-c")
    assert term.exit_code() == 0


def test_help_overlay_and_vim_navigation(term):
    term.start()
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape", "?")
    screen = term.wait_for("Moving around")
    assert "Command palette" in screen
    term.keys("Escape")
    term.wait_gone("Moving around")
    term.keys("Tab", "j")
    assert "Trends" in title_line(term.wait_for("Filter: / filter · s sort"))
    term.keys("Down")
    assert "Seasonal" in title_line(term.wait_for("dates from each event's rule"))
    term.keys("C-c")
    assert term.exit_code() == 0


def test_resize_storm_down_to_20x6_and_back(term):
    term.start()
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape")
    for w, h in [(80, 24), (60, 20), (40, 12), (20, 6), (19, 5), (10, 3), (1, 1), (20, 6), (120, 40), (30, 8), (100, 30)]:
        term.resize(w, h)
    term.resize(19, 5)
    term.wait_for("too small")
    term.resize(20, 6)
    term.wait_gone("too small")
    term.resize(100, 30)
    screen = term.wait_for("9 Settings")
    assert "Dashboard" in title_line(screen)
    term.keys("q")
    assert term.exit_code() == 0


def test_quit_restores_echo_and_the_main_screen(term):
    term.start(before="echo BEFORE-THE-UI")
    term.wait_for("Welcome to PODPusher")
    assert "BEFORE-THE-UI" not in term.screen()  # the alternate screen is up
    term.keys("Escape", "q")
    assert term.exit_code() == 0
    screen = term.wait_for("SHELL-AFTER-EXIT")
    assert "BEFORE-THE-UI" in screen  # back on the main screen
    stty = term.stty_after()
    assert re.search(r"(?<!-)\becho\b", stty) and re.search(r"(?<!-)\bicanon\b", stty), stty


def test_signals_and_crashes_restore_the_terminal():
    # SIGTERM and SIGHUP end the loop; SIGSEGV and SIGABRT go through the crash handler.
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGSEGV, signal.SIGABRT):
        t = Term()
        try:
            t.start(before="echo BEFORE")
            t.wait_for("Welcome to PODPusher")
            os.kill(t.pid(), sig)
            t.exit_code()
            assert "BEFORE" in t.wait_for("SHELL-AFTER-EXIT")
            stty = t.stty_after()
            assert re.search(r"(?<!-)\becho\b", stty), stty
        finally:
            t.close()


def test_kill_9_during_a_demo_load_leaves_a_consistent_store(term):
    term.start()
    term.wait_for("Welcome to PODPusher")
    term.keys("Enter")
    time.sleep(0.3)
    os.kill(term.pid(), signal.SIGKILL)
    term.wait_for("SHELL-AFTER-EXIT")
    db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    signals = db.execute("SELECT COUNT(*) FROM trend_signals").fetchone()[0]
    listings = db.execute("SELECT COUNT(*) FROM listings").fetchone()[0]
    assert (signals, listings) in [(0, 0), (100000, 5000)]  # all or nothing
    db.close()
    # And the app comes back on the same store.
    t = Term()
    t.data = term.data
    try:
        t.start()
        t.wait_for("9 Settings")
        t.keys("C-c")
        assert t.exit_code() == 0
    finally:
        t.close()


def test_dumb_or_unknown_terminal_is_a_clear_error(term):
    term.start(env={"TERM": "dumb"})
    assert term.exit_code() == 2
    assert "cannot show a full-screen UI" in term.wait_for("SHELL-AFTER-EXIT")
    t = Term()
    try:
        t.start(env={"TERM": "no-such-terminal-xyz"})
        assert t.exit_code() == 2
        assert "unknown terminal type" in t.wait_for("SHELL-AFTER-EXIT")
    finally:
        t.close()


def test_no_color_uses_no_colour_but_keeps_the_selection_visible(term):
    term.start("--screen composer", env={"NO_COLOR": "1"})
    term.wait_for("Composer")
    term.keys("Escape")
    raw = term.screen(escapes=True)
    assert not re.search(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;|48;)[0-9;]*m", raw), repr(raw[:400])
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m", raw), "no reverse video for the selected sidebar item"
    term.keys("C-c")
    assert term.exit_code() == 0


def test_locale_flag_switches_the_language(term):
    term.start("--locale de")
    term.wait_for("Willkommen bei PODPusher")
    term.keys("Escape")
    assert "Übersicht" in term.wait_for("Einstellungen")
    term.keys("C-c")
    assert term.exit_code() == 0


def test_keymap_override_from_config(term):
    with open(term.config, "w") as f:
        f.write('[keys]\nhelp = ["h"]\n')
    term.start()
    term.wait_for("Welcome")
    term.keys("Escape", "h")
    term.wait_for("Moving around")
    term.keys("Escape", "C-c")
    assert term.exit_code() == 0


def test_ctrl_z_suspends_to_the_shell_and_fg_resumes(term):
    # An interactive shell with job control, as a user has.
    term.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "bash", "--norc", "-i")
    term.keys(f"echo BEFORE; TERM=xterm-256color PODPUSHER_DATA_DIR={term.data} HOME={term.tmp} {term_bin()} --screen trends", "Enter")
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape", "C-z")
    screen = term.wait_for("Stopped")
    assert "BEFORE" in screen
    term.keys("fg", "Enter")
    term.wait_for("Filter: / filter · s sort")
    term.keys("C-c")
    term.wait_gone("Filter: / filter · s sort")


def term_bin():
    from conftest import BIN
    return BIN


def test_a_non_utf8_locale_still_draws_the_screen(term):
    term.start(env={"LANG": "C", "LC_ALL": "C"})
    screen = term.wait_for("Welcome to PODPusher")
    assert "┌" in screen and "9 Settings" in screen
    term.keys("C-c")
    assert term.exit_code() == 0
