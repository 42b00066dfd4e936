"""The project's own directory, as the public sees it: the fifteen founding
members of the Trusted Tech Alliance, each self-attested with no evidence
and no independent assessment yet, the five principles in the order of
content/site.json, and on every page a title, a description, a canonical
URL and an outline without skipped heading levels."""

import glob
import json
import os

from htmltree import parse_file
from tdlib import SOURCE_DIR, check, check_eq, done, make_repo, read, run, tempdir

FOUNDERS = ["anthropic", "aws", "cassava-technologies", "cohere", "ericsson",
            "google-cloud", "hanwha", "jio-platforms", "microsoft", "nokia", "nscale",
            "ntt", "rapidus", "saab", "sap"]
NOTICE = "Self-attested; no public evidence yet; no independent assessment yet."

site = json.loads(read(os.path.join(SOURCE_DIR, "content", "site.json")))
base = site["base_url"]
principles = [(p["id"], p["title"]) for p in site["principles"]]
check_eq(len(principles), 5, "content/site.json lists the five principles")

repo = make_repo(os.path.abspath(SOURCE_DIR))
out = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build of the project's own content exits 0 (stderr: %s)" % se)
check(so.startswith("built 15 vendors, 5 principles, "), "build summary: %r" % so)


def page(rel):
    p = os.path.join(out, rel)
    if not os.path.isfile(p):
        check(False, "the site has %s" % rel)
        return None
    return parse_file(p)


# --- the fifteen founding members ------------------------------------------------------
vdir = os.path.join(out, "vendors")
got = sorted(d for d in os.listdir(vdir) if os.path.isdir(os.path.join(vdir, d))) \
    if os.path.isdir(vdir) else []
check_eq(got, FOUNDERS, "vendors/ holds exactly the fifteen founding members")

for slug in FOUNDERS:
    doc = page("vendors/%s/index.html" % slug)
    if doc is None:
        continue
    main = doc.find("main") or doc
    text = main.text()
    check(NOTICE in text, "vendors/%s shows the plain statement %r" % (slug, NOTICE))
    # evidence.mustache marks each item <li class="evidence">; nothing with a
    # class of the evidence block (evidence, evidence__title, ...) may appear.
    items = [n for n in main.iter()
             if any(c == "evidence" or c.startswith("evidence__") for c in n.classes())]
    check_eq(len(items), 0, "vendors/%s lists no evidence item" % slug)
    check("No evidence listed." in text, "vendors/%s says no evidence is listed" % slug)
    check("No independent assessment yet" in text,
          "vendors/%s says there is no independent assessment yet" % slug)
    since = [dt for dt in main.iter("dt") if dt.text() == "Member since"]
    dd = since[0].next_element() if since else None
    check(dd is not None and dd.tag == "dd" and dd.text() == "2026-02-13",
          "vendors/%s: Member since 2026-02-13 (got %r)"
          % (slug, dd.text() if dd is not None else None))
    t = dd.find("time") if dd is not None else None
    check(t is not None and t.get("datetime") == "2026-02-13",
          "vendors/%s: member_since is a machine-readable <time datetime>" % slug)

# --- the directory ---------------------------------------------------------------------
doc = page("index.html")
if doc is not None:
    table = doc.find("table", "members")
    rows = table.find("tbody").find_all("tr") if table is not None and table.find("tbody") \
        else []
    check_eq(len(rows), 15, "the directory table lists 15 members")
    links = []
    for r in rows:
        a = r.find("th").find("a") if r.find("th") is not None else None
        links.append(a.get("href") if a is not None else None)
    check_eq(sorted(links), ["vendors/%s/" % s for s in FOUNDERS],
             "each directory row links to one member's profile")
    check("Showing all 15 members" in doc.text(), "the directory says it shows all 15")
    heads = [th.find("a") for th in doc.find_all("th", "col-principle")]
    check_eq([a.text() if a is not None else None for a in heads],
             ["%d. %s" % (i + 1, t) for i, (_, t) in enumerate(principles)],
             "the directory's principle columns follow content/site.json")

# --- the five principles ---------------------------------------------------------------
for i, (pid, title) in enumerate(principles):
    doc = page("principles/%s/index.html" % pid)
    if doc is None:
        continue
    h1 = doc.find_all("h1")
    check_eq([h.text() for h in h1], [title], "principles/%s has the title of site.json" % pid)
    eyebrow = doc.find("p", "eyebrow")
    check_eq(eyebrow.text() if eyebrow is not None else None, "Principle %d" % (i + 1),
             "principles/%s is number %d, as in site.json" % (pid, i + 1))
    rows = doc.find("tbody").find_all("tr") if doc.find("tbody") is not None else []
    check_eq(len(rows), 15, "principles/%s shows the standing of all 15 members" % pid)
doc = page("index.html")
nav = doc.find("nav", "site-footer__principles") if doc is not None else None
footer = [(a.get("href"), a.text()) for a in nav.find_all("a")] if nav is not None else []
check_eq(footer, [("principles/%s/" % pid, t) for pid, t in principles],
         "the footer lists the principles in the order of site.json")

# --- every page: title, description, canonical, outline ------------------------------------
files = sorted(glob.glob(os.path.join(out, "**", "*.html"), recursive=True))
check(len(files) >= 15 + 5 + 2, "the site has its pages (%d)" % len(files))
for f in files:
    rel = os.path.relpath(f, out)
    doc = parse_file(f)
    titles = doc.find_all("title")
    check(len(titles) == 1 and titles[0].text(), "%s has one non-empty <title>" % rel)
    desc = [m for m in doc.find_all("meta") if (m.get("name") or "").lower() == "description"]
    check(len(desc) == 1 and (desc[0].get("content") or "").strip(),
          "%s has a non-empty meta description" % rel)
    canon = [n for n in doc.find_all("link")
             if "canonical" in (n.get("rel") or "").lower().split()]
    check(len(canon) == 1 and (canon[0].get("href") or "").startswith(base),
          "%s has a canonical link under %s: %r"
          % (rel, base, [c.get("href") for c in canon]))
    levels = [(int(n.tag[1]), n.line, n.text()) for n in doc.iter()
              if n.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    check_eq(sum(1 for lv, _, _ in levels if lv == 1), 1, "%s has exactly one h1" % rel)
    if levels:
        check_eq(levels[0][0], 1, "%s: the first heading is the h1 (%r)" % (rel, levels[0][2]))
    for (a, _, ta), (b, line, tb) in zip(levels, levels[1:]):
        check(b <= a + 1, "%s:%d: h%d %r follows h%d %r, skipping a level"
              % (rel, line, b, tb, a, ta))

done("test_default_content")
