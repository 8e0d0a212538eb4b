"""PODPusher installed like a tool: `make install` into a prefix and used from there, `make
uninstall`, `make deb` installed with dpkg, and the binary copied alone into an empty folder."""
import glob
import os
import shutil
import subprocess
import tempfile

from conftest import BIN, Term

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def make(*args):
    r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, *args, "CONFIG=debug"], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def ui_starts_in_english(binary, data):
    """The dashboard, in English with the default theme, from `binary` (no config, no
    language in the environment); then q."""
    t = Term()
    try:
        t.tmux("-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "env", "-i", "TERM=xterm-256color",
               "PODPUSHER_DATA_DIR=" + data, "PODPUSHER_CONFIG=" + os.path.join(t.tmp, "none.toml"), "HOME=" + t.tmp, binary)
        t.wait_for("Trending")
        assert "Dashboard" in t.screen()
        t.keys("q")
    finally:
        t.close()


def test_make_install_then_everything_runs_from_the_prefix_and_uninstall_removes_it():
    prefix = tempfile.mkdtemp(prefix="podpusher-prefix-")
    make("install", "PREFIX=" + prefix)
    binary = os.path.join(prefix, "bin", "podpusher")
    for f in ["share/podpusher/Locales/de.json", "share/podpusher/Themes/light.toml", "share/man/man1/podpusher.1",
              "share/bash-completion/completions/podpusher", "share/zsh/site-functions/_podpusher",
              "share/fish/vendor_completions.d/podpusher.fish"]:
        assert os.path.getsize(os.path.join(prefix, f)) > 0, f
    assert "complete" in open(os.path.join(prefix, "share/bash-completion/completions/podpusher")).read()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("podpusher ") and "commit" in version.stdout
    data = os.path.join(prefix, "data")
    assert subprocess.run([binary, "demo", "--data-dir", data, "--signals", "3000", "--listings", "20"], capture_output=True).returncode == 0
    status = subprocess.run([binary, "status", "--data-dir", data], capture_output=True, text=True)
    assert status.returncode == 0 and "etsy" in status.stdout
    ui_starts_in_english(binary, data)
    make("uninstall", "PREFIX=" + prefix)
    left = [p for p in glob.glob(prefix + "/**", recursive=True) if os.path.isfile(p) and "/data/" not in p]
    assert left == [], left


def test_a_binary_copied_alone_into_an_empty_folder_starts():
    folder = tempfile.mkdtemp(prefix="podpusher-alone-")
    binary = os.path.join(folder, "podpusher")
    shutil.copy(BIN, binary)
    data = os.path.join(folder, "data")
    r = subprocess.run([binary, "demo", "--data-dir", data, "--signals", "3000", "--listings", "20"], capture_output=True, text=True,
                       cwd=folder)
    assert r.returncode == 0, r.stderr
    ui_starts_in_english(binary, data)
    de = subprocess.run([binary, "status", "--data-dir", data, "--json"], capture_output=True, text=True, cwd=folder)
    assert de.returncode == 0


def test_make_deb_builds_a_package_dpkg_installs():
    make("deb")
    debs = glob.glob(os.path.join(ROOT, "podpusher_*.deb"))
    assert len(debs) == 1, debs
    info = subprocess.run(["dpkg-deb", "--info", debs[0]], capture_output=True, text=True).stdout
    for dep in ("libncursesw6", "libsqlite3-0", "libc6", "libcurl4", "libxml2"):
        assert dep in info, info
    root = tempfile.mkdtemp(prefix="podpusher-dpkg-")
    os.makedirs(os.path.join(root, "var/lib/dpkg/info"))
    os.makedirs(os.path.join(root, "var/lib/dpkg/updates"))
    open(os.path.join(root, "var/lib/dpkg/status"), "w").close()
    r = subprocess.run(["dpkg", "--root=" + root, "--force-depends", "--force-not-root", "-i", debs[0]], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    version = subprocess.run([os.path.join(root, "usr/bin/podpusher"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("podpusher ")
    assert os.path.exists(os.path.join(root, "usr/share/podpusher/Locales/en.json"))
