"""trustdir check on a fixture with one error per file: every error is
reported at once, at the value's line and column, in three formats."""

import json
import os

from tdlib import SOURCE_DIR, check, check_eq, done, make_repo, read, run

repo = make_repo("bad")
golden = read(os.path.join(SOURCE_DIR, "tests", "golden", "check-bad.txt"))

rc, so, se = run("check", "--repo", repo)
check_eq(rc, 1, "check exits 1 when the content has errors")
check_eq(so, golden, "check's text output equals tests/golden/check-bad.txt")
check_eq(so.splitlines()[-1], "15 errors", "every error is collected, not only the first")

rc, so, se = run("check", "--repo", repo, "--format", "github")
check_eq(rc, 1, "--format github exits 1")
lines = so.splitlines()
check_eq(len(lines), 15, "one annotation per error")
check_eq(lines[8], '::error file=vendors/country-name/profile.json,line=3,col=14::'
         '"country": "Germany" is not an ISO 3166-1 alpha-2 code (e.g. "DE")',
         "a GitHub annotation with file, line and column")

rc, so, se = run("check", "--repo", repo, "--format", "json")
check_eq(rc, 1, "--format json exits 1")
doc = json.loads(so)
check_eq(doc["count"], 15, "json count")
check_eq(doc["errors"][8], {"file": "vendors/country-name/profile.json", "line": 3,
                            "column": 14, "message": '"country": "Germany" is not an '
                            'ISO 3166-1 alpha-2 code (e.g. "DE")'}, "a json error")

# A valid repository: exit 0 and a one-line account.
good = make_repo("rich")
rc, so, se = run("check", "--repo", good)
check_eq((rc, so), (0, "ok: 5 vendors, 5 principles, 1 pages\n"), "check of valid content")
rc, so, se = run("check", "--repo", good, "--format", "json")
check_eq((rc, json.loads(so)), (0, {"errors": [], "count": 0, "omitted": 0}),
         "json of valid content")

# Usage errors exit 2.
for args in (["check", "--format", "xml"], ["check", "--ref", "HEAD", "--worktree"],
             ["frobnicate"], ["check", "--bogus"], ["build", "--base-url", "ftp://x"]):
    rc, so, se = run(*args, "--repo", good) if args[0] != "frobnicate" else run(*args)
    check_eq(rc, 2, "usage error for %s" % args)
    check(se.startswith("trustdir: "), "usage error says what is wrong: %r" % se)

# A directory that is not a repository exits 3.
rc, so, se = run("check", "--repo", "/")
check_eq(rc, 3, "not a repository: exit 3")
check("cannot open the repository at /" in se, "and says so: %r" % se)

done("test_check")
