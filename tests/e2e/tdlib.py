"""Shared helpers of the end-to-end tests: fixture repositories with a
known history, and runs of the real trustdir binary."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SOURCE_DIR = os.environ.get("TRUSTDIR_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__)))))
FIXTURES = os.path.join(SOURCE_DIR, "tests", "fixtures")
TRUSTDIR = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(
    SOURCE_DIR, "build", "trustdir")

# Commits get fixed identities and dates, so that ids and output repeat.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Ada Example", "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Example", "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}

failures = []


def debian_module(name):
    """Imports a module from Debian's python3-* packages, also when the
    interpreter running the tests is another Python (pyenv, venv)."""
    import importlib
    try:
        return importlib.import_module(name)
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        return importlib.import_module(name)


def check(cond, what):
    """Records a failed assertion and goes on, so one run shows them all."""
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def check_eq(got, want, what):
    if got != want:
        failures.append(what)
        print("FAIL: %s\n  expected: %r\n  got:      %r" % (what, want, got),
              file=sys.stderr)


def done(name):
    print("%s: %d failures" % (name, len(failures)), file=sys.stderr)
    sys.exit(1 if failures else 0)


def git(repo, *args, date="2026-06-01T12:00:00Z", check_rc=True):
    env = dict(os.environ, **GIT_ENV, GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    r = subprocess.run(["git", "-C", repo] + list(args), env=env,
                       capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise RuntimeError("git %s: %s" % (" ".join(args), r.stderr))
    return r.stdout.strip()


def tempdir(prefix="trustdir-test-"):
    d = tempfile.mkdtemp(prefix=prefix)
    return d


def make_repo(fixture, dest=None, date="2026-06-01T12:00:00Z", message="Add the directory"):
    """A new git repository holding the fixture's content/ and vendors/,
    committed once at the given date."""
    dest = dest or os.path.join(tempdir(), "repo")
    os.makedirs(dest, exist_ok=True)
    git(dest, "init", "-q", "-b", "main")
    src = fixture if os.path.isabs(fixture) else os.path.join(FIXTURES, fixture)
    for root in ("content", "vendors"):
        if os.path.isdir(os.path.join(src, root)):
            shutil.copytree(os.path.join(src, root), os.path.join(dest, root))
    commit_all(dest, message, date)
    return dest


def commit_all(repo, message, date="2026-06-01T12:00:00Z"):
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD")


def run(*args, cwd=None, env=None):
    """Runs trustdir; returns (exit status, stdout, stderr)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    r = subprocess.run([TRUSTDIR] + list(args), cwd=cwd, env=e,
                       capture_output=True, text=True)
    return r.returncode, r.stdout, r.stderr


def update_json(path, **fields):
    """Sets fields of the JSON object in path, written as the fixtures are."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    data.update(fields)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def tree_bytes(root):
    """Every file under root with its bytes, for byte-for-byte comparison."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = fh.read()
    return out
