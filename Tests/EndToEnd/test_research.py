"""Research screens in a real pseudo-terminal: a seasonal event and a niche each hand off to the composer."""
import os
import sqlite3

from conftest import run_cli


def test_from_a_seasonal_event_to_a_prefilled_draft(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "100").returncode == 0
    term.start("--screen seasonal")
    screen = term.wait_for("Launch window from")
    # The chosen event is the next one to come: its pane's title is its name.
    title = next(l for l in screen.splitlines() if "┌ " in l and "─" in l)
    event = title.split("┌ ", 1)[1].split(" ─", 1)[0].strip()
    assert event and "Launch window from" in screen and "Related keywords" in screen
    term.keys("b")
    term.wait_for("saved to my events")
    term.keys("Enter")
    screen = term.wait_for("Draft #")
    assert f"Niche             {event}" in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0
    db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
    assert db.execute("SELECT niche, holiday FROM drafts ORDER BY id DESC LIMIT 1").fetchone() == (event, event)
    assert db.execute("SELECT COUNT(*) FROM seasonal_events WHERE region = 'US'").fetchone()[0] == 1


def test_from_a_niche_to_a_prefilled_draft(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "100").returncode == 0
    term.start("--screen niches")
    screen = term.wait_for("Keywords: ")
    # The score line names the chosen (first) niche and how its score was reached.
    line = next(l for l in screen.splitlines() if " = demand " in l)
    niche = line[25:].split(":", 1)[0].strip()  # right of the 25-column sidebar
    assert "room" in line or "competition unknown" in line
    term.keys("Enter")
    screen = term.wait_for("Draft #")
    assert f"Niche             {niche}" in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0


def test_a_failed_load_says_so_and_R_tries_again(term):
    """The niches cannot be read (their table is away): the screen says why with the retry key
    instead of "Loading…" for good; once the table is back, R loads them."""
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "100").returncode == 0
    path = os.path.join(term.data, "podpusher.sqlite")
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE niches RENAME TO niches_away")
    term.start("--screen niches")
    screen = term.wait_for("Could not load (R retry")
    assert "Not loaded." in screen and "Loading" not in screen, screen
    with sqlite3.connect(path) as db:
        db.execute("ALTER TABLE niches_away RENAME TO niches")
    term.keys("R")
    screen = term.wait_for("Keywords: ")
    assert "Could not load" not in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0
