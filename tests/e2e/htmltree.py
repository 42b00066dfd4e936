"""A small element tree built with html.parser, for end-to-end tests that
look at what a reader of a page gets: headings, text, links, resources.
Python stdlib only. The pages it reads are validated separately (vnu), so
this parser only handles well-formed HTML: void elements and explicit end
tags, with an end tag closing everything opened after its start tag."""

import html.parser
import re

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent, line, col):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.line, self.col = line, col
        self.children = []          # Node or str

    def get(self, name, default=None):
        v = self.attrs.get(name, default)
        return default if v is None and default is not None else v

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def iter(self, tag=None):
        """Every element below (and including) this one, in document order."""
        if tag is None or self.tag == tag:
            yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter(tag)

    def find_all(self, tag=None, cls=None):
        return [n for n in self.iter(tag) if cls is None or cls in n.classes()]

    def find(self, tag=None, cls=None):
        r = self.find_all(tag, cls)
        return r[0] if r else None

    def text(self):
        """The text content, whitespace collapsed (what a reader sees, roughly)."""
        parts = []

        def walk(n):
            for c in n.children:
                if isinstance(c, str):
                    parts.append(c)
                elif c.tag not in ("script", "style", "template"):
                    walk(c)
        walk(self)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def next_element(self):
        if self.parent is None:
            return None
        sibs = [c for c in self.parent.children if isinstance(c, Node)]
        i = sibs.index(self)
        return sibs[i + 1] if i + 1 < len(sibs) else None


class _Builder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None, 1, 0)
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        line, col = self.getpos()
        n = Node(tag, attrs, self.stack[-1], line, col + 1)
        self.stack[-1].children.append(n)
        if tag not in VOID:
            self.stack.append(n)

    def handle_startendtag(self, tag, attrs):
        line, col = self.getpos()
        n = Node(tag, attrs, self.stack[-1], line, col + 1)
        self.stack[-1].children.append(n)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(text):
    b = _Builder()
    b.feed(text)
    b.close()
    return b.root


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read())
