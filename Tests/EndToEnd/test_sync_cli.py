"""`podpusher sync` against the local stand-in for Etsy (Tests/Servers/fake_providers.py), which
enforces the documented rules: x-api-key, Bearer, the per-second limit, the field rules."""
import csv
import json
import os
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import BIN, run_cli

HEADER = "title,description,price,quantity,tags,materials,taxonomy_id,who_made,when_made,shipping_profile_id,sku,language\n"
TOKEN = "12345678.validtoken"
SECRET = "testsecret"


class Etsy:
    def __init__(self, fake):
        self.fake, self.base = fake, fake.base

    def control(self, **change):
        self.fake.control("etsy", **change)

    def state(self):
        return self.fake.state("etsy")

    def titles(self):
        return [l["title"] for l in self.state()["listings"]]


@pytest.fixture()
def etsy(fake):
    return Etsy(fake)


def workspace(fake, drafts, token=TOKEN, bad_rows=()):
    """A data folder with `drafts` valid drafts (and the given bad rows) queued for Etsy, a
    config pointing Etsy at the fake, and a credentials file."""
    d = tempfile.mkdtemp(prefix="podpusher-sync-")
    data = os.path.join(d, "data")
    with open(os.path.join(d, "config.toml"), "w") as f:
        # Enterprise: the pushes here go past the free plan's 10 listings a month.
        f.write('[plan]\ntier = "enterprise"\n\n[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\ntoken_url = "%s/etsy/oauth/token"\n'
                'client_id = "testkeystring"\nshared_secret = "%s"\n' % (fake.base, fake.base, SECRET))
    ws = ["--data-dir", data, "--config", os.path.join(d, "config.toml")]
    rows = ["Retro Cat Mug Design %d,A mug for cat people.,19.99,5,\"cat mug,retro cat\",ceramic,482,i_did,made_to_order,777001,,en\n" % i
            for i in range(drafts)] + list(bad_rows)
    with open(os.path.join(d, "in.csv"), "w") as f:
        f.write(HEADER + "".join(rows))
    assert run_cli("listings", "import", os.path.join(d, "in.csv"), *ws).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *ws).returncode == 0
    creds = os.path.join(data, "credentials.json")
    fd = os.open(creds, os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, json.dumps({"etsy": {"access_token": token, "refresh_token": "r-secret"}}).encode())
    os.close(fd)
    return d, ws


def write_rows(path, rows):
    """Writes rows back as a spreadsheet would: the same columns, in the same order."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)


def connect_term(etsy, term):
    """The terminal's workspace pointed at the local Etsy, with its credentials file path (the
    file itself written)."""
    os.makedirs(term.data, mode=0o700, exist_ok=True)
    with open(term.config, "w") as f:
        f.write('[plan]\ntier = "enterprise"\n\n[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\ntoken_url = "%s/etsy/oauth/token"\n'
                'client_id = "testkeystring"\nshared_secret = "%s"\n' % (etsy.base, etsy.base, SECRET))
    creds = os.path.join(term.data, "credentials.json")
    fd = os.open(creds, os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, json.dumps({"etsy": {"access_token": TOKEN, "refresh_token": "r-secret"}}).encode())
    os.close(fd)
    return ["--data-dir", term.data, "--config", term.config], creds


def test_queued_drafts_are_pushed_once_with_progress_and_a_json_summary(etsy):
    etsy.control(per_second=50)
    d, ws = workspace(etsy, 40)
    r = run_cli("sync", "--json", *ws)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)["providers"]
    etsy_report = next(p for p in summary if p["provider"] == "etsy")
    assert etsy_report["pushed"] == 40 and etsy_report["outcome"] == "done" and etsy_report["pending"] == 0
    assert "40/40 pushed" in r.stderr and "2 shipping profiles" in r.stderr
    titles = etsy.titles()
    assert len(titles) == 40 and len(set(titles)) == 40
    assert etsy.state()["violations"] == 0
    # Nothing left to do: a second pass sends nothing.
    again = run_cli("sync", "--provider", "etsy", *ws)
    assert again.returncode == 0 and len(etsy.titles()) == 40
    # Never a secret in any output or log.
    logs = "".join(open(os.path.join(root, f), errors="replace").read()
                   for root, _, files in os.walk(os.path.join(d, "data", "logs")) for f in files)
    for text in (r.stdout, r.stderr, again.stderr, logs):
        assert TOKEN not in text and SECRET not in text and "r-secret" not in text


def test_a_kill_mid_push_then_a_rerun_creates_each_listing_exactly_once(etsy):
    etsy.control(per_second=40)
    d, ws = workspace(etsy, 300)
    p = subprocess.Popen([BIN, "sync", *ws], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while len(etsy.titles()) < 60 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    before = len(etsy.titles())
    assert 60 <= before < 300
    r = run_cli("sync", "--json", *ws)
    assert r.returncode == 0, r.stderr
    titles = etsy.titles()
    assert len(titles) == 300, "each draft created exactly once after the kill"
    assert len(set(titles)) == 300
    assert etsy.state()["violations"] == 0


def test_refused_listings_are_listed_with_the_field_and_exit_3(etsy):
    bad = "Cat Mug With A Strange Category,A mug.,19.99,5,cat mug,ceramic,99999,i_did,made_to_order,777001,,en\n"
    d, ws = workspace(etsy, 2, bad_rows=[bad])
    r = run_cli("sync", *ws)
    assert r.returncode == 3, r.stderr
    assert 'refused by etsy: draft 3 "Cat Mug With A Strange Category": taxonomy_id:' in r.stderr
    assert len(etsy.titles()) == 2


def test_an_expired_token_exits_5_and_keeps_the_queue(etsy):
    d, ws = workspace(etsy, 2, token="12345678.expired")
    r = run_cli("sync", *ws)
    assert r.returncode == 5, r.stderr
    assert "connect again" in r.stderr
    assert "12345678.expired" not in r.stderr
    assert etsy.titles() == []


def test_unconfigured_and_unreachable_providers_say_so(etsy):
    d, ws = workspace(etsy, 1)
    os.remove(os.path.join(d, "config.toml"))
    r = run_cli("sync", "--provider", "etsy", *ws)
    assert r.returncode == 2 and "providers.etsy.client_id" in r.stderr
    d, ws = workspace(etsy, 1)
    r = run_cli("sync", "--provider", "etsy", *ws, env={"PODPUSHER_ETSY_API_BASE_URL": "http://127.0.0.1:9/etsy"})
    assert r.returncode == 1 and "cannot connect" in r.stderr
    assert run_cli("sync", "--provider", "ebay", *ws).returncode == 2


def test_the_ui_syncs_in_the_background_and_shows_where_each_item_is(etsy, term):
    etsy.control(per_second=5)
    bad = "Cat Mug With A Strange Category,A mug.,19.99,5,cat mug,ceramic,99999,i_did,made_to_order,777001,,en\n"
    d, ws = workspace(etsy, 10, bad_rows=[bad])
    term.width = 160
    term.start(" ".join(ws) + " --screen queue")
    term.wait_for("pushed", timeout=10)             # the pass starts with the UI and shows its progress
    screen = term.wait_for("last sync", timeout=20)
    assert "pushed 10, refused 1" in screen and "requests/s" in screen
    assert "taxonomy_id: unknown taxonomy node" in screen
    assert len(etsy.titles()) == 10
    # The UI answered keys while it synced, and P runs another pass.
    term.keys("P")
    term.wait_for("Syncing…")
    term.keys("q")
    assert term.exit_code() == 0


def test_a_spreadsheet_round_trip_updates_only_what_changed(etsy):
    """export --shop → edit in a spreadsheet → import: a row with a listing_id updates that
    listing, only the changed fields are queued (--dry-run first shows them), and the sync sends
    one PATCH with them."""
    etsy.control(per_second=100)
    d, ws = workspace(etsy, 3)
    assert run_cli("sync", *ws).returncode == 0
    out = os.path.join(d, "shop.csv")
    r = run_cli("listings", "export", "--shop", "--out", out, *ws)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(open(out, newline="")))
    assert len(rows) == 3 and all(row["listing_id"] and row["state"] == "draft" for row in rows)
    rows[1]["price"] = "24.50"
    rows[1]["tags"] = "cat mug,retro cat,kitten mug"
    write_rows(out, rows)
    dry = run_cli("listings", "import", "--dry-run", out, *ws)
    assert dry.returncode == 0, dry.stderr
    assert "would update listing %s: tags, price" % rows[1]["listing_id"] in dry.stdout
    assert "dry run: nothing written" in dry.stdout and "(2 unchanged)" in dry.stdout
    r = run_cli("listings", "import", out, *ws)
    assert r.returncode == 0, r.stderr
    assert "queued update of listing %s: tags, price" % rows[1]["listing_id"] in r.stdout
    assert run_cli("sync", *ws).returncode == 0
    state = etsy.state()
    # The tags go with updateListing, the price with the inventory (updateListing has no price).
    assert state["patched_fields"] == [["tags"]] and state["inventory_puts"] == 1
    changed = next(l for l in state["listings"] if str(l["listing_id"]) == rows[1]["listing_id"])
    assert changed["price"]["amount"] == 2450 and changed["tags"] == ["cat mug", "retro cat", "kitten mug"]
    # An unknown listing is refused with its line.
    with open(out, "a") as f:
        f.write('Ghost Mug,A mug.,19.99,5,cat mug,ceramic,482,i_did,made_to_order,777001,,en,123,draft\n')
    r = run_cli("listings", "import", "--dry-run", out, *ws)
    assert r.returncode == 3 and "line 5: listing_id 123 is not a listing of the shop here" in r.stderr


def test_a_pulled_listing_is_edited_in_the_terminal_and_one_patch_sends_only_that(etsy, term):
    """A listing made elsewhere (another workspace) is pulled, opened with Enter on the
    Listings screen, its title and a tag edited in the composer, queued, and synced with P:
    exactly one PATCH, with only those two fields."""
    etsy.control(per_second=100)
    _, elsewhere = workspace(etsy, 1)
    assert run_cli("sync", *elsewhere).returncode == 0
    here, _ = connect_term(etsy, term)
    r = run_cli("sync", *here)
    assert r.returncode == 0 and "pulled 1 new" in r.stderr, r.stderr
    term.start("--screen listings")
    term.wait_for("Retro Cat Mug Design 0")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-3")                        # Title
    term.keys("C-u")
    term.type("Retro Cat Mug Design Zero, Edited Here")
    term.keys("M-5")                        # Tags
    term.keys("End")
    term.type(",kitten mug")
    term.keys("M-7")
    term.wait_for("Ready")
    term.keys("M-e")
    term.wait_for("Queued for Etsy")
    # Queueing starts a sync when a shop is connected (P would too).
    deadline = time.time() + 20
    while not etsy.state()["patched_fields"] and time.time() < deadline:
        time.sleep(0.2)
    term.wait_for("pushed 1", timeout=10)
    state = etsy.state()
    assert state["patched_fields"] == [["tags", "title"]], state["patched_fields"]
    listing = state["listings"][0]
    assert listing["title"] == "Retro Cat Mug Design Zero, Edited Here" and listing["tags"][-1] == "kitten mug"
    term.keys("C-c")
    assert term.exit_code() == 0


def test_a_kill_mid_bulk_update_then_a_rerun_ends_as_without_the_kill(etsy):
    """Forty price changes from a spreadsheet, the sync killed with SIGKILL half way, then run
    again: every listing on the server has its new price, none was created again, and the
    queue is empty."""
    etsy.control(per_second=100)
    d, ws = workspace(etsy, 40)
    assert run_cli("sync", *ws).returncode == 0
    out = os.path.join(d, "shop.csv")
    assert run_cli("listings", "export", "--shop", "--out", out, *ws).returncode == 0
    rows = list(csv.DictReader(open(out, newline="")))
    for i, row in enumerate(rows):
        row["price"] = "%d.50" % (20 + i)
    write_rows(out, rows)
    r = run_cli("listings", "import", out, *ws)
    assert r.returncode == 0 and "40 listing updates" in r.stdout, r.stdout + r.stderr
    etsy.control(per_second=8)
    p = subprocess.Popen([BIN, "sync", *ws], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    # A price is the inventory's (updateListingInventory), one PUT per listing.
    while etsy.state()["inventory_puts"] < 10 and time.time() < deadline:
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert 10 <= etsy.state()["inventory_puts"] < 40
    etsy.control(per_second=100)
    r = run_cli("sync", "--json", *ws)
    assert r.returncode == 0, r.stderr
    state = etsy.state()
    prices = {str(l["listing_id"]): l["price"]["amount"] for l in state["listings"]}
    assert len(state["listings"]) == 40, "nothing created again"
    for i, row in enumerate(rows):
        assert prices[row["listing_id"]] == (20 + i) * 100 + 50, row
    summary = json.loads(r.stdout)["providers"]
    assert next(p for p in summary if p["provider"] == "etsy")["pending"] == 0


def test_a_bulk_edit_of_a_thousand_listings_is_previewed_then_each_sent_once(etsy, term):
    """A shop of 1,000 active listings is pulled; in the Listings table every one is marked (*)
    and given +10 % on the price, then a new tag, each change previewed before it is queued.
    Edited offline (no credentials while the UI runs), then one sync: every listing on the server
    has both changes, with one PATCH (the tag) and one inventory PUT (the price) each, and none
    was created again."""
    etsy.control(per_second=200, seed=1000)
    here, creds = connect_term(etsy, term)
    r = run_cli("sync", *here)
    assert r.returncode == 0 and "pulled 1000 new" in r.stderr, r.stderr
    os.rename(creds, creds + ".aside")
    term.width, term.height = 140, 40
    term.start("--screen listings")
    term.wait_for("1,000 listings")
    for change in (["Enter", "1", "0"], ["Down", "Down", "Enter", "gift idea"]):
        term.keys("*")
        term.wait_for("1,000 marked")
        term.keys("E")
        term.wait_for("Change 1,000 listings")
        for k in change:
            if len(k) > 1 and k[0].isupper():
                term.keys(k)
            else:
                term.type(k)
        term.keys("Enter")
        term.wait_for("1,000 to change · 0 refused · 0 unchanged", timeout=20)
        assert etsy.state()["patches"] == 0
        term.keys("Enter")
        term.wait_for("1,000 queued for the next sync, 0 refused", timeout=20)
    term.keys("q")
    assert term.exit_code() == 0
    os.rename(creds + ".aside", creds)
    r = run_cli("sync", "--json", *here)
    assert r.returncode == 0, r.stderr
    state = etsy.state()
    assert len(state["listings"]) == 1000, "nothing created again"
    assert state["patches"] == 1000 and all(f == ["tags"] for f in state["patched_fields"])
    assert state["inventory_puts"] == 1000
    for listing in state["listings"]:
        assert listing["price"]["amount"] == 2200 and listing["tags"] == ["moon mug", "space gift", "gift idea"], listing
    report = next(p for p in json.loads(r.stdout)["providers"] if p["provider"] == "etsy")
    assert report["pending"] == 0 and report["failed"] == 0


def kill_when(etsy, here, counter, at_least, limit):
    """Runs `podpusher sync` at `limit` requests a second and kills it with SIGKILL once the
    server's `counter` reaches `at_least`; returns the counter then."""
    etsy.control(per_second=limit)
    p = subprocess.Popen([BIN, "sync", *here], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while etsy.state()[counter] < at_least and time.time() < deadline and p.poll() is None:
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    etsy.control(per_second=100)
    return etsy.state()[counter]


def test_a_kill_mid_photo_upload_then_a_rerun_leaves_each_photo_once_in_order(etsy, term):
    """Six photos given to a queued draft in the composer; the sync that creates the listing and
    uploads them is killed with SIGKILL after two uploads; run again, the listing has the six,
    once each, in the draft's order, with the main photo's alt text."""
    here, creds = connect_term(etsy, term)
    photos = []
    for i in range(6):
        path = os.path.join(term.tmp, "photo%d.png" % i)
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x07\xd0\x00\x00\x07\xd0" + bytes(200))
        photos.append(path)
    sheet = os.path.join(term.tmp, "in.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + 'Retro Cat Mug With Photos,A mug.,19.99,5,"cat mug",ceramic,482,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *here).returncode == 0
    os.rename(creds, creds + ".aside")       # edited offline: the UI sends nothing
    term.start("--screen composer")
    term.wait_for("Retro Cat Mug With Photos")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-7", "BTab", "BTab")         # Details: Photos (above the Printify product)
    term.type(", ".join(photos))
    term.keys("Enter")
    term.wait_for("photo0.png  (main photo)")
    term.type("A white mug with a retro cat")
    term.keys("Enter")
    term.keys("C-s")
    term.wait_for("Saved")
    term.keys("Escape")
    term.wait_for("1 draft ·")
    term.keys("q")
    assert term.exit_code() == 0
    os.rename(creds + ".aside", creds)
    uploaded = kill_when(etsy, here, "uploaded_images", 2, limit=4)
    assert 2 <= uploaded < 6, uploaded
    r = run_cli("sync", "--json", *here)
    assert r.returncode == 0, r.stderr
    state = etsy.state()
    assert len(state["listings"]) == 1, "created once"
    images = sorted(state["listings"][0]["images"], key=lambda i: i["rank"])
    assert [i["rank"] for i in images] == [1, 2, 3, 4, 5, 6]
    assert state["uploaded_images"] == 6, "no photo sent twice"
    assert images[0]["alt_text"] == "A white mug with a retro cat"


def test_a_kill_mid_bulk_take_down_then_a_rerun_ends_with_every_listing_inactive(etsy, term):
    """Forty active listings taken down in one bulk edit; the sync is killed with SIGKILL half
    way, then run again: every listing is inactive, and none was created or deleted."""
    etsy.control(per_second=100, seed=40)
    here, creds = connect_term(etsy, term)
    assert run_cli("sync", *here).returncode == 0
    os.rename(creds, creds + ".aside")
    term.width, term.height = 140, 40
    term.start("--screen listings")
    term.wait_for("Seeded Moon Mug 0")
    term.keys("*")
    term.wait_for("40 marked")
    term.keys("E")
    term.wait_for("Take down (inactive)")
    term.keys("k", "Enter")                  # up from the first: the last change, take down
    term.wait_for("40 to change · 0 refused", timeout=20)
    term.keys("Enter")
    term.wait_for("40 queued for the next sync", timeout=20)
    term.keys("q")
    assert term.exit_code() == 0
    os.rename(creds + ".aside", creds)
    done = kill_when(etsy, here, "patches", 10, limit=8)
    assert 10 <= done < 40, done
    r = run_cli("sync", "--json", *here)
    assert r.returncode == 0, r.stderr
    state = etsy.state()
    assert len(state["listings"]) == 40 and all(l["state"] == "inactive" for l in state["listings"])
    assert 40 <= state["patches"] <= 41, "each sent once (one reconciled after the kill at most)"


def test_a_listing_with_a_grid_and_a_photo_is_made_published_and_its_conflict_settled(etsy, term):
    """In the composer: a photo and a 3 × 4 size/colour grid with a price and a SKU per size,
    queued; the UI's sync creates the listing, writes its inventory (the server has the grid as
    typed) and uploads the photo. On the Listings screen `A` publishes it. Then its title is
    changed on etsy.com and here: the sync shows the conflict, Enter shows both titles side by
    side, `m` keeps mine, and mine goes out."""
    here, creds = connect_term(etsy, term)
    photo = os.path.join(term.tmp, "mug.png")
    with open(photo, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x07\xd0\x00\x00\x07\xd0" + bytes(200))
    sheet = os.path.join(term.tmp, "in.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + 'Moon Phase Mug With Sizes,A mug.,18.00,5,"moon mug",ceramic,482,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    r = run_cli("sync", *here)               # the category's properties come with the pull
    assert r.returncode == 0, r.stderr
    term.width, term.height = 140, 40
    term.start("--screen composer")
    term.wait_for("Moon Phase Mug With Sizes")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-7", "BTab", "BTab")         # Photos
    term.type(photo)
    term.keys("BTab", "Enter")               # Variations
    term.wait_for("Property 1")
    term.keys("Right", "Down", "C-u")
    term.type("S, M, L")
    term.keys("Down", "Right", "Down", "Down")
    term.wait_for("L / Red")
    for size, price in (("S", "18.00"), ("M", "20.00"), ("L", "22.00")):
        term.keys("C-u")
        term.type(price)
        term.keys("C-t", "Tab", "Tab", "C-u")
        term.type("MUG-" + size)
        term.keys("C-t", "BTab", "BTab")
        if size != "L":
            term.keys("Down", "Down", "Down", "Down")
    term.keys("Enter")
    term.wait_for("Size × Primary color: 12 combinatio")
    term.keys("M-e")
    deadline = time.time() + 20
    while not (etsy.state()["inventory_puts"] and etsy.state()["uploaded_images"]) and time.time() < deadline:
        time.sleep(0.2)
    listing = etsy.state()["listings"][0]
    products = listing["inventory"]["products"]
    grid = [(tuple(v["values"][0] for v in p["property_values"]), p["offerings"][0]["price"]["amount"], p["sku"]) for p in products]
    prices, sizes = {"S": 1800, "M": 2000, "L": 2200}, ["S", "M", "L"]
    assert grid == [((s, c), prices[s], "MUG-" + s) for s in sizes for c in ("Black", "White", "Navy", "Red")], grid
    assert len(listing["images"]) == 1 and listing["state"] == "draft"
    term.wait_for("pushed 2")                # the Sync queue, where queueing led
    # Published from the Listings table (the listing has its photo).
    term.keys(":")
    term.type("go to listings")
    term.keys("Enter")
    term.wait_for("Listings ·", timeout=5)
    term.wait_for("Moon Phase Mug With Sizes")
    term.keys("A")
    term.wait_for("Publishing is queued")
    deadline = time.time() + 20
    while etsy.state()["listings"][0]["state"] != "active" and time.time() < deadline:
        time.sleep(0.2)
    assert etsy.state()["listings"][0]["state"] == "active"
    # The title changed on etsy.com and here.
    etsy.fake.control("etsy_edit", listing_id=listing["listing_id"], title="Moon Phase Mug, Their Title")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-3", "C-u")
    term.type("Moon Phase Mug, My Title")
    term.keys("M-e")
    term.wait_for("Queued for Etsy")
    term.keys(":")
    term.type("go to listings")
    term.keys("Enter")
    term.wait_for("⚠ conflict", timeout=20)  # the sync the queueing started found both changes
    term.keys("Enter")
    term.wait_for("Changed here and on Etsy: choose per field")
    screen = term.screen()
    assert "yours: Moon Phase Mug, My Title" in screen and "Etsy's: Moon Phase Mug, Their Title" in screen
    term.keys("m", "Enter")
    deadline = time.time() + 20
    while etsy.state()["listings"][0]["title"] != "Moon Phase Mug, My Title" and time.time() < deadline:
        time.sleep(0.2)
    assert etsy.state()["listings"][0]["title"] == "Moon Phase Mug, My Title"
    term.keys("C-c")
    assert term.exit_code() == 0


def test_a_queued_draft_edited_before_the_sync_and_while_it_is_sent_loses_no_edit(etsy, term):
    """A queued draft edited in the composer before any sync is created as edited (no update
    needed). Another, edited while its create is in flight (the server answers six seconds
    late), gets the edit as one update after the create: nothing typed is lost, nothing is
    created twice."""
    here, creds = connect_term(etsy, term)
    sheet = os.path.join(term.tmp, "in.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + 'Retro Cat Mug Before,A mug.,19.99,5,"cat mug",ceramic,482,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *here).returncode == 0
    os.rename(creds, creds + ".aside")
    term.width, term.height = 140, 40
    term.start("--screen composer")
    term.wait_for("Retro Cat Mug Before")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-3", "C-u")
    term.type("Retro Cat Mug, Edited Before The Sync")
    term.keys("C-s")
    term.wait_for("Saved")
    term.keys("C-c")
    assert term.exit_code() == 0
    os.rename(creds + ".aside", creds)
    assert run_cli("sync", *here).returncode == 0
    assert etsy.titles() == ["Retro Cat Mug, Edited Before The Sync"] and etsy.state()["patches"] == 0
    # The second: its create held in flight while it is edited.
    with open(sheet, "w") as f:
        f.write(HEADER + 'Moon Mug In Flight,A mug.,19.99,5,"moon mug",ceramic,482,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *here).returncode == 0
    etsy.control(faults=["POST:slow"], slow_seconds=6)
    term.restart("--screen queue")           # the UI syncs at start
    term.wait_for("0/1 pushed", timeout=10)  # its create claimed, the answer six seconds away
    term.keys("5")
    term.wait_for("Moon Mug In Flight")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-3", "C-u")
    term.type("Moon Mug, Edited In Flight")
    term.keys("C-s")
    term.wait_for("Saved")
    deadline = time.time() + 30
    while "Moon Mug, Edited In Flight" not in etsy.titles() and time.time() < deadline:
        time.sleep(0.2)
    assert sorted(etsy.titles()) == ["Moon Mug, Edited In Flight", "Retro Cat Mug, Edited Before The Sync"]
    assert etsy.state()["patched_fields"] == [["title"]], "the edit followed as one update"
    term.keys("C-c")
    assert term.exit_code() == 0


def listing_units(here):
    r = run_cli("status", "--json", *here)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["quotas"]["listings"]["used"]


def test_a_refused_create_fixed_and_queued_again_uses_one_listing_unit_and_a_cancelled_one_none(etsy, term):
    """Etsy refuses a create (a category it does not know); fixed in the composer and queued
    again, it is created, having used one listing unit in all. Another, queued then cancelled
    in the Sync queue before any sync, gives its unit back."""
    here, creds = connect_term(etsy, term)
    sheet = os.path.join(term.tmp, "in.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + 'Cat Mug With A Strange Category,A mug.,19.99,5,"cat mug",ceramic,999001,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *here).returncode == 0
    assert listing_units(here) == 1
    r = run_cli("sync", *here)
    assert r.returncode == 3 and "taxonomy_id" in r.stderr, r.stderr
    term.width, term.height = 140, 40
    term.start("--screen composer")
    term.wait_for("Cat Mug With A Strange Category")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-6")
    for _ in range(5):
        term.keys("Tab")                     # Materials … Recipient, then the category
    term.keys("C-u")
    term.type("482")
    term.keys("M-e")
    term.wait_for("Queued for Etsy")
    deadline = time.time() + 20
    while not etsy.titles() and time.time() < deadline:
        time.sleep(0.2)
    assert etsy.titles() == ["Cat Mug With A Strange Category"]
    term.keys("C-c")
    assert term.exit_code() == 0
    assert listing_units(here) == 1, "one listing made, one unit in all"
    # Queued, then cancelled before any sync: its unit is given back.
    with open(sheet, "w") as f:
        f.write(HEADER + 'Moon Mug Never Sent,A mug.,19.99,5,"moon mug",ceramic,482,i_did,made_to_order,777001,,en\n')
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    assert run_cli("listings", "publish", "--all-ready", *here).returncode == 0
    assert listing_units(here) == 2
    os.rename(creds, creds + ".aside")
    term.restart("--screen queue")
    term.wait_for("Moon Mug Never Sent")
    term.keys("x")
    term.wait_for("cancelled")
    term.keys("C-c")
    assert term.exit_code() == 0
    assert listing_units(here) == 1
    assert len(etsy.titles()) == 1


def test_a_kill_mid_printify_push_then_a_rerun_publishes_each_product_once(fake):
    """Forty drafts queued for Printify; the sync is killed with SIGKILL about a third of the way;
    the rerun ends with forty products, each published once — none made but left unpublished."""
    d = tempfile.mkdtemp(prefix="podpusher-printify-")
    data = os.path.join(d, "data")
    design = os.path.join(d, "design.png")
    with open(design, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + bytes(2000))
    config = os.path.join(d, "config.toml")
    with open(config, "w") as f:
        f.write('[plan]\ntier = "enterprise"\n\n[providers.printify]\napi_base_url = "%s/printify/v1"\nblueprint_id = "68"\n'
                'print_provider_id = "1"\nvariant_ids = "33719, 33720"\nimage = "%s"\n' % (fake.base, design))
    here = ["--data-dir", data, "--config", config]
    with open(os.path.join(d, "in.csv"), "w") as f:
        f.write(HEADER + "".join("Retro Cat Mug Design %d,A mug.,19.99,5,cat mug,ceramic,482,i_did,made_to_order,777001,,en\n" % i
                                 for i in range(40)))
    assert run_cli("listings", "import", os.path.join(d, "in.csv"), *here).returncode == 0
    assert run_cli("listings", "publish", "--provider", "printify", "--all-ready", *here).returncode == 0
    fd = os.open(os.path.join(data, "credentials.json"), os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, json.dumps({"printify": {"access_token": "printify-test-token"}}).encode())
    os.close(fd)
    fake.control("printify", per_minute=300)
    p = subprocess.Popen([BIN, "sync", "--provider", "printify", *here], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while len(fake.state("printify")["products"]) < 13 and time.time() < deadline:
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    made = len(fake.state("printify")["products"])
    assert 13 <= made < 40, made
    fake.control("printify", per_minute=6000)
    r = run_cli("sync", "--provider", "printify", "--json", *here)
    assert r.returncode == 0, r.stderr
    state = fake.state("printify")
    titles = [p["title"] for p in state["products"]]
    assert len(titles) == 40 and len(set(titles)) == 40, "each made once"
    assert state["publishes"] == 40 and all(p["visible"] for p in state["products"]), "each published, once"
    report = next(p for p in json.loads(r.stdout)["providers"] if p["provider"] == "printify")
    assert report["pending"] == 0 and report["failed"] == 0
