"""`podpusher listings import|export|publish`: the file format of DESIGN.md §3."""
import json
import os
import sqlite3
import tempfile

from conftest import run_cli

HEADER = "title,description,price,quantity,tags,materials,taxonomy_id,who_made,when_made,shipping_profile_id,sku,language\n"
GOOD = 'Retro Cat Mug,"A mug\nfor cats, ""really""",19.99,5,"cat mug,retro cat",ceramic,1052,i_did,made_to_order,3,CAT-1,en\n'


def workspace():
    d = tempfile.mkdtemp(prefix="podpusher-listings-")
    return d, ["--data-dir", os.path.join(d, "data"), "--config", os.path.join(d, "config.toml")]


def write(d, name, content, mode="w"):
    path = os.path.join(d, name)
    with open(path, mode) as f:
        f.write(content)
    return path


def draft_count(d):
    path = os.path.join(d, "data", "podpusher.sqlite")
    if not os.path.exists(path):
        return 0
    return sqlite3.connect(path).execute("SELECT COUNT(*) FROM drafts").fetchone()[0]


def test_valid_rows_import_and_each_rejected_row_is_listed_exit_3():
    d, ws = workspace()
    f = write(d, "in.csv", HEADER + GOOD + "Bad $ title,d,0,1,,,1052,i_did,made_to_order,3,,en\n"
              + "Gift,d,abc,1,,,1052,nobody,made_to_order,3,,en\n")
    r = run_cli("listings", "import", f, *ws)
    assert r.returncode == 3, r.stderr
    assert "imported 1 draft" in r.stdout
    lines = r.stderr.splitlines()
    assert any(l.startswith("rejected line 4:") and "“$” is not allowed" in l and "more than 0" in l for l in lines), r.stderr
    assert any(l.startswith("rejected line 5:") and "“abc” is not an amount" in l and "“nobody”" in l for l in lines), r.stderr
    assert draft_count(d) == 1


def test_export_then_import_round_trips_in_both_formats():
    d, ws = workspace()
    assert run_cli("listings", "import", write(d, "in.csv", HEADER + GOOD), *ws).returncode == 0
    for fmt in ("csv", "json"):
        first = run_cli("listings", "export", "--format", fmt, *ws)
        assert first.returncode == 0
        d2, ws2 = workspace()
        again = write(d2, "again." + fmt, first.stdout)
        assert run_cli("listings", "import", again, *ws2).returncode == 0
        second = run_cli("listings", "export", "--format", fmt, *ws2)
        assert second.stdout == first.stdout
    parsed = json.loads(run_cli("listings", "export", "--format", "json", *ws).stdout)
    assert parsed[0]["price"] == 19.99 and parsed[0]["tags"] == ["cat mug", "retro cat"]
    out = os.path.join(d, "out.json")
    assert run_cli("listings", "export", "--out", out, *ws).returncode == 0
    assert json.load(open(out))[0]["description"] == 'A mug\nfor cats, "really"'


def test_malformed_files_are_a_clear_error_and_import_nothing():
    d, ws = workspace()
    cases = [
        ("cols.csv", "title,colour\nx,y\n", "unknown field: colour"),
        ("quote.csv", HEADER + '"open,1\n', "line 2: a quoted field is not closed"),
        ("bytes.csv", b"title\n\xff\xfe\n", "not valid UTF-8"),
        ("bad.json", '[{"title": ', "not valid JSON"),
        ("obj.json", '{"title": "x"}', "an array of objects"),
    ]
    for name, content, message in cases:
        f = write(d, name, content, "wb" if isinstance(content, bytes) else "w")
        r = run_cli("listings", "import", f, *ws)
        assert r.returncode == 1, (name, r.stderr)
        assert message in r.stderr and "nothing was imported" in r.stderr, (name, r.stderr)
    assert draft_count(d) == 0
    r = run_cli("listings", "import", write(d, "x.txt", "title\nx\n"), *ws)
    assert r.returncode == 2 and ".csv or .json" in r.stderr
    assert run_cli("listings", "import", os.path.join(d, "missing.csv"), *ws).returncode == 1


def test_a_50_mb_file_imports_in_one_transaction():
    d, ws = workspace()
    path = os.path.join(d, "big.csv")
    rows = 0
    with open(path, "w") as f:
        f.write(HEADER)
        while f.tell() < 50 * 1024 * 1024:
            f.write(f'Retro Cat Mug {rows},"{"A mug for cat people. " * 6}",19.99,5,"cat mug,retro cat",ceramic,1052,i_did,made_to_order,3,SKU{rows},en\n')
            rows += 1
        # One bad row at the very end: the rest still imports, and it is listed by line.
        f.write("Bad $,d,1.00,1,,,1,i_did,made_to_order,1,,en\n")
    r = run_cli("listings", "import", path, *ws)
    assert r.returncode == 3, r.stderr[-500:]
    assert f"imported {rows} drafts" in r.stdout
    assert f"rejected line {rows + 2}:" in r.stderr
    assert draft_count(d) == rows


def test_publish_queues_drafts_that_pass_and_lists_the_rest():
    d, ws = workspace()
    run_cli("listings", "import", write(d, "in.csv", HEADER + GOOD), *ws)
    db = sqlite3.connect(os.path.join(d, "data", "podpusher.sqlite"))
    # A draft as the composer saves it half-done (import refuses such rows).
    db.execute("INSERT INTO drafts (title, created_at, updated_at) VALUES ('Only a title', 0, 0)")
    db.commit()
    r = run_cli("listings", "publish", "--all-ready", *ws)
    assert r.returncode == 3, r.stderr
    assert "rejected draft 2: Description: required" in r.stderr
    assert "queued draft 1 for etsy" in r.stdout
    r = run_cli("listings", "publish", "1", "2", "99", "--provider", "printify", *ws)
    assert r.returncode == 3
    assert "queued draft 1 for printify" in r.stdout
    assert "rejected draft 99: no such draft" in r.stderr
    assert "rejected draft 2: Description: required" in r.stderr
    assert db.execute("SELECT provider, state FROM outbox ORDER BY id").fetchall() == [("etsy", "pending"), ("printify", "pending")]
    assert run_cli("listings", "publish", *ws).returncode == 2


def test_publish_stops_at_the_plans_monthly_limit():
    d, ws = workspace()
    rows = "".join(GOOD.replace("Retro Cat Mug", "Retro Cat Mug %d" % i) for i in range(12))
    assert run_cli("listings", "import", write(d, "in.csv", HEADER + rows), *ws).returncode == 0
    r = run_cli("listings", "publish", "--all-ready", *ws)
    assert r.returncode == 3, r.stderr
    assert "10 queued for etsy, 2 rejected" in r.stdout
    assert "not queued: the plan's monthly limit of 10 listings is reached (10 used)" in r.stderr
    db = sqlite3.connect(os.path.join(d, "data", "podpusher.sqlite"))
    assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 10
    assert db.execute("SELECT SUM(amount) FROM usage_ledger WHERE resource = 'listings'").fetchone()[0] == 10
    assert db.execute("SELECT COUNT(*) FROM drafts WHERE state = 'queued'").fetchone()[0] == 10
