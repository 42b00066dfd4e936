"""The history walk compares a commit's vendors/ tree with its parent's by
the bytes both share at the start and at the end, and walks parts of a
long history on threads of their own.  A random history, with slugs that
are prefixes of each other (git sorts "a" before "a-b" before "ab"),
must give, commit by commit, exactly what `trustdir diff PARENT COMMIT`
(which compares the two trees in full) says, about the vendors git says
changed, and the same log whatever
the number of threads."""

import json
import os
import random
import shutil

from tdlib import (check, check_eq, commit_all, done, git, make_repo, run, tempdir, tree_bytes,
                   update_json)

rng = random.Random(20261122)
repo = make_repo("rich", message="Add the directory")
# A copy: the random history may remove acme-software itself.
template = os.path.join(tempdir(), "acme-software")
shutil.copytree(os.path.join(repo, "vendors", "acme-software"), template)
SLUGS = ["a", "a-b", "a-bc", "ab", "abc", "b", "b0", "ba", "m", "m-m", "mm",
         "z", "z-a", "za", "zz", "zzz"]
present = {"acme-software", "borealis-cloud", "example-networks", "nordlys-chips",
           "sample-ai"}


def write_profile(slug, **fields):
    d = os.path.join(repo, "vendors", slug)
    if not os.path.isdir(d):
        shutil.copytree(template, d)
    update_json(os.path.join(d, "profile.json"), **fields)


def set_status(slug, status):
    """Sets the status of the first principle of the vendor's first assessment."""
    d = os.path.join(repo, "vendors", slug, "assessments")
    names = sorted(os.listdir(d)) if os.path.isdir(d) else []
    if not names:
        return
    path = os.path.join(d, names[0])
    with open(path, encoding="utf-8") as f:
        principles = json.load(f)["principles"]
    first = sorted(principles)[0]
    principles[first]["status"] = status
    update_json(path, principles=principles)


day = 2
for i in range(90):
    action = rng.random()
    if action < 0.35 or len(present) < 3:
        slug = rng.choice([s for s in SLUGS if s not in present] or SLUGS)
        write_profile(slug, name="Vendor %s" % slug.upper())
        present.add(slug)
        what = "add %s" % slug
    elif action < 0.5:
        slug = rng.choice(sorted(present))
        shutil.rmtree(os.path.join(repo, "vendors", slug))
        present.discard(slug)
        what = "remove %s" % slug
    elif action < 0.9:
        changed = rng.sample(sorted(present), min(len(present), rng.randint(1, 3)))
        for slug in changed:
            write_profile(slug, country=rng.choice(["DE", "FR", "FI", "JP", "US"]),
                          legal_name="Legal %s %d" % (slug, i))
            if rng.random() < 0.5:
                set_status(slug, rng.choice(["meets", "partially-meets", "does-not-meet"]))
        what = "edit %s" % ", ".join(changed)
    else:
        with open(os.path.join(repo, "NOTES.md"), "a") as f:
            f.write("note %d\n" % i)
        what = "notes"
    commit_all(repo, "%d: %s" % (i, what), date="2026-07-%02dT%02d:00:00Z" % (day, i % 24))
    if i % 24 == 23:
        day += 1

commits = git(repo, "rev-list", "--first-parent", "HEAD").split()

# The log, in parts of one commit each: "commit <id>" headers.
rc, log1, err = run("log", "--repo", repo, env={"TRUSTDIR_THREADS": "1"})
check_eq(rc, 0, "log exit status (%s)" % err)
blocks = {}
for block in log1.split("\ncommit ")[0:]:
    block = block[len("commit "):] if block.startswith("commit ") else block
    cid = block.split()[0]
    body = block.split("\n\n", 2)[2] if block.count("\n\n") >= 2 else ""
    blocks[cid] = [line[2:] for line in body.rstrip("\n").split("\n") if line]

compared = 0
for child, parent in zip(commits, commits[1:]):
    rc, out, err = run("diff", parent, child, "--repo", repo)
    check_eq(rc, 0, "diff %s..%s exit status (%s)" % (parent[:7], child[:7], err))
    want = [] if out.strip() == "no change to the directory" else out.rstrip("\n").split("\n")
    check_eq(blocks.get(child, []), want, "log of %s equals its diff" % child[:7])
    # And git's own account of which vendors changed.
    names = git(repo, "diff", "--name-only", parent, child, "--", "vendors/").split()
    slugs = sorted({n.split("/")[1] for n in names if n.count("/") >= 2})
    headers = sorted(line[line.rindex("(") + 1:-1] for line in blocks.get(child, [])
                     if not line.startswith(" "))
    check_eq(headers, slugs, "vendors changed by %s" % child[:7])
    compared += 1
check(compared == 90, "every commit compared (%d)" % compared)
check(len(blocks) > 60, "most commits change the directory (%d)" % len(blocks))

for threads in ("2", "3", "7", "64"):
    rc, log_t, err = run("log", "--repo", repo, env={"TRUSTDIR_THREADS": threads})
    check_eq(rc, 0, "log exit status with %s threads" % threads)
    check(log_t == log1, "the log with %s threads equals the log with one" % threads)

# A build gives the walk the content it read, so that the newest version
# of each vendor is not read twice; `--worktree` (a clean checkout here)
# reads the same content but walks without it.  Vendors removed and added
# again must still be read as they were; and, once the site's content/
# changes, older commits must not be given the tip's.
def compare_builds(when):
    sites = {}
    for name, args, threads in (("seeded", [], "1"), ("seeded-3", [], "3"),
                                ("worktree", ["--worktree"], "1")):
        site = os.path.join(tempdir(), "site")
        rc, _, err = run("build", "--repo", repo, "--out", site, *args,
                         env={"TRUSTDIR_THREADS": threads})
        check_eq(rc, 0, "build %s %s exit status (%s)" % (name, when, err))
        sites[name] = {k: v for k, v in tree_bytes(site).items() if k != ".trustdir-site"}
    check(len(sites["worktree"]) > 100, "the site has its pages (%d)" % len(sites["worktree"]))
    for name in ("seeded", "seeded-3"):
        differ = sorted(k for k in set(sites[name]) | set(sites["worktree"])
                        if sites[name].get(k) != sites["worktree"].get(k))
        check(not differ, "%s, the %s build equals the one that reads every version: %s"
              % (when, name, differ[:5]))
    return sites["worktree"]


site = compare_builds("after the random history")
for slug in sorted(present):
    page = site["vendors/%s/history/index.html" % slug].decode()
    check("Legal %s" % slug in page or "country" in page,
          "the history of %s says what changed" % slug)
# The principles in another order: a vendor's findings follow the order.
with open(os.path.join(repo, "content", "site.json"), encoding="utf-8") as f:
    principles = json.load(f)["principles"]
update_json(os.path.join(repo, "content", "site.json"), title="Walked Directory",
            principles=principles[::-1])
write_profile(sorted(present)[0], country="SE")
commit_all(repo, "retitle, and move a vendor", date="2026-07-19T10:00:00Z")
write_profile(sorted(present)[-1], country="NO")
commit_all(repo, "move another vendor", date="2026-07-19T11:00:00Z")
compare_builds("after a change to content/")

# The walk starts before the content is read; content with errors
# stops its child processes and writes nothing.
os.makedirs(os.path.join(repo, "vendors", "a"), exist_ok=True)
with open(os.path.join(repo, "vendors", "a", "profile.json"), "w") as f:
    f.write("{ not json")
commit_all(repo, "break a profile", date="2026-07-20T10:00:00Z")
out = os.path.join(os.path.dirname(repo), "site")
rc, _, err = run("build", "--repo", repo, "--out", out, env={"TRUSTDIR_THREADS": "3"})
check_eq(rc, 1, "a build of broken content on three threads exits 1 (%s)" % err.strip()[-200:])
check("vendors/a/profile.json:1:3:" in err, "and names the file: %r" % err[-300:])
check(not os.path.exists(out), "and writes nothing")

done("test_walk")
