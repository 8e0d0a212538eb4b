"""The Images screen in a real terminal: 10,000 images read in the background, the planted
near-duplicates found, bad files said plainly, ratings and tags kept across a restart; and a
design too small for its print area and a photo without alt text flagged."""
import os
import random
import struct
import zlib

from conftest import real_png
from test_product_builder import builder_workspace, open_builder


def png(path, w, h, pixel):
    """A w×h RGB PNG whose pixel (x, y) is pixel(x, y)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(w)) for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def blocks(seed):
    """An 8×8 grid of random colours (each image its own)."""
    rng = random.Random(seed)
    return [[(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(8)] for _ in range(8)]


def gallery(folder, count):
    """`count` distinct images, two planted near-duplicates of image 42 (twice its size, and a
    little brighter), and the bad ones: a corrupt file, an empty one, and a PNG that declares
    20,000 × 20,000 pixels."""
    os.makedirs(folder)
    for i in range(count):
        grid = blocks(i)
        png(os.path.join(folder, "img%05d.png" % i), 16, 16, lambda x, y: grid[y // 2][x // 2])
    grid = blocks(42)
    png(os.path.join(folder, "planted-big.png"), 64, 64, lambda x, y: grid[y // 8][x // 8])
    png(os.path.join(folder, "planted-lit.png"), 16, 16, lambda x, y: [min(255, c + 12) for c in grid[y // 2][x // 2]])
    with open(os.path.join(folder, "corrupt.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    open(os.path.join(folder, "empty.png"), "wb").close()

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(os.path.join(folder, "huge.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(b"\x00" * 1000)) + chunk(b"IEND", b""))


def test_ten_thousand_images_read_in_the_background_with_the_near_duplicates_found_and_marks_kept(term):
    folder = os.path.join(term.tmp, "gallery")
    gallery(folder, 10_000)
    term.width, term.height = 120, 40
    term.start("--screen images")
    term.wait_for("Welcome to PODPusher")           # the empty workspace's offer: later
    term.keys("Escape")
    term.wait_for("No images yet.")
    term.keys("a")
    term.type(os.path.join(term.tmp, "missing"))
    term.keys("Enter")
    term.wait_for("The folder was not added:")
    term.wait_for("is not a folder")
    term.keys("a")
    term.type(folder)
    term.keys("Enter")
    term.wait_for("Reading the files:", timeout=30)           # the progress bar
    term.keys("Down", "Right")                                # keys answer while files are read
    term.wait_for("Images: 10,005 of 10,005", timeout=240)
    term.wait_gone("Reading the files:", timeout=240)
    # Rated, flagged and tagged (kept after the restart below).
    term.keys("/")
    term.type("img00007")
    term.keys("Enter")
    term.wait_for("Images: 1 of 10,005")
    term.keys("+", "+", "+", "f", "t")
    term.type("halloween")
    term.keys("Enter")
    term.wait_for("★★★ ✓")
    # The near-duplicates: image 42 and its two planted copies, and nothing else.
    term.keys("/", "C-u")
    term.type("check:duplicate")
    term.keys("Enter")
    screen = term.wait_for("Images: 3 of 10,005")
    for name in ("img00042.png", "planted-big.png", "planted-lit.png"):
        assert name in screen, screen
    # The bad files, each with its reason.
    term.keys("/", "C-u")
    term.type("check:unreadable")
    term.keys("Enter")
    term.wait_for("Filter: check:unreadable")
    term.wait_for("Images: 3 of 10,005")
    for name in ("corrupt.png", "empty.png", "huge.png"):
        term.keys("Enter")
        screen = term.wait_for("Cannot be read:")
        assert name in screen, screen
        assert any(r in screen for r in ("not a readable", "could not read", "is empty", "too large")), screen
        term.keys("Escape")
        term.wait_gone("Cannot be read:")
        term.keys("Right")
    term.keys("q")
    assert term.exit_code() == 0
    term.restart("--screen images")
    term.wait_for("Welcome to PODPusher", timeout=30)    # no listings yet: the offer again
    term.keys("Escape")
    term.wait_for("Images: 10,005 of 10,005", timeout=30)
    term.keys("/")
    term.type("tag:halloween rating:3")
    term.keys("Enter")
    screen = term.wait_for("Images: 1 of 10,005")
    assert "img00007.png" in screen and "★★★ ✓" in screen, screen
    term.keys("Enter")
    screen = term.wait_for("Tags: halloween")
    assert "Flag: approved" in screen, screen


def test_a_design_too_small_for_its_print_area_and_a_photo_without_alt_text_are_flagged(fake, term):
    builder_workspace(fake, term)
    small, photo = os.path.join(term.tmp, "small.png"), os.path.join(term.tmp, "photo.png")
    real_png(small, 1200, 1200)
    real_png(photo, 2400, 2000)
    term.width, term.height = 200, 40
    open_builder(term)
    term.type("cotton tee")
    term.keys("Enter")
    term.wait_for("Printify Choice")
    term.keys("Enter")
    term.wait_for("Navy")
    term.type(small)
    term.keys("Down")
    term.wait_for("too small for the front print area")
    term.keys("Down", "Down", "Space", "Enter")
    term.wait_for("Printify Choice · 1 variant")
    term.keys("BTab")                          # Photos, one without alt text
    term.type(photo)
    term.keys("Enter")
    term.wait_for("photo.png  (main photo)")
    term.keys("Enter")
    term.keys("C-s")
    term.wait_for("Saved")
    term.keys("Escape")
    term.keys(":")
    term.type("go to images")
    term.keys("Enter")
    term.wait_for("Images: 2 of 2", timeout=30)
    term.keys("/")
    term.type("check:small kind:design")
    term.keys("Enter")
    term.wait_for("Images: 1 of 2")
    term.keys("Enter")
    screen = term.wait_for("Design too small: 1,200 × 1,200 px for a print area of 4,500")
    assert "design of a Printify product" in screen and "No transparency: the background prints too" in screen, screen
    term.keys("Escape")
    term.wait_gone("Design too small")
    term.keys("/", "C-u")
    term.type("check:alt")
    term.keys("Enter")
    term.wait_for("Images: 1 of 2")
    term.keys("Enter")
    term.wait_for("No alt text")
    # Written here, it goes to the draft's photo (and to Etsy with it).
    term.keys("Escape")
    term.wait_gone("No alt text")
    term.keys("e")
    term.type("A black tee with a retro cat")
    term.keys("Enter")
    term.keys("Enter")
    screen = term.wait_for("Alt text: A black tee with a retro cat")
    assert "No alt text" not in screen, screen
