#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/ from the fixtures and
the default theme:  python3 tests/fuzz/make-corpus.py

Each harness splits its input at lines "--8<--" (see the harness's own
comment for what each part is); the seeds are real files joined that way,
so that fuzzing starts from content that gets deep into the parser,
validator, renderer and template engine."""

import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
SEP = b"\n--8<--\n"


def rd(*path):
    with open(os.path.join(SRC, *path), "rb") as f:
        return f.read()


def rich(*p):
    return rd("tests", "fixtures", "rich", *p)


def bad(*p):
    return rd("tests", "fixtures", "bad", *p)


def tmpl(name):
    return rd("themes", "default", "templates", name + ".mustache")


def write(harness, seeds):
    d = os.path.join(HERE, "corpus", harness)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, data in seeds:
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


# fuzz_model: site.json, profile, assessment, summary.md, principle .md,
# page .md, second assessment, second vendor's profile and summary.
EN = ("vendors", "example-networks")
BC = ("vendors", "borealis-cloud")
BA = ("vendors", "bad-assessments")
write("fuzz_model", [
    ("rich-example-networks", SEP.join([
        rich("content", "site.json"), rich(*EN, "profile.json"),
        rich(*EN, "assessments", "2026-02-13-self-attestation.json"),
        rich(*EN, "summary.md"), rich("content", "principles", "governance.md"),
        rich("content", "pages", "about.md"),
        rich(*EN, "assessments", "2026-05-04-independent.json"),
        rich("vendors", "sample-ai", "profile.json"),
        rich("vendors", "sample-ai", "summary.md")])),
    ("rich-borealis-cloud", SEP.join([
        rich("content", "site.json"), rich(*BC, "profile.json"),
        rich(*BC, "assessments", "2026-02-13-self-attestation.json"),
        rich(*BC, "summary.md"), rich("content", "principles", "ethics.md"), b"",
        rich(*BC, "assessments", "2024-03-01-independent.json")])),
    ("rich-nordlys-chips", SEP.join([
        rich("content", "site.json"), rich("vendors", "nordlys-chips", "profile.json"),
        rich("vendors", "nordlys-chips", "assessments",
             "2026-03-01-self-attestation.json")])),
    ("bad-assessments", SEP.join([
        bad("content", "site.json"), bad(*BA, "profile.json"),
        bad(*BA, "assessments", "kind-blog.json"), bad(*BA, "summary.md"),
        bad("content", "principles", "governance.md"), b"",
        bad(*BA, "assessments", "short-sha256.json"),
        bad("vendors", "trailing-comma", "profile.json")])),
    ("bad-profiles", SEP.join([
        bad("content", "site.json"), bad("vendors", "country-name", "profile.json"),
        bad(*BA, "assessments", "status-mostly.json"), b"", b"", b"",
        bad(*BA, "assessments", "unknown-principle.json"),
        bad("vendors", "javascript-website", "profile.json")])),
    ("site-only", rich("content", "site.json")),
])

# fuzz_md: two option bytes, then a document.
docs = [rich("vendors", "sample-ai", "summary.md"), rich("content", "pages", "about.md"),
        rich("content", "principles", "supply-chain.md"),
        rich("vendors", "example-networks", "summary.md"), rd("README.md"),
        b"# Title\n\n## A\n\n## A\n\n[x](javascript:alert(1)) ![i](/a.png) "
        b"![j](https://e.example/j.png) [![k](x.png)](https://e.example)\n\n"
        b"<div onclick=x>raw</div>\n\n    code\n\n```c\nint x;\n```\n\n"
        b"> quote\n\n1. one\n2. two\n\n---\n\n[r]: <//evil.example> \"t\"\n[l][r]\n"]
write("fuzz_md", [("doc%d" % i, bytes([0x80 | (i % 9), 20 + 17 * i]) + d)
                  for i, d in enumerate(docs)])

# fuzz_tmpl: a JSON context, then the template "main", then "base" and
# "p", which main may include.
site = rich("content", "site.json")
write("fuzz_tmpl", [
    ("page", SEP.join([site, tmpl("page"), tmpl("base")])),
    ("principles", SEP.join([site, b"{{<base}}{{$main}}<ol>{{#principles}}"
                             b"<li id=\"{{id}}\">{{> p}}</li>{{/principles}}</ol>"
                             b"{{/main}}{{/base}}", tmpl("base"),
                             b"{{title}}: {{&summary}} {{{layers}}}{{^x}}!{{/x}}"])),
    ("side", SEP.join([rich("vendors", "example-networks", "assessments",
                            "2026-05-04-independent.json"),
                       tmpl("side"), tmpl("mark"), tmpl("evidence")])),
    ("directory", SEP.join([rich("vendors", "sample-ai", "profile.json"),
                            tmpl("directory"), tmpl("base"), tmpl("mark")])),
    ("delims", SEP.join([b'{"a":[1,2,{"b":"<x>"}],"c":true}',
                         b"{{=<% %>=}}<%#a%><%b%><%={{ }}=%>{{.}}{{/a}}\n"
                         b"  {{#c}}\n  {{> p}}\n  {{/c}}\n{{! comment }}",
                         b"", b"[{{a.0}}]\n"])),
])
