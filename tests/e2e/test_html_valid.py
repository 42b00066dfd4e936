"""Every page trustdir writes is valid HTML and self-contained.

Builds two sites: the project's own content (content/ and vendors/ of
TRUSTDIR_SOURCE_DIR, committed into a fresh repository) and the `rich`
fixture, then:
  - validates every .html file of both with the W3C Nu validator (vnu.jar,
    installed by `scripts/install-deps --test`), in one java run;
  - checks that sitemap.xml is well-formed XML in the sitemap namespace whose
    every <loc> is under base_url and names a page that exists;
  - checks that no page or stylesheet loads anything from another host, and
    that pages carry no inline script, inline style or event handler (the
    pages' Content-Security-Policy forbids them; the site must work without).
"""

import glob
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

from htmltree import parse_file
from tdlib import SOURCE_DIR, check, check_eq, done, make_repo, read, run, tempdir

VNU = os.path.join(SOURCE_DIR, "tests", "tools", "node_modules", "vnu-jar", "build",
                   "dist", "vnu.jar")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def build(name, fixture):
    repo = make_repo(fixture)
    out = os.path.join(tempdir(), name)
    rc, so, se = run("build", "--repo", repo, "--out", out)
    check_eq(rc, 0, "build of %s exits 0 (stderr: %s)" % (name, se))
    site = json.loads(read(os.path.join(fixture if os.path.isabs(fixture) else
                                        os.path.join(SOURCE_DIR, "tests", "fixtures", fixture),
                                        "content", "site.json")))
    return out, site["base_url"]


def html_files(out):
    return sorted(glob.glob(os.path.join(out, "**", "*.html"), recursive=True))


sites = [build("default", os.path.abspath(SOURCE_DIR)) + ("default",),
         build("rich", "rich") + ("rich",)]
pages = []                    # (label/relative path, absolute path)
for out, _, label in sites:
    files = html_files(out)
    check(len(files) >= 10, "%s: the site has pages (%d .html files)" % (label, len(files)))
    pages += [(label + "/" + os.path.relpath(f, out), f) for f in files]
where = {os.path.abspath(f): name for name, f in pages}

# --- the W3C Nu validator ------------------------------------------------------------
# A page with known errors goes along, so that a validator that checks
# nothing (a wrong flag, a changed output format) cannot pass the test.
canary = os.path.join(tempdir(), "canary.html")
with open(canary, "w", encoding="utf-8") as f:
    f.write("<!doctype html>\n<html lang=en><head><title>canary</title></head>\n"
            "<body><p><div>block in a paragraph</p><blink>x</blink></body></html>\n")

if not os.path.isfile(VNU):
    check(False, "the W3C Nu validator is missing: %s does not exist; install the test "
          "tools with `scripts/install-deps --test` (npm ci --prefix tests/tools)" % VNU)
elif shutil.which("java") is None:
    check(False, "java is not on the PATH; the W3C Nu validator needs it "
          "(`scripts/install-deps --test` installs default-jre-headless)")
else:
    r = subprocess.run(["java", "-jar", VNU, "--errors-only", "--format", "json",
                        canary] + [f for _, f in pages], capture_output=True, text=True)
    try:
        report = json.loads(r.stderr or r.stdout)
        messages = report["messages"]
    except (ValueError, KeyError) as e:
        messages = None
        check(False, "vnu printed no JSON report (exit %d, %s): %s"
              % (r.returncode, e, (r.stderr or r.stdout)[:2000]))
    if messages is not None:
        canary_seen = False
        errors = []
        for m in messages:
            url = m.get("url", "")
            path = os.path.abspath(url[len("file:"):]) if url.startswith("file:") else url
            if path == os.path.abspath(canary):
                canary_seen = True
                continue
            errors.append("%s:%s:%s: %s: %s" % (where.get(path, path), m.get("lastLine", "?"),
                                                m.get("firstColumn", m.get("lastColumn", "?")),
                                                m.get("type"), m.get("message")))
        check(canary_seen, "vnu reports the errors of a known-invalid page (it really ran)")
        for e in errors:
            print("  " + e)
        check(not errors, "every page is valid HTML: %d validator errors in %d pages (listed "
              "above)" % (len(errors), len(pages)))
        check_eq(r.returncode, 1 if errors or canary_seen else 0,
                 "vnu exit status agrees with its report")

# --- sitemap.xml ---------------------------------------------------------------------
for out, base, label in sites:
    try:
        root = ET.parse(os.path.join(out, "sitemap.xml")).getroot()
    except (ET.ParseError, OSError) as e:
        check(False, "%s/sitemap.xml is well-formed XML: %s" % (label, e))
        continue
    check_eq(root.tag, "{%s}urlset" % SITEMAP_NS,
             "%s/sitemap.xml is a <urlset> in the sitemap namespace" % label)
    locs = [(u.findtext("{%s}loc" % SITEMAP_NS) or "") for u in root]
    check(all(u.tag == "{%s}url" % SITEMAP_NS for u in root),
          "%s/sitemap.xml holds only <url> entries" % label)
    check(len(locs) >= 10, "%s/sitemap.xml lists the pages (%d)" % (label, len(locs)))
    check_eq(len(set(locs)), len(locs), "%s/sitemap.xml lists each page once" % label)
    for loc in locs:
        if not loc.startswith(base):
            check(False, "%s/sitemap.xml: <loc>%s</loc> is not under base_url %s"
                  % (label, loc, base))
            continue
        rel = loc[len(base):]
        target = os.path.join(out, rel, "index.html") if rel == "" or rel.endswith("/") \
            else os.path.join(out, rel)
        check(os.path.isfile(target), "%s/sitemap.xml: <loc>%s</loc> names a page the site "
              "has (%s)" % (label, loc, os.path.relpath(target, out)))
    # Every page a search engine should find is listed (filter pages and
    # other listings may come and go).
    for name, f in pages:
        rel = os.path.relpath(f, out)
        if name.startswith(label + "/") and (rel == "index.html" or re.fullmatch(
                r"(vendors|principles)/[a-z0-9-]+/index\.html", rel)):
            url = base + rel[:-len("index.html")]
            check(url in locs, "%s/sitemap.xml lists %s" % (label, url))

# --- self-contained ------------------------------------------------------------------
FOREIGN = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)   # http://, https://, //host
RESOURCE_ATTRS = {           # tag -> attributes that make the browser fetch something
    "script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "frame": ["src"],
    "object": ["data"], "embed": ["src"], "source": ["src", "srcset"],
    "video": ["src", "poster"], "audio": ["src"], "track": ["src"], "form": ["action"],
    "input": ["src", "formaction"], "button": ["formaction"], "base": ["href"],
}
# <link> rels that load a resource (canonical and alternate only name a URL).
LOADING_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "mask-icon",
                "manifest", "preload", "modulepreload", "prefetch", "preconnect",
                "dns-prefetch", "prerender"}


def foreign(value, multi=False):
    values = [v.strip().split()[0] for v in value.split(",") if v.strip()] if multi \
        else [value]
    return [v for v in values if FOREIGN.match(v)]


def self_contained_problems(name, doc):
    problems = []

    def say(n, what):
        problems.append("%s:%d:%d: <%s> %s" % (name, n.line, n.col, n.tag, what))

    for n in doc.iter():
        if n.tag in RESOURCE_ATTRS:
            for a in RESOURCE_ATTRS[n.tag]:
                v = n.attrs.get(a)
                if v is not None and foreign(v, a.endswith("srcset")):
                    say(n, "%s=%r loads from another host" % (a, v))
        if n.tag == "link":
            rels = set((n.attrs.get("rel") or "").lower().split())
            if rels & LOADING_RELS and foreign(n.attrs.get("href") or ""):
                say(n, "rel=%r href=%r loads from another host" % (n.attrs.get("rel"),
                                                                   n.attrs.get("href")))
            for a in ("imagesrcset",):
                if n.attrs.get(a) and foreign(n.attrs[a], True):
                    say(n, "%s loads from another host" % a)
        if n.tag == "base":
            say(n, "a <base> element changes every relative URL")
        if n.tag == "script" and "".join(c for c in n.children if isinstance(c, str)).strip():
            say(n, "is an inline script (the CSP forbids it; use a file under assets/)")
        if n.tag == "style":
            say(n, "is an inline style sheet (the CSP forbids it)")
        if "style" in n.attrs:
            say(n, "has a style= attribute %r (the CSP forbids inline styles)"
                % n.attrs["style"])
        for a in n.attrs:
            if a.startswith("on"):
                say(n, "has an inline event handler %s= (the CSP forbids it)" % a)
    return problems


# The checker itself must see what it is meant to see.
probe = os.path.join(tempdir(), "probe.html")
with open(probe, "w", encoding="utf-8") as f:
    f.write('<link rel="stylesheet" href="https://cdn.example.com/x.css">'
            '<link rel="canonical" href="https://directory.example.org/">'
            '<script src="//cdn.example.com/x.js"></script><script>alert(1)</script>'
            '<img src="a.png" srcset="a.png 1x, https://t.example.com/p.png 2x">'
            '<p style="color:red" onclick="x()">x</p><form action="http://evil.example/">'
            '</form><iframe src="https://yt.example/"></iframe>')
check_eq(len(self_contained_problems("probe", parse_file(probe))), 8,
         "the self-containment check finds each kind of problem in a probe page")

problems = []
for name, f in pages:
    problems += self_contained_problems(name, parse_file(f))

CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
css_files = []
for out, _, label in sites:
    css = glob.glob(os.path.join(out, "assets", "**", "*.css"), recursive=True)
    check(css, "%s: the site has a stylesheet under assets/" % label)
    for c in css:
        text = read(c)
        for m in CSS_URL.finditer(text):
            u = m.group(2) if m.group(2) is not None else m.group(4)
            if FOREIGN.match(u):
                line = text.count("\n", 0, m.start()) + 1
                problems.append("%s/%s:%d: %s loads from another host"
                                % (label, os.path.relpath(c, out), line, m.group(0)))
for p in problems:
    print("  " + p)
check(not problems, "the sites load nothing from other hosts and carry no inline script "
      "or style: %d problems (listed above)" % len(problems))

done("test_html_valid")
