"""Search in a real pseudo-terminal: `/` from the dashboard, a keyword watched, handed to the composer,
and the watchlist and recent query still there after a restart."""
import os
import sqlite3

from conftest import Term, run_cli


def test_search_watch_and_compose(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "100").returncode == 0
    db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
    keyword = db.execute("""SELECT keyword FROM keyword_summary WHERE window = 30 AND region = 'US'
                            ORDER BY volume DESC LIMIT 1""").fetchone()[0]
    word = keyword.split()[1]  # e.g. "frog" of "minimalist frog shirt"
    term.start()
    term.wait_for("Trending")
    term.keys("/")
    term.wait_for("type to search")
    term.type(word)
    screen = term.wait_for("Niches")
    assert "Keywords" in screen and keyword in screen, screen
    term.keys("Enter")  # to the results: the first is the strongest keyword
    term.keys("W")
    term.wait_for(f"Watching “{keyword}”")
    term.keys("Enter")
    screen = term.wait_for("Draft #")
    assert f"Primary keyword   {keyword}" in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0
    assert db.execute("SELECT watched FROM keyword_marks WHERE keyword = ?", (keyword,)).fetchone() == (1,)
    assert db.execute("SELECT query FROM recent_searches").fetchall() == [(word,)]

    # Back again: the watchlist and the recent query are listed before anything is typed.
    again = Term()
    again.data = term.data
    try:
        again.start("--screen search")
        screen = again.wait_for("Recent searches")
        assert f"◉ [DEMO] {keyword}" in screen and "Watchlist" in screen, screen
        again.keys("q")
        assert again.exit_code() == 0
    finally:
        again.close()
