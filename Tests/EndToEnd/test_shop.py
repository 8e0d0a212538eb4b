"""The Shop screen and a title experiment, in tmux against the local Etsy server: the shop's
sales pulled by `podpusher sync`, shown with their figures and exported as CSV; a title test
started from the Listings screen with T, the listing marked A/B; then `podpusher sync` killed
with SIGKILL in the middle of a turn's switch, and run again: the listing is on the variant
the schedule says, switched once."""
import os
import signal
import sqlite3
import subprocess
import time

from conftest import BIN, run_cli
from test_sync_cli import Etsy, connect_term, workspace  # noqa: F401  (Etsy: the fixture's type)


def test_the_shops_sales_are_shown_exported_and_a_title_is_tested(fake, term):
    etsy = Etsy(fake)
    etsy.control(per_second=100)
    _, elsewhere = workspace(etsy, 1)
    assert run_cli("sync", *elsewhere).returncode == 0
    listing = etsy.state()["listings"][0]
    fake.control("etsy_edit", listing_id=listing["listing_id"], state="active", views=40, num_favorers=2)
    now = int(time.time())
    for i, (quantity, price) in enumerate([(2, 1999), (1, 1999)]):
        fake.control("etsy_receipt", receipt_id=8001 + i, created=now - 3600 * (i + 1), tax=150,
                     lines=[{"listing_id": listing["listing_id"], "quantity": quantity, "price": price, "shipping": 450,
                             "title": listing["title"]}])
    # Etsy's ledger: the fees it charged for them (and the tax it collected, not a fee).
    for i, (kind, cents) in enumerate([("transaction", -289), ("PAYMENT_PROCESSING_FEE", -158), ("transaction", -160),
                                       ("PAYMENT_PROCESSING_FEE", -97), ("sales_tax", -300)]):
        fake.control("etsy_ledger", entry_id=9100 + i, created=now - 3000 - 60 * i, ledger_type=kind, amount=cents)
    here, _ = connect_term(etsy, term)
    r = run_cli("sync", *here)
    assert r.returncode == 0 and "pulled 2 new or changed receipts" in r.stderr, r.stderr
    assert "pulled 5 ledger entries (Etsy's fees)" in r.stderr, r.stderr
    # Revenue: $39.98 + $4.50 and $19.99 + $4.50 (the tax is not the shop's) = $68.97; 2 orders, 3 units.
    term.width, term.height = 120, 40
    term.start("--screen shop")
    term.wait_for("Revenue $68.97")
    screen = term.screen()
    assert "Orders 2" in screen and "Units 3" in screen, screen
    # The fees are the ledger's: 2.89 + 1.60 transaction, 1.58 + 0.97 processing; no Printify
    # order is known for these sales, so the profit stays an estimate.
    assert "Etsy fees (ledger) $7.04 (transaction $4.49 · processing $2.55)" in screen, screen
    assert "Profit (estimate) $61.93" in screen, screen
    assert "Retro Cat Mug Design 0" in screen and "new" in screen
    assert "Views are counted from the first day synced" in screen
    out = os.path.join(term.tmp, "shop.csv")
    term.keys("X")
    term.wait_for("Export the shop's figures")
    term.keys("C-u")
    term.type(out)
    term.keys("Enter")
    term.wait_for("Shop figures written to")
    with open(out) as f:
        text = f.read()
    assert text.startswith("period_days,revenue,orders,units,") and "\n30,68.97,2,3," in text, text
    assert ",7.04,ledger,61.93,estimate,USD\n" in text, text
    # A title test from the Listings screen: T, Tab to B, its title, Enter; the listing is marked A/B.
    term.keys(":")
    term.type("go to listings")
    term.keys("Enter")
    term.wait_for("Retro Cat Mug Design 0")
    term.keys("T")
    term.wait_for("New A/B test")
    term.wait_for("A · now")                 # the listing's fields loaded; B starts from its title
    term.keys("Tab", "C-u")
    term.type("Cat Lover Mug, Retro Cat Gift")
    term.keys("Enter")
    term.wait_for("Experiment started")
    term.wait_for("Early — not significant yet")
    assert "Cat Lover Mug, Retro Cat Gift" in term.screen()
    term.keys(":")
    term.type("go to listings")
    term.keys("Enter")
    term.wait_for("A/B active")
    term.keys("C-c")
    assert term.exit_code() == 0
    # A day later (the experiment moved back a day in the store): today is B's turn by the
    # schedule (A B B A…). The switch's update is slow on the server; the sync is killed with
    # SIGKILL while it is in flight, then run again.
    db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"), timeout=10)
    db.execute("UPDATE experiments SET starts_at = starts_at - 86400, ends_at = ends_at - 86400")
    db.commit()
    etsy.control(faults=["PATCH:slow"], slow_seconds=4)
    p = subprocess.Popen([BIN, "sync", *here], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, flying = time.time() + 20, None
    while time.time() < deadline and p.poll() is None and not flying:
        flying = db.execute("SELECT 1 FROM outbox WHERE idempotency_key LIKE 'experiment-%-slice-1' AND state = 'in_flight'").fetchone()
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert flying, "the switch was in flight when the sync was killed"
    r = run_cli("sync", *here)
    assert r.returncode == 0, r.stderr
    assert etsy.state()["listings"][0]["title"] == "Cat Lover Mug, Retro Cat Gift", "B's turn, as the schedule says"
    keys = [k for (k,) in db.execute("SELECT idempotency_key FROM outbox WHERE idempotency_key LIKE 'experiment-%' AND state = 'done'")]
    assert len(keys) == 1 and keys[0].endswith("-slice-1"), keys
    assert db.execute("SELECT COUNT(*) FROM experiment_switches WHERE slice = 1").fetchone()[0] == 1
