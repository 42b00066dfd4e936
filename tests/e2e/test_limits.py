"""Bounded: a pull request with a 64 MiB file, a JSON file nested 200,000
deep and 100,000 evidence items gets clear errors from `trustdir check`,
in bounded time and memory: the repository reader refuses a big blob from
its object header, before inflating it, and the JSON scan stops at the
33rd bracket."""

import os
import subprocess
import tempfile
import time

from tdlib import TRUSTDIR, check, check_eq, commit_all, done, make_repo

MiB = 1024 * 1024


def measured(*args):
    """Runs trustdir; returns (exit status, stdout, stderr, seconds, peak RSS
    in MiB) of that one process (os.wait4, so that git's own memory, spent
    earlier, does not count).  Under ASan, without its quarantine, which
    keeps every freed block and so makes the peak the sum of all that was
    ever allocated."""
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = ":".join(o for o in (env.get("ASAN_OPTIONS"),
                                               "quarantine_size_mb=0") if o)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        p = subprocess.Popen([TRUSTDIR] + list(args), stdout=out, stderr=err,
                             env=env)
        _, status, usage = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        secs = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return (p.returncode, out.read().decode(), err.read().decode(), secs,
                usage.ru_maxrss / 1024)


def asan_build():
    """ASan's shadow memory and quarantine add tens of MiB to any run."""
    r = subprocess.run(["ldd", TRUSTDIR], capture_output=True, text=True)
    return "libasan" in r.stdout


repo = make_repo("rich")
rc, so, se, secs, base_rss = measured("check", "--repo", repo)
check_eq(rc, 0, "the rich fixture is valid (%s)" % so)
# Well below the 64 MiB of the big file; ASan's shadow memory and
# quarantine add their own tens of MiB on top of what a small check costs.
limit = base_rss + 40 if asan_build() else 40
print("check of the rich fixture: %.1f MiB peak; limit for the hostile one %.1f MiB"
      % (base_rss, limit))

summary = os.path.join(repo, "vendors/acme-software/summary.md")
with open(summary, "w") as f:
    line = "A hostile summary that goes on and on. " * 25 + "\n"
    for _ in range(64 * MiB // len(line)):
        f.write(line)
    f.write("x" * (64 * MiB - f.tell()))
check_eq(os.path.getsize(summary), 64 * MiB, "a 64 MiB summary.md")

deep = os.path.join(repo, "vendors/acme-software/assessments/2026-03-01-deep.json")
with open(deep, "w") as f:
    f.write("[" * 200000)
ev = os.path.join(repo, "vendors/borealis-cloud/assessments/2026-03-01-many.json")
with open(ev, "w") as f:
    f.write('{"type": "self-attestation", "date": "2026-03-01",\n'
            ' "principles": {"governance": {"status": "meets",\n'
            '  "evidence": [' + ",".join(['{"title":"T","kind":"other"}'] * 50000)
            + "]}}}\n")
many = os.path.join(repo, "vendors/nordlys-chips/assessments/2026-03-01-many.json")
with open(many, "w") as f:
    f.write('{"type": "self-attestation", "date": "2026-03-01",\n'
            ' "principles": {"governance": {"status": "meets",\n'
            '  "evidence": [' + ",".join(["{}"] * 100000) + "]}}}\n")
commit_all(repo, "A hostile pull request", date="2026-07-01T12:00:00Z")

want = [
    "vendors/acme-software/assessments/2026-03-01-deep.json:1:33: "
    "nesting deeper than 32 levels",
    "vendors/acme-software/summary.md: file is 67108864 bytes; a content file "
    "may be at most 1048576 bytes (1 MiB)",
    "vendors/borealis-cloud/assessments/2026-03-01-many.json: file is %d bytes; "
    "a content file may be at most 1048576 bytes (1 MiB)" % os.path.getsize(ev),
    "vendors/nordlys-chips/assessments/2026-03-01-many.json:3:15: \"evidence\" "
    "has 100000 items; the limit is 500 per principle",
    "4 errors",
]
for mode in ([], ["--worktree"]):
    rc, so, se, secs, rss = measured("check", "--repo", repo, *mode)
    what = "check %s" % (" ".join(mode) or "of the commit")
    check_eq(rc, 1, "%s exits 1 (stderr %r)" % (what, se))
    check_eq(so.splitlines(), want, "%s names each limit and file" % what)
    check(secs < 10, "%s takes %.1f s, under 10 s" % (what, secs))
    check(rss < limit, "%s peaks at %.1f MiB, well below the 64 MiB file" % (what, rss))
    print("%s: %.2f s, %.1f MiB peak" % (what, secs, rss))

# build refuses the same content, also within bounds, and writes nothing.
out = os.path.join(tempfile.mkdtemp(prefix="trustdir-test-"), "site")
rc, so, se, secs, rss = measured("build", "--repo", repo, "--out", out)
check_eq(rc, 1, "build of the hostile content exits 1")
check(not os.path.exists(out), "and writes no site")
check(secs < 10 and rss < limit,
      "build: %.1f s, %.1f MiB peak" % (secs, rss))

done("test_limits")
