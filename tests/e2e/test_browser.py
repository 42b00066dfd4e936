"""The site in a real browser: builds the `rich` fixture, serves it on
127.0.0.1 and runs tests/browser/run.mjs, which drives Debian's Chromium
with playwright-core (filtering, search, compare, JavaScript off, axe-core
on every kind of page) and writes screenshots to
$TRUSTDIR_BINARY_DIR/screenshots/ for a person to look at.

`scripts/install-deps --test` installs chromium and the npm packages
pinned in tests/browser/package-lock.json."""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading

from tdlib import SOURCE_DIR, check, check_eq, done, make_repo, run, tempdir

BROWSER_DIR = os.path.join(SOURCE_DIR, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = os.path.join(os.environ.get("TRUSTDIR_BINARY_DIR") or tempdir(), "screenshots")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def missing():
    if shutil.which("node") is None:
        return "node is not on the PATH"
    if not os.access(CHROMIUM, os.X_OK):
        return "%s is missing (Debian's chromium package)" % CHROMIUM
    for pkg in ("playwright-core", "axe-core"):
        if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", pkg)):
            return "tests/browser/node_modules/%s is missing" % pkg
    return None


why = missing()
if why:
    check(False, "the browser tests cannot run: %s; install what they need with "
          "`scripts/install-deps --test`" % why)
    done("test_browser")

repo = make_repo("rich")
out = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build of the rich fixture exits 0 (stderr: %s)" % se)

server = http.server.ThreadingHTTPServer(
    ("127.0.0.1", 0), functools.partial(QuietHandler, directory=out))
threading.Thread(target=server.serve_forever, daemon=True).start()
base = "http://127.0.0.1:%d/" % server.server_address[1]

try:
    r = subprocess.run(["node", os.path.join(BROWSER_DIR, "run.mjs"), base, SHOTS],
                       cwd=BROWSER_DIR, capture_output=True, text=True, timeout=540)
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    check_eq(r.returncode, 0, "the browser tests pass (tests/browser/run.mjs)")
except subprocess.TimeoutExpired as e:
    sys.stdout.write(e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or ""))
    check(False, "the browser tests finish within 540 s")
finally:
    server.shutdown()

print("screenshots: %s" % SHOTS, file=sys.stderr)
done("test_browser")
