"""The structure pass: any Document as lines and blocks with page/char offsets.

Text copies of web pages, HTML and PDF text all come here, and every reader of
decisions, meetings and people works on what this pass returns, never on raw text:

- `doc_lines(doc)`: every line of every page with its offsets, its cleaned text
  (bullets, markdown marks, '|' cell bars and 'PDF 272 KB' link noise removed), its
  list label ('(a)', 'a)', 'i.', '1.', '1.1', '(1)') and its field label ('Decision
  Maker:', 'Contact:', from `vocab/fields.csv`). Repeated page headers and footers and
  page numbers are flagged as furniture. Two repairs make flattened pages readable:
  a web page rendered as a '|' table runs an item's fields into one line ('... KB
  Decision: Cabinet RESOLVED ... Minutes: RESOLVED ...') and a list into one line
  ('1) That ... 2) That ...'); such lines are split where the next field or label starts.
  A label printed alone on its line ('(i)' then the text, blank or '|' lines between)
  is joined to the text it labels.
- `blocks(doc)`: the lines grouped into headings, fields, list items, paragraphs and
  table rows, each with its page and span.

A Line's `start`/`end` are offsets into its page's text, so every reader's rows keep
exact provenance (`page.text[start:end]`).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .document import Document, Page
from .normalise.fiscal_year import find_fiscal_years
from .vocab import rows

# --- cleaning ------------------------------------------------------------------

_LEAD_JUNK = " \t\u00a0\u2002\u2003\u2009#*>-–—•·▪●◦►➢✓§|\uf0b7\uf0a7\uf0d8"
_LINK_NOISE = re.compile(r"\s*(?:pdf icon\s*)?PDF\s+\d+(?:\.\d+)?\s*[KM]B\b\s*", re.I)
_WS = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u202f]+")
_PAGE_NO = re.compile(r"^(?:page\s*\|?\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^page\s*\|\s*\d+$|^-\s*\d{1,3}\s*-$", re.I)
BULLETS = "-–—•·▪●◦►➢✓§\uf0b7\uf0a7\uf0d8"


def clean(text: str) -> str:
    """Line text for matching: bullets, markdown marks, cell bars, link noise and runs of spaces removed."""
    text = _LINK_NOISE.sub(" ", text)
    text = _WS.sub(" ", text).strip(_LEAD_JUNK)
    return text.rstrip("* ").strip()


def clean_text(text: str) -> str:
    """Text of a span for output: link noise removed, whitespace tidied."""
    text = _LINK_NOISE.sub(" ", text)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"\s*\n\s*\|?\s*(?=\S)", " ", text)  # '|' cell bars left between wrapped lines
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" -–|")


def norm_words(text: str) -> str:
    """Words for comparing two printings of the same text: lower case, punctuation and spacing ignored."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# --- list labels -----------------------------------------------------------------

_LABEL_RE = re.compile(
    r"^(?:\((?P<p>[A-Za-z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*)\)"
    r"|(?P<d>[A-Za-z]|[ivxlcIVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*)[.)]"
    r"|(?P<c>[A-Z]):"
    r"|(?P<n>\d{1,2}\.\d{1,2}))(?=[\s\u00a0]|$)")


def label_style(label: str, prev_style: str | None = None) -> str:
    if label[0].isdigit():
        return "decimal" if "." in label else "number"
    roman = set(label.lower()) <= set("ivxlc")
    if roman and (len(label) > 1 or prev_style == "roman" or (label.lower() == "i" and prev_style != "letter")):
        return "roman"
    return "letter"


def split_label(text: str) -> tuple[str | None, str]:
    """('a', rest) when `text` opens with a list label such as '(a)', '1.', 'ii)', '2.1', 'A:'."""
    m = _LABEL_RE.match(text)
    if not m:
        return None, text
    label = m.group("p") or m.group("d") or m.group("c") or m.group("n")
    return label, text[m.end():].lstrip(" .\t\u00a0")


_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def successor(label: str, style: str) -> str | None:
    """The label after `label` in its style ('b' after 'a', '3' after '2', 'iv' after 'iii', '2.2' after '2.1')."""
    if style == "letter" and len(label) == 1 and label.isalpha():
        return chr(ord(label) + 1)
    if style == "number" and label.isdigit():
        return str(int(label) + 1)
    if style == "decimal":
        head, _, tail = label.rpartition(".")
        return f"{head}.{int(tail) + 1}" if tail.isdigit() else None
    if style == "roman" and label.lower() in _ROMANS[:-1]:
        nxt = _ROMANS[_ROMANS.index(label.lower()) + 1]
        return nxt.upper() if label.isupper() else nxt
    return None


# --- fields ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _field_res() -> tuple[re.Pattern, re.Pattern]:
    """(field at a line start, run-in field inside a line)."""
    table = rows("fields")
    alts = "|".join(f"(?:{r['label']})" for r in table)
    runin = "|".join(f"(?:{r['label']})" for r in table if r["runin"] == "yes")
    start = re.compile(rf"^(?P<key>{alts})\s*\??\s*:\s*(?:-\s*)?", re.I)
    # mid-line: after a word that does not make the label part of the sentence ('the Decision:')
    inner = re.compile(rf"(?<=[\w.)|;,:])\s+(?<!\bthe\s)(?<!\bof\s)(?<!\bfor\s)(?<!\ba\s)(?<!Decision\s)"
                       rf"(?<!Publication\s)(?<!Meeting\s)(?<!Effective\s)(?=(?:{runin})\s*:(?:\s|$))")
    return start, inner


@lru_cache(maxsize=4096)
def field_of(text: str) -> tuple[str, str, int] | None:
    """(holds, label, offset of the value) when `text` opens with a labelled field ('Decision Maker: Cabinet')."""
    start, _inner = _field_res()
    m = start.match(text)
    if not m:
        return None
    key = m.group("key")
    for r in rows("fields"):
        if re.fullmatch(r["label"], key, re.I):
            return r["holds"], key, m.end()
    return None


# --- lines -------------------------------------------------------------------------

@dataclass
class Line:
    page: Page
    start: int          # offset of the raw line in page.text
    end: int            # end offset (no newline)
    clean: str
    furniture: bool = False
    cstart: int = 0     # offset where the cleaned content starts (first non-junk char)
    width: int = 0      # typical length of a full line of running text on this page
    doc_last: bool = False  # the last line of a text or HTML document (a web excerpt may stop inside it)

    @property
    def blank(self) -> bool:
        return not self.clean

    @property
    def label(self) -> str | None:
        return split_label(self.clean)[0]

    @property
    def field(self) -> tuple[str, str, int] | None:
        """(holds, label, offset in clean) of a labelled field opening the line."""
        return field_of(self.clean)


_EDGE = 4  # lines at each end of a page where running headers and footers sit
_RUNIN_LIST = re.compile(r"(?<=[\s.;:])(?P<lab>\d{1,2}\)|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[a-z]\))\s+(?=\S)")


# text re-published with its line breaks lost runs a resolution into the words before it
# ('... 2013RESOLVED:That the minutes ... noted.162. APOLOGIES FOR ABSENCE')
_GLUED = re.compile(r"(?<=[a-z0-9.)])(?=RESOLVED\s*(?::|-|–|\s+[Tt]hat\b))|(?<=[a-z]\.)(?=\d{1,3}\.\s?[A-Z]{3})")


def _runin_cuts(raw: str) -> list[int]:
    """Offsets inside one raw line where a run-in field or list item starts."""
    cuts: set[int] = set()
    _start, inner = _field_res()
    for m in inner.finditer(raw):
        cuts.add(m.end())
    for m in _GLUED.finditer(raw):
        cuts.add(m.start())
    # a list run into one line: '1) That ... 2) That ... 3) That ...' (labels in sequence)
    body = raw.lstrip(_LEAD_JUNK)
    first, _rest = split_label(body)
    if first is not None:
        style = label_style(first)
        want = successor(first, style)
        for m in _RUNIN_LIST.finditer(raw):
            lab = split_label(m.group("lab") + " x")[0]
            if lab is not None and lab == want:
                cuts.add(m.start("lab"))
                want = successor(lab, style)
    return sorted(c for c in cuts if 0 < c < len(raw))


def _page_lines(page: Page, cleaned: list[str] | None = None) -> list[Line]:
    """The page's lines; `cleaned`: `clean` of each of its raw lines, when the caller has it."""
    out: list[Line] = []
    pos = 0
    raws = page.text.split("\n")
    if cleaned is None:
        cleaned = [clean(r) for r in raws]
    lengths = sorted(len(c) for r, c in zip(raws, cleaned) if r.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    for raw, whole in zip(raws, cleaned):
        end = pos + len(raw)
        bounds = [0, *(_runin_cuts(raw) if len(raw) > 20 else ()), len(raw)]
        for a, b in zip(bounds, bounds[1:]):
            seg = raw[a:b]
            c = whole if b - a == len(raw) else clean(seg)
            lead = len(seg) - len(seg.lstrip(_LEAD_JUNK))
            stop = pos + a + len(seg.rstrip(" \t|"))
            out.append(Line(page, pos + a, max(stop, pos + a), c, cstart=pos + a + lead, width=width))
        pos = end + 1
    return _join_lone_labels(out)


def _join_lone_labels(lines: list[Line]) -> list[Line]:
    """A label alone on its line ('(i)', '5.1', '1.') is joined to the next content line on the page."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        label, rest = split_label(ln.clean) if ln.clean else (None, "")
        if label is not None and not rest:
            j = i + 1
            while j < len(lines) and lines[j].blank and j - i <= 4:
                j += 1
            if j < len(lines) and not lines[j].blank and split_label(lines[j].clean)[0] is None \
                    and field_of(lines[j].clean) is None:
                nxt = lines[j]
                out.append(Line(ln.page, ln.start, nxt.end, f"{ln.clean} {nxt.clean}", cstart=ln.cstart, width=ln.width))
                i = j + 1
                continue
        out.append(ln)
        i += 1
    return out


def doc_lines(doc: Document) -> list[Line]:
    """Every line of every page, with repeated page headers/footers and page numbers flagged.

    Computed once per Document (every reader shares it; readers never change a Line)."""
    cached = doc.__dict__.get("_structure_lines")
    if cached is not None and cached[0] == len(doc.pages):
        return cached[1]
    lines = _doc_lines(doc)
    doc.__dict__["_structure_lines"] = (len(doc.pages), lines)
    return lines


def _doc_lines(doc: Document) -> list[Line]:
    lines: list[Line] = []
    cleaned = [[clean(x) for x in page.text.split("\n")] for page in doc.pages]   # each raw line, once
    for page, page_cleaned in zip(doc.pages, cleaned):
        lines.extend(_page_lines(page, page_cleaned))
    if len(doc.pages) >= 3:
        # running headers and footers: lines repeated at the top or bottom of many pages
        # ('Amendment lost.' printed mid-page on six pages is content, not furniture)
        seen = Counter()
        for page_cleaned in cleaned:
            content = [c for c in page_cleaned if c]
            seen.update(set(content[:_EDGE] + content[-_EDGE:]))
        limit = max(3, len(doc.pages) * 0.4)
        repeated = {c for c, n in seen.items() if n >= limit and len(c) > 3}
    else:
        repeated = set()
    for ln in lines:
        if ln.clean and (_PAGE_NO.match(ln.clean) or ln.clean in repeated
                         or ln.clean.startswith("All minutes are draft until agreed")
                         or (ln.field or ("", "", 0))[0] == "skip" and len(ln.clean) < 30):
            ln.furniture = True
    k = last_content(lines)
    if k is not None and doc.format != "pdf":  # a PDF is the whole paper; a text copy may be a cut excerpt
        lines[k].doc_last = True
    return lines


def last_content(lines: list[Line]) -> int | None:
    """Index of the document's last line of content (where a cut web excerpt stops)."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].clean and not lines[i].furniture:
            return i
    return None


# --- blocks --------------------------------------------------------------------------

@dataclass
class Block:
    kind: str           # heading / field / item / paragraph / table_row
    page: Page
    start: int
    end: int
    text: str
    label: str | None = None   # list label of an item, field label of a field
    holds: str | None = None   # what a field holds (vocab/fields.csv)


TERMINAL = (".", ";", "!", "?", ":")  # what ends a line that closes a sentence or clause


def _is_heading(ln: Line, nxt: Line | None) -> bool:
    c = ln.clean
    if len(c) > 90 or c.endswith(TERMINAL[:4]) or not c[:1].isupper():
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’\-]*", c)]
    caps = sum(w[:1].isupper() for w in words)
    return bool(words) and (c.isupper() or caps * 2 >= len(words)) and (nxt is None or nxt.blank)


def blocks(doc: Document, lines: list[Line] | None = None) -> list[Block]:
    """The document as headings, labelled fields, list items, paragraphs and table rows."""
    lines = doc_lines(doc) if lines is None else lines
    out: list[Block] = []
    para: list[Line] = []

    def flush():
        if para:
            first, last = para[0], [p for p in para if p.page is para[0].page][-1]
            text = clean_text(" ".join(p.page.text[p.cstart:p.end] for p in para))
            out.append(Block("paragraph", first.page, first.cstart, last.end, text))
            para.clear()

    for i, ln in enumerate(lines):
        if ln.furniture:
            continue
        if ln.blank:
            flush()
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        raw = ln.page.text[ln.cstart:ln.end]
        f = ln.field
        label = ln.label
        if f is not None:
            flush()
            out.append(Block("field", ln.page, ln.cstart, ln.end, clean_text(ln.clean[f[2]:]), f[1], f[0]))
        elif label is not None:
            flush()
            out.append(Block("item", ln.page, ln.cstart, ln.end, clean_text(split_label(ln.clean)[1]), label))
        elif "\t" in raw or raw.count(" | ") >= 1:
            flush()
            out.append(Block("table_row", ln.page, ln.cstart, ln.end, clean_text(raw)))
        elif not para and _is_heading(ln, nxt):
            out.append(Block("heading", ln.page, ln.cstart, ln.end, ln.clean))
        else:
            para.append(ln)
    flush()
    return out


# --- section headings --------------------------------------------------------------

# a section or minute number, then any reference printed before the title ('88. 24/00108 - Revenue ...')
_SECTION_NO = re.compile(r"^\d{1,3}(?:\.\d{1,2})*\.?\s+(?:[A-Z]{0,4}\d[\w/.]*\s+[-–]\s+)?(?=[A-Z])")
_WRAP_MAX = 40  # the most of a heading that wraps onto a line of its own ('November' / '2024-25')
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with", "&"}


def _heading_text(c: str, max_len: int = 80) -> str | None:
    """The words of a line that reads as a section heading: 2 to 10 words, no figures but a
    financial year, no closing punctuation, its words capitalised but for small ones ('6 Community
    Grant Applications', '3 Revenue Budget 2025-26')."""
    bare = c
    for s, e, _fy in reversed(find_fiscal_years(c)):
        bare = bare[:s] + bare[e:]
    if len(c) > max_len or re.search(r"[\d£$%]", bare) or re.search(r"[.,;:!?]$", c):
        return None
    words = re.findall(r"[A-Za-z][\w'’\-]*|&", c)
    if not 2 <= len(words) <= 10:
        return None
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return c if big and all(w[:1].isupper() for w in big) else None


def section_headings(doc: Document, lines: list[Line] | None = None) -> list[tuple[int, int, str]]:
    """(page number, offset, text) of the numbered section headings of a document, in order: a
    capitalised line after a section number ('6 Community Grant Applications', '8.1 Treasury
    Management') that opens a paragraph (the line before ends a sentence). A short capitalised or
    upper-case line alone is not one: table cells and column headers look the same. Used for what a heading says of the figures under it, where the
    figures' own sentences say nothing (a list of rows under 'Community Grant Applications');
    a paper's PDF text rarely leaves the blank line after a heading that `blocks` looks for."""
    lines = doc_lines(doc) if lines is None else lines
    out: list[tuple[int, int, str]] = []
    prev: Line | None = None
    for i, ln in enumerate(lines):
        if ln.furniture:
            continue
        c = ln.clean
        if not c:
            prev = None
            continue
        m = _SECTION_NO.match(c)
        text = _heading_text(c[m.end():]) if m else None
        opens = prev is None or prev.page is not ln.page or prev.clean.endswith(TERMINAL)
        if m and text and opens:
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            # a title wrapped onto a short line of its own that still reads as a title
            if nxt is not None and nxt.page is ln.page and not nxt.furniture and 0 < len(nxt.clean) <= _WRAP_MAX:
                text = _heading_text(f"{text} {nxt.clean}", max_len=120) or text
            out.append((ln.page.number, ln.cstart, text))
        prev = ln
    return out
