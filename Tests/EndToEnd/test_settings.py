"""Settings in a real pseudo-terminal: the language switched live and kept, the currency and
time zone applied, the quota screen showing the month's true use."""
import os
import sqlite3

from conftest import Term, run_cli


def test_switching_language_changes_every_screen_at_once_and_is_kept(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "5000", "--listings", "50").returncode == 0
    term.start("--screen settings")
    term.wait_for("Brand profiles")
    term.keys("]")
    term.wait_for("Marketplace region")
    term.keys("l")  # English → Spanish
    screen = term.wait_for("Idioma y región")
    assert "Tendencias" in screen and "Ajustes" in screen and "Trends" not in screen, screen
    term.keys("j", "l")  # currency → EUR
    screen = term.wait_for("Moneda              ‹ EUR ›")
    assert "1234,56 €" in screen.replace("\xa0", " "), screen   # Spanish numbers, whatever the marketplace region
    term.keys("j", "Enter")
    term.wait_for("Elige una zona horaria")
    term.type("tokyo")
    term.wait_for("Asia/Tokyo")
    term.keys("Enter")
    screen = term.wait_for("Zona horaria        Asia/Tokyo")
    assert "GMT+9" in screen or "JST" in screen, screen
    term.keys("1")
    screen = term.wait_for("Panel")
    assert "Tendencia" in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0
    # Saved in the store at once: a new start speaks Spanish with euros in Tokyo.
    again = Term()
    again.data = term.data
    try:
        again.start("--screen settings")
        again.wait_for("Ajustes")
        again.keys("]")
        screen = again.wait_for("Asia/Tokyo")
        assert "‹ EUR ›" in screen
        again.keys("q")
        assert again.exit_code() == 0
    finally:
        again.close()


def test_the_quota_screen_shows_true_use(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "5000", "--listings", "50").returncode == 0
    db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
    now = db.execute("SELECT strftime('%s','now')").fetchone()[0]
    for i in range(8):
        db.execute("INSERT INTO usage_ledger (resource, amount, reason, subject, at) VALUES ('listings', 1, 'publish:etsy', ?, ?)",
                   ("draft %d" % i, float(now)))
    db.commit()
    term.start("--screen quotas")
    screen = term.wait_for("Listings: 8 of 10 this month (80 %)")
    assert "publish on Etsy" in screen and "publish:etsy" not in screen and "Resets " in screen, screen
    term.keys("q")
    assert term.exit_code() == 0
