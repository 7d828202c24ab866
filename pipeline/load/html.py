"""HTML (ModernGov pages saved from a browser): block structure kept as line breaks.

Block elements (p, div, li, tr, h1-h6, br, ...) end a line; table cells are separated
by a tab so a row stays on one line; script/style are dropped; entities decoded. List
items are printed as a browser shows them: '1.' (or 'a)', 'i.' for `type`) before an
ordered list's items, '•' before an unordered list's, so a resolution's numbered
points keep their labels.
Link targets are kept on the Document (the council resolver reads their domains).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ..document import Document, Page
from .encoding import decode, not_text_reason

BLOCK = {"p", "div", "li", "ul", "ol", "tr", "table", "thead", "tbody", "h1", "h2", "h3", "h4",
         "h5", "h6", "section", "article", "header", "footer", "caption", "dt", "dd", "dl",
         "blockquote", "pre", "form", "hr", "nav", "main", "aside", "title"}
SKIP = {"script", "style", "noscript", "template", "head"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self.skip_depth = 0
        self.title_parts: list[str] = []
        self.in_title = False
        self.headings: list[str] = []
        self._heading_buf: list[str] | None = None
        self.lists: list[list] = []  # open lists: [tag, next number, type]

    def _newline(self):
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        if tag in SKIP:
            self.skip_depth += 1
            return
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        if tag in ("h1", "h2", "caption"):
            self._heading_buf = []
        if tag in ("ol", "ul"):
            a = dict(attrs)
            start = a.get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1, (a.get("type") or "1")])
        if tag == "li" and not self.skip_depth:
            self._newline()
            self.parts.append(self._marker())
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag in ("td", "th"):
            if self.parts and not self.parts[-1].endswith(("\n", "\t")):
                self.parts.append("\t")
        elif tag in BLOCK:
            self._newline()

    def _marker(self) -> str:
        if not self.lists or self.lists[-1][0] == "ul":
            return "• "
        lst = self.lists[-1]
        n, kind = lst[1], lst[2]
        lst[1] += 1
        if kind in ("a", "A"):
            letter = chr(ord("a") + (n - 1) % 26)
            return f"({letter.upper() if kind == 'A' else letter}) "
        if kind in ("i", "I"):
            romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
            roman = romans[(n - 1) % 12]
            return f"({roman.upper() if kind == 'I' else roman}) "
        return f"{n}. "

    def handle_endtag(self, tag):
        if tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        if tag == "title":
            self.in_title = False
        if tag in SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in ("h1", "h2", "caption") and self._heading_buf is not None:
            text = " ".join("".join(self._heading_buf).split())
            if text:
                self.headings.append(text)
            self._heading_buf = None
        if tag in BLOCK:
            self._newline()

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if self.skip_depth:
            return
        data = re.sub(r"[ \t\r\n\xa0]+", " ", data)
        if self.parts and self.parts[-1].endswith(("\n", "\t")):
            data = data.lstrip(" ")
        if data:
            self.parts.append(data)
            if self._heading_buf is not None:
                self._heading_buf.append(data)


# ModernGov page headings that name the kind of page, not the matter (the next heading does).
GENERIC_HEADINGS = {"decision details", "issue - meetings", "issue - decisions", "issue history",
                    "issue details", "agenda item", "meeting details", "decisions", "agenda and minutes"}


def _best_title(title_tag: str, headings: list[str]) -> str | None:
    for text in headings:
        if text.lower() not in GENERIC_HEADINGS:
            return text
    return title_tag or (headings[0] if headings else None)


def html_to_text(html: str) -> tuple[str, list[str], str | None]:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [line.rstrip(" \t") for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"
    title = _best_title(" ".join("".join(parser.title_parts).split()), parser.headings)
    return text, parser.links, title


def load_html(data: bytes, *, doc_id: str, source_path: str) -> Document:
    from . import LoadError, tidy_text
    m = _META_CHARSET.search(data[:4096])
    html = decode(data, m.group(1).decode("ascii", "ignore") if m else None)
    why = not_text_reason(html)
    if why:
        raise LoadError("not_text", f"named as HTML, but its bytes are not text: {why}")
    text, links, title = html_to_text(html)
    return Document(doc_id=doc_id, source_path=source_path, format="html",
                    pages=[Page(1, tidy_text(text))], title=title, links=links)
