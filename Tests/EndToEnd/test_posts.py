"""Social posts end to end: a German listing's Pinterest post, its 1000×1500 picture, and its
preview in symbols (tmux) and in kitty graphics (a bare pty that says it is kitty)."""
import json
import os
import struct
import time

from conftest import KittyPty, real_png, run_cli
from test_sync_cli import HEADER


def german_draft(term):
    """A German draft imported into the terminal's workspace, and a red-and-blue photo."""
    here = ["--data-dir", term.data, "--config", term.config]
    sheet = os.path.join(term.tmp, "de.csv")
    with open(sheet, "w") as f:
        f.write(HEADER + 'Mond T-Shirt – Astronomie Geschenk für Sternengucker,Ein weiches Shirt mit den Mondphasen. Auf Bestellung gedruckt.,'
                '24.00,5,"mondphasen,astronomie,sternengucker",baumwolle,482,i_did,made_to_order,777001,,de\n')
    r = run_cli("listings", "import", sheet, *here)
    assert r.returncode == 0, r.stderr
    photo = os.path.join(term.tmp, "photo.png")
    real_png(photo, 1200, 900)
    return photo


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_a_german_listing_gets_a_pinterest_post_within_the_limits_with_a_1000x1500_png(term):
    photo = german_draft(term)
    term.width, term.height = 140, 40
    term.start("--screen composer --locale de")
    term.wait_for("Mond T-Shirt")
    term.keys("Enter")
    term.wait_for("Entwurf Nr.")
    term.keys("M-7", "BTab", "BTab")          # Details: Photos
    term.type(photo)
    term.keys("Enter")
    term.wait_for("photo.png  (Hauptfoto)")
    term.type("Rotes und blaues Shirt mit Mondphasen")
    term.keys("Enter")
    term.keys("C-s")
    term.keys("M-s")                          # the draft's posts
    screen = term.wait_for("Innerhalb der Grenzen von Pinterest")
    assert "Pinterest ✓" in screen and "Titel " in screen and "/100" in screen, screen
    term.keys("i")
    term.wait_for("Bild gespeichert", timeout=20)
    posts = os.path.join(term.data, "posts")
    made = [f for f in os.listdir(posts) if f.endswith("-pinterest-1000x1500.png")]
    assert len(made) == 1, os.listdir(posts)
    assert png_size(os.path.join(posts, made[0])) == (1000, 1500)
    # Beside the fields, in symbol cells in the photo's colours (tmux shows no graphics).
    term.wait_for("1000×1500 · " + made[0])
    red = ("38;2;255;0;0", "48;2;255;0;0", "38;5;196", "48;5;196", "38;5;9", "48;5;9")
    deadline = time.time() + 15
    while not any(c in term.screen(escapes=True) for c in red) and time.time() < deadline:
        time.sleep(0.1)
    colours = term.screen(escapes=True)
    assert any(c in colours for c in red), colours[-2000:]
    assert "\x1b_G" not in colours
    # Exported as JSON: the post in German, within Pinterest's limits, with its picture.
    out = os.path.join(term.tmp, "posts.json")
    term.keys("x")
    term.wait_for("Beiträge exportieren")
    term.keys("C-u")
    term.type(out)
    term.keys("Enter")
    term.wait_for("Beiträge nach")
    with open(out) as f:
        (pin,) = json.load(f)
    assert pin["platform"] == "pinterest" and pin["language"] == "de"
    assert 0 < len(pin["title"]) <= 100 and 0 < len(pin["text"]) <= 500 and 0 < len(pin["alt_text"]) <= 500
    assert "Etsy" in pin["text"] and pin["alt_text"] == "Rotes und blaues Shirt mit Mondphasen", "the photo's own alt text"
    assert pin["image_path"].endswith(made[0]) and pin["image_shape"] == {"height": 1500, "width": 1000}
    # An edit is kept after a restart, with the version before it.
    term.keys("Enter")
    term.keys("End")
    term.type(" Jetzt!")
    term.keys("Escape")
    term.wait_for("Von dir bearbeitet")
    term.keys("q")                            # back to the editor, where it was
    term.wait_for("Entwurf Nr. 1")
    term.keys("Escape")
    term.wait_for("1 Entwurf")
    term.keys("q")
    assert term.exit_code() == 0
    term.restart("--screen composer --locale de")
    term.wait_for("Mond T-Shirt")
    term.keys("S")
    screen = term.wait_for("Von dir bearbeitet")
    assert "Jetzt!" in screen, screen
    term.keys("C-o")
    screen = term.wait_for("Versionen, neueste zuerst")
    assert "Vom eingebauten Texter" in screen or "Vom eingebauten" in screen, screen


def test_the_post_picture_draws_in_kitty_graphics_where_supported(term):
    german_draft(term)
    app = KittyPty(term, ["--screen", "composer"], width=140, height=40)
    try:
        app.read_until(b"Mond T-Shirt")
        app.send(b"S")
        app.read_until(b"Within Pinterest's limits")
        start = len(app.out)
        app.send(b"i")
        app.read_until(b"\x1b_Ga=T", raw=True, timeout=20)
        drawn = bytes(app.out[start:])
        corner = drawn.index(b"\x1b7\x1b[")
        assert corner < drawn.index(b"\x1b_Ga=T") < drawn.index(b"\x1b8", corner), "placed at its corner, the cursor kept"
        deletes = app.out.count(b"\x1b_Ga=d")
        app.send(b"l")                          # Instagram: no picture yet, the Pinterest one is put away
        app.read(lambda: app.out.count(b"\x1b_Ga=d") > deletes, 10)
        assert app.out.count(b"\x1b_Ga=d") > deletes, "put away: kitty deletes it"
        app.send(b"\x03")
    finally:
        app.close()
