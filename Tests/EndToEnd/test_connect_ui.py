"""The Integrations screen in a real terminal (tmux): a device flow approved on "another device",
the code copied with OSC 52, Esc cancelling at once, a pasted token masked and checked, a
disconnect confirmed, the lapse warning in the status bar — and no secret on screen or in a log."""
import json
import os
import stat
import time

from conftest import run_cli
from test_connect_cli import free_port, redirect_of


def configure(term, fake):
    with open(term.config, "w") as f:
        f.write('[providers.acme]\nauth = "device"\nissuer = "%s/auth"\nclient_id = "podpusher"\nverify_url = "%s/auth/me"\n\n'
                '[providers.printify]\napi_base_url = "%s/printify/v1"\n' % (fake.base, fake.base, fake.base))


def credentials(term):
    path = os.path.join(term.data, "credentials.json")
    return (json.load(open(path)), stat.S_IMODE(os.stat(path).st_mode)) if os.path.exists(path) else ({}, None)


def logs(term):
    text = ""
    for root, _, files in os.walk(term.data):
        for name in files:
            if name.endswith(".log") or ".log." in name:
                text += open(os.path.join(root, name), errors="replace").read()
    return text


def test_a_device_flow_approved_elsewhere_connects_and_the_code_can_be_copied(term, fake):
    fake.control("auth", script=["pending", "pending", "pending", "approve"], interval=1)
    configure(term, fake)
    term.start("--screen connect")
    term.tmux("set-option", "-g", "set-clipboard", "on")
    term.wait_for("acme")
    term.keys("G", "Enter")
    screen = term.wait_for("W D J B - M J H T")
    assert fake.base + "/auth/activate?code=WDJB-MJHT" in screen and "the code expires in" in screen
    term.keys("c")
    term.wait_for("Code copied")
    deadline = time.time() + 5
    while term.tmux("show-buffer", check=False).stdout != "WDJB-MJHT" and time.time() < deadline:
        time.sleep(0.1)
    assert term.tmux("show-buffer", check=False).stdout == "WDJB-MJHT", "OSC 52 put the code on tmux's clipboard"
    screen = term.wait_for("connected as Acme Seller", timeout=20)
    assert "W D J B" not in screen, "the prompt closed"
    creds, mode = credentials(term)
    assert creds["acme"]["access_token"] == "device-token-1" and mode == 0o600
    assert fake.state("auth")["too_fast"] == 0
    term.keys("q")
    assert term.exit_code() == 0
    everything = term.screen() + logs(term)
    for secret in ("device-token-1", "device-refresh-1", "dev-code-1"):
        assert secret not in everything
    assert "acme: connected" in run_cli("status", "--data-dir", term.data, "--config", term.config).stdout


def test_esc_cancels_a_waiting_device_flow_at_once(term, fake):
    fake.control("auth", script=["pending"] * 100, interval=1)
    configure(term, fake)
    term.start("--screen connect")
    term.wait_for("acme")
    term.keys("G", "Enter")
    term.wait_for("W D J B - M J H T")
    term.keys("Escape")
    term.wait_gone("W D J B - M J H T", timeout=1)
    time.sleep(0.5)
    polls = len(fake.state("auth")["polls"])
    time.sleep(2.5)
    assert len(fake.state("auth")["polls"]) == polls, "no poll after Esc"
    assert credentials(term)[0] == {}
    term.keys("q")
    assert term.exit_code() == 0


def test_a_pasted_token_is_masked_checked_kept_and_disconnect_asks_first(term, fake):
    configure(term, fake)
    term.start("--screen connect")
    term.wait_for("pasted token")          # the cards (the sidebar names Printify before they load)
    term.keys("j", "Enter")
    term.wait_for("it is not shown")
    term.type("not-the-token")
    assert "not-the-token" not in term.screen() and "•••••" in term.screen()
    term.keys("Enter")
    term.wait_for("refused this token")
    assert credentials(term)[0] == {}
    term.type("printify-test-token")
    term.keys("Enter")
    term.wait_for("connected as My POD shop")
    creds, mode = credentials(term)
    assert creds["printify"]["access_token"] == "printify-test-token" and mode == 0o600
    term.keys("d")
    term.wait_for("Disconnect Printify?")
    term.keys("y")
    # Its toast may give way to the sync's (a connected Printify starts one): the card tells.
    deadline = time.time() + 10
    while "printify" in credentials(term)[0] and time.time() < deadline:
        time.sleep(0.1)
    assert "printify" not in credentials(term)[0]
    term.wait_for("Printify              ○ not connected")
    term.keys("q")
    assert term.exit_code() == 0
    assert "printify-test-token" not in term.screen() + logs(term)


def test_a_connection_lapsing_within_a_day_is_warned_in_the_status_bar(term, fake):
    fake.control("auth", script=["approve"], interval=1, refresh=False, token_expires_in=5 * 3600)
    configure(term, fake)
    assert run_cli("connect", "acme", "--no-browser", "--data-dir", term.data, "--config", term.config).returncode == 0
    term.start("")
    screen = term.wait_for("acme lapses in 5 hours")
    assert screen.splitlines()[-1].rstrip().endswith("acme lapses in 5 hours"), "in the status bar"


def start_etsy(term, fake):
    port = free_port()
    configure(term, fake)
    with open(term.config, "a") as f:
        f.write('\n[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\ntoken_url = "%s/etsy/oauth/token"\n'
                'authorize_url = "%s/etsy/oauth/connect"\nclient_id = "testkeystring"\nshared_secret = "testsecret"\n'
                'redirect_port = %d\n' % (fake.base, fake.base, fake.base, port))
    term.start("--screen connect")
    term.tmux("set-option", "-g", "set-clipboard", "on")
    term.wait_for("browser sign-in")
    term.keys("Enter")
    term.wait_for("approve PODPusher")
    term.keys("C-y")
    term.wait_for("Address copied")
    deadline = time.time() + 5
    while not term.tmux("show-buffer", check=False).stdout.startswith(fake.base) and time.time() < deadline:
        time.sleep(0.1)
    url = term.tmux("show-buffer", check=False).stdout
    assert "code_challenge_method=S256" in url
    boxed = "".join(line.split("│")[1].strip() for line in term.screen().splitlines() if line.count("│") >= 2)
    assert url in boxed, "the whole address is on screen"
    return url


def test_etsy_connects_in_the_ui_through_the_loopback_redirect(term, fake):
    import urllib.request
    url = start_etsy(term, fake)
    location = redirect_of(url)
    assert "You can close this tab" in urllib.request.urlopen(location.replace("localhost", "127.0.0.1")).read().decode()
    term.wait_for("connected as user 12345678, shop 5550001", timeout=20)
    creds, mode = credentials(term)
    assert creds["etsy"]["refresh_token"] and mode == 0o600
    assert fake.state("etsy").get("pkce_failures", 0) == 0


def test_etsy_redirect_pasted_into_the_ui(term, fake):
    url = start_etsy(term, fake)
    term.type(redirect_of(url))
    term.keys("Enter")
    term.wait_for("connected as user 12345678, shop 5550001", timeout=20)
    assert creds_token(term) not in term.screen() + logs(term)


def creds_token(term):
    return credentials(term)[0]["etsy"]["access_token"]
