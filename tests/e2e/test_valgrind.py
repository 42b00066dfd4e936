"""The end-to-end build of the fixtures is clean under valgrind memcheck: no
invalid read or write, no use of uninitialised memory, no leak.

ctest runs every end-to-end test with both builds; the ASan build cannot
run under valgrind (both replace malloc), and ASan already checks it, with
its leak checker, in every other test.  So this test runs valgrind on the
Release build and says so for the ASan one."""

import os
import subprocess
import sys

from tdlib import (TRUSTDIR, check, check_eq, commit_all, done, make_repo, tempdir,
                   update_json)


def asan_build():
    if os.environ.get("TRUSTDIR_BINARY_DIR", "").rstrip("/").endswith("build-asan"):
        return True
    r = subprocess.run(["ldd", TRUSTDIR], capture_output=True, text=True)
    return "libasan" in r.stdout or "libubsan" in r.stdout


if asan_build():
    print("valgrind: covered by the Release build")
    sys.exit(0)

# The Release build links mimalloc (CMakeLists.txt), which also defines
# C++'s operator delete as its free under another name: memcheck, which
# still replaces every allocation function, would call libsass's deletes
# mismatched.  trustdir is C and never mixes the two.
VALGRIND = ["valgrind", "--error-exitcode=99", "--leak-check=full", "--show-mismatched-frees=no",
            "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
            "--track-origins=yes", "--child-silent-after-fork=yes", "-q"]


def memcheck(what, want_rc, *args):
    r = subprocess.run(VALGRIND + [TRUSTDIR] + list(args), capture_output=True, text=True)
    report = [line for line in r.stderr.splitlines() if line.startswith("==")]
    check_eq(r.returncode, want_rc, "%s under valgrind exits %d (99: valgrind found "
             "errors)\n%s" % (what, want_rc, "\n".join(report[:60])))
    check(not report, "valgrind reports nothing for %s" % what)
    return r


rich = make_repo("rich")
out = os.path.join(tempdir(), "site")
memcheck("build of the rich fixture", 0, "build", "--repo", rich, "--out", out)
check(os.path.isfile(os.path.join(out, "index.html")), "and the site is there")
# A second build over the first: the path that finds the site up to date.
memcheck("a rebuild over the previous site", 0, "build", "--repo", rich, "--out", out)
# A new commit: the build reads the history it kept and walks one commit.
update_json(os.path.join(rich, "vendors", "acme-software", "profile.json"), country="AT")
commit_all(rich, "Move ACME to Austria", date="2026-06-02T09:00:00Z")
memcheck("a rebuild with the history cache", 0, "build", "--repo", rich, "--out", out)
# The walk in parts: two child processes besides this one.
memcheck("a log in three parts", 0, "log", "--repo", rich)
os.environ["TRUSTDIR_THREADS"] = "3"
memcheck("a build on three threads, the walk in three parts", 0, "build", "--repo", rich,
         "--out", os.path.join(tempdir(), "site"))
del os.environ["TRUSTDIR_THREADS"]
memcheck("check --worktree of the rich fixture", 0, "check", "--repo", rich, "--worktree")

bad = make_repo("bad")
r = memcheck("check of the bad fixture", 1, "check", "--repo", bad)
check("errors" in r.stdout, "check of the bad fixture prints its errors")
memcheck("check --format json of the bad fixture", 1, "check", "--repo", bad,
         "--format", "json")
memcheck("a failed build of the bad fixture", 1, "build", "--repo", bad, "--out",
         os.path.join(tempdir(), "site"))

done("test_valgrind")
