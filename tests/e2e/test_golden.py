"""The pages of the `rich` fixture, byte for byte, against tests/golden/rich/.

Any change to what trustdir writes for these pages (templates, SCSS — the
stylesheet's name carries its content hash —, builder output) shows up
here as a diff. When the change is intended, regenerate the golden files
and review them before committing:

    TRUSTDIR_UPDATE_GOLDEN=1 python3 tests/e2e/test_golden.py build/trustdir
    git diff tests/golden/rich/

The fixture is committed at a pinned date (2026-06-01T12:00:00Z) with a
fixed identity (tdlib), so the commit id, "now", and therefore the expired
and stale marks, repeat on every run.
"""

import difflib
import os

from tdlib import SOURCE_DIR, check, check_eq, done, make_repo, run, tempdir

GOLDEN = os.path.join(SOURCE_DIR, "tests", "golden", "rich")
FILES = [
    "index.html",
    "vendors/example-networks/index.html",
    "vendors/borealis-cloud/index.html",
    "vendors/sample-ai/index.html",
    "principles/governance/index.html",
    "filter/country-se/index.html",
    "about/index.html",
    "404.html",
    "sitemap.xml",
    "robots.txt",
]
MAX_DIFFS = 2          # files whose diff is printed in full
MAX_DIFF_LINES = 120   # lines of each printed diff

repo = make_repo("rich", date="2026-06-01T12:00:00Z")
out = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build of the rich fixture exits 0 (stderr: %s)" % se)


def load(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


if os.environ.get("TRUSTDIR_UPDATE_GOLDEN") == "1":
    for name in FILES:
        got = load(os.path.join(out, name))
        check(got is not None, "the build wrote %s" % name)
        if got is None:
            continue
        dest = os.path.join(GOLDEN, name)
        if load(dest) != got:
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(got)
            print("updated tests/golden/rich/%s" % name)
    done("test_golden (update)")

differing = []
for name in FILES:
    want = load(os.path.join(GOLDEN, name))
    got = load(os.path.join(out, name))
    if want is None:
        check(False, "tests/golden/rich/%s is missing; generate it with "
              "TRUSTDIR_UPDATE_GOLDEN=1 (see the top of this test)" % name)
    elif got is None:
        check(False, "the build wrote no %s" % name)
    elif got != want:
        differing.append(name)
        check(False, "%s differs from tests/golden/rich/%s" % (name, name))

for name in differing[:MAX_DIFFS]:
    want = load(os.path.join(GOLDEN, name)).decode("utf-8", "replace").splitlines(True)
    got = load(os.path.join(out, name)).decode("utf-8", "replace").splitlines(True)
    diff = list(difflib.unified_diff(want, got, "golden/rich/" + name, "built/" + name, n=2))
    if not diff:          # same lines, other bytes: line endings or a final newline
        diff = ["(the files differ only in line endings or the final newline)\n"]
    print("".join(diff[:MAX_DIFF_LINES]), end="")
    if len(diff) > MAX_DIFF_LINES:
        print("... %d more diff lines" % (len(diff) - MAX_DIFF_LINES))
if differing:
    print("%d of %d files differ. If the change is intended: TRUSTDIR_UPDATE_GOLDEN=1 "
          "python3 tests/e2e/test_golden.py build/trustdir" % (len(differing), len(FILES)))

done("test_golden")
