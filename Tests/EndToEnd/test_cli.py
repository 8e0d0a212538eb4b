"""The command line of DESIGN.md §3, without a terminal."""
import json
import os
import sqlite3
import stat
import tempfile

from conftest import run_cli


def fresh():
    d = tempfile.mkdtemp(prefix="podpusher-cli-")
    return os.path.join(d, "data"), os.path.join(d, "config.toml")


def test_the_ui_needs_a_terminal():
    data, config = fresh()
    r = run_cli("--data-dir", data, "--config", config)
    assert r.returncode == 2
    assert "needs a terminal" in r.stderr


def test_usage_errors_exit_2():
    assert run_cli("--screen", "nowhere").returncode == 2
    assert run_cli("--locale", "xx").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_help_exits_0():
    r = run_cli("--help")
    assert r.returncode == 0
    assert "demo" in r.stdout and "--data-dir" in r.stdout


def test_bad_config_names_the_file_and_line():
    data, config = fresh()
    with open(config, "w") as f:
        f.write('[ui]\nlocale = "de"\ncurrency = "dollars"\n')
    r = run_cli("status", "--data-dir", data, "--config", config)
    assert r.returncode == 2
    assert f"{config}:3:" in r.stderr
    with open(config, "w") as f:
        f.write('[ui\n')
    r = run_cli("status", "--data-dir", data, "--config", config)
    assert r.returncode == 2 and f"{config}:1" in r.stderr


def test_broken_theme_names_the_file_and_line():
    data, config = fresh()
    themes = os.path.join(os.path.dirname(config), "themes")
    os.makedirs(themes)
    with open(os.path.join(themes, "mine.toml"), "w") as f:
        f.write('[roles.base]\nfg = "#zz0000"\n')
    r = run_cli("--theme", "mine", "--data-dir", data, "--config", config)
    assert r.returncode == 2
    assert "mine.toml:2:" in r.stderr


def test_demo_is_deterministic_private_and_marked():
    dumps = []
    for _ in range(2):
        data, config = fresh()
        r = run_cli("demo", "--data-dir", data, "--config", config, "--signals", "20000", "--listings", "500", "--seed", "7")
        assert r.returncode == 0, r.stderr
        assert "20000 signals" in r.stdout
        assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(os.path.join(data, "podpusher.sqlite")).st_mode) == 0o600
        db = sqlite3.connect(os.path.join(data, "podpusher.sqlite"))
        assert db.execute("SELECT COUNT(*) FROM trend_signals WHERE is_demo = 0").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM listings WHERE is_demo = 1").fetchone()[0] == 500
        dumps.append(db.execute("SELECT title, price_cents, views FROM listings ORDER BY id").fetchall())
        db.close()
    assert dumps[0] == dumps[1]
    # A second load says what to do instead of failing half-way; --reset replaces it.
    r = run_cli("demo", "--data-dir", data, "--config", config, "--signals", "1000", "--listings", "10")
    assert r.returncode == 1 and "--reset" in r.stderr
    r = run_cli("demo", "--data-dir", data, "--config", config, "--signals", "1000", "--listings", "10", "--reset")
    assert r.returncode == 0, r.stderr
    db = sqlite3.connect(os.path.join(data, "podpusher.sqlite"))
    assert db.execute("SELECT COUNT(*) FROM listings").fetchone()[0] == 10
    db.close()


def test_status_json_shows_connections_queue_and_quota():
    data, config = fresh()
    r = run_cli("status", "--json", "--data-dir", data, "--config", config)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert [c["provider"] for c in s["connections"]] == ["etsy", "printify"]
    assert all(c["state"] == "not_connected" for c in s["connections"])
    assert s["queue"] == {"pending": 0, "in_flight": 0, "done": 0, "failed": 0}
    assert s["quotas"]["listings"] == {"used": 0, "limit": 10}


def test_data_dir_from_the_environment():
    data, config = fresh()
    r = run_cli("status", env={"PODPUSHER_DATA_DIR": data, "PODPUSHER_CONFIG": config})
    assert r.returncode == 0
    assert os.path.exists(os.path.join(data, "podpusher.sqlite"))


def test_commands_not_built_yet_say_so_and_change_nothing():
    data, config = fresh()
    # sync is built: without Etsy's keys it says which key is missing (a configuration error).
    r = run_cli("sync", "--data-dir", data, "--config", config)
    assert r.returncode == 2 and "providers.etsy.client_id" in r.stderr


def test_bench_reports_every_figure_and_the_deterministic_ones_hold():
    data, config = fresh()
    r = run_cli("bench", "--json", "--data-dir", data, "--config", config, "--signals", "5000", "--listings", "500",
                "--drafts", "2000", "--presses", "20", "--idle-seconds", "1")
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)
    for key in ("dashboard_first_frame_ms", "table_first_frame_ms", "dashboard_keys", "table_keys", "idle_wakeups_per_second",
                "dashboard_rssmb", "table_rssmb", "startup_phases_ms", "drafts_first_frame_ms", "title_keys", "composer_rssmb"):
        assert key in b, key
    assert b["table_keys"]["p50_ms"] > 0 and b["table_keys"]["presses"] == 20
    assert b["title_keys"]["presses"] == 20 and b["drafts"] == 2000
    # Not timings: what a selection move writes, and that an idle UI sleeps.
    assert b["table_keys"]["max_bytes"] <= 300
    assert b["idle_wakeups_per_second"] == 0
