"""`podpusher trends import|refresh`: trend signals with their provenance."""
import json
import os
import sqlite3

from conftest import cli_workspace, run_cli, write_file


def workspace():
    return cli_workspace("podpusher-trends-")


write = write_file


def db(d):
    return sqlite3.connect(os.path.join(d, "data", "podpusher.sqlite"))


def test_import_writes_valid_rows_with_provenance_and_lists_the_rest():
    d, ws = workspace()
    f = write(d, "t.csv", "keyword,region,date,volume,competition,source,method,confidence,is_estimate\n"
                          "Cat Mug,US,2026-11-20,120,3400,my-report,weekly export,0.8,false\n"
                          "cat mug,US,2026-11-21,150,,my-report,weekly export,0.8,false\n"
                          "bad row,US,2026-13-01,x,,,,,\n")
    r = run_cli("trends", "import", f, *ws)
    assert r.returncode == 3, r.stderr
    assert "imported 2 signals" in r.stdout
    assert "rejected line 4: date: “2026-13-01” is not a date such as 2026-11-27; volume: “x” is not a number of 0 or more" in r.stderr
    rows = db(d).execute("SELECT k.keyword, s.volume, s.competition, s.source, s.method, s.confidence, s.is_estimate, s.is_demo "
                         "FROM trend_signals s JOIN keywords k ON k.id = s.keyword_id ORDER BY s.day").fetchall()
    assert rows == [("cat mug", 120.0, 3400.0, "my-report", "weekly export", 0.8, 0, 0),
                    ("cat mug", 150.0, None, "my-report", "weekly export", 0.8, 0, 0)]
    # The imported keyword is on the trends screen's summary, not marked as demo.
    assert db(d).execute("SELECT keyword, is_demo FROM keyword_summary WHERE window = 30").fetchall() == [("cat mug", 0)]


def test_json_import_and_whole_file_refusals():
    d, ws = workspace()
    f = write(d, "t.json", json.dumps([{"keyword": "retro cat", "date": "2026-11-01", "volume": 7, "is_estimate": True}]))
    r = run_cli("trends", "import", f, *ws)
    assert r.returncode == 0 and "imported 1 signal " in r.stdout
    bad = write(d, "bad.csv", "keyword,date,volume,views\ncat,2026-11-01,1,2\n")
    r = run_cli("trends", "import", bad, *ws)
    assert r.returncode == 1 and "unknown field: views" in r.stderr and "nothing was imported" in r.stderr
    r = run_cli("trends", "import", write(d, "t.txt", "x"), *ws)
    assert r.returncode == 2
    assert db(d).execute("SELECT COUNT(*) FROM trend_signals").fetchone()[0] == 1


def test_refresh_reads_each_source_and_reports_its_counts(fake):
    d, ws = workspace()
    with open(os.path.join(d, "config.toml"), "w") as f:
        f.write('[trends]\nrss_url = "%s/rss?geo={region}"\nregions = ["US", "DE"]\nwatch = ["cat mug"]\n\n'
                '[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\nclient_id = "testkeystring"\nshared_secret = "testsecret"\n'
                % (fake.base, fake.base))
    r = run_cli("trends", "refresh", *ws)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == ["rss:US: 4 collected, 3 persisted, 1 failed, 0 skipped",
                                     "rss:DE: 4 collected, 3 persisted, 1 failed, 0 skipped",
                                     "etsy-active-listings: 1 collected, 1 persisted, 0 failed, 0 skipped"]
    sources = dict(db(d).execute("SELECT source, COUNT(*) FROM trend_signals GROUP BY source").fetchall())
    assert sources == {"rss-trends": 6, "etsy-active-listings": 1}
    # One source failing: exit 3, the other still written.
    fake.control("rss", faults=["not_rss"])
    r = run_cli("trends", "refresh", "--json", *ws)
    assert r.returncode == 3
    reports = json.loads(r.stdout)
    assert reports[0]["source"] == "rss:US" and "is not an RSS feed" in reports[0]["error"] and reports[1]["persisted"] == 3
    assert "testsecret" not in r.stdout + r.stderr


def test_refresh_with_nothing_reachable_fails():
    d, ws = workspace()
    with open(os.path.join(d, "config.toml"), "w") as f:
        f.write('[trends]\nrss_url = "http://127.0.0.1:9/rss?geo={region}"\n')
    r = run_cli("trends", "refresh", *ws)
    assert r.returncode == 1 and "cannot connect" in r.stdout


def test_the_ui_reads_the_feeds_at_start_when_configured(fake, term):
    with open(term.config, "w") as f:
        f.write('[trends]\nrss_url = "%s/rss?geo={region}"\nauto_refresh_hours = 12\n' % fake.base)
    term.start("--screen trends")
    term.wait_for("Trends refreshed: 3 new signals")
    term.keys("Escape")
    term.wait_for("cat mug & tea")
    term.keys("q")
    assert term.exit_code() == 0
    # Started again within the 12 hours: the feed is not read again.
    calls = fake.state("rss")["calls"]
    term2 = type(term)()
    term2.data, term2.config = term.data, term.config
    term2.start("--screen trends")
    term2.wait_for("cat mug & tea")
    term2.keys("q")
    assert term2.exit_code() == 0
    term2.close()
    assert fake.state("rss")["calls"] == calls
