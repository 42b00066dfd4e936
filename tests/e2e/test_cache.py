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
#    writes the same site as a clean build.  The cache is not rewritten
#    for one commit (it lags by at most 64: main.c, CACHE_LAG); once the
#    walk adds more than 64, it moves to the new commit.
def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def cache_tip():
    with open(cache, "rb") as f:
        return f.read().split(b"\n")[2].decode()


models = os.path.join(work, ".trustdir-cache", "site.model")
frags = os.path.join(work, ".trustdir-cache", "site.frags")
models_before = read_bytes(models)
edit_profile("acme-software", country="AT")
commit_all(repo, "Move ACME to Austria", date="2026-06-02T09:00:00Z")
build(site)
check(read_bytes(models) == models_before,
      "the vendors' cache is not rewritten for one vendor's file")
check(tree_bytes(site) == clean_build("clean2"), "rebuild with the cache equals a clean build")
check_eq(cache_tip(), tip, "a cache one commit behind is kept as it is")
history = open(os.path.join(site, "vendors", "acme-software", "history", "index.html"),
               encoding="utf-8").read()
check("Move ACME to Austria" in history and "Add the directory" in history,
      "the vendor's history holds the new commit and the cached one")
for i in range(63):
    commit_all(repo, "Review %d" % i, date="2026-06-02T10:00:00Z")
build(site)
check_eq(cache_tip(), tip, "a cache 64 commits behind is kept as it is")
commit_all(repo, "Review 63", date="2026-06-02T10:00:00Z")
build(site)
check_eq(cache_tip(), git(repo, "rev-parse", "HEAD"),
         "a cache 65 commits behind moves to the new commit")
check(tree_bytes(site) == clean_build("clean2b"), "that rebuild equals a clean build")


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
# Without the members' table (step 8), so that ACME's history page is
# rendered from the history, not linked from the site the edit
# precedes.
os.unlink(os.path.join(work, ".trustdir-cache", "site.pages"))
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
same_profile = "vendors/nordlys-chips/index.html"
profile = "vendors/acme-software/index.html"
before = {rel: ino(rel) for rel in (feed, profile, same_profile, "index.html")}
edited = "vendors/sample-ai/history.atom"
with open(os.path.join(site, edited), "r+b") as f:
    data = f.read()
    f.seek(0)
    f.write(data.replace(b"<feed", b"<FEED", 1))
# Without the spare (step 5b), so that the files come from the old site.
spare = os.path.join(work, ".trustdir-cache", "site.site")
check(os.path.isfile(os.path.join(spare, ".trustdir-site")),
      "the site a rebuild replaced is kept as the spare")
shutil.rmtree(spare)
secret = os.path.join(work, "secret.atom")
shutil.copy(os.path.join(site, "vendors/example-networks/history.atom"), secret)
os.rename(os.path.join(site, "vendors/example-networks"), os.path.join(work, "moved"))
os.symlink(os.path.join(work, "moved"), os.path.join(site, "vendors/example-networks"))
edit_profile("acme-software", country="DE")
commit_all(repo, "Move ACME back", date="2026-06-04T09:00:00Z")
out = build(site)
check_eq(ino(feed), before[feed], "an unchanged feed is the same file as before")
check(ino(profile) != before[profile], "a changed profile is a new file")
check_eq(ino(same_profile), before[same_profile],
         "the profile of a member the commit did not touch is the same file")
check(ino("index.html") != before["index.html"], "the directory, which lists the change, is new")
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

# 5b. The spare, .trustdir-cache/<out>.site: the site the last rebuild
#     replaced, which the next one starts from instead of an empty tree.
#     What was planted there (a file, a symbolic link where a file goes,
#     one where a member's directory goes) is not in the new site, nothing
#     is written through a link, and the site equals a clean build.
check(os.path.isfile(os.path.join(spare, ".trustdir-site")),
      "the spare is there again")
outside = os.path.join(work, "outside")
os.makedirs(outside)
with open(os.path.join(outside, "index.html"), "w") as f:
    f.write("not the site's")
with open(os.path.join(spare, "planted.html"), "w") as f:
    f.write("planted")
os.unlink(os.path.join(spare, "vendors/acme-software/history.atom"))
os.symlink(os.path.join(outside, "index.html"),
           os.path.join(spare, "vendors/acme-software/history.atom"))
shutil.rmtree(os.path.join(spare, "vendors/nordlys-chips"))
os.symlink(outside, os.path.join(spare, "vendors/nordlys-chips"))
edit_profile("acme-software", country="FR")
commit_all(repo, "Move ACME to France", date="2026-06-04T10:00:00Z")
build(site)
check(not os.path.exists(os.path.join(site, "planted.html")), "a file planted in the spare is not kept")
check(not os.path.islink(os.path.join(site, "vendors/nordlys-chips")) and
      not os.path.islink(os.path.join(site, "vendors/acme-software/history.atom")),
      "the site has files and directories where the spare had links")
check(os.listdir(outside) == ["index.html"] and
      open(os.path.join(outside, "index.html")).read() == "not the site's",
      "nothing was written through the spare's links")
check(tree_bytes(site) == clean_build("clean-spare"), "and the site equals a clean build")

# 5c. A page of a principle or of a facet is made from the members it
#     lists: a change to one member that moves it between no facets (its
#     name, which the pages show) makes the pages listing it again and
#     links the others from the old site without rendering them (without
#     the spare, so that the files come from the old site).  Proof: a byte
#     changed by hand in such a page, its size and time stamp put back,
#     survives the rebuild.
facet_without = "filter/country-se/index.html"
facet_with = "filter/country-fr/index.html"
principle = "principles/governance/index.html"


def forge_title(rel, old, new):
    path = os.path.join(site, rel)
    st = os.stat(path)
    with open(path, "r+b") as f:
        data = f.read()
        f.seek(0)
        f.write(data.replace(old, new, 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


shutil.rmtree(spare)
before = {rel: ino(rel) for rel in (facet_without, facet_with, principle)}
forge_title(facet_without, b"<title>", b"<TITLE>")
edit_profile("acme-software", name="ACME Software Group")
commit_all(repo, "Rename ACME", date="2026-06-04T11:00:00Z")
build(site)
with open(os.path.join(site, facet_without), "rb") as f:
    kept = f.read()
check(b"<TITLE>" in kept and ino(facet_without) == before[facet_without],
      "a facet page that does not list the changed member is linked, not rendered")
check(b"Built from commit" not in kept, "a facet page does not name the commit")
check(ino(facet_with) != before[facet_with], "a facet page that lists it is new")
check(ino(principle) != before[principle], "so is the principle page that lists it")
forge_title(facet_without, b"<TITLE>", b"<title>")
check(tree_bytes(site) == clean_build("clean-listing"), "and the site equals a clean build")

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

# 8. The members' table, .trustdir-cache/<out>.pages: a member whose
#    files, history and dates are what they were at the last build has
#    its own files linked from the site being replaced, neither rendered
#    nor read.  Proof: a byte changed by hand in such a file, with its
#    size and time stamp put back, survives the rebuild.  A corrupt,
#    truncated, foreign or missing table is ignored: the page is then
#    rendered and compared, and the site equals a clean build.
table = os.path.join(work, ".trustdir-cache", "site.pages")
check(os.path.isfile(table), "the members' table is kept beside the history")
with open(table, "rb") as f:
    check(f.read().startswith(b"trustdir-pages 2\n"), "the table names its format")
forged_rel = "vendors/nordlys-chips/index.html"
table_round = [0]


def forge_and_rebuild(table_bytes, what):
    """Puts table_bytes (None: leaves the table) in place, changes a byte
    of an unchanged member's page keeping its stamp, commits a change to
    another member and rebuilds; True if the changed byte survived."""
    if table_bytes is not None:
        with open(table, "wb") as f:
            f.write(table_bytes)
    path = os.path.join(site, forged_rel)
    st = os.stat(path)
    with open(path, "r+b") as f:
        data = f.read()
        f.seek(0)
        f.write(data.replace(b"<title>", b"<TITLE>", 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    table_round[0] += 1
    edit_profile("acme-software", legal_name="ACME %s" % what)
    commit_all(repo, "ACME's legal name (%s)" % what,
               date="2026-06-05T%02d:00:00Z" % table_round[0])
    build(site)
    with open(path, "rb") as f:
        return b"<TITLE>" in f.read()


check(forge_and_rebuild(None, "kept"),
      "an unchanged member's page is linked from the old site without being read")
with open(table, "rb") as f:
    good = f.read()
flipped = bytearray(good)
flipped[len(good) // 2] ^= 0x01
check(not forge_and_rebuild(bytes(flipped), "corrupt"), "a corrupt table is ignored")
check(tree_bytes(site) == clean_build("clean-table-corrupt"), "and the site equals a clean build")
for what, bad in (("truncated", lambda g: g[: len(g) // 2]),
                  ("foreign", lambda g: with_sum(g.replace(program, b"0" * 40, 1))),
                  ("empty", lambda g: b"")):
    with open(table, "rb") as f:
        good = f.read()
    check(not forge_and_rebuild(bad(good), what), "a %s table is ignored" % what)
    check(tree_bytes(site) == clean_build("clean-table-" + what),
          "and the site equals a clean build (%s)" % what)
# A table of another site: its own site's fingerprint does not match.
with open(table, "rb") as f:
    good = f.read()
fp_line = good.split(b"\n")[2]
check(not forge_and_rebuild(with_sum(good.replace(fp_line, b"f" * len(fp_line), 1)), "other-site"),
      "a table written for another site is ignored")
check(tree_bytes(site) == clean_build("clean-table-other"), "and the site equals a clean build")

# 9. The date counts: a commit years later, to one member, makes the
#    others' assessments expire and their evidence stale, so their pages
#    change although their files did not, and the site still equals a
#    clean build.
unexpired = open(os.path.join(site, "vendors/example-networks/index.html"), encoding="utf-8").read()
edit_profile("acme-software", legal_name="ACME Later")
commit_all(repo, "ACME, years later", date="2031-01-01T00:00:00Z")
build(site)
later = open(os.path.join(site, "vendors/example-networks/index.html"), encoding="utf-8").read()
check(later.count("(expired)") > unexpired.count("(expired)") and
      later.count("badge--stale") > unexpired.count("badge--stale"),
      "an untouched member's assessment is shown expired, and its evidence stale, "
      "at the later commit")
check(tree_bytes(site) == clean_build("clean-later"), "and the site equals a clean build")

# 10. The vendors' cache, .trustdir-cache/<out>.model: a vendor whose
#     files have the blob ids it names is copied from it, neither read
#     nor parsed.  Proof: a name changed in it (same length, checksum
#     recomputed) shows in the directory, which is rendered anew when
#     the rows kept with the members' parts (12.) are gone.  A
#     corrupt, truncated, foreign cache, or one read with another
#     content/site.json, is ignored: the name does not show, and the
#     site equals a clean build.
models = os.path.join(work, ".trustdir-cache", "site.model")
check(os.path.isfile(models), "the vendors' cache is kept beside the history")
with open(models, "rb") as f:
    check(f.read().startswith(b"trustdir-model 2\n"), "the cache names its format")
forge_round = [0]


def rebuild_forged(path, old, new, mangle, what, shown_in, count=1, drop=None):
    """Replaces old (Nordlys's name) with new in the cache at path (count
    times), mangles it, removes the cache drop if given, commits a change
    to ACME and rebuilds; True if the name from the cache shows in the
    file shown_in of the site."""
    with open(path, "rb") as f:
        good = f.read()
    check(good.count(old) == count, "%s holds the vendor's name (%s)" % (path, what))
    forged = with_sum(good.replace(old, new))
    with open(path, "wb") as f:
        f.write(mangle(forged))
    if drop and os.path.exists(drop):
        os.unlink(drop)
    forge_round[0] += 1
    edit_profile("acme-software", legal_name="ACME %s %d" % (what, forge_round[0]))
    commit_all(repo, "ACME (%s)" % what, date="2031-02-%02dT12:00:00Z" % forge_round[0])
    build(site)
    with open(os.path.join(site, shown_in), encoding="utf-8") as f:
        return "Nordlyz Chips" in f.read()


def without_forged(path, what, also=None):
    """Removes the forged cache at path (and also, made from it); the next
    build equals a clean one."""
    os.unlink(path)
    if also and os.path.exists(also):
        os.unlink(also)
    forge_round[0] += 1
    edit_profile("acme-software", legal_name="ACME again %d" % forge_round[0])
    commit_all(repo, "ACME again", date="2031-02-%02dT12:00:00Z" % forge_round[0])
    build(site)
    check(tree_bytes(site) == clean_build("clean-" + what),
          "without the cache, the site equals a clean build (%s)" % what)


def rebuild_models(mangle, what):
    # The name as a string of the file: its u32 length, the bytes, a NUL.
    return rebuild_forged(models, struct.pack("<I", 13) + b"Nordlys Chips\0",
                          struct.pack("<I", 13) + b"Nordlyz Chips\0", mangle, what,
                          "index.html", drop=frags)


check(rebuild_models(lambda b: b, "used"), "a valid cache is used: the vendor is not parsed again")
without_forged(models, "models", also=frags)  # its rows were made from it


def flip(b):
    b = bytearray(b)
    b[len(b) // 2] ^= 0x01
    return bytes(b)


def other_site(b):
    line = b.split(b"\n")[2]
    return with_sum(b.replace(line, b"0" * len(line), 1))


for what, mangle in (("corrupt", flip), ("truncated", lambda b: b[: len(b) // 2]),
                     ("foreign", lambda b: with_sum(b.replace(program, b"0" * 40, 1))),
                     ("other-site-json", other_site)):
    check(not rebuild_models(mangle, what), "a %s vendors' cache is ignored" % what)
    check(tree_bytes(site) == clean_build("clean-models-" + what),
          "and the site equals a clean build (%s)" % what)

# 11. Whatever the theme asks for, a member's own page cannot name the
#     commit the site is built from (it is linked from the last build
#     while the member does not change): site.commit is absent there.
theme = os.path.join(work, "theme-asks")
os.makedirs(os.path.join(theme, "templates"))
with open(os.path.join(theme, "templates", "vendor.mustache"), "w") as f:
    f.write("[{{site.commit.id}}] {{site.title}}\n")
themed = os.path.join(work, "themed")
build(themed, "--theme", theme)
with open(os.path.join(themed, "vendors", "acme-software", "index.html"), encoding="utf-8") as f:
    page = f.read()
check(page.startswith("[] ") and len(page) > 4,
      "a profile has no site.commit, even when its template asks: %r" % page[:80])
with open(os.path.join(themed, "index.html"), encoding="utf-8") as f:
    check(git(repo, "rev-parse", "HEAD")[:7] in f.read(), "the directory still names it")

# 12. The members' parts of the data files, .trustdir-cache/<out>.frags:
#     vendors.json, directory.csv and the search index are assembled from
#     each member's part, taken from the last build's when the member's
#     key is the same.  Proof: a name changed in the vendors.json part
#     (same length, checksum recomputed) shows there after a commit to
#     another member.  A corrupt, truncated or foreign file is ignored.
check(os.path.isfile(frags), "the members' parts are kept beside the history")
with open(frags, "rb") as f:
    check(f.read().startswith(b"trustdir-frags 2\n"), "the file names its format")


def rebuild_frags(mangle, what):
    return rebuild_forged(frags, b'"name":"Nordlys Chips"', b'"name":"Nordlyz Chips"',
                          mangle, what, os.path.join("api", "v1", "vendors.json"))


check(rebuild_frags(lambda b: b, "used"), "a valid file is used: the part is not made again")
without_forged(frags, "frags")
for what, mangle in (("corrupt", flip), ("truncated", lambda b: b[: len(b) // 2]),
                     ("foreign", lambda b: with_sum(b.replace(program, b"0" * 40, 1)))):
    check(not rebuild_frags(mangle, what), "a %s file of parts is ignored" % what)
    check(tree_bytes(site) == clean_build("clean-frags-" + what),
          "and the site equals a clean build (%s)" % what)

# 13. The rows of the members tables are kept with the members' parts
#     (the template memo's passes, keyed by the member's key): the
#     directory, its facet pages and compare/ copy a member's row when
#     the member did not change.  Proof: the name changed in its kept
#     rows (same length, checksum recomputed) shows on all three after
#     a commit to another member; without the file the site equals a
#     clean build, and a corrupt file is ignored.
def rebuild_rows(mangle, what):
    return rebuild_forged(frags, b">Nordlys Chips</a>", b">Nordlyz Chips</a>", mangle,
                          what, "index.html", count=3)


check(rebuild_rows(lambda b: b, "rows"), "a kept row is copied to the directory")
with open(os.path.join(site, "compare", "index.html"), encoding="utf-8") as f:
    check(">Nordlyz Chips</a>" in f.read(), "and to compare/")
both = 0
for slug in sorted(os.listdir(os.path.join(site, "filter"))):
    with open(os.path.join(site, "filter", slug, "index.html"), encoding="utf-8") as f:
        page = f.read()
    if "ACME" in page and "Nordly" in page:  # rendered, as it lists the change
        both += 1
        check(">Nordlyz Chips</a>" in page, "and to filter/%s/" % slug)
check(both > 0, "a facet page lists both members")
without_forged(frags, "rows")
check(not rebuild_rows(flip, "corrupt rows"), "a corrupt file of rows is ignored")
check(tree_bytes(site) == clean_build("clean-rows-corrupt"),
      "and the site equals a clean build (corrupt rows)")

# 14. A vendor's directory whose tree id the vendors' cache names is
#     listed from the cache: the tree is not read.  Proof: with the
#     tree's object gone from the repository, a rebuild after a commit
#     to another member succeeds (and with no cache it fails); with the
#     object back, the site equals a clean build.
tree = git(repo, "rev-parse", "HEAD:vendors/nordlys-chips")
obj = os.path.join(repo, ".git", "objects", tree[:2], tree[2:])
edit_profile("acme-software", legal_name="ACME tree")
commit_all(repo, "ACME (tree)", date="2031-03-01T12:00:00Z")
check(os.path.isfile(obj), "the vendor's tree is a loose object")
os.rename(obj, obj + ".away")  # after the commit, which writes it again
build(site)
rc, _, err = run("build", "--repo", repo, "--out", os.path.join(work, "no-cache"),
                 "--cache", os.path.join(work, "no-cache-cache"))
check(rc != 0 and "vendors/nordlys-chips: object not found" in err,
      "without the caches the tree is read, and missing (%s)" % err.strip())
os.rename(obj + ".away", obj)
check(tree_bytes(site) == clean_build("clean-tree"), "the site equals a clean build (tree)")

shutil.rmtree(work)
done("test_cache")
