"""The Printify product builder in a real terminal, against the local Printify
(Tests/Servers/fake_providers.py: its catalog, its product rules, the costs a product carries)."""
import json
import os
import time
from decimal import ROUND_HALF_UP, Decimal

from conftest import real_png, run_cli
from test_sync_cli import HEADER

# Etsy's published US fees, the default [fees] table.
LISTING, TRANSACTION, PROCESSING, PROCESSING_FIXED = 20, Decimal("0.065"), Decimal("0.03"), 25
# The local catalog: Unisex Heavy Cotton Tee (6) by Printify Choice (99); S–L cost $10.29, US shipping $4.75.
COST, SHIPPING = 1029, 475
BLACK = {"S": 12100, "M": 12101, "L": 12102, "XL": 12103}
WHITE = {"S": 12104, "M": 12105, "L": 12106, "XL": 12107}


def cents(x):
    return int(Decimal(x).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def profit(price):
    """A sale at `price` with free shipping, by hand: Etsy's fees, Printify's cost and shipping."""
    fees = LISTING + cents(price * TRANSACTION) + cents(price * PROCESSING) + PROCESSING_FIXED
    return price - fees - COST - SHIPPING


def price_for_margin(margin):
    """The lowest price ending in .99 that keeps `margin`."""
    price = 99
    while Decimal(profit(price)) / price < margin:
        price += 100
    return price


def money(c):
    return "$%d.%02d" % (c // 100, c % 100)


def png(path, w, h):
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes(300))


def builder_workspace(fake, term):
    """A terminal's workspace connected to the local Printify (a shop linked to Etsy, with one
    product of the tee already, so Printify has told its costs), and one draft."""
    os.makedirs(term.data, mode=0o700, exist_ok=True)
    with open(term.config, "w") as f:
        f.write('[plan]\ntier = "enterprise"\n\n[providers.printify]\napi_base_url = "%s/printify/v1"\n' % fake.base)
    fd = os.open(os.path.join(term.data, "credentials.json"), os.O_CREAT | os.O_WRONLY, 0o600)
    os.write(fd, json.dumps({"printify": {"access_token": "printify-test-token"}}).encode())
    os.close(fd)
    fake.control("printify", shops=[{"id": 4242, "title": "My POD shop", "sales_channel": "etsy"}])
    fake.control("printify_seed", title="Old Tee", blueprint=6, provider=99, variants=[BLACK[s] for s in "SML"] + [WHITE[s] for s in "SML"])
    here = ["--data-dir", term.data, "--config", term.config]
    sheet = os.path.join(term.tmp, "in.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + "Retro Cat Tee,A soft tee.,19.99,5,cat tee,cotton,482,i_did,made_to_order,777001,,en\n")
    assert run_cli("listings", "import", sheet, *here).returncode == 0
    r = run_cli("sync", "--provider", "printify", *here)     # the pull learns what the old tee's variants cost
    assert r.returncode == 0, r.stderr
    return here


def open_builder(term):
    term.start("--screen composer")
    term.wait_for("Retro Cat Tee")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-7", "BTab")                 # Details → Printify product
    term.wait_for("Enter to choose a blueprint")
    term.keys("Enter")
    term.wait_for("4 of 4 blueprints")      # the catalog read


def builder_again(term):
    """From another screen: the composer, the draft, its product builder."""
    term.keys(":")
    term.type("go to composer")
    term.keys("Enter")
    term.wait_for("Retro Cat Tee")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-7", "BTab", "Enter")


def test_a_tee_is_built_priced_for_a_margin_queued_and_published_through_printify(fake, term):
    builder_workspace(fake, term)
    design, back = os.path.join(term.tmp, "cat.png"), os.path.join(term.tmp, "back.png")
    real_png(design, 4500, 5400)
    real_png(back, 4500, 5400)
    term.width, term.height = 120, 40
    open_builder(term)
    term.type("heavy tee")                   # a blueprint found by typing part of its name
    term.wait_for("1 of 4 blueprints")
    term.keys("Enter")
    term.wait_for("Monster Digital")         # the providers, with where they print
    assert "Printify Choice  — Columbus, US" in term.screen()
    term.keys("Enter")
    term.wait_for("Navy")
    term.type(design)                        # the design, checked against the print area
    term.keys("Down")
    term.wait_for("fills the front print area")
    term.keys("C-u")                         # its placement: a little higher, 90 % of the width
    term.type("0.5 0.45 0.9 0")
    term.keys("M-a")                         # the tee's other print area: a design on its back
    term.wait_for("▸back —")
    term.keys("Up")
    term.type(back)
    term.keys("Down")
    term.wait_for("fills the back print area")
    term.keys("Down", "Down")                # past the shipping the buyer pays (free)
    for _ in range(3):                       # Black S, M, L on
        term.keys("Space", "Down")
    term.keys("Down")                        # not XL
    for _ in range(3):                       # White S, M, L on
        term.keys("Space", "Down")
    hand = profit(1999)
    margin = "%d%%!" % round(100 * hand / 1999)
    term.wait_for(money(hand))
    rows = [l for l in term.screen().splitlines() if "[x]" in l]
    assert len(rows) == 6, rows
    for row in rows:                         # price, cost, shipping, Etsy's fees, profit, margin — as by hand
        fees = 1999 - COST - SHIPPING - hand
        for figure in (money(1999), money(COST), money(SHIPPING), money(fees), money(hand), margin):
            assert figure in row, (figure, row)
    term.keys("M-m")                         # price for the 35 % target margin
    target = price_for_margin(Decimal("0.35"))
    term.wait_for(money(target))
    assert profit(target) / target >= 0.35 > profit(target - 100) / (target - 100)
    term.keys("Enter")
    term.wait_for("Unisex Heavy Cotton Tee · Printify Choice · 6 variants · fr")
    term.keys("M-p")                         # queued for Printify: the UI sends it
    deadline = time.time() + 20
    while not any(p.get("external") for p in fake.state("printify")["products"]) and time.time() < deadline:
        time.sleep(0.2)
    state = fake.state("printify")
    made = [p for p in state["products"] if p["title"] == "Retro Cat Tee"]
    assert len(made) == 1, term.screen()
    product = made[0]
    chosen = sorted([BLACK[s] for s in "SML"] + [WHITE[s] for s in "SML"])
    assert (product["blueprint_id"], product["print_provider_id"]) == (6, 99)
    assert sorted(v["id"] for v in product["variants"]) == chosen
    assert {v["price"] for v in product["variants"]} == {target}
    area = product["print_areas"][0]
    assert sorted(area["variant_ids"]) == chosen
    assert [p["position"] for p in area["placeholders"]] == ["front", "back"]
    front, rear = (p["images"][0] for p in area["placeholders"])
    assert (front["x"], front["y"], front["scale"], front["angle"]) == (0.5, 0.45, 0.9, 0)
    assert (rear["x"], rear["y"], rear["scale"], rear["angle"]) == (0.5, 0.5, 1, 0), "centred, full width"
    uploads = {u["id"]: u["file_name"] for u in state["uploads"]}
    assert (uploads[front["id"]], uploads[rear["id"]]) == ("cat.png", "back.png")
    assert product["visible"] and state["publishes"] == 1
    listing_id = product["external"]["id"]
    # The Etsy listing Printify made is recorded: the Listings table says it is Printify's.
    term.keys(":")
    term.type("go to listings")
    term.keys("Enter")
    term.wait_for("Listings ·")
    term.wait_for("Retro Cat Tee")
    assert "Printify → Etsy " + listing_id in term.screen(), term.screen()
    # Printify's mockups, drawn in the builder after the design (symbols in tmux), fetched once.
    builder_again(term)
    term.wait_for("Navy")
    term.keys("M-v")
    term.wait_for("cat.png — 4,500 × 5,400 px", timeout=15)
    term.keys("Right")                       # the back's design, then the mockups
    term.wait_for("back.png — 4,500 × 5,400 px", timeout=15)
    term.keys("Right")
    term.wait_for("Printify's mockup 1 — 300 × 300 px", timeout=15)
    colours = term.screen(escapes=True)
    assert any(c in colours for c in ("2;0;192;0", "5;34m", "5;34;")), colours[-3000:]
    term.keys("Right")
    term.wait_for("Printify's mockup 2")
    term.keys("Right", "Right", "Right")       # round again: the designs, mockup 1
    term.wait_for("Printify's mockup 1 — 300 × 300 px")
    assert fake.state("printify")["mockup_fetches"] == 2, "each mockup fetched once"


def test_bad_inputs_are_told_and_lose_nothing(fake, term):
    """Not an image and a design too small are said at once; a variant the provider stopped
    offering is refused by Printify and said in the queue; the draft keeps its product."""
    builder_workspace(fake, term)
    small, text = os.path.join(term.tmp, "small.png"), os.path.join(term.tmp, "notes.png")
    png(small, 1200, 1200)
    with open(text, "w") as f:
        f.write("not an image")
    term.width, term.height = 120, 40
    open_builder(term)
    term.type("cotton tee")
    term.keys("Enter")
    term.wait_for("Printify Choice")
    term.keys("Enter")
    term.wait_for("Navy")
    term.type(text)
    term.keys("Down")
    term.wait_for("not a PNG or JPEG image")
    term.keys("Up", "C-u")
    term.type(small)
    term.keys("Down")
    term.wait_for("1,200 × 1,200 px — too small for the front print area (4,5")
    term.keys("C-u")
    term.type("2 0 1 0")                     # a placement off the area: said, not taken
    term.keys("Down")
    term.wait_for("x and y 0–1")
    term.keys("Down", "Space", "Enter")      # past the shipping charged: Black S on, kept
    term.wait_for("Printify Choice · 1 variant · fr")
    term.keys("C-s")
    term.wait_for("Saved")
    term.keys("C-c")
    assert term.exit_code() == 0
    # Printify stops offering Black S (the catalog kept a week still lists it): Printify refuses.
    fake.control("printify_remove_variant", blueprint=6, provider=99, variant=BLACK["S"])
    term.restart("--screen composer")
    term.wait_for("Retro Cat Tee")
    term.keys("Enter")
    term.wait_for("Draft #")
    term.keys("M-7", "BTab")
    term.wait_for("Printify Choice · 1 variant · fr")  # kept across the restart
    term.keys("M-p")
    term.wait_for("is not offered", timeout=20)
    assert [p["title"] for p in fake.state("printify")["products"]] == ["Old Tee"], "nothing made"
    # The refusal made the kept catalog out of date: the builder reads it again and says so.
    builder_again(term)
    term.wait_for("Black / S is no longer offered by this provider")


def grid_with_design(term, design):
    """The builder open on the tee's grid with `design` typed."""
    open_builder(term)
    term.type("heavy tee")
    term.wait_for("1 of 4 blueprints")
    term.keys("Enter")
    term.wait_for("Monster Digital")
    term.keys("Enter")
    term.wait_for("Navy")
    term.type(design)
    term.keys("Down")
    term.wait_for("fills the front print area")


def test_the_design_is_drawn_in_symbols_in_tmux(fake, term):
    builder_workspace(fake, term)
    design = os.path.join(term.tmp, "cat.png")
    real_png(design, 4500, 5400)
    term.width, term.height = 120, 40
    grid_with_design(term, design)
    term.keys("M-v")
    screen = term.wait_for("4,500 × 5,400 px", timeout=15)
    colours = term.screen(escapes=True)
    # Symbol cells in the design's own colours (24-bit or the 256-colour palette's nearest).
    assert any(c in colours for c in ("38;2;255;0;0", "48;2;255;0;0", "38;5;196", "48;5;196", "38;5;9", "48;5;9")), colours[-3000:]
    assert "\x1b_G" not in colours
    term.keys("x")                            # any key puts it away
    term.wait_for("Navy")
    kept = os.listdir(os.path.join(term.data, "thumbnails"))
    assert len(kept) == 1 and kept[0].endswith(".png")


def test_the_design_is_drawn_in_kitty_graphics_where_the_terminal_supports_them(fake, term):
    """The same flow in a pseudo-terminal that says it is kitty: the output carries the kitty
    graphics protocol (ESC _ G …), placed at the preview's corner."""
    from conftest import KittyPty
    builder_workspace(fake, term)
    design = os.path.join(term.tmp, "cat.png")
    real_png(design, 4500, 5400)
    app = KittyPty(term, ["--screen", "composer"])
    out, read, read_until, send, pump = app.out, app.read, app.read_until, app.send, app.pump
    screen = app.screen

    def open_draft_builder(then):
        """The draft opened from the composer's list, then Details → Printify product, Enter."""
        read_until(b"Retro Cat Tee")
        send(b"\r")
        read_until(b"Draft #")
        send(b"\x1b7")
        send(b"\x1b[Z")
        send(b"\r")
        read_until(then)
    try:
        open_draft_builder(then=b"4 of 4 blueprints")
        send(b"heavy tee")
        send(b"\r")
        read_until(b"Monster Digital")
        send(b"\r")
        read_until(b"Navy")
        send(design.encode())
        read_until(b"cat.png")
        send(b"\x1bOB")                   # Down, as the keypad mode sends it
        read_until(b"fills the front print area")
        start = len(out)
        send(b"\x1bv")
        read_until(b"\x1b_Ga=T", raw=True)
        drawn = bytes(out[start:])
        corner = drawn.index(b"\x1b7\x1b[")
        assert corner < drawn.index(b"\x1b_Ga=T") < drawn.index(b"\x1b8", corner), "placed at its corner, the cursor kept"
        deletes = out.count(b"\x1b_Ga=d")
        send(b"x")
        read(lambda: out.count(b"\x1b_Ga=d") > deletes, 10)
        assert out.count(b"\x1b_Ga=d") > deletes, "put away: kitty deletes it"
        # Black S on, kept, queued for Printify: the UI sends it and Printify makes its mockups.
        send(b"\x1bOB")
        send(b"\x1bOB")                   # past the shipping the buyer pays
        send(b" ")
        send(b"\r")
        send(b"\x1bp")
        deadline = time.time() + 20
        while not fake.state("printify")["products"][-1].get("external") and time.time() < deadline:
            pump(0.2)
        assert fake.state("printify")["products"][-1]["title"] == "Retro Cat Tee", "\n".join(screen.display)
        send(b":")
        send(b"go to composer\r")
        open_draft_builder(then=b"Navy")
        send(b"\x1bv")
        read_until(b"cat.png")
        start = len(out)
        send(b"\x1bOC")                        # Right: the first mockup, drawn in kitty graphics
        read_until(b"Printify's mockup 1")
        read_until(b"\x1b_Ga=T", raw=True)
        assert b"\x1b_Ga=T" in bytes(out[start:]), "the mockup drawn as a picture"
        send(b"\x03")
    finally:
        app.close()
