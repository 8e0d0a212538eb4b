"""`podpusher connect|disconnect`: the device flow (RFC 8628) and token paste, against a local
authorization server (Tests/Servers/fake_providers.py) that enforces the polling interval."""
import json
import os
import stat
import subprocess
import tempfile

from conftest import BIN, run_cli


def workspace(fake, extra=""):
    d = tempfile.mkdtemp(prefix="podpusher-connect-")
    with open(os.path.join(d, "config.toml"), "w") as f:
        f.write('[providers.acme]\nauth = "device"\nissuer = "%s/auth"\nclient_id = "podpusher"\nscopes = "listings_r"\n'
                'verify_url = "%s/auth/me"\n\n[providers.printify]\napi_base_url = "%s/printify/v1"\n%s' % (fake.base, fake.base, fake.base, extra))
    return d, ["--data-dir", os.path.join(d, "data"), "--config", os.path.join(d, "config.toml")]


def credentials(d):
    path = os.path.join(d, "data", "credentials.json")
    return (json.load(open(path)), stat.S_IMODE(os.stat(path).st_mode)) if os.path.exists(path) else ({}, None)


def test_a_device_flow_prints_the_code_waits_through_pending_and_slow_down_and_stores_the_token(fake):
    fake.control("auth", script=["pending", "slow_down", "approve"], interval=1)
    d, ws = workspace(fake)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert fake.base + "/auth/activate?code=WDJB-MJHT" in lines and "WDJB-MJHT" in lines and lines[-1] == "connected to acme as Acme Seller"
    creds, mode = credentials(d)
    assert creds["acme"]["access_token"] == "device-token-1" and mode == 0o600
    assert "device-token-1" not in r.stdout + r.stderr and "device-refresh" not in r.stdout + r.stderr
    state = fake.state("auth")
    assert state["too_fast"] == 0, "never polled faster than allowed, slow_down included"
    polls = state["polls"]
    assert polls[-1] - polls[-2] >= 6 - 0.1, "slow_down added 5 s to the 1 s interval"
    assert "acme: connected" in run_cli("status", *ws).stdout


def test_denied_expired_and_broken_answers_have_their_exit_codes(fake):
    d, ws = workspace(fake)
    fake.control("auth", script=["deny"], interval=1)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 4 and "denied" in r.stderr
    fake.control("auth", script=["pending", "expire"], interval=1)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 5 and "expired" in r.stderr
    fake.control("auth", script=["garbage"], interval=1)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 1 and "not JSON" in r.stderr
    assert credentials(d)[0] == {}


def test_a_server_without_interval_is_polled_every_5_seconds(fake):
    fake.control("auth", script=["pending", "approve"], no_interval=True)
    d, ws = workspace(fake)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 0, r.stderr
    state = fake.state("auth")
    assert state["too_fast"] == 0 and len(state["polls"]) == 2
    assert state["polls"][1] - state["polls"][0] >= 5 - 0.1, "RFC 8628's default of 5 seconds"


def test_google_style_verification_url_is_understood(fake):
    fake.control("auth", script=["approve"], interval=1, google=True)
    d, ws = workspace(fake)
    r = run_cli("connect", "acme", "--no-browser", *ws)
    assert r.returncode == 0, r.stderr
    assert "WDJB-MJHT" in r.stdout.splitlines()


def test_a_pasted_token_is_checked_before_it_is_stored_and_disconnect_removes_it(fake):
    d, ws = workspace(fake)
    wrong = subprocess.run([BIN, "connect", "printify", *ws], input="not-the-token\n", capture_output=True, text=True)
    assert wrong.returncode == 4 and "refused" in wrong.stderr and credentials(d)[0] == {}
    ok = subprocess.run([BIN, "connect", "printify", *ws], input="printify-test-token\n", capture_output=True, text=True)
    assert ok.returncode == 0 and "printify-test-token" not in ok.stdout + ok.stderr
    assert credentials(d)[0]["printify"]["access_token"] == "printify-test-token"
    r = run_cli("disconnect", "printify", *ws)
    assert r.returncode == 0 and "printify" not in credentials(d)[0]


def test_unknown_providers_and_missing_keys_say_what_to_do(fake):
    d, ws = workspace(fake)
    r = run_cli("connect", "nosuch", *ws)
    assert r.returncode == 2 and "[providers.nosuch]" in r.stderr
    r = run_cli("connect", "etsy", *ws)
    assert r.returncode == 2 and "providers.etsy.client_id" in r.stderr


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class NoRedirect(__import__("urllib.request").request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_etsy_connect(fake):
    port = free_port()
    d, ws = workspace(fake, '\n[providers.etsy]\napi_base_url = "%s/etsy/v3/application"\ntoken_url = "%s/etsy/oauth/token"\n'
                            'authorize_url = "%s/etsy/oauth/connect"\nclient_id = "testkeystring"\nshared_secret = "testsecret"\n'
                            'redirect_port = %d\n' % (fake.base, fake.base, fake.base, port))
    p = subprocess.Popen([BIN, "connect", "etsy", "--no-browser", *ws], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    url = None
    while url is None:
        line = p.stdout.readline()
        assert line, p.stderr.read()
        if line.startswith(fake.base):
            url = line.strip()
    return d, p, url


def redirect_of(url):
    import urllib.error
    import urllib.request
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url)
    except urllib.error.HTTPError as e:
        assert e.code == 302, e.code
        return e.headers["Location"]
    raise AssertionError("no redirect")


def test_etsy_pkce_through_the_loopback_redirect(fake):
    import urllib.request
    d, p, url = start_etsy_connect(fake)
    assert "code_challenge_method=S256" in url and "state=" in url
    location = redirect_of(url)
    assert location.startswith("http://localhost:")
    page = urllib.request.urlopen(location.replace("localhost", "127.0.0.1")).read().decode()
    assert "You can close this tab" in page
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, out + err
    assert "connected to etsy as user 12345678, shop 5550001" in out
    creds, mode = credentials(d)
    assert creds["etsy"]["access_token"].startswith("12345678.access") and creds["etsy"]["refresh_token"] and mode == 0o600
    assert creds["etsy"]["access_token"] not in out + err
    assert fake.state("etsy").get("pkce_failures", 0) == 0, "the server checked the verifier against the challenge"


def test_etsy_redirect_pasted_back_and_a_wrong_state_refused(fake):
    import urllib.request
    d, p, url = start_etsy_connect(fake)
    out, err = p.communicate(redirect_of(url) + "\n", timeout=30)
    assert p.returncode == 0, out + err
    d, p, url = start_etsy_connect(fake)
    forged = redirect_of(url).split("&state=")[0] + "&state=forged"
    # Another page calling the port (a wrong state, or an error without any state, with an
    # escape sequence in it) is answered 400 and waited past: it cannot end the sign-in.
    import urllib.error
    for other in (forged, forged.split("?")[0] + "?error=%1B%5D52%3Bc%3BaGk%3D%07&error_description=%1B%5B2J"):
        try:
            urllib.request.urlopen(other.replace("localhost", "127.0.0.1")).read()
            raise AssertionError("a foreign callback was accepted")
        except urllib.error.HTTPError as e:
            assert e.code == 400
    assert p.poll() is None, "the wait went on"
    # The same address pasted by hand is refused in words.
    out, err = p.communicate(forged + "\n", timeout=30)
    assert p.returncode == 1 and "state does not match" in err
    assert "etsy" not in credentials(d)[0]


def test_etsy_denied_exits_4(fake):
    fake.control("etsy", deny=True)
    d, p, url = start_etsy_connect(fake)
    out, err = p.communicate(redirect_of(url) + "\n", timeout=30)
    assert p.returncode == 4 and "access_denied" in err
