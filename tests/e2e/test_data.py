"""The data a user takes away: api/v1/*.json and directory.csv hold exactly
what the profiles show for the `rich` fixture (the same statuses, evidence,
expiry and staleness), every JSON file validates against the JSON Schema
published beside it, the documentation page lists every field of the
schemas, and directory.csv opens in Python's csv module with one row per
vendor and principle and no cell a spreadsheet would run as a formula."""

import copy
import csv
import html.parser
import io
import json
import os
import re
import shutil

from tdlib import (FIXTURES, check, check_eq, commit_all, debian_module, done, make_repo, read,
                   run, tempdir)

try:                         # Debian's python3-jsonschema (install-deps --test)
    jsonschema = debian_module("jsonschema")
except ImportError:          # else the small validator below
    jsonschema = None

CSV_COLUMNS = [
    "vendor", "vendor_slug", "country", "layers", "principle", "principle_title",
    "self_attested_status", "self_attested_date", "self_attested_expired",
    "self_attested_evidence_count", "self_attested_stale_evidence_count",
    "independent_status", "independent_assessor", "independent_date",
    "independent_valid_until", "independent_expired", "independent_evidence_count",
    "independent_stale_evidence_count", "profile_url"]


# --- reading the pages: a small element tree ------------------------------------------

class Node:
    def __init__(self, tag, attrs):
        self.tag, self.attrs, self.children = tag, dict(attrs), []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def all(self, tag=None, cls=None, **attrs):
        return [n for n in self.iter() if (tag is None or n.tag == tag)
                and (cls is None or cls in n.classes())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def one(self, tag=None, cls=None, **attrs):
        found = self.all(tag, cls, **attrs)
        return found[0] if found else None

    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return re.sub(r"\s+", " ", "".join(out)).strip()


class Tree(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs)
        self.stack[-1].children.append(n)
        if tag not in self.VOID:
            self.stack.append(n)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def page(path):
    return Tree(read(path)).root


# --- what a profile shows ------------------------------------------------------------

def profile_sides(out, slug):
    """{principle: {"self": side, "independent": side}} as the profile page
    shows them; a side is None when the page says there is none."""
    doc = page(os.path.join(out, "vendors", slug, "index.html"))
    result = {}
    for sec in doc.all("section", "principle-standing"):
        pid = sec.attrs["id"][len("principle-"):]
        sides = {}
        for side in sec.all("section", "side"):
            who = "independent" if "Independent" in side.one("h3").text() else "self"
            if "side--absent" in side.classes():
                sides[who] = None
                continue
            mark = side.one("p", "side__status").one("span", "mark")
            status = [c[len("mark--"):] for c in mark.classes()
                      if c.startswith("mark--") and c != "mark--expired"][0]
            evidence = side.all("li", "evidence")
            facts = {dt.text(): dd.text() for dt, dd in
                     ((d.one("dt"), d.one("dd")) for d in side.one("dl").all("div"))}
            sides[who] = {
                "status": status,
                "expired": "mark--expired" in mark.classes(),
                "assessor": facts.get("Assessor"),
                "date": facts.get("Date"),
                "evidence": [{
                    "title": re.sub(r" \(no public link\)$", "",
                                    e.one("span", "evidence__title").text()),
                    "url": (e.one("span", "evidence__title").one("a") or Node("a", {})).attrs.get("href"),
                    "stale": e.one("span", "badge--stale") is not None,
                } for e in evidence],
            }
        result[pid] = sides
    return result


# --- JSON Schema ----------------------------------------------------------------------

def mini_validate(schema, value, root, path="$"):
    """The subset of JSON Schema 2020-12 the published schemas use, for a
    machine without the jsonschema module. Returns a list of errors."""
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return mini_validate(root["$defs"][name], value, root, path)
    if "anyOf" in schema:
        if any(not mini_validate(s, value, root, path) for s in schema["anyOf"]):
            return []
        return ["%s: matches none of anyOf" % path]
    errors = []
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
    t = schema.get("type")
    if t == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return ["%s: not an integer" % path]
    elif t and not isinstance(value, types[t]):
        return ["%s: not of type %s" % (path, t)]
    if "const" in schema and value != schema["const"]:
        errors.append("%s: not %r" % (path, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("%s: %r not in enum" % (path, value))
    if "pattern" in schema and not re.search(schema["pattern"], value):
        errors.append("%s: %r does not match %s" % (path, value, schema["pattern"]))
    if "minimum" in schema and value < schema["minimum"]:
        errors.append("%s: below minimum" % path)
    if t == "object":
        for k in schema.get("required", []):
            if k not in value:
                errors.append("%s: %s is missing" % (path, k))
        props = schema.get("properties", {})
        for k, v in value.items():
            if k in props:
                errors += mini_validate(props[k], v, root, path + "." + k)
            elif schema.get("additionalProperties") is False:
                errors.append("%s: %s is not allowed" % (path, k))
    if t == "array" and "items" in schema:
        for i, v in enumerate(value):
            errors += mini_validate(schema["items"], v, root, "%s[%d]" % (path, i))
    return errors


def validate(schema, value):
    if jsonschema is not None:
        v = jsonschema.Draft202012Validator(schema)
        return ["%s: %s" % (e.json_path, e.message) for e in v.iter_errors(value)]
    return mini_validate(schema, value, schema)


def schema_paths(schema, node=None, prefix=""):
    """The field paths a schema describes, as the documentation writes them."""
    node = node if node is not None else schema
    out = []
    for name, sub in node.get("properties", {}).items():
        out.append(prefix + name)
        inner = sub
        if "anyOf" in inner:
            inner = [s for s in inner["anyOf"] if s.get("type") != "null"][0]
        suffix = "."
        if inner.get("type") == "array":
            inner, suffix = inner["items"], "[]."
        if "$ref" in inner:
            out += schema_paths(schema, schema["$defs"][inner["$ref"].split("/")[-1]],
                                prefix + name + suffix)
    return out


# --- the build ---------------------------------------------------------------------------

repo = make_repo("rich")
out = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out)
check_eq(rc, 0, "build of the rich fixture exits 0 (stderr: %s)" % se)
api = os.path.join(out, "api", "v1")


def load(rel):
    with open(os.path.join(out, rel), encoding="utf-8") as f:
        return json.load(f)


site_src = json.loads(read(os.path.join(FIXTURES, "rich", "content", "site.json")))
principle_ids = [p["id"] for p in site_src["principles"]]
slugs = sorted(os.listdir(os.path.join(FIXTURES, "rich", "vendors")))
slugs.remove("README.md")

for f in ["api/v1/site.json", "api/v1/vendors.json", "api/v1/schema/site.json",
          "api/v1/schema/vendors.json", "api/v1/schema/vendor.json", "api/index.html",
          "directory.csv", "assets/search.json", "compare/index.html"] + \
        ["api/v1/vendors/%s.json" % s for s in slugs]:
    check(os.path.isfile(os.path.join(out, f)), "the site has " + f)

# --- every JSON file validates against its published schema --------------------------------
schemas = {n: load("api/v1/schema/%s.json" % n) for n in ("site", "vendors", "vendor")}
for name, schema in schemas.items():
    check_eq(schema.get("$schema"), "https://json-schema.org/draft/2020-12/schema",
             "schema %s is JSON Schema 2020-12" % name)
    check_eq(schema.get("$id"), "https://directory.example.org/api/v1/schema/%s.json" % name,
             "schema %s has its address as $id" % name)
    if jsonschema is not None:
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as e:
            check(False, "schema %s is a valid JSON Schema: %s" % (name, e.message))

files = [("api/v1/site.json", "site"), ("api/v1/vendors.json", "vendors")] + \
        [("api/v1/vendors/%s.json" % s, "vendor") for s in slugs]
for rel, name in files:
    doc = load(rel)
    errors = validate(schemas[name], doc)
    check(not errors, "%s validates against api/v1/schema/%s.json: %s" % (rel, name, errors[:5]))
    check_eq(doc.get("$schema"), "https://directory.example.org/api/v1/schema/%s.json" % name,
             "%s names its schema" % rel)

# The schemas are strict: they are not passed by just anything.
bad = load("api/v1/vendors/example-networks.json")
for what, change in [
        ("an undocumented field", lambda d: d.update(extra=1)),
        ("a missing field", lambda d: d.pop("country")),
        ("an unknown status", lambda d: d["principles"][0]["independent"].update(status="mostly")),
        ("a count that is not an integer", lambda d: d["principles"][0]["self_attestation"]
         .update(evidence_count="1")),
        ("a malformed date", lambda d: d.update(member_since="13 Feb 2026"))]:
    doc = copy.deepcopy(bad)
    change(doc)
    check(validate(schemas["vendor"], doc), "the vendor schema rejects %s" % what)

# --- the documentation page lists every field of every schema, and only those ---------------
docs = page(os.path.join(out, "api", "index.html"))
for name, title in [("site", "api/v1/site.json"), ("vendors", "api/v1/vendors.json"),
                    ("vendor", "api/v1/vendors/<slug>.json")]:
    caption = [c for c in docs.all("caption") if c.text() == "Fields of " + title]
    check(caption, "the API page documents " + title)
    if caption:
        tbl = [t for t in docs.all("table") if caption[0] in t.children][0]
        documented = [tr.one("th").text() for tr in tbl.one("tbody").all("tr")]
        check_eq(documented, schema_paths(schemas[name]),
                 "the API page lists exactly the fields of api/v1/schema/%s.json" % name)
documented = [tr.one("th").text() for tr in
              [t for t in docs.all("table") if t.one("caption") is not None and
               t.one("caption").text() == "Columns of directory.csv, in order"][0]
              .one("tbody").all("tr")]
check_eq(documented, CSV_COLUMNS, "the API page lists the columns of directory.csv")

# --- the API says what the profiles say ------------------------------------------------------
site = load("api/v1/site.json")
check_eq([p["id"] for p in site["principles"]], principle_ids, "site.json: principles in order")
check_eq([p["title"] for p in site["principles"]], [p["title"] for p in site_src["principles"]],
         "site.json: principle titles")
check_eq(site["vendor_count"], 5, "site.json: vendor_count")
check_eq([s["id"] for s in site["statuses"]],
         ["meets", "partially-meets", "does-not-meet", "not-assessed", "none"], "site.json: statuses")
check_eq(site["commit"]["date"], "2026-06-01", "site.json: the commit date")

vendors = load("api/v1/vendors.json")
check_eq(vendors["principles"], principle_ids, "vendors.json: principle ids in order")
check_eq([v["slug"] for v in vendors["vendors"]],
         ["acme-software", "borealis-cloud", "example-networks", "nordlys-chips", "sample-ai"],
         "vendors.json: every vendor, in the directory's order")

directory = page(os.path.join(out, "index.html"))
prof_en = page(os.path.join(out, "vendors", "example-networks", "index.html"))
shown = {}
for slug in slugs:
    shown[slug] = profile_sides(out, slug)
    check_eq(sorted(shown[slug]), sorted(principle_ids), "%s: the profile shows every principle" % slug)

brief = {v["slug"]: v for v in vendors["vendors"]}
for slug in slugs:
    full = load("api/v1/vendors/%s.json" % slug)
    b = brief[slug]
    check_eq(full["name"], b["name"], "%s: one name in both files" % slug)
    check_eq([p["id"] for p in full["principles"]], principle_ids, "%s: principles in order" % slug)
    row = [r for r in directory.one("table", "members").one("tbody").all("tr")
           if r.one("th").one("a").attrs.get("href") == "vendors/%s/" % slug][0]
    # Member, country, layers, then per principle a self-attested and an
    # independent mark; the class says the status, the cell says it in words.
    marks = row.all("td")[2:]
    check_eq(len(marks), 2 * len(principle_ids), "%s: two marks per principle" % slug)
    for i, pid in enumerate(principle_ids):
        st = b["standings"][i]
        check_eq(st["principle"], pid, "%s: standing %d is %s" % (slug, i, pid))
        for who, key in (("self", "self_attestation"), ("independent", "independent")):
            want = shown[slug][pid][who]
            what = "%s/%s/%s" % (slug, pid, who)
            side, fside = st[key], full["principles"][i][key]
            if want is None:
                check(side is None and fside is None, "%s: no assessment in the API either" % what)
                tok = "none"
            else:
                tok = want["status"]
                for s, f in ((side, "vendors.json"), (fside, slug + ".json")):
                    if s is None:
                        check(False, "%s: %s has the side the profile shows" % (what, f))
                        continue
                    check_eq(s["status"], want["status"], "%s: status in %s" % (what, f))
                    check_eq(s["expired"], want["expired"], "%s: expired in %s" % (what, f))
                    check_eq(s["evidence_count"], len(want["evidence"]),
                             "%s: evidence count in %s" % (what, f))
                    check_eq(s["stale_evidence_count"], sum(e["stale"] for e in want["evidence"]),
                             "%s: stale evidence in %s" % (what, f))
                    check_eq(s["assessor"], want["assessor"], "%s: assessor in %s" % (what, f))
                    check_eq(s["date"], want["date"], "%s: date in %s" % (what, f))
                if fside is not None:
                    check_eq([{"title": e["title"], "url": e["url"], "stale": e["stale"]}
                              for e in fside["evidence"]], want["evidence"],
                             "%s: the same evidence, links and stale marks" % what)
            # The directory row says the same.
            cell = marks[2 * i + (who == "independent")]
            check_eq(cell.classes(), ["st--" + tok], "%s: the directory row says %s" % (what, tok))
            check(re.match(r"(Meets|Partially meets|Does not meet|Not assessed|No assessment)( Expired)?$",
                           cell.text()), "%s: the directory's mark in words (%r)" % (what, cell.text()))

# Spot checks against EXPECTED.md, so that a profile and API wrong together still fail.
en = load("api/v1/vendors/example-networks.json")
sd = en["principles"][principle_ids.index("secure-development")]
check_eq(sd["independent"]["status"], "does-not-meet", "example-networks: independent secure-development")
check_eq([e["url"] for e in sd["independent"]["evidence"]], [None, None],
         "example-networks: evidence without a public link has url null")
check_eq(sd["self_attestation"]["stale_evidence_count"], 1, "example-networks: the 2023 certificate is stale")
oe = en["principles"][principle_ids.index("open-ecosystem")]
check_eq(oe["independent"]["status"], "not-assessed", "a principle left out is not-assessed")
check_eq(en["history"], {
    "listed_since": "2026-06-01", "last_changed": "2026-06-01", "change_count": 1,
    "url": "https://directory.example.org/vendors/example-networks/history/",
    "feed_url": "https://directory.example.org/vendors/example-networks/history.atom"},
    "example-networks: the history summary")
facts = {dt.text(): dd.text() for dt, dd in
         ((d.one("dt"), d.one("dd")) for d in prof_en.one("dl", "facts").all("div"))}
check_eq(facts.get("Listed since"), en["history"]["listed_since"], "listed since, as the profile says")
bc = brief["borealis-cloud"]["standings"][principle_ids.index("secure-development")]
check(bc["independent"]["expired"] and bc["independent"]["status"] == "meets",
      "borealis-cloud: an expired independent finding keeps its status, marked expired")
sa = load("api/v1/vendors/sample-ai.json")
check_eq(sa["name"], 'Sämple AI & Co. "Ω" <Labs>', "names are data in JSON, not escaped for HTML")
check(all(p["self_attestation"] is None and p["independent"] is None for p in sa["principles"]),
      "sample-ai: no assessment at all")
check("<script>" not in sa["summary_html"] and "javascript:" not in sa["summary_html"],
      "summary_html is the profile's safe HTML")
check_eq(sa["assessments"], [], "sample-ai: no assessments")
check_eq([a["id"] for a in en["assessments"]], ["2026-05-04-independent", "2026-02-13-self-attestation"],
         "assessments newest first")

# --- directory.csv ----------------------------------------------------------------------------
raw = open(os.path.join(out, "directory.csv"), "rb").read()
check(not raw.startswith(b"\xef\xbb\xbf"), "directory.csv has no byte order mark")
check(raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""),
      "directory.csv ends every line with CR LF")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
check_eq(rows[0], CSV_COLUMNS, "directory.csv: the header row")
records = [dict(zip(rows[0], r)) for r in rows[1:]]
check(all(len(r) == len(CSV_COLUMNS) for r in rows), "directory.csv: every row has every column")
check_eq(len(records), len(slugs) * len(principle_ids), "directory.csv: one row per vendor and principle")
check_eq([(r["vendor_slug"], r["principle"]) for r in records],
         [(s, p) for s in brief for p in principle_ids], "directory.csv: vendors in order, principles in order")
for r in records:
    slug, pid = r["vendor_slug"], r["principle"]
    what = "directory.csv %s/%s" % (slug, pid)
    check_eq(r["vendor"], brief[slug]["name"], what + ": vendor name")
    check_eq(r["profile_url"], "https://directory.example.org/vendors/%s/" % slug, what + ": profile_url")
    for who, col in (("self", "self_attested"), ("independent", "independent")):
        want = shown[slug][pid][who]
        check_eq(r[col + "_status"], want["status"] if want else "none", "%s: %s status" % (what, who))
        check_eq(r[col + "_evidence_count"], str(len(want["evidence"])) if want else "",
                 "%s: %s evidence count" % (what, who))
        check_eq(r[col + "_stale_evidence_count"],
                 str(sum(e["stale"] for e in want["evidence"])) if want else "",
                 "%s: %s stale evidence" % (what, who))
        check_eq(r[col + "_expired"], ("yes" if want["expired"] else "no") if want else "",
                 "%s: %s expired" % (what, who))
        check_eq(r[col + "_date"], want["date"] if want else "", "%s: %s date" % (what, who))
    want = shown[slug][pid]["independent"]
    check_eq(r["independent_assessor"], want["assessor"] if want else "", what + ": assessor")
check_eq(records[0]["layers"], "software", "layers of one")
check_eq([r["layers"] for r in records if r["vendor_slug"] == "borealis-cloud"][0], "cloud; ai",
         "layers are separated by '; '")
check_eq(sum(r["independent_expired"] == "yes" for r in records), 5,
         "borealis-cloud's independent assessment is expired on every principle")

# --- the compare page: complete without JavaScript --------------------------------------------
cmp = page(os.path.join(out, "compare", "index.html"))
rows_html = cmp.one("table", "matrix").one("tbody").all("tr")
check_eq([r.attrs["data-slug"] for r in rows_html], list(brief), "compare: members in the directory's order")
check_eq([th.attrs.get("data-sort-key") for th in cmp.one("table", "matrix").one("thead").all("th")
          if th.attrs.get("data-sort-key")],
         ["name", "country"] + principle_ids, "compare: principles in site.json's order")
check_eq([th.text() for th in cmp.one("table", "matrix").one("thead").all("tr")[1].all("th")],
         ["SelfSelf-attestation", "Ind.Independent assessment"] * len(principle_ids),
         "compare: each principle's two columns are named once, in the header")
for r in rows_html:
    slug = r.attrs["data-slug"]
    cells = r.all("td")[1:]
    check_eq(len(cells), 2 * len(principle_ids), "compare %s: two cells per principle" % slug)
    for i, pid in enumerate(principle_ids):
        for k, who in enumerate(("self", "independent")):
            want = shown[slug][pid][who]
            c = cells[2 * i + k]
            check_eq(c.classes(), ["st--" + (want["status"] if want else "none")],
                     "compare %s/%s: %s status" % (slug, pid, who))
            check(re.match(r"(Meets|Partially meets|Does not meet|Not assessed|No assessment)( Expired)?$",
                           c.text()),
                  "compare %s/%s/%s: the standing in words, not colour alone (%r)" % (slug, pid, who, c.text()))
links = [a.attrs.get("href") for a in cmp.all("a")]
check("../api/v1/vendors.json" in links and "../directory.csv" in links,
      "the compare page links to the data it shows")
prof = page(os.path.join(out, "vendors", "example-networks", "index.html"))
check("../../api/v1/vendors/example-networks.json" in [a.attrs.get("href") for a in prof.all("a")],
      "a profile links to its data")

# --- the search index ----------------------------------------------------------------------------
idx = load("assets/search.json")
check_eq(idx["fields"], ["slug", "name", "legal_name", "country", "country_name", "layers", "evidence"],
         "search.json: its fields")
entry = {v[0]: dict(zip(idx["fields"], v)) for v in idx["vendors"]}
check_eq(list(entry), list(brief), "search.json: every vendor, in order")
check_eq(entry["example-networks"]["legal_name"], "Example Networks Oy", "search.json: legal name")
check("Penetration test report (shared under NDA)" in entry["example-networks"]["evidence"],
      "search.json: evidence titles")
check_eq(entry["borealis-cloud"]["layers"], ["Cloud", "AI"], "search.json: layer labels")

# --- a second change: the history summary follows ----------------------------------------------
with open(os.path.join(repo, "vendors", "acme-software", "summary.md"), "a", encoding="utf-8") as f:
    f.write("\nNow with more software.\n")
commit_all(repo, "ACME: a longer summary", date="2026-06-15T09:00:00Z")
out3 = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out3)
check_eq(rc, 0, "build after a second commit")
with open(os.path.join(out3, "api", "v1", "vendors", "acme-software.json"), encoding="utf-8") as f:
    h = json.load(f)["history"]
check_eq((h["listed_since"], h["last_changed"], h["change_count"]), ("2026-06-01", "2026-06-15", 2),
         "acme-software: listed since the first commit, changed by the second")
with open(os.path.join(out3, "api", "v1", "vendors", "nordlys-chips.json"), encoding="utf-8") as f:
    check_eq(json.load(f)["history"]["change_count"], 1, "a vendor the second commit did not touch")

# --- --base-url reaches every address in the data -------------------------------------------------
out2 = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", repo, "--out", out2, "--base-url", "https://mirror.example.com/dir")
check_eq(rc, 0, "build with --base-url")
with open(os.path.join(out2, "api", "v1", "vendors.json"), encoding="utf-8") as f:
    v2 = json.load(f)
check_eq(v2["vendors"][0]["profile_url"], "https://mirror.example.com/dir/vendors/acme-software/",
         "--base-url sets the addresses in the API")
check_eq(v2["$schema"], "https://mirror.example.com/dir/api/v1/schema/vendors.json",
         "and the schema's address")

# --- formula injection: cells a spreadsheet would run are neutralised -------------------------------
evil = os.path.join(tempdir(), "evil")
shutil.copytree(os.path.join(FIXTURES, "rich"), evil)
names = {"acme-software": '=HYPERLINK("https://evil.example/","click")',
         "borealis-cloud": "+1+2", "nordlys-chips": "-1", "sample-ai": "@SUM(A1:A2)"}
for slug, name in names.items():
    p = os.path.join(evil, "vendors", slug, "profile.json")
    prof_json = json.loads(read(p))
    prof_json["name"] = name
    with open(p, "w", encoding="utf-8") as f:
        json.dump(prof_json, f, ensure_ascii=False)
p = os.path.join(evil, "vendors", "example-networks", "assessments", "2026-05-04-independent.json")
assessment = json.loads(read(p))
assessment["assessor"] = "=cmd|' /C calc'!A0"
with open(p, "w", encoding="utf-8") as f:
    json.dump(assessment, f, ensure_ascii=False)
p = os.path.join(evil, "content", "site.json")
s = json.loads(read(p))
s["principles"][0]["title"] = "-Governance, \"quoted\""
with open(p, "w", encoding="utf-8") as f:
    json.dump(s, f, ensure_ascii=False)
erepo = make_repo(evil)
eout = os.path.join(tempdir(), "site")
rc, so, se = run("build", "--repo", erepo, "--out", eout)
check_eq(rc, 0, "build of a directory whose names start with = + - @ (stderr: %s)" % se)
with open(os.path.join(eout, "directory.csv"), encoding="utf-8", newline="") as f:
    erows = list(csv.DictReader(f))
check_eq(len(erows), 25, "the neutralised CSV still has one row per vendor and principle")
for slug, name in names.items():
    cells = {r["vendor"] for r in erows if r["vendor_slug"] == slug}
    check_eq(cells, {"'" + name}, "the cell of %r starts with an apostrophe" % name)
check_eq({r["independent_assessor"] for r in erows if r["vendor_slug"] == "example-networks"},
         {"'=cmd|' /C calc'!A0"}, "an assessor that starts with = is neutralised")
check_eq({r["principle_title"] for r in erows if r["principle"] == "governance"},
         {"'-Governance, \"quoted\""}, "a title with - , and quotes is neutralised and quoted")
dangerous = [c for r in erows for c in r.values() if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
check_eq(dangerous, [], "no cell starts with = + - @ tab or CR")
with open(os.path.join(eout, "api", "v1", "vendors.json"), encoding="utf-8") as f:
    ev = json.load(f)
check_eq(sorted(v["name"] for v in ev["vendors"] if v["slug"] in names), sorted(names.values()),
         "JSON keeps the names as they are: it is not a spreadsheet")

done("test_data")
