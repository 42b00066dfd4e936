"""History from git: a fixture repository with a known history, walked by
`trustdir diff`, the history pages and the Atom feeds."""

import json
import os
import re
import shutil
import subprocess

from tdlib import (check, check_eq, commit_all, debian_module, done, git, make_repo,
                   read, run, tempdir, tree_bytes)

feedparser = debian_module("feedparser")


def edit_json(repo, path, fn):
    p = os.path.join(repo, path)
    with open(p, encoding="utf-8") as f:
        data = json.load(f)
    fn(data)
    with open(p, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")


EN = "vendors/example-networks/assessments/2026-05-04-independent.json"

# 1: the directory is added (2026-06-01).
repo = make_repo("rich", message="Add the directory")
c1 = git(repo, "rev-parse", "HEAD")

# 2: an edit to a profile field.
edit_json(repo, "vendors/acme-software/profile.json", lambda d: d.update(country="AT"))
c2 = commit_all(repo, "Move ACME to Austria", date="2026-06-02T09:00:00Z")

# 3: a commit outside content/ and vendors/ is not a change to the directory.
with open(os.path.join(repo, "NOTES.md"), "w") as f:
    f.write("notes\n")
c3 = commit_all(repo, "Add notes", date="2026-06-03T09:00:00Z")

# 4-6: a side branch with two commits, merged with a merge commit.
git(repo, "checkout", "-q", "-b", "review")
edit_json(repo, EN, lambda d: d["principles"]["governance"].update(status="partially-meets"))
commit_all(repo, "Downgrade governance", date="2026-06-04T09:00:00Z")
edit_json(repo, EN, lambda d: d["principles"]["ethics"]["evidence"].append(
    {"title": "Code of conduct", "kind": "policy", "url": "https://example.net/coc.pdf"}))
commit_all(repo, "Add a code of conduct", date="2026-06-05T09:00:00Z")
git(repo, "checkout", "-q", "main")
git(repo, "merge", "-q", "--no-ff", "-m", "Merge the review of Example Networks", "review",
    date="2026-06-06T09:00:00Z")
c6 = git(repo, "rev-parse", "HEAD")

# 7: evidence removed, and its link changed elsewhere.
def drop_evidence(d):
    d["principles"]["ethics"]["evidence"] = [
        e for e in d["principles"]["ethics"]["evidence"] if e["title"] != "Code of conduct"]
edit_json(repo, EN, drop_evidence)
c7 = commit_all(repo, "Withdraw the code of conduct", date="2026-06-07T09:00:00Z")

# 8: a vendor removed.
shutil.rmtree(os.path.join(repo, "vendors/nordlys-chips"))
c8 = commit_all(repo, "Remove Nordlys Chips", date="2026-06-08T09:00:00Z")

# --- diff, in words ----------------------------------------------------------------
rc, so, se = run("diff", c1, c2, "--repo", repo)
check_eq((rc, so), (0, 'ACME Software (acme-software)\n  - country changed from "DE" to "AT"\n'),
         "diff of a field change, as text")

rc, so, se = run("diff", c2, c6, "--repo", repo)
check_eq((rc, so), (0,
    "Example Networks (example-networks)\n"
    '  - independent assessment 2026-05-04-independent: status on "Transparent governance" '
    "changed from meets to partially-meets\n"
    '  - independent assessment 2026-05-04-independent: added evidence "Code of conduct" on '
    '"Ethical conduct"\n'), "diff across a merge, as text")

rc, so, se = run("diff", c2, c6, "--repo", repo, "--format", "markdown")
check_eq((rc, so), (0,
    "## What this change does to the directory\n"
    "\n### Example Networks (`example-networks`)\n\n"
    "**Status changes** (what the profile shows):\n\n"
    "- **Transparent governance** (independent): meets → **partially-meets**\n"
    "\n**All changes:**\n\n"
    '- independent assessment 2026-05-04-independent: status on "Transparent governance" '
    "changed from meets to partially-meets\n"
    '- independent assessment 2026-05-04-independent: added evidence "Code of conduct" on '
    '"Ethical conduct"\n'), "diff as markdown, with the status change called out")

rc, so, se = run("diff", c7, c8, "--repo", repo, "--format", "json")
doc = json.loads(so)
check_eq((rc, doc["base"], doc["head"]), (0, c7, c8), "diff json names both commits")
check_eq([(c["kind"], c["vendor"]) for c in doc["changes"] if c["kind"] != "standing"],
         [("vendor-removed", "nordlys-chips")], "diff json of a removal")
check_eq(doc["changes"][0]["text"], 'removed vendor "Nordlys Chips" (nordlys-chips)',
         "diff json carries the words")

rc, so, se = run("diff", c6, c7, "--repo", repo)
check_eq(so, "Example Networks (example-networks)\n"
         '  - independent assessment 2026-05-04-independent: removed evidence "Code of conduct" '
         'on "Ethical conduct"\n', "diff of removed evidence")

rc, so, se = run("diff", c2, c3, "--repo", repo)
check_eq((rc, so), (0, "no change to the directory\n"), "a commit outside the content")

rc, so, se = run("diff", "HEAD~1", "--repo", repo)
check_eq(rc, 0, "HEAD defaults to HEAD")
check("removed vendor" in so, "diff BASE alone compares with HEAD")

for bad in (["diff", "no-such-rev"], ["diff", "HEAD..:x"], ["diff"]):
    rc, so, se = run(*bad, "--repo", repo)
    check_eq(rc, 2, "bad revision or usage: %s" % bad)
    check(se.startswith("trustdir: "), "with a clear message: %r" % se)

# --- log: the whole history in words -----------------------------------------------
rc, so, se = run("log", "--repo", repo)
check_eq(rc, 0, "log exits 0")
check_eq(re.findall(r"^commit ([0-9a-f]{40})", so, re.M),
         [git(repo, "rev-parse", r) for r in ("HEAD", "HEAD~1", "HEAD~2", c2, c1)],
         "log lists the first-parent commits that changed the directory, newest first")
check("commit %s (merge)\nAuthor: Ada Example\nDate:   2026-06-06 09:00:00 UTC\n\n"
      "    Merge the review of Example Networks\n" % c6 in so, "log shows a merge as one change")
check("Add notes" not in so and "Downgrade governance" not in so,
      "log leaves out commits outside the content and side-branch commits")

# --- pages and feeds ---------------------------------------------------------------
out = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build with history (%s)" % se)

hist_page = read(os.path.join(out, "vendors/example-networks/history/index.html"))
subjects = re.findall(r'class="history-entry__title">([^<]*)<', hist_page)
check_eq(subjects, ["Withdraw the code of conduct", "Merge the review of Example Networks",
                    "Add the directory"],
         "the vendor's history: its commits, newest first, the merge as one change")
check("Downgrade governance" not in hist_page, "side-branch commits are not listed")
check('<time datetime="2026-06-06T09:00:00Z">2026-06-06</time>' in hist_page,
      "each change has the commit's date")
check("Ada Example" in hist_page, "and its author")
check(c6[:7] in hist_page, "and its short commit id")
check('href="https://git.example.org/alliance/directory/commit/%s"' % c6 in hist_page,
      "linked through repo_url")
check("Not signed" in hist_page, "and whether it is signed")
check('status on &quot;Transparent governance&quot; changed from meets to partially-meets'
      in hist_page, "and the changes in words")

changes = read(os.path.join(out, "changes/index.html"))
subjects = re.findall(r'class="history-entry__title">([^<]*)<', changes)
check_eq(subjects, ["Remove Nordlys Chips", "Withdraw the code of conduct",
                    "Merge the review of Example Networks", "Move ACME to Austria",
                    "Add the directory"], "the change log lists each change once")
check(os.path.isfile(os.path.join(out, "changes/page/1/index.html")),
      "archive pages have stable URLs")

profile = read(os.path.join(out, "vendors/example-networks/index.html"))
check(re.search(r"Listed since</dt><dd><time datetime=\"2026-06-01\">", profile),
      "the profile says since when it is listed")
check(re.search(r"Last changed</dt><dd><time datetime=\"2026-06-07\">", profile),
      "and when it last changed")
check(re.search(r"Status since</dt><dd><time datetime=\"2026-06-06\">", profile),
      "a standing says since when it stands")
check(not os.path.exists(os.path.join(out, "vendors/nordlys-chips")),
      "a removed vendor keeps no page")

index = read(os.path.join(out, "index.html"))
check('Last changed <time>2026-06-08</time>' not in index and
      'Last changed <time>2026-06-07</time>' in index,
      "the directory shows each member's last change")

feed = feedparser.parse(os.path.join(out, "changes.atom"))
check_eq(feed.bozo, 0, "changes.atom is well-formed Atom (%s)" % feed.get("bozo_exception"))
check_eq([e.title for e in feed.entries], subjects, "one feed entry per change")
check_eq([e.id.rsplit("commit-", 1)[1] for e in feed.entries],
         [git(repo, "rev-parse", r) for r in ("HEAD", "HEAD~1", "HEAD~2", c2, c1)],
         "entry ids come from commit ids")
check_eq(feed.entries[0].updated, "2026-06-08T09:00:00Z", "updated is the commit time")
check("Nordlys Chips: removed vendor" in feed.entries[0].content[0].value,
      "the entry's content is the change in words")

vfeed = feedparser.parse(os.path.join(out, "vendors/acme-software/history.atom"))
check_eq(vfeed.bozo, 0, "a vendor's feed is well-formed")
check_eq([e.title for e in vfeed.entries], ["Move ACME to Austria", "Add the directory"],
         "a vendor's feed holds its changes")

# --- history is what it is: an invalid vendor in an old commit ------------------------
bad = make_repo("rich", message="Add the directory")
edit_json(bad, "vendors/acme-software/profile.json", lambda d: d.update(country="Austria"))
commit_all(bad, "Break ACME", date="2026-06-02T09:00:00Z")
edit_json(bad, "vendors/acme-software/profile.json", lambda d: d.update(country="AT"))
commit_all(bad, "Mend ACME", date="2026-06-03T09:00:00Z")
rc, so, se = run("build", "--repo", bad, "--out", os.path.join(tempdir(), "site"))
check_eq(rc, 0, "a build whose history holds an invalid vendor (%s)" % se)
rc, so, se = run("diff", "HEAD~2", "HEAD~1", "--repo", bad)
check_eq((rc, so), (0, "ACME Software (acme-software)\n"
         "  - the vendor's files did not pass validation at this commit; described as far "
         "as they could be read\n"
         '  - country removed (was "DE")\n'), "an invalid version is described")

# A long history: the changes pages link to a few pages each (the first,
# the last, two either side), with gaps for the rest, not to every page.
# 1,050 commits made with git fast-import, each renaming ACME.
long_repo = make_repo("rich", message="Add the directory")
profile_path = os.path.join(long_repo, "vendors", "acme-software", "profile.json")
with open(profile_path, encoding="utf-8") as f:
    base_profile = json.load(f)
stream = []
for i in range(1050):
    body = json.dumps(dict(base_profile, legal_name="ACME Software %d GmbH" % i),
                      indent=2).encode() + b"\n"
    msg = b"Rename ACME (%d)" % i
    when = 1780000000 + i * 60
    stream.append(b"commit refs/heads/main\n")
    stream.append(b"committer Ada Example <ada@example.org> %d +0000\n" % when)
    stream.append(b"data %d\n%s\n" % (len(msg), msg))
    if i == 0:
        stream.append(b"from refs/heads/main^0\n")
    stream.append(b"M 100644 inline vendors/acme-software/profile.json\n")
    stream.append(b"data %d\n%s\n" % (len(body), body))
subprocess.run(["git", "-C", long_repo, "fast-import", "--quiet", "--force"],
               input=b"".join(stream), check=True)
long_out = os.path.join(tempdir(), "site")
rc, _, err = run("build", "--repo", long_repo, "--out", long_out)
check_eq(rc, 0, "build of 1,051 commits (%s)" % err.strip())


def page_links(rel):
    html = read(os.path.join(long_out, rel))
    nav = html[html.index('aria-label="Pages of changes"'):]
    nav = nav[:nav.index("</nav>")]
    items = re.findall(r'<li[^>]*>(.*?)</li>', nav)
    out = []
    for item in items:
        if item == "…":
            out.append("…")
        else:
            out.append(re.sub(r"<[^>]+>", "", item))
    return out


check_eq(page_links("changes/page/6/index.html"),
         ["Latest", "…", "8", "7", "6", "5", "4", "…", "1"],
         "page 6 of 11 links to the latest, the first and two either side")
check("page 6" in read(os.path.join(long_out, "changes/page/6/index.html")) and
      "of 11" not in read(os.path.join(long_out, "changes/page/6/index.html")),
      "an archive page does not name the number of pages, which a new commit may change")
check('<span aria-current="page">6</span>' in read(os.path.join(long_out, "changes/page/6/index.html")),
      "and marks itself")
check_eq(page_links("changes/index.html"), ["Latest", "11", "10", "9", "…", "1"],
         "the latest changes link to the newest pages and the first")
check_eq(page_links("changes/page/2/index.html"),
         ["Latest", "…", "4", "3", "2", "1"], "page 2: no gap for one page")
check_eq(page_links("changes/page/9/index.html"),
         ["Latest", "11", "10", "9", "8", "7", "…", "1"],
         "page 9: the pages up to the newest, which is near")
check(os.path.isfile(os.path.join(long_out, "changes/page/11/index.html")) and
      not os.path.exists(os.path.join(long_out, "changes/page/12")),
      "1,051 changes fill 11 pages of a hundred")

# A new commit, to Nordlys this time: an archive page whose commits and
# links did not change is linked from the old site, not rendered (the
# same inode); the page the commit lands on, the latest, and the pages
# that link to the newest pages are made anew; and the site equals a
# clean build.  1,052 commits still fill 11 pages.
def inode(rel):
    return os.stat(os.path.join(long_out, rel)).st_ino


before = {k: inode("changes/page/%d/index.html" % k) for k in range(1, 12)}
edit_json(long_repo, "vendors/nordlys-chips/profile.json",
          lambda d: d.update(legal_name="Nordlys Chips ASA"))
commit_all(long_repo, "Nordlys: legal name", date="2026-06-02T12:00:00Z")
rc, _, err = run("build", "--repo", long_repo, "--out", long_out)
check_eq(rc, 0, "rebuild after one more commit (%s)" % err.strip())
kept = [k for k in range(1, 12) if inode("changes/page/%d/index.html" % k) == before[k]]
check_eq(kept, list(range(1, 11)),
         "archive pages 1 to 10 are the same files; page 11, where the commit landed, is new")
clean = os.path.join(tempdir(), "clean")
rc, _, err = run("build", "--repo", long_repo, "--out", clean, "--cache",
                 os.path.join(tempdir(), "cache"))
check(tree_bytes(long_out) == tree_bytes(clean), "and the site equals a clean build")

done("test_history")
