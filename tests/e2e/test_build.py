"""trustdir build end to end: the files a user gets, read from the commit
(not the working tree), atomically, confined, deterministically."""

import glob
import os
import re
import shutil
import subprocess

from tdlib import (check, check_eq, commit_all, done, git, make_repo, read, run,
                   tempdir, tree_bytes)

repo = make_repo("rich")
out = os.path.join(tempdir(), "site")

# --- a full build ------------------------------------------------------------------
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build of the rich fixture exits 0 (stderr: %s)" % se)
check(re.fullmatch(r"built 5 vendors, 5 principles, \d+ pages in \d+\.\d\d s -> %s/\n"
                   % re.escape(out), so), "summary line: %r" % so)

for f in ["index.html", "404.html", "sitemap.xml", "robots.txt", ".trustdir-site",
          "vendors/example-networks/index.html", "vendors/sample-ai/index.html",
          "principles/governance/index.html", "principles/open-ecosystem/index.html",
          "about/index.html", "filter/country-fi/index.html", "filter/layer-ai/index.html",
          "filter/independent/index.html", "filter/self-attested-only/index.html",
          "filter/governance-independent-meets/index.html"]:
    check(os.path.isfile(os.path.join(out, f)), "the site has " + f)
css = glob.glob(os.path.join(out, "assets", "style.*.css"))
check(len(css) == 1 and re.search(r"style\.[0-9a-f]{8}\.css$", css[0]),
      "one stylesheet whose name carries a hash: %r" % css)
check(not glob.glob(out + ".tmp-*"), "no temporary directory is left beside --out")

index = read(os.path.join(out, "index.html"))
for name in ["Example Networks", "Borealis Cloud", "Nordlys Chips", "ACME Software",
             "Sämple AI &amp; Co. &quot;Ω&quot; &lt;Labs&gt;"]:
    check(name in index, "the directory lists " + name)
check('<link rel="canonical" href="https://directory.example.org/">' in index,
      "the directory's canonical URL comes from base_url")
check("Content-Security-Policy" in index, "pages carry a Content-Security-Policy")
check(index.index("ACME Software") < index.index("Borealis Cloud")
      < index.index("Example Networks"), "members are in name order")

en = read(os.path.join(out, "vendors/example-networks/index.html"))
for want in ["Example Assurance LLP", "2027-05-04", "no public link", "Stale",
             "Partially meets", "Does not meet", "Not assessed",
             'href="https://git.example.org/alliance/directory/edit/HEAD/vendors/example-networks/profile.json"',
             '<link rel="canonical" href="https://directory.example.org/vendors/example-networks/">']:
    check(want in en, "example-networks profile shows %r" % want)
check(re.search(r"<code[^>]*>[0-9a-f]{64}</code>", en), "the sha256 digest is shown")

bc = read(os.path.join(out, "vendors/borealis-cloud/index.html"))
check("Expired" in bc, "an assessment past valid_until is marked expired")
check("Northern Audit AB" in bc, "the assessor is named")

sa = read(os.path.join(out, "vendors/sample-ai/index.html"))
check("<script>alert" not in sa and "javascript:" not in sa,
      "raw HTML and javascript: links in a summary are neutralised")
check("Sämple AI &amp; Co. &quot;Ω&quot; &lt;Labs&gt;" in sa, "the name is escaped")
check("https://sample-ai.example.com/?a=1&amp;b=2" in sa, "the website is escaped in href")
check("No self-attestation" in sa or "no self-attestation" in sa.lower(),
      "a vendor without assessments says so")

sitemap = read(os.path.join(out, "sitemap.xml"))
check("<loc>https://directory.example.org/vendors/example-networks/</loc>" in sitemap,
      "the sitemap lists profiles by canonical URL")
check("404" not in sitemap, "the sitemap leaves out 404.html")
check_eq(read(os.path.join(out, "robots.txt")),
         "User-agent: *\nAllow: /\n\nSitemap: https://directory.example.org/sitemap.xml\n",
         "robots.txt")

# --- nothing changed: nothing to do, and the site is what a clean build writes ----
before = tree_bytes(out)
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "a second build of the same commit")
check(re.fullmatch(r"up to date: %s/ is commit [0-9a-f]{7} built the same way; nothing to do "
                   r"\(\d+\.\d\d s\)\n" % re.escape(out), so), "says it is up to date: %r" % so)
check(tree_bytes(out) == before, "and leaves the site as it was")
clean = os.path.join(tempdir(), "clean")
run("build", "--repo", repo, "--out", clean)
check(tree_bytes(clean) == before, "which is byte for byte a clean build of the commit")
rc, so, se = run("build", "--repo", repo, "--out", out, "--base-url", "https://other.example/")
check(so.startswith("built "), "other options build anew")
run("build", "--repo", repo, "--out", out)

# --- --base-url overrides site.json --------------------------------------------
out2 = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out2, "--base-url", "https://mirror.example.com/dir")
check_eq(rc, 0, "build with --base-url")
check('href="https://mirror.example.com/dir/vendors/acme-software/"'
      in read(os.path.join(out2, "vendors/acme-software/index.html")),
      "--base-url sets the canonical URL")

# --- the commit, not the working tree --------------------------------------------
profile = os.path.join(repo, "vendors/acme-software/profile.json")
text = read(profile)
with open(profile, "w", encoding="utf-8") as f:
    f.write(text.replace('"ACME Software"', '"Acme Uncommitted"'))
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "rebuild into an earlier trustdir site")
check("Acme Uncommitted" not in read(os.path.join(out, "index.html")),
      "build reads the commit, not the working tree")
rc, so, se = run("build", "--repo", repo, "--out", out, "--worktree")
check_eq(rc, 0, "build --worktree")
check("Acme Uncommitted" in read(os.path.join(out, "index.html")),
      "build --worktree reads uncommitted changes")
git(repo, "checkout", "--", ".")

# --- --ref picks an older commit ---------------------------------------------------
first = git(repo, "rev-parse", "HEAD")
shutil.rmtree(os.path.join(repo, "vendors/nordlys-chips"))
commit_all(repo, "Remove Nordlys Chips", date="2026-07-01T12:00:00Z")
rc, so, se = run("build", "--repo", repo, "--out", out)
check("Nordlys" not in read(os.path.join(out, "index.html")), "HEAD lacks the removed vendor")
check(not os.path.exists(os.path.join(out, "vendors/nordlys-chips")),
      "a removed vendor keeps no page")
rc, so, se = run("build", "--repo", repo, "--out", out, "--ref", first)
check("Nordlys" in read(os.path.join(out, "index.html")), "--ref builds the older commit")
rc, so, se = run("build", "--repo", repo, "--out", out, "--ref", "no-such-branch")
check_eq(rc, 2, "an unknown revision is a usage error")
check("unknown revision 'no-such-branch'" in se, "and says so: %r" % se)

# --- the repository that contains the current directory ------------------------------
os.makedirs(os.path.join(repo, "sub", "dir"), exist_ok=True)
rc, so, se = run("check", cwd=os.path.join(repo, "sub", "dir"))
check_eq(rc, 0, "check finds the repository from a subdirectory (%s)" % se)

# --- atomic: a failed build leaves the old site ------------------------------------
before = tree_bytes(out)
with open(profile, "w", encoding="utf-8") as f:
    f.write(text.replace('"DE"', '"Germany"'))
commit_all(repo, "Break a profile", date="2026-07-02T12:00:00Z")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 1, "a content error fails the build")
check("nothing was written" in se, "and says nothing was written")
check(tree_bytes(out) == before, "the previous site is untouched")
check(not glob.glob(out + ".tmp-*"), "no temporary directory is left behind")

# --- refuses to replace a directory it did not write ---------------------------------
mine = tempdir()
with open(os.path.join(mine, "thesis.txt"), "w") as f:
    f.write("years of work")
rc, so, se = run("build", "--repo", repo, "--ref", first, "--out", mine)
check_eq(rc, 2, "a non-empty foreign --out is refused")
check(os.path.exists(os.path.join(mine, "thesis.txt")), "and its files are kept")
check("refusing to replace" in se, "with a clear reason: %r" % se)

# --- deterministic: same commit, different clock, zone, locale, path -----------------
a, b = os.path.join(tempdir(), "a"), os.path.join(tempdir(), "b")
repo2 = os.path.join(tempdir("trustdir-elsewhere-"), "copy")
shutil.copytree(repo, repo2)
run("build", "--repo", repo, "--ref", first, "--out", a, env={"TZ": "UTC", "LC_ALL": "C"})
run("build", "--repo", repo2, "--ref", first, "--out", b,
    env={"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"}, cwd=tempdir())
ta, tb = tree_bytes(a), tree_bytes(b)
check(ta and ta == tb, "two builds of one commit are byte-identical (%d files)" % len(ta))

# --- the same bytes whatever the thread count (TRUSTDIR_THREADS) ----------------------
trees = {}
for n in ["1", "4", "8"]:
    d = os.path.join(tempdir(), "threads-" + n)
    rc, so, se = run("build", "--repo", repo, "--ref", first, "--out", d,
                     env={"TRUSTDIR_THREADS": n})
    check_eq(rc, 0, "a build on %s threads exits 0 (stderr: %s)" % (n, se))
    trees[n] = tree_bytes(d)
for n in ["4", "8"]:
    differ = sorted(set(trees["1"]) ^ set(trees[n]) |
                    {p for p in set(trees["1"]) & set(trees[n]) if trees["1"][p] != trees[n][p]})
    check(trees["1"] and not differ,
          "%s threads write the %d files of one thread byte for byte (differ: %s)"
          % (n, len(trees["1"]), differ[:5]))
for bad in ["0", "many", "100000"]:
    rc, so, se = run("build", "--repo", repo, "--ref", first, "--out",
                     os.path.join(tempdir(), "site"), env={"TRUSTDIR_THREADS": bad})
    check_eq(rc, 2, "TRUSTDIR_THREADS=%s is bad usage" % bad)
    check("TRUSTDIR_THREADS=%s: expected a number of threads" % bad in se,
          "and says why: %r" % se)
# Every profile fails to render: the error is the first vendor's, as on
# one thread, however the threads happen to run.
looping = tempdir()
os.makedirs(os.path.join(looping, "templates"))
for name in ["vendor", "loop"]:
    with open(os.path.join(looping, "templates", name + ".mustache"), "w") as f:
        f.write("{{>loop}}\n")
errors = set()
for n in ["1", "4", "8"]:
    rc, so, se = run("build", "--repo", repo, "--ref", first, "--theme", looping,
                     "--out", os.path.join(tempdir(), "site"), env={"TRUSTDIR_THREADS": n})
    check_eq(rc, 3, "a failing page fails the build on %s threads" % n)
    errors.add(se)
check(len(errors) == 1 and "vendors/acme-software/index.html" in se,
      "the error names the first failing page whatever the thread count: %r" % errors)

# --- confined: symbolic links and submodules are errors, never followed --------------
os.symlink("/etc/passwd", os.path.join(repo, "vendors/acme-software/summary.md.bak"))
os.remove(os.path.join(repo, "vendors/acme-software/summary.md"))
os.symlink("/etc/passwd", os.path.join(repo, "vendors/acme-software/summary.md"))
git(repo, "checkout", first, "--", "vendors/acme-software/profile.json")
commit_all(repo, "Link a summary", date="2026-07-03T12:00:00Z")
for extra in ([], ["--worktree"]):
    rc, so, se = run("check", "--repo", repo, *extra)
    check_eq(rc, 1, "a symbolic link in the content is an error %s" % extra)
    check("vendors/acme-software/summary.md: symbolic links are not allowed" in so,
          "and names the file %s: %r" % (extra, so))
    check("root:" not in so, "the link is not followed")

# --- a long list: a principle's members in pages of 500, as Hugo pages ------------------
big = make_repo("rich")
for i in range(600):
    d = os.path.join(big, "vendors", "zz-member-%03d" % i)
    os.makedirs(d)
    with open(os.path.join(d, "profile.json"), "w") as f:
        f.write('{"name": "ZZ Member %03d", "country": "NO", "website": "https://zz%03d.example.org",'
                ' "layers": ["cloud"], "member_since": "2026-03-01"}\n' % (i, i))
commit_all(big, "Add 600 members")
bout = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", big, "--out", bout)
check_eq(rc, 0, "build of 605 members exits 0 (stderr: %s)" % se)
first = read(os.path.join(bout, "principles/governance/index.html"))
second = read(os.path.join(bout, "principles/governance/page/2/index.html"))
check(not os.path.exists(os.path.join(bout, "principles/governance/page/3")), "605 members make two pages")
check_eq(first.count('<tr><th scope="row">'), 500, "the first page lists 500 members")
check_eq(second.count('<tr><th scope="row">'), 105, "the second the other 105")
check("ACME Software" in first and "ZZ Member 599" in second, "in the directory's order")
check('<link rel="canonical" href="https://directory.example.org/principles/governance/">' in first and
      '<link rel="canonical" href="https://directory.example.org/principles/governance/page/2/">' in second,
      "the first page at the principle's address, the second at page/2/")
check('<link rel="next" href="../../principles/governance/page/2/">' in first and
      'rel="prev"' not in first, "the first page links to the next")
check('<link rel="prev" href="../../../../principles/governance/">' in second and
      'rel="next"' not in second, "the second to the previous")
check('href="../../../../principles/governance/" rel="prev">Previous' in second,
      "a visible link to the previous page")
check("Members 501 to 605 of 605, by name; page 2 of 2." in second, "the page says which members it lists")
sitemap = read(os.path.join(bout, "sitemap.xml"))
check("<loc>https://directory.example.org/principles/governance/page/2/</loc>" in sitemap,
      "the sitemap lists every page")

done("test_build")
