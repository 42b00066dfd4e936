"""The history cache: a build keeps the history it walked beside --out,
and the next build walks only the newer commits.  The site must be
byte-identical to a clean build of the same commit; a corrupt,
truncated, foreign or unrelated cache is ignored, never trusted."""

import os
import re
import shutil
import struct
import zlib

from tdlib import (check, check_eq, commit_all, done, git, make_repo, run, tempdir,
                   tree_bytes, update_json)

work = tempdir()
repo = make_repo("rich", dest=os.path.join(work, "repo"), message="Add the directory")


def edit_profile(slug, **fields):
    update_json(os.path.join(repo, "vendors", slug, "profile.json"), **fields)


def build(out, *extra):
    rc, stdout, err = run("build", "--repo", repo, "--out", out, *extra)
    check_eq(rc, 0, "build %s exit status (%s)" % (out, err.strip()))
    check("warning" not in err, "no warning building %s (%s)" % (out, err.strip()))
    return stdout


def clean_build(name):
    """A build with a cache directory of its own, empty."""
    out = os.path.join(work, name)
    build(out, "--cache", os.path.join(work, name + "-cache"))
    return tree_bytes(out)


site = os.path.join(work, "site")
cache = os.path.join(work, ".trustdir-cache", "site.history")

# 1. The first build writes the cache beside --out.
build(site)
check(os.path.isfile(cache), "the history is kept in .trustdir-cache beside --out")
with open(cache, "rb") as f:
    first = f.read()
check(first.startswith(b"trustdir-history 2\n"), "the cache names its format")
program = first.split(b"\n")[1]
tip = first.split(b"\n")[2].decode()
check_eq(tip, git(repo, "rev-parse", "HEAD"), "the cache names the commit it ends at")

# 2. A commit that changes one vendor: the rebuild walks one commit and
#    writes the same site as a clean build.
edit_profile("acme-software", country="AT")
commit_all(repo, "Move ACME to Austria", date="2026-06-02T09:00:00Z")
build(site)
check(tree_bytes(site) == clean_build("clean2"), "rebuild with the cache equals a clean build")
with open(cache, "rb") as f:
    check_eq(f.read().split(b"\n")[2].decode(), git(repo, "rev-parse", "HEAD"),
             "the cache moved to the new commit")
history = open(os.path.join(site, "vendors", "acme-software", "history", "index.html"),
               encoding="utf-8").read()
check("Move ACME to Austria" in history and "Add the directory" in history,
      "the vendor's history holds the new commit and the cached one")


def with_sum(data):
    """data with its trailing CRC-32 recomputed, as the program writes it."""
    body = data[:-4]
    return body + struct.pack("<I", zlib.crc32(body))


def rebuild_with(cache_bytes, what, want_used=False):
    """Writes cache_bytes as the cache, adds a commit and rebuilds; the
    site must equal a clean build unless the cache is meant to be used."""
    with open(cache, "wb") as f:
        f.write(cache_bytes)
    edit_profile("borealis-cloud", legal_name="Borealis %s" % what)
    commit_all(repo, "Rename Borealis (%s)" % what, date="2026-06-03T09:00:00Z")
    build(site)
    same = tree_bytes(site) == clean_build("clean-" + what)
    check(same != want_used, "%s cache %s" % (what, "used" if want_used else "ignored"))


with open(cache, "rb") as f:
    good = f.read()

# 3. Corrupt, truncated, foreign and unrelated caches are ignored.
flipped = bytearray(good)
flipped[len(good) // 2] ^= 0x20
rebuild_with(bytes(flipped), "corrupt")
with open(cache, "rb") as f:
    good = f.read()
rebuild_with(good[: len(good) // 2], "truncated")
with open(cache, "rb") as f:
    good = f.read()
rebuild_with(with_sum(good.replace(program, b"0" * 40, 1)), "foreign")
with open(cache, "rb") as f:
    good = f.read()
other = git(repo, "commit-tree", "-m", "unrelated", git(repo, "rev-parse", "HEAD^{tree}"))
rebuild_with(with_sum(good.replace(good.split(b"\n")[2], other.encode(), 1)), "unrelated")
rebuild_with(b"", "empty")
rebuild_with(os.urandom(4096), "random")

# 4. A valid cache is trusted: a subject changed in it (same length,
#    checksum recomputed) shows on the site, which proves the build read
#    the cached history instead of walking it again.
with open(cache, "rb") as f:
    good = f.read()
check(b"Move ACME to Austria" in good, "the cache holds the subjects")
rebuild_with(with_sum(good.replace(b"Move ACME to Austria", b"Move ACME to Belgium", 1)),
             "edited", want_used=True)
history = open(os.path.join(site, "vendors", "acme-software", "history", "index.html"),
               encoding="utf-8").read()
check("Move ACME to Belgium" in history, "the cached subject is what the page shows")

# 5. Files whose bytes did not change are linked from the site being
#    replaced (same inode, same time stamp); changed ones are new; a file
#    edited by hand there, or a symbolic link planted there, is not reused.
def ino(rel):
    return os.stat(os.path.join(site, rel)).st_ino


os.unlink(cache)  # the edited history of step 4 goes
edit_profile("borealis-cloud", legal_name="Borealis Cloud Oy")
commit_all(repo, "Rename Borealis back", date="2026-06-03T12:00:00Z")
build(site)


feed = "vendors/nordlys-chips/history.atom"
profile = "vendors/nordlys-chips/index.html"
before = {rel: ino(rel) for rel in (feed, profile, "index.html")}
edited = "vendors/sample-ai/history.atom"
with open(os.path.join(site, edited), "r+b") as f:
    data = f.read()
    f.seek(0)
    f.write(data.replace(b"<feed", b"<FEED", 1))
secret = os.path.join(work, "secret.atom")
shutil.copy(os.path.join(site, "vendors/example-networks/history.atom"), secret)
os.rename(os.path.join(site, "vendors/example-networks"), os.path.join(work, "moved"))
os.symlink(os.path.join(work, "moved"), os.path.join(site, "vendors/example-networks"))
edit_profile("acme-software", country="DE")
commit_all(repo, "Move ACME back", date="2026-06-04T09:00:00Z")
out = build(site)
check_eq(ino(feed), before[feed], "an unchanged feed is the same file as before")
check(ino(profile) != before[profile], "a changed profile is a new file")
with open(os.path.join(site, edited), "rb") as f:
    check(b"<FEED" not in f.read(), "a file edited by hand in the old site is written anew")
check(not os.path.islink(os.path.join(site, "vendors/example-networks")),
      "the site has a directory where the old one had a symbolic link")
check(os.stat(os.path.join(site, "vendors/example-networks/history.atom")).st_ino
      != os.stat(secret).st_ino and os.stat(os.path.join(work, "moved", "history.atom")).st_ino
      != ino("vendors/example-networks/history.atom"),
      "nothing is linked through a symbolic link of the old site")
check(re.search(r"\(\d+ of \d+ files unchanged\)\n$", out) is not None,
      "the summary counts the unchanged files: %r" % out)
check(tree_bytes(site) == clean_build("clean-kept"), "and the site equals a clean build")

# 6. --cache DIR puts it elsewhere.
elsewhere = os.path.join(work, "elsewhere")
build(os.path.join(work, "site2"), "--cache", elsewhere)
check(os.path.isfile(os.path.join(elsewhere, "site2.history")), "--cache DIR holds <out>.history")

# 7. A cache that cannot be written (a directory stands where the file
#    goes; root ignores permissions) is a warning, not a failed build: the
#    history is written on a thread of its own while the pages render.
blocked = os.path.join(work, "blocked")
os.makedirs(os.path.join(blocked, "site3.history"))
rc, _, err = run("build", "--repo", repo, "--out", os.path.join(work, "site3"),
                 "--cache", blocked)
check_eq(rc, 0, "a build whose cache cannot be written still succeeds (%s)" % err.strip())
check("warning: history cache not kept" in err and "site3.history" in err,
      "and says the cache was not kept: %r" % err)
check(tree_bytes(os.path.join(work, "site3")) == clean_build("clean-blocked"),
      "and writes the whole site")

shutil.rmtree(work)
done("test_cache")
