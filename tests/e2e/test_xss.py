"""A hostile pull request against the escaping of every output context.

Every vector of tests/fixtures/xss-vectors.txt (the OWASP XSS filter-evasion
cheat sheet, written out one per line, and a few for markdown, templates,
XML, JSON-in-HTML and CSV) goes into every string field and every markdown
file of a generated repository.  URL fields get URL-shaped vectors: each is
either refused by `trustdir check` (exit 1, an error naming the file and the
field) or accepted, and then it is built like the rest.  The site is built
and every file parsed: HTML with html.parser, feeds, sitemap and SVG with
xml.etree (HTML inside a feed entry parsed again as HTML), JSON with json,
CSV with csv.  The test fails on any event-handler attribute, inline style,
javascript:/vbscript:/data: URL, resource from another host, script the
theme did not write, iframe/object/embed/frame/base/meta refresh, element
the theme and cmark never write, or a page without its
Content-Security-Policy."""

import csv
import html.parser
import json
import os
import re
import xml.etree.ElementTree as ET

from tdlib import (FIXTURES, check, check_eq, commit_all, done, git, make_repo, run,
                   tempdir)

with open(os.path.join(FIXTURES, "xss-vectors.txt"), encoding="utf-8") as f:
    VECTORS = [line.rstrip("\n") for line in f if line.strip()]
check(len(VECTORS) >= 40, "at least 40 vectors: %d" % len(VECTORS))


def plain_ok(s):
    """Plain-text fields refuse control characters (markdown allows tab)."""
    return not any(ord(c) < 0x20 or ord(c) == 0x7f for c in s)


PLAIN = [v for v in VECTORS if plain_ok(v)]
CONTROL = [v for v in VECTORS if not plain_ok(v)]

# URL-shaped vectors for the URL fields.
URL_VECTORS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "javascript&colon;alert(1)", "jav&#x09;ascript:alert(1)", "java\tscript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "//evil.example/x", "https:javascript:alert(1)", "https:/evil.example/",
    "https:///evil.example/", "mailto:javascript:alert(1)",
    'https://x.example/"onmouseover="alert(1)',
    "https://x.example/'onmouseover='alert(1)",
    "https://x.example/?q=<script>alert(1)</script>",
    'https://x.example/#"><img src=x onerror=alert(1)>',
    "https://x.example/`onmouseover=alert(1)`", "https://x.example/\\\"x",
    "https://x.example/a b", "https://x.example/\u2028\u2029alert(1)",
    "https://javascript:alert(1)@x.example/",
    "https://x.example/?a=1&b=2&lt;script&gt;&#x27;",
    "https://x.example/%22onmouseover=%22alert(1)",
    "https://x.example/]]><script>alert(1)</script>",
    "https://x.example/=HYPERLINK(1)",
    'mailto:x@x.example?subject="><script>alert(1)</script>',
    "mailto:x@x.example?subject=%3Cscript%3E",
]
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def browser_url(v):
    """The URL as a browser reads it: C0 controls and spaces trimmed, tab and
    newlines removed anywhere."""
    v = v.strip("".join(chr(c) for c in range(0x21)))
    return re.sub(r"[\t\n\r]", "", v)


def scheme(v):
    m = SCHEME.match(browser_url(v))
    return m.group(1).lower() if m else ""


def must_refuse(v, mailto):
    """What check has to refuse in a URL field: anything but an absolute
    http(s) (or mailto:) address, and characters that could end an
    attribute or a tag."""
    ok = ("http", "https", "mailto") if mailto else ("http", "https")
    return (scheme(v) not in ok or browser_url(v).startswith(("//", "/\\"))
            or v != v.strip() or re.search(r'[\x00-\x20"<>`\\\x7f]', v) is not None
            or not re.match(r"^(https?://[^/]|mailto:.)", v))


# --- a repository -----------------------------------------------------------

def write(repo, rel, text):
    p = os.path.join(repo, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)


def write_json(repo, rel, obj):
    write(repo, rel, json.dumps(obj, ensure_ascii=False, indent=1) + "\n")


def md(v):
    """A markdown document that puts v in every block and inline context."""
    return ("# %s\n\n%s\n\n## %s\n\n- %s\n- [%s](%s)\n\n> %s\n\n`%s`\n\n"
            "    %s\n\n[ref][r1] ![%s](%s) <%s>\n\n[r1]: %s\n\n<div>%s</div>\n"
            % ((v,) * 14))


def pack(items, limit, sep=" "):
    """Groups items into strings of at most limit characters."""
    bins, cur = [], ""
    for it in items:
        if cur and len(cur) + len(sep) + len(it) > limit:
            bins.append(cur)
            cur = ""
        cur = cur + sep + it if cur else it
    if cur:
        bins.append(cur)
    return bins


def site_json(title, principles, base="https://xss.example/", repo_url=None):
    s = {"title": title, "base_url": base,
         "principles": principles, "layers": ["cloud", "ai"]}
    if repo_url:
        s["repo_url"] = repo_url
    return s


def profile(name, legal=None, website="https://vendor.example/", contact=None):
    p = {"name": name, "country": "DE", "website": website, "layers": ["cloud"],
         "member_since": "2026-01-01"}
    if legal:
        p["legal_name"] = legal
    if contact:
        p["security_contact"] = contact
    return p


def new_repo():
    repo = os.path.join(tempdir("trustdir-xss-"), "repo")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    return repo


# --- URL fields: refused, or accepted and built --------------------------------

def url_cases():
    """(field, file, make the repository's files with v in that field)."""
    pr = [{"id": "p01", "title": "P", "summary": "S"}]
    ev = {"type": "independent", "assessor": "A", "date": "2026-01-01",
          "principles": {"p01": {"status": "meets", "evidence": []}}}

    def assess(**kw):
        a = json.loads(json.dumps(ev))
        a.update(kw)
        return a

    def evid(v):
        a = json.loads(json.dumps(ev))
        a["principles"]["p01"]["evidence"] = [{"title": "T", "kind": "other", "url": v}]
        return a

    return [
        ("base_url", "content/site.json", False,
         lambda v: {"content/site.json": site_json("T", pr, base=v)}),
        ("repo_url", "content/site.json", False,
         lambda v: {"content/site.json": site_json("T", pr, repo_url=v)}),
        ("website", "vendors/acme/profile.json", False,
         lambda v: {"vendors/acme/profile.json": profile("Acme", website=v)}),
        ("security_contact", "vendors/acme/profile.json", True,
         lambda v: {"vendors/acme/profile.json": profile("Acme", contact=v)}),
        ("report_url", "vendors/acme/assessments/2026-01-01-a.json", False,
         lambda v: {"vendors/acme/assessments/2026-01-01-a.json":
                    assess(report_url=v)}),
        ("url", "vendors/acme/assessments/2026-01-01-a.json", False,
         lambda v: {"vendors/acme/assessments/2026-01-01-a.json": evid(v)}),
    ]


def small_repo_files():
    pr = [{"id": "p01", "title": "P", "summary": "S"}]
    return {"content/site.json": site_json("T", pr),
            "vendors/acme/profile.json": profile("Acme"),
            "vendors/acme/assessments/2026-01-01-a.json":
            {"type": "independent", "assessor": "A", "date": "2026-01-01",
             "principles": {"p01": {"status": "meets"}}}}


urlrepo = new_repo()
for rel, obj in small_repo_files().items():
    write_json(urlrepo, rel, obj)
write(urlrepo, "vendors/acme/summary.md", "Acme.\n")
commit_all(urlrepo, "A small directory")
rc, so, se = run("check", "--repo", urlrepo)
check_eq((rc, so), (0, "ok: 1 vendors, 1 principles, 0 pages\n"), "the small repository is valid")

accepted = {}   # field -> [URL vectors check accepted]
for field, rel, mailto, files in url_cases():
    accepted[field] = []
    for v in URL_VECTORS:
        base = small_repo_files()
        base.update(files(v))
        for r, obj in base.items():
            write_json(urlrepo, r, obj)
        rc, so, se = run("check", "--repo", urlrepo, "--worktree")
        if rc == 0:
            accepted[field].append(v)
            check(not must_refuse(v, mailto),
                  "check refuses %r in %s (it accepted it)" % (v, field))
        else:
            check_eq(rc, 1, "check exits 1 for %r in %s (stderr %r)" % (v, field, se))
            check(re.search(r'^%s:\d+:\d+: "%s"' % (re.escape(rel), field), so, re.M),
                  "the error names %s and \"%s\": %r" % (rel, field, so))
    check(accepted[field], "some URL vectors are accepted in %s and built" % field)
git(urlrepo, "checkout", "--", ".")

# Control characters are refused in plain-text fields, with the field named.
for v in CONTROL:
    files = small_repo_files()
    files["vendors/acme/profile.json"] = profile(v)
    for r, obj in files.items():
        write_json(urlrepo, r, obj)
    rc, so, se = run("check", "--repo", urlrepo, "--worktree")
    check_eq(rc, 1, "a control character in a name is refused: %r" % v)
    check('vendors/acme/profile.json:2:10: "name" holds a control character' in so,
          "and named: %r" % so)
git(urlrepo, "checkout", "--", ".")


def cycle(items, i):
    return items[i % len(items)]


# --- the directory: every vector in every string field and markdown file ---------

# The site's title and the principles' titles and summaries hold several
# vectors each (up to their limits of 300 and 1000 characters); the big
# build takes the first few, and one small build per group of vectors
# further down covers the rest.  Few principles keep the big site small:
# every directory and filter page lists every vendor's standing on each.
repo = new_repo()
TITLES = pack(PLAIN, 300)
SUMMARIES = pack(PLAIN, 1000)
NP = 4
principles = [{"id": "p%02d" % i, "title": TITLES[i], "summary": SUMMARIES[i]}
              for i in range(NP)]
write_json(repo, "content/site.json", site_json(TITLES[0], principles,
                                                repo_url=accepted["repo_url"][0]))
for i in range(NP):
    write(repo, "content/principles/p%02d.md" % i,
          "".join(md(v) for v in VECTORS[i::NP]))
write(repo, "content/pages/xss.md", "# Vectors\n\n" + "\n\n".join(VECTORS) + "\n")
for i, v in enumerate(VECTORS):
    slug = "v%03d" % i
    name = v if plain_ok(v) else "Vendor %d" % i
    p, q = "p%02d" % (i % NP), "p%02d" % ((i + 1) % NP)
    write_json(repo, "vendors/%s/profile.json" % slug, profile(
        name, legal=cycle(PLAIN, i + 1), website=cycle(accepted["website"], i),
        contact=cycle(accepted["security_contact"], i)))
    write(repo, "vendors/%s/summary.md" % slug, md(v))
    write_json(repo, "vendors/%s/assessments/2026-01-01-independent.json" % slug, {
        "type": "independent", "assessor": cycle(PLAIN, i), "date": "2026-01-01",
        "valid_until": "2027-01-01", "scope": md(v),
        "report_url": cycle(accepted["report_url"], i),
        "principles": {
            p: {"status": "meets", "summary": md(v), "evidence": [
                {"title": cycle(PLAIN, i), "kind": "other",
                 "url": cycle(accepted["url"], i), "date": "2026-01-01"},
                {"title": cycle(PLAIN, i + 2), "kind": "policy"}]},
            q: {"status": "partially-meets", "summary": cycle(VECTORS, i + 3)}}})
    write_json(repo, "vendors/%s/assessments/2026-02-01-self.json" % slug, {
        "type": "self-attestation", "date": "2026-02-01", "scope": cycle(VECTORS, i + 4),
        "principles": {p: {"status": "does-not-meet", "summary": md(cycle(VECTORS, i + 5)),
                           "evidence": [{"title": cycle(PLAIN, i + 6), "kind": "other"}]}}})
commit_all(repo, "Add every vector")
# A second change, so that history pages and feeds describe one.
write_json(repo, "vendors/v000/profile.json", profile(PLAIN[1], legal=PLAIN[2]))
commit_all(repo, cycle(PLAIN, 3), date="2026-06-02T12:00:00Z")

rc, so, se = run("check", "--repo", repo)
check_eq(rc, 0, "every vector is accepted as content (%s%s)" % (so[:2000], se))


# --- what a browser would run ---------------------------------------------------

URL_ATTRS = {"href", "src", "action", "formaction", "srcset", "poster", "background",
             "lowsrc", "dynsrc", "data", "xlink:href", "codebase", "cite", "longdesc",
             "usemap", "manifest", "ping", "icon"}
FORBIDDEN = {"iframe", "object", "embed", "frame", "frameset", "base", "applet",
             "bgsound", "style", "svg", "math", "xss", "video", "audio", "source",
             "marquee", "isindex", "xmp", "plaintext", "listing", "param"}
# What cmark writes for content (md.c keeps no raw HTML).
CMARK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "img", "em", "strong",
              "code", "pre", "blockquote", "ul", "ol", "li", "hr", "br"}
# Relative to the page, or (404.html, served at any path) under base_url's path.
THEME_SCRIPT = re.compile(r"^(?:(?:\.\./)*|/|/[^/\\].*/)(assets/[a-z0-9-]+\.[0-9a-f]{8}\.js)$")
problems = []


def problem(where, what):
    if len(problems) < 200:
        problems.append("%s: %s" % (where, what))


def url_problem(where, tag, name, value):
    """javascript:, vbscript:, data: (but in img src), and resources that
    load from another host."""
    for v in ([u.strip().split(" ")[0] for u in value.split(",")]
              if name == "srcset" else [value]):
        s = scheme(v)
        if s in ("javascript", "vbscript", "livescript", "mocha") or (
                s == "data" and not (tag == "img" and name == "src")):
            problem(where, '<%s %s="%s">: a %s: URL' % (tag, name, value, s))
        loads = ((tag in ("img", "script", "input") and name == "src")
                 or name in ("srcset", "poster", "background", "lowsrc", "dynsrc"))
        if loads and (s or browser_url(v).startswith(("//", "/\\"))):
            problem(where, '<%s %s="%s">: loads from another host' % (tag, name, value))


class Checker(html.parser.HTMLParser):
    """Finds what a browser would run in one HTML document."""

    def __init__(self, where, page, allowed, site_dir):
        super().__init__(convert_charrefs=True)
        self.where, self.page, self.allowed, self.site_dir = where, page, allowed, site_dir
        self.csp, self.in_head, self.in_script = 0, False, False
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        where = "%s:%d" % (self.where, self.getpos()[0])
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "head":
            self.in_head = True
        if tag in FORBIDDEN:
            problem(where, "a <%s> element" % tag)
        elif self.allowed is not None and tag not in self.allowed:
            problem(where, "an element neither the theme nor cmark writes: <%s %s>"
                    % (tag, attrs))
        for name, value in attrs:
            if name.startswith("on"):
                problem(where, "an event handler: <%s %s=%r>" % (tag, name, value))
            if name == "style":
                problem(where, "an inline style: <%s style=%r>" % (tag, value))
            if name in URL_ATTRS and value is not None:
                url_problem(where, tag, name, value)
        if tag == "meta":
            equiv = (a.get("http-equiv") or "").lower()
            if equiv == "refresh":
                problem(where, "a meta refresh")
            if equiv == "content-security-policy":
                self.csp_meta(where, a.get("content") or "")
            elif equiv:
                problem(where, "a meta http-equiv=%r" % equiv)
        if tag == "link":
            rel = (a.get("rel") or "").lower().split()
            if set(rel) & {"stylesheet", "icon", "preload", "prefetch", "import",
                           "modulepreload"}:
                url_problem(where, "img", "src", a.get("href") or "")
        if tag == "script":
            self.in_script = True
            m = THEME_SCRIPT.match(a.get("src") or "")
            if (not self.page or set(a) != {"src", "defer"} or not m
                    or not os.path.isfile(os.path.join(self.site_dir, m.group(1)))):
                problem(where, "a script the theme did not write: %r" % attrs)
        if tag in ("form", "button", "input") and (a.get("action") or a.get("formaction")):
            url_problem(where, "script", "src", a.get("action") or a.get("formaction"))

    def csp_meta(self, where, content):
        self.csp += 1
        if not self.in_head:
            problem(where, "the Content-Security-Policy is outside <head>")
        d = {p.strip().split(" ")[0]: p.strip() for p in content.split(";") if p.strip()}
        if "default-src 'self'" not in d.get("default-src", ""):
            problem(where, "the CSP lacks default-src 'self': %r" % content)
        if re.search(r"unsafe-inline|unsafe-eval|https?:|\*|data:", d.get("script-src", "")
                     + d.get("default-src", "")):
            problem(where, "the CSP allows inline or foreign script: %r" % content)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.in_script = False

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            problem("%s:%d" % (self.where, self.getpos()[0]), "an inline script: %r"
                    % data[:80])

    def handle_comment(self, data):
        if "<" in data or ">" in data or "script" in data.lower():
            problem(self.where, "a comment with markup: %r" % data[:80])

    def unknown_decl(self, data):
        problem(self.where, "a declaration: %r" % data[:80])


def check_html(where, text, allowed, page=None, site_dir=None):
    c = Checker(where, page, allowed, site_dir)
    c.feed(text)
    c.close()
    if page is not None and c.csp != 1:
        problem(where, "%d Content-Security-Policy meta elements, not 1" % c.csp)
    return c.tags


def check_xml(where, path, allowed):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        problem(where, "not well-formed XML: %s" % e)
        return
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        if tag in ("script", "foreignObject") or tag in FORBIDDEN - {"svg", "style"}:
            problem(where, "a <%s> element" % tag)
        for name, value in el.attrib.items():
            name = name.split("}")[-1]
            if name.startswith("on"):
                problem(where, "an event handler %s=%r" % (name, value))
            if name in URL_ATTRS:
                url_problem(where, tag, name, value)
        if tag in ("loc", "id", "uri") and el.text:
            url_problem(where, tag, "href", el.text.strip())
        # A feed reader renders type="html" content as HTML.
        if el.get("type") in ("html", "xhtml") and el.text:
            check_html(where + " <%s>" % tag, el.text, allowed)


def check_json(where, path):
    try:
        with open(path, encoding="utf-8") as f:
            json.load(f)
    except ValueError as e:
        problem(where, "not valid JSON: %s" % e)


def check_csv(where, path):
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.reader(f), 1):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    problem("%s:%d" % (where, n), "a cell a spreadsheet runs: %r" % cell[:60])


def check_site(site, allowed):
    """Checks every file of a built site; returns the set of HTML tags seen."""
    tags, n = set(), 0
    for d, _, files in os.walk(site):
        for fn in files:
            path = os.path.join(d, fn)
            rel = os.path.relpath(path, site)
            ext = os.path.splitext(fn)[1]
            n += 1
            if ext == ".html":
                with open(path, encoding="utf-8") as f:
                    tags |= check_html(rel, f.read(), allowed, rel, site)
            elif ext in (".xml", ".atom", ".svg"):
                check_xml(rel, path, allowed)
            elif ext == ".json":
                check_json(rel, path)
            elif ext == ".csv":
                check_csv(rel, path)
            elif fn == "robots.txt":
                with open(path, encoding="utf-8") as f:
                    for line in f.read().split("\n"):
                        if not re.match(r"^(|(User-agent|Allow|Disallow): [^:]*|Sitemap: [^\t ]+)$",
                                        line):
                            problem(rel, "a line a crawler would not expect: %r" % line)
            elif ext in (".css", ".js", ""):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for bad in ("alert(", "xss.example", "javascript:alert"):
                    if bad in text:
                        problem(rel, "content reached a %s file: %r" % (ext or fn, bad))
            else:
                problem(rel, "a file of unexpected type")
    return tags, n


# What the theme writes, learnt from the rich fixture (checked on its own).
rich_site = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", make_repo("rich"), "--out", rich_site)
check_eq(rc, 0, "build of the rich fixture (%s)" % se)
theme_tags, _ = check_site(rich_site, None)
check_eq(problems, [], "the rich fixture's site is clean")
del problems[:]
allowed = theme_tags | CMARK_TAGS

site = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", site)
check_eq(rc, 0, "build of every vector (%s)" % se)
tags, nfiles = check_site(site, allowed)
check(nfiles > len(VECTORS), "the site has a page per vendor: %d files" % nfiles)
for v in ("onerror", "onmouseover", "javascript:alert"):
    check(any(v in open(os.path.join(site, "vendors", "v%03d" % i, "index.html"),
                        encoding="utf-8").read() for i in range(len(VECTORS))),
          "the vectors reach the pages as text: %s" % v)
for p in problems:
    print("FAIL:", p)
check_eq(len(problems), 0, "no file of the site runs anything a vector put there")
del problems[:]

# Every group of vectors as the site's title and a principle's title and
# summary, with every accepted base_url and repo_url: one small build each.
small = new_repo()
for rel, obj in small_repo_files().items():
    write_json(small, rel, obj)
write(small, "vendors/acme/summary.md", "Acme.\n")
bases = accepted["base_url"]
for i in range(max(len(TITLES), len(bases), len(accepted["repo_url"]))):
    t = cycle(TITLES, i)
    pr = [{"id": "p01", "title": t, "summary": cycle(SUMMARIES, i)}]
    write_json(small, "content/site.json", site_json(
        t, pr, base=cycle(bases, i), repo_url=cycle(accepted["repo_url"], i)))
    commit_all(small, cycle(PLAIN, i), date="2026-06-%02dT12:00:00Z" % (1 + i % 28))
    out = os.path.join(tempdir(), "site")
    rc, so, se = run("build", "--repo", small, "--out", out)
    check_eq(rc, 0, "build with site title %d (%s)" % (i, se))
    check_site(out, allowed)
for p in problems:
    print("FAIL:", p)
check_eq(len(problems), 0, "site titles and base URLs are escaped everywhere")

done("test_xss")
