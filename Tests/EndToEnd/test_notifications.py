"""Notifications in a real pseudo-terminal: the weekly digest due this hour arrives once, on
time, in the feed and by email to a local SMTP server started here; a second start adds none."""
import datetime
import email
import email.header
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

from conftest import Term, run_cli

SMTP = os.path.join(os.path.dirname(__file__), "..", "Servers", "fake_smtp.py")


def start_smtp(spool):
    p = subprocess.Popen([sys.executable, SMTP, "--port", "0", "--spool", spool, "--user", "me@example.com", "--password", "pw-123"],
                         stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline().split()[-1])
    return p, port


def wait_for_mail(spool, count, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(spool):
            with open(spool) as f:
                lines = [json.loads(l) for l in f if l.strip()]
            if len(lines) >= count:
                return lines
        time.sleep(0.1)
    raise AssertionError("no mail arrived")


def test_the_weekly_digest_arrives_once_in_the_feed_and_by_email(term):
    assert run_cli("demo", "--data-dir", term.data, "--signals", "20000", "--listings", "50").returncode == 0
    spool = os.path.join(tempfile.mkdtemp(prefix="podpusher-smtp-"), "mail.jsonl")
    smtp, port = start_smtp(spool)
    try:
        with open(term.config, "w") as f:
            f.write('[providers.smtp]\nserver = "127.0.0.1"\nport = %d\nstarttls = "false"\n'
                    'user = "me@example.com"\nfrom = "me@example.com"\nto = "me@example.com"\n' % port)
        # The digest is due this hour (UTC), and the scheduler last ran two hours ago: the start
        # catches up with it.
        now = datetime.datetime.now(datetime.timezone.utc)
        settings = {"timeZone": "UTC", "notifications": {"email": True, "weeklyDigest": True, "launchDigest": False,
                                                         "weeklyDigestDay": now.isoweekday() % 7 + 1, "weeklyDigestHour": now.hour}}
        db = sqlite3.connect(os.path.join(term.data, "podpusher.sqlite"))
        db.execute("INSERT INTO preferences (key, value) VALUES ('user_settings', ?)", (json.dumps(settings),))
        db.execute("INSERT INTO scheduler_runs (job, last_run) VALUES ('scheduler', ?)", (now.timestamp() - 7200,))
        db.commit()
        term.start("--screen notifications", env={"PODPUSHER_SMTP_PASSWORD": "pw-123"})
        # (The toast may show it a moment before the feed has it.)
        screen = term.wait_for("● Weekly trends (US)")
        assert "keywords rising" in screen, screen
        mail = wait_for_mail(spool, 1)
        assert mail[0]["to"] == ["<me@example.com>"] and mail[0]["login"] == "me@example.com"
        message = email.message_from_string(mail[0]["message"])
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        assert subject.startswith("PODPusher: Weekly trends (US):") and "keywords rising —" in subject, subject
        assert message.get_content_charset() == "utf-8" and "keywords rising" in message.get_payload()
        term.keys("g", "Enter")  # opens what it is about: the Trends table
        term.wait_for("Filter:")
        term.keys("C-c")
        assert term.exit_code() == 0
        # A second start in the same hour: no second digest, in the feed or by email.
        again = Term()
        again.data, again.config = term.data, term.config
        try:
            again.start("--screen notifications", env={"PODPUSHER_SMTP_PASSWORD": "pw-123"})
            screen = again.wait_for("Weekly trends (US)")
            assert screen.count("Weekly trends (US)") == 1, screen
            assert "● Weekly trends" not in screen, "opened once: it stays read"
            again.keys("q")
            assert again.exit_code() == 0
        finally:
            again.close()
        time.sleep(0.5)
        with open(spool) as f:
            assert len([l for l in f if l.strip()]) == 1
        assert db.execute("SELECT COUNT(*) FROM notifications WHERE kind = 'weekly_digest'").fetchone()[0] == 1
        for path in [os.path.join(term.data, n) for n in os.listdir(term.data) if n.endswith(".log")]:
            with open(path) as f:
                assert "pw-123" not in f.read()
    finally:
        smtp.kill()
