"""Hostile input against the real binary: numbers that used to crash it for good, escape
sequences that used to reach the terminal from the command line, untrusted files and folders,
secrets over plain HTTP, and a terminal that goes away without a SIGHUP."""
import os
import shlex
import signal
import sqlite3
import stat
import subprocess
import time

from conftest import BIN, Term, cli_workspace, run_cli, write_file


def workspace():
    return cli_workspace("podpusher-hard-")


write = write_file


def assert_no_controls(text):
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b", "\r"):
        assert bad not in text, repr(text)


def test_a_number_past_any_range_is_a_refused_row_and_the_store_keeps_working():
    d, ws = workspace()
    r = run_cli("trends", "import", write(d, "t.csv", "keyword,date,volume\nx,2026-11-21,1e19\ny,2026-11-21,5\n"), *ws)
    assert r.returncode == 3, r.stderr
    assert "rejected line 2: volume: “1e19” is not a number of at most 1000000000000" in r.stderr
    # Nothing was left behind that crashes the next import or a demo reset.
    assert run_cli("trends", "import", write(d, "u.csv", "keyword,date,volume\nz,2026-11-22,7\n"), *ws).returncode == 0
    assert run_cli("demo", "--reset", "--signals", "2000", "--listings", "10", *ws).returncode == 0
    r = run_cli("listings", "import", write(d, "l.csv", "title,price\nMug,92233720368547759\n"), *ws)
    assert r.returncode == 3 and "price: “92233720368547759” is not an amount" in r.stderr


def test_escape_sequences_in_a_file_never_reach_the_terminal():
    d, ws = workspace()
    evil = "\x1b]52;c;aGVsbG8=\x07\u202egpj.exe\u200b"
    r = run_cli("listings", "import", write(d, "l.csv", "title,who_made\nMug,%s\n" % evil), *ws)
    assert r.returncode == 3
    assert_no_controls(r.stdout + r.stderr)
    assert "\\x1B]52;c;aGVsbG8=\\x07\\u{202E}gpj.exe\\u{200B}" in r.stderr
    # The log file holds the same escaped text, one event a line.
    logs = os.path.join(d, "data", "logs", "podpusher.log")
    if os.path.exists(logs):
        assert_no_controls(open(logs, encoding="utf-8", errors="replace").read())


def test_files_that_are_not_files_are_refused_in_plain_words():
    d, ws = workspace()
    os.mkdir(os.path.join(d, "folder.csv"))
    fifo = os.path.join(d, "fifo.csv")
    os.mkfifo(fifo)
    r = run_cli("trends", "import", os.path.join(d, "folder.csv"), *ws)
    assert r.returncode == 1 and "is a folder, not a file" in r.stderr, r.stderr
    r = run_cli("trends", "import", fifo, *ws)
    assert r.returncode == 1 and "is not a regular file" in r.stderr, r.stderr
    os.symlink("/dev/zero", os.path.join(d, "zero.json"))
    r = run_cli("listings", "import", os.path.join(d, "zero.json"), *ws)
    assert r.returncode == 1 and "is not a regular file" in r.stderr, r.stderr


def test_a_linked_data_folder_is_refused_and_a_loose_credentials_file_is_made_private():
    d, ws = workspace()
    real = os.path.join(d, "real")
    assert run_cli("status", "--data-dir", real).returncode == 0
    os.symlink(real, os.path.join(d, "link"))
    r = run_cli("status", "--data-dir", os.path.join(d, "link"))
    assert r.returncode == 1 and "is a symbolic link" in r.stderr, r.stderr
    creds = os.path.join(real, "credentials.json")
    write(real, "credentials.json", '{"printify": {"access_token": "t"}}')
    os.chmod(creds, 0o644)
    r = run_cli("status", "--data-dir", real)
    assert r.returncode == 0 and "was mode 644" in r.stderr, r.stderr
    assert stat.S_IMODE(os.stat(creds).st_mode) == 0o600


def test_secrets_are_not_sent_over_plain_http_to_another_machine():
    d, ws = workspace()
    env = {"PODPUSHER_PRINTIFY_API_BASE_URL": "http://printify.example.com/v1"}
    p = subprocess.run([BIN, "connect", "printify", *ws], input="a-secret-token\n", capture_output=True, text=True,
                       env={**os.environ, **env}, timeout=30)
    assert p.returncode != 0
    assert "over HTTPS only" in p.stderr and "http://printify.example.com/v1" in p.stderr, p.stderr
    assert "a-secret-token" not in p.stdout + p.stderr


def test_bad_numbers_in_config_name_the_line():
    d, ws = workspace()
    write(d, "config.toml", "[trends]\nauto_refresh_hours = inf\n")
    r = run_cli("status", *ws)
    assert r.returncode == 2 and "config.toml:2" in r.stderr and "auto_refresh_hours" in r.stderr, r.stderr
    write(d, "config.toml", '[providers.etsy]\nclient_id = "k"\nshared_secret = "s"\nredirect_port = -1\n')
    r = run_cli("connect", "etsy", "--no-browser", *ws)
    assert r.returncode == 2 and "redirect_port" in r.stderr and "a port from 1 to 65535" in r.stderr, r.stderr


def test_closing_the_pane_under_make_saves_the_draft_and_exits():
    """The way it was found: `make run` in a tmux pane, the pane closed. make keeps the SIGHUP
    to itself; the app must see the terminal go and leave, with the draft saved."""
    term = Term()
    try:
        makefile = write(term.tmp, "Makefile", "run:\n\t%s --screen composer\n" % shlex.quote(BIN))
        env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "PODPUSHER_DATA_DIR": term.data,
               "PODPUSHER_CONFIG": term.config, "HOME": term.tmp}
        term.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30",
                  "env", *["%s=%s" % kv for kv in env.items()], "make", "-s", "-f", makefile, "run")
        term.wait_for("Welcome to PODPusher")
        term.keys("Escape")
        term.wait_for("No drafts yet")
        term.keys("n")
        term.wait_for("Draft #1")
        term.type("pane closed")
        pid = term.pid()
        assert pid
        term.tmux("kill-pane", "-t", "0")
        deadline = time.time() + 3
        while time.time() < deadline and os.path.exists("/proc/%d" % pid):
            time.sleep(0.05)
        alive = os.path.exists("/proc/%d" % pid) and "zombie" not in open("/proc/%d/status" % pid).read()
        if alive:
            os.kill(pid, signal.SIGKILL)
        assert not alive, "podpusher is still running after its terminal closed"
        db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
        assert db.execute("SELECT niche FROM drafts").fetchone()[0] == "pane closed"
    finally:
        term.close()


def test_disconnect_refuses_a_provider_it_does_not_know():
    d, ws = workspace()
    r = run_cli("disconnect", "junk\x1b[2J", *ws)
    assert r.returncode == 2 and "unknown provider" in r.stderr and "\\x1B[2J" in r.stderr, r.stderr
    assert_no_controls(r.stderr)
    db = sqlite3.connect(os.path.join(d, "data", "podpusher.sqlite"))
    assert db.execute("SELECT COUNT(*) FROM connections WHERE provider LIKE 'junk%'").fetchone()[0] == 0


def test_a_log_file_that_is_a_link_is_not_written_through():
    d, ws = workspace()
    assert run_cli("status", *ws).returncode == 0
    logs = os.path.join(d, "data", "logs")
    os.makedirs(logs, exist_ok=True)
    log = os.path.join(logs, "podpusher.log")
    if os.path.exists(log):
        os.remove(log)
    victim = write(d, "victim.txt", "untouched")
    os.symlink(victim, log)
    r = run_cli("trends", "import", write(d, "t.csv", "keyword,date,volume\nx,2026-11-21,5\n"), *ws)
    assert r.returncode == 0, r.stderr
    assert "not logging" in r.stderr and "symbolic link" in r.stderr, r.stderr
    assert open(victim).read() == "untouched"


def test_two_terminals_on_one_draft_never_overwrite_each_other():
    first, second = Term(), Term()
    try:
        second.data, second.config = first.data, first.config
        first.start("--screen composer")
        first.wait_for("Welcome to PODPusher")
        first.keys("Escape")
        first.wait_for("No drafts yet")
        first.keys("n")
        first.wait_for("Draft #1")
        first.type("first")
        time.sleep(1.2)                                   # its autosave lands
        second.start("--screen composer")
        second.wait_for("(untitled)")
        second.keys("Enter")
        second.wait_for("Draft #1")
        first.type(" again")
        time.sleep(1.2)                                   # saved over the version the second read
        second.type(" second")
        second.wait_for("Another terminal saved this draft meanwhile", timeout=5)
        db = sqlite3.connect(os.path.join(first.data, "podpusher.sqlite"))
        assert db.execute("SELECT niche FROM drafts WHERE id = 1").fetchone()[0] == "first again"
        kept = [r[0] for r in db.execute("SELECT snapshot FROM draft_revisions WHERE draft_id = 1")]
        assert any("first second" in k for k in kept), kept
        assert "first again" in second.screen()           # the second shows the draft as it now is
        for t in (first, second):
            t.keys("C-c")
            assert t.exit_code() == 0
        assert db.execute("SELECT niche FROM drafts WHERE id = 1").fetchone()[0] == "first again"
    finally:
        first.close()
        second.close()


def test_a_providers_account_name_reaches_the_terminal_escaped_and_json_stays_valid():
    import json
    d, ws = workspace()
    assert run_cli("status", *ws).returncode == 0
    evil = "Shop \x1b]52;c;aGk=\x07 \u202eevil\u200b"
    db = sqlite3.connect(os.path.join(d, "data", "podpusher.sqlite"))
    db.execute("INSERT INTO connections (provider, state, account_name, last_error) VALUES ('etsy', 'connected', ?, ?)", (evil, evil))
    db.commit()
    text = run_cli("status", *ws)
    assert text.returncode == 0
    assert_no_controls(text.stdout + text.stderr)
    assert "\\x1B]52" in text.stdout and "\\u{202E}evil" in text.stdout, text.stdout
    raw = run_cli("status", "--json", *ws)
    assert_no_controls(raw.stdout)
    etsy = next(c for c in json.loads(raw.stdout)["connections"] if c["provider"] == "etsy")
    assert etsy["account"] == evil                        # valid JSON, the text intact


def test_a_providers_words_reach_the_terminal_escaped(fake):
    d, ws = workspace()
    write(d, "config.toml", '[trends]\nrss_url = "%s/rss?geo={region}"\n' % fake.base)
    fake.control("rss", faults=["evil"])
    r = run_cli("trends", "refresh", *ws)
    assert r.returncode == 1, r.stdout + r.stderr
    assert_no_controls(r.stdout + r.stderr)
    assert "bad \\x1B]52;c;aGk=\\x07 request \\u{202E}evil" in r.stdout, r.stdout
