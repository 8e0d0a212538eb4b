"""The composer in a real pseudo-terminal: from an empty store to the publish queue, every
validation message, and kill -9 in the middle of typing."""
import os
import signal
import sqlite3
import time

from conftest import Term


def open_new_draft(term):
    term.start("--screen composer")
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape")
    term.wait_for("No drafts yet")
    term.keys("n")
    term.wait_for("Draft #1")


def db(term):
    return sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))


def test_compose_from_an_empty_store_to_the_publish_queue(term):
    open_new_draft(term)
    term.type("cat lovers")
    term.keys("C-g")                       # auto-fill keywords, title, description and tags
    term.wait_for("All 13 tags used")
    term.keys("M-6")                       # Details
    term.wait_for("Who made it")
    term.keys("Tab", "Tab", "Tab", "Tab", "Tab")
    term.type("1052")                      # category
    term.keys("Tab", "Right", "Tab")       # who made: I did
    term.keys("Right")                     # when made: Etsy's first value
    term.wait_for("‹ Made to order ›")
    term.keys("Tab")
    term.type("3")                         # shipping profile
    term.keys("Tab", "Tab", "Tab")         # past the shop section and the return policy (optional)
    term.type("19.99")
    term.keys("M-7")                       # Review
    screen = term.wait_for("Ready: Alt-E queues it for Etsy")
    assert "✗" not in screen and "$19.99" in screen
    term.keys("M-e")
    term.wait_for("Queued for Etsy")
    screen = term.wait_for("waiting")
    title = db(term).execute("SELECT title FROM drafts").fetchone()[0]
    assert "cat lovers" in title.lower() and title[:12] in screen
    term.keys("C-c")
    assert term.exit_code() == 0
    conn = db(term)
    rows = conn.execute("SELECT provider, operation, state, payload FROM outbox").fetchall()
    assert len(rows) == 1 and rows[0][:3] == ("etsy", "create_listing", "pending")
    assert '"priceCents":1999' in rows[0][3] and '"taxonomyID":1052' in rows[0][3]
    assert conn.execute("SELECT state FROM drafts").fetchone()[0] == "queued"


def test_each_validation_message_shows_while_typing(term):
    term.height = 32                       # Details lists its rules under its eighteen fields
    open_new_draft(term)
    term.keys("M-7", "M-e")                # publish an empty draft: refused, every reason listed
    screen = term.wait_for("Not queued: fix these first")
    for reason in ("Title: required", "Description: required", "Price: required", "Who made it: required"):
        assert reason in screen, reason
    term.keys("Escape", "M-3")
    term.type("Cat mug $5, 100% cotton, 100% fun")
    screen = term.wait_for("is not allowed")
    assert "“$” is not allowed" in screen and "“%” may appear only once" in screen
    term.keys("C-u")
    term.type("x" * 141)
    assert "141 characters, at most 140" in term.wait_for("141/140")
    term.keys("M-5")
    term.type("a tag that is far too long, Cat Mug, cat mug, " + ", ".join(f"t{i}" for i in range(12)))
    term.wait_for("15 ✓ t11")
    screen = term.wait_for("15/13")
    assert "longer than 20 characters" in screen, screen
    assert "“cat mug” is there twice" in screen
    assert "15 given, at most 13" in screen
    term.keys("M-6")
    for _ in range(11):                    # to the price, past the shop section and return policy
        term.keys("Tab")
    term.type("0")
    assert "must be more than 0" in term.wait_for("more than 0")
    term.keys("C-c")
    assert term.exit_code() == 0


def test_kill_9_mid_typing_then_the_draft_reopens_intact(term):
    open_new_draft(term)
    term.keys("M-3")
    title = "Retro Cat Mug for Coffee Lovers"
    term.type(title)
    term.wait_for(f"{len(title)}/140")
    time.sleep(1.2)                        # the autosave runs half a second after the last key
    os.kill(term.pid(), signal.SIGKILL)
    term.wait_for("SHELL-AFTER-EXIT")
    assert db(term).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    t = Term()
    t.data = term.data
    try:
        t.start("--screen composer")
        t.wait_for("Retro Cat Mug for Coffee Lovers")   # in the drafts list
        t.keys("Enter")
        screen = t.wait_for("Draft #1")
        assert title in screen and f"{len(title)}/140" in screen   # reopened on the Title step
        t.keys("C-c")
        assert t.exit_code() == 0
    finally:
        t.close()


def test_quitting_right_after_typing_loses_nothing(term):
    open_new_draft(term)
    term.type("quick niche")
    term.keys("C-c")                       # well inside the autosave delay
    assert term.exit_code() == 0
    assert db(term).execute("SELECT niche FROM drafts").fetchone()[0] == "quick niche"


def test_sighup_saves_the_open_draft(term):
    open_new_draft(term)
    term.type("closed terminal")
    os.kill(term.pid(), signal.SIGHUP)
    term.exit_code()
    assert db(term).execute("SELECT niche FROM drafts").fetchone()[0] == "closed terminal"


def test_first_run_import_fills_the_drafts_list(term):
    path = os.path.join(term.tmp, "drafts.csv")
    with open(path, "w") as f:
        f.write("title,description,price,quantity,tags,who_made,when_made,taxonomy_id,shipping_profile_id\n")
        f.write('Retro Cat Mug,A mug.,19.99,5,"cat mug,retro cat",i_did,made_to_order,1052,3\n')
        f.write("Bad $ title,d,1.00,1,,i_did,made_to_order,1,1\n")
    term.start("--screen composer")
    term.wait_for("Welcome to PODPusher")
    term.keys("3")                          # import a file
    term.wait_for("Import listings")
    term.type(path)
    term.keys("Enter")
    screen = term.wait_for("1 rows rejected")
    assert "Imported 1 drafts" in screen and "line 3: Title: “$” is not allowed" in screen
    term.keys("Escape")
    term.wait_for("Retro Cat Mug")
    term.keys("Enter")
    term.wait_for("Draft #1")
    term.keys("M-7")
    assert "Ready: Alt-E queues it" in term.wait_for("Ready")
    term.keys("C-c")
    assert term.exit_code() == 0


def test_details_messages_for_materials_styles_quantity_and_sku():
    term = Term(120, 40)
    try:
        details_messages(term)
    finally:
        term.close()


def details_messages(term):
    open_new_draft(term)
    term.keys("M-6")
    term.type("100% cotton")                # materials
    term.keys("Tab")
    term.type("boho, retro, minimal")       # styles
    for _ in range(11):                     # to the quantity
        term.keys("Tab")
    term.keys("C-u")
    term.type("1000")                       # quantity
    term.keys("Tab")
    term.type("S" * 33)                     # SKU
    screen = term.wait_for("Etsy rules for this step")
    time.sleep(0.3)
    screen = term.screen()
    assert "“100% cotton”: “%” is not allowed" in screen, screen
    assert "3 given, at most 2" in screen, screen
    assert "between 1 and 999" in screen, screen
    assert "33 characters, at most 32" in screen
    term.keys("C-c")
    assert term.exit_code() == 0


def test_from_a_trend_row_to_a_prefilled_draft(term):
    from conftest import run_cli
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "100").returncode == 0
    term.start("--screen trends")
    screen = term.wait_for("Growth")
    # The first row under the header, right of the 25-column sidebar: "[DEMO] keyword   …".
    lines = screen.splitlines()
    header = next(i for i, l in enumerate(lines) if "Growth" in l)
    keyword = lines[header + 1][25:].replace("[DEMO]", "").strip().split("  ")[0]
    term.keys("Enter")                      # the first (selected) row
    term.wait_for("Draft #")
    screen = term.screen()
    assert f"Niche             {keyword}" in screen and f"Primary keyword   {keyword}" in screen, screen
    term.keys("M-5")
    screen = term.wait_for(" 1 ✓ ")
    # The keyword itself when it fits in a tag (20 characters), else its two-word runs.
    first = keyword if len(keyword) <= 20 else " ".join(keyword.split()[:2])
    assert f" 1 ✓ {first}" in screen, screen
    term.keys("C-c")
    assert term.exit_code() == 0


def test_the_ai_copywriter_writes_through_an_openai_compatible_endpoint(term, fake):
    with open(term.config, "w") as f:
        f.write('[providers.openai]\napi_base_url = "%s/openai/v1"\nmodel = "test-model"\ntimeout = 5\n' % fake.base)
    term.start("--screen composer", env={"PODPUSHER_OPENAI_API_KEY": "sk-test-123"})
    term.wait_for("Welcome to PODPusher")
    term.keys("Escape")
    term.wait_for("No drafts yet")
    term.keys("n")
    term.wait_for("Draft #1")
    term.type("cat lovers")
    term.keys("C-g")
    term.wait_for("Written by the AI copywriter")
    term.keys("M-3")
    term.wait_for("Handmade Cat Mug for Coffee Lovers")
    # A slow endpoint: Esc cancels at once and keeps what is there.
    fake.control("openai", delay=4)
    term.keys("C-g")
    term.wait_for("Esc cancels")
    term.keys("Escape")
    term.wait_for("AI copywriter cancelled")
    # A failing one: the built-in copywriter writes, and the toast says why.
    fake.control("openai", delay=0, faults=["500"])
    term.keys("C-g")
    term.wait_for("The built-in copywriter wrote this instead")
    term.keys("C-c")
    assert term.exit_code() == 0
    credits = db(term).execute("SELECT SUM(amount) FROM usage_ledger WHERE resource = 'ai_credits'").fetchone()[0]
    assert credits == 1, "only the answer that arrived is counted"
    logs = "".join(open(os.path.join(root, name), errors="replace").read()
                   for root, _, files in os.walk(os.path.join(term.data, "logs")) for name in files)
    assert "sk-test-123" not in logs
