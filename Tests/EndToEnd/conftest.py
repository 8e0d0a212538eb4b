"""End-to-end tests: the real binary in a real pseudo-terminal (tmux), driven by keystrokes.

Run with `make test` (or `make e2e`). PODPUSHER_BIN points at the built binary.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import pytest

BIN = os.environ.get("PODPUSHER_BIN") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "podpusher"))


class Term:
    """One tmux server with one window running a command, on its own socket."""

    def __init__(self, width=100, height=30):
        self.socket = f"podpusher-e2e-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.tmp = tempfile.mkdtemp(prefix="podpusher-e2e-")
        self.data = os.path.join(self.tmp, "data")
        self.config = os.path.join(self.tmp, "config.toml")
        self.exitfile = os.path.join(self.tmp, "exit")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def start(self, args="", env=None, before="", after=""):
        """Runs podpusher in a shell inside tmux; its exit code lands in self.exitfile."""
        environment = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "PODPUSHER_DATA_DIR": self.data,
                       "PODPUSHER_CONFIG": self.config, "HOME": self.tmp}
        environment.update(env or {})
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
        parts = [before, f"env {exports} {shlex.quote(BIN)} {args}", f"echo $? > {self.exitfile}", after,
                 f"stty -a > {self.exitfile}.stty", "echo SHELL-AFTER-EXIT", "sleep 600"]
        script = "; ".join(p for p in parts if p)
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(self.width), "-y", str(self.height), "bash", "--norc", "-c", script)
        self.tmux("set-option", "-g", "status", "off", check=False)
        return self

    def restart(self, args="", **kw):
        """After the app exited: a new tmux server (on a new socket) running it again."""
        self.close()
        self.socket = f"podpusher-e2e-{uuid.uuid4().hex[:8]}"
        if os.path.exists(self.exitfile):
            os.remove(self.exitfile)
        return self.start(args, **kw)

    def keys(self, *keys, literal=False):
        for k in keys:
            if literal:
                self.tmux("send-keys", "-l", k)
            else:
                self.tmux("send-keys", k)
            time.sleep(0.03)

    def type(self, text):
        self.keys(text, literal=True)

    def screen(self, escapes=False):
        args = ["capture-pane", "-p"] + (["-e"] if escapes else [])
        return self.tmux(*args).stdout

    def wait_for(self, text, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on screen after {timeout}s:\n{self.screen()}")

    def wait_gone(self, text, timeout=5.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            s = self.screen()
            if text not in s:
                return s
            time.sleep(0.05)
        raise AssertionError(f"{text!r} still on screen:\n{self.screen()}")

    def resize(self, w, h):
        self.tmux("resize-window", "-x", str(w), "-y", str(h))
        time.sleep(0.05)

    def exit_code(self, timeout=10.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(self.exitfile):
                with open(self.exitfile) as f:
                    content = f.read().strip()
                if content:
                    return int(content)
            time.sleep(0.05)
        raise AssertionError(f"podpusher did not exit:\n{self.screen()}")

    def stty_after(self, timeout=5.0):
        path = self.exitfile + ".stty"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(path) and os.path.getsize(path) > 0:
                with open(path) as f:
                    return f.read()
            time.sleep(0.05)
        raise AssertionError("no stty output after exit")

    def pid(self):
        """The pid of this test's podpusher (found by its data folder in /proc)."""
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if not f.read().startswith(BIN.encode()):
                        continue
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if self.data.encode() in f.read():
                        return int(entry)
            except OSError:
                pass
        return None

    def close(self):
        self.tmux("kill-server", check=False)


def real_png(path, w, h):
    """A real w×h PNG: the left half red, the right half blue (rows filtered, deflated)."""
    import struct
    import zlib
    row = b"\x00" + b"\xff\x00\x00" * (w // 2) + b"\x00\x00\xff" * (w - w // 2)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(row * h, 1)) + chunk(b"IEND", b""))


class KittyPty:
    """The app in a bare pseudo-terminal that says it is kitty (no tmux in between), its screen
    kept by pyte. Kitty's graphics (APC: ESC _ … ESC \\) stay in `out`, the raw bytes, and are
    kept from the emulator, which does not know them."""

    def __init__(self, term, args, width=120, height=40):
        import pty
        import struct
        import fcntl
        import termios
        import pyte
        env = dict(os.environ, TERM="xterm-256color", KITTY_WINDOW_ID="1", LANG="C.UTF-8", PODPUSHER_DATA_DIR=term.data,
                   PODPUSHER_CONFIG=term.config, HOME=term.tmp)
        env.pop("TMUX", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(BIN, [BIN, *args], env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, width * 10, height * 20))
        self.out = bytearray()
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self.pending = bytearray()

    def feed(self, chunk):
        self.pending.extend(chunk)
        while True:
            i = self.pending.find(b"\x1b_")
            if i < 0:
                self.stream.feed(bytes(self.pending))
                self.pending.clear()
                return
            self.stream.feed(bytes(self.pending[:i]))
            j = self.pending.find(b"\x1b\\", i)
            if j < 0:
                del self.pending[:i]
                return
            del self.pending[:j + 2]

    def read(self, until, timeout):
        """Reads what the UI writes (unread, a full pty would stop it) until `until()` or the
        timeout; returns once the UI has ended."""
        import select
        deadline = time.time() + timeout
        while not until() and time.time() < deadline:
            if select.select([self.fd], [], [], 0.05)[0]:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    return
                self.out.extend(chunk)
                self.feed(chunk)

    def display(self):
        return "\n".join(self.screen.display)

    def read_until(self, needle, timeout=15, raw=False):
        """Until `needle` is on the emulated screen (or, raw, in the bytes)."""
        found = lambda: needle in self.out if raw else needle.decode() in self.display()
        self.read(found, timeout)
        assert found(), (needle, self.display())

    def pump(self, seconds):
        self.read(lambda: False, seconds)

    def send(self, data, wait=0.3):
        os.write(self.fd, data)
        self.pump(wait)

    def close(self):
        import signal
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture
def term():
    t = Term()
    yield t
    t.close()


def run_cli(*args, env=None, tmp=None):
    """Runs a subcommand without a terminal; returns CompletedProcess."""
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=environment, timeout=120)


def cli_workspace(prefix="podpusher-cli-"):
    """A folder for one command-line test, and the flags that put its data and config there."""
    d = tempfile.mkdtemp(prefix=prefix)
    return d, ["--data-dir", os.path.join(d, "data"), "--config", os.path.join(d, "config.toml")]


def write_file(d, name, text):
    """Writes text (or bytes) to d/name; returns the path."""
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)
    return path


SERVER = os.path.join(os.path.dirname(__file__), "..", "Servers", "fake_providers.py")


class FakeProviders:
    """Tests/Servers/fake_providers.py: local stand-ins for Etsy and an OpenAI-compatible API."""

    def __init__(self, base):
        self.base = base

    def control(self, service, **change):
        req = urllib.request.Request(self.base + "/_control", data=json.dumps({service: change}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req).read()

    def state(self, service):
        return json.load(urllib.request.urlopen(self.base + "/_state"))[service]


@pytest.fixture()
def fake():
    p = subprocess.Popen([sys.executable, SERVER, "--port", "0"], stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline().split()[-1])
    yield FakeProviders("http://127.0.0.1:%d" % port)
    p.kill()
    p.wait()
