"""Shared reading of decision blocks, used by the ModernGov, minutes and cover-sheet families.

A document is read as a flat list of `Line`s across its pages (page furniture such
as repeated headers and page numbers flagged), so a resolution continued over a page
break is still one decision. A decision block starts at a formula line
('RESOLVED that Council: -', '3. RESOLVED that Cabinet agree to:', 'RECOMMENDATIONS:',
'That Executive') and is either one paragraph or a list of labelled items ((a), 1.,
ii), 2.1). Spans never cross a page: an item continued on the next page keeps the
span of its first page and the full text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.document import Document, Page

# --- lines -----------------------------------------------------------------

_LEAD_JUNK = " \t\u00a0\u2002\u2003\u2009#*>-–—•·▪●◦►➢✓\uf0b7\uf0a7\uf0d8"
_LINK_NOISE = re.compile(r"\s*(?:pdf icon\s*)?PDF\s+\d+(?:\.\d+)?\s*[KM]B\b\s*", re.I)
_WS = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u202f]+")
_PAGE_NO = re.compile(r"^(?:page\s*\|?\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^page\s*\|\s*\d+$|^-\s*\d{1,3}\s*-$", re.I)


def clean(text: str) -> str:
    """Line text for matching: bullets, markdown marks, link noise and runs of spaces removed."""
    text = _LINK_NOISE.sub(" ", text)
    text = _WS.sub(" ", text).strip(_LEAD_JUNK)
    return text.rstrip("* ").strip()


@dataclass
class Line:
    page: Page
    start: int          # offset of the raw line in page.text
    end: int            # end offset (no newline)
    clean: str
    furniture: bool = False
    cstart: int = 0     # offset where the cleaned content starts (first non-junk char)
    width: int = 0      # typical length of a full line of running text on this page

    @property
    def blank(self) -> bool:
        return not self.clean


_EDGE = 4  # lines at each end of a page where running headers and footers sit


def doc_lines(doc: Document) -> list[Line]:
    """Every line of every page, with repeated page headers/footers and page numbers flagged."""
    lines: list[Line] = []
    for page in doc.pages:
        pos = 0
        raws = page.text.split("\n")
        lengths = sorted(len(clean(r)) for r in raws if r.strip())
        width = lengths[int(len(lengths) * 0.9)] if lengths else 0
        for raw in raws:
            end = pos + len(raw)
            c = clean(raw)
            lead = len(raw) - len(raw.lstrip(_LEAD_JUNK))
            lines.append(Line(page, pos, end, c, cstart=pos + lead, width=width))
            pos = end + 1
    if len(doc.pages) >= 3:
        # running headers and footers: lines repeated at the top or bottom of many pages
        # ('Amendment lost.' printed mid-page on six pages is content, not furniture)
        seen = Counter()
        for page in doc.pages:
            content = [c for c in (clean(x) for x in page.text.split("\n")) if c]
            seen.update(set(content[:_EDGE] + content[-_EDGE:]))
        limit = max(3, len(doc.pages) * 0.4)
        repeated = {c for c, n in seen.items() if n >= limit and len(c) > 3}
    else:
        repeated = set()
    for ln in lines:
        if ln.clean and (_PAGE_NO.match(ln.clean) or ln.clean in repeated
                         or ln.clean.startswith("All minutes are draft until agreed")):
            ln.furniture = True
    return lines


# --- labels ------------------------------------------------------------------

_LABEL_RE = re.compile(
    r"^(?:\((?P<p>[A-Za-z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*)\)"
    r"|(?P<d>[A-Za-z]|[ivxlcIVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*)[.)]"
    r"|(?P<n>\d{1,2}\.\d{1,2}))(?=[\s\u00a0]|$)")


def label_style(label: str, prev_style: str | None = None) -> str:
    if label[0].isdigit():
        return "decimal" if "." in label else "number"
    roman = set(label.lower()) <= set("ivxlc")
    if roman and (len(label) > 1 or prev_style == "roman" or (label.lower() == "i" and prev_style != "letter")):
        return "roman"
    return "letter"


def split_label(text: str) -> tuple[str | None, str]:
    """('a', rest) when `text` opens with a list label such as '(a)', '1.', 'ii)', '2.1'."""
    m = _LABEL_RE.match(text)
    if not m:
        return None, text
    label = m.group("p") or m.group("d") or m.group("n")
    return label, text[m.end():].lstrip(" .\t\u00a0")


# --- formulas and stops ----------------------------------------------------------

FORMULA_KINDS = {
    "resolved": "resolved", "resolve": "resolved", "resolves": "resolved",
    "recommended": "recommended", "recommend": "recommended", "recommends": "recommended",
    "agreed": "agreed", "agrees": "agreed", "ordered": "ordered", "decided": "decided", "decision": "decided",
    "noted": "noted", "approved": "approved",
}
# 'RESOLVED that ...', 'RESOLVED: That', '3. RESOLVED', 'Resolved that the minutes', 'NOTED'
FORMULA_RE = re.compile(
    r"^(?P<word>RESOLVED|RECOMMENDED|AGREED|ORDERED|DECIDED|NOTED|APPROVED"
    r"|Resolved|Recommended|Agreed|Ordered|Decided)\b(?!\s+(?:by|at|in)\b)\s*(?:[:\-–]\s*)*(?P<rest>.*)$")
# 'Committee resolved to note the apologies.'  'It was RESOLVED that'  'The Panel RESOLVED:'
INLINE_FORMULA_RE = re.compile(
    r"^(?:it was|the (?:\w+ ){0,4}|(?:cabinet|council|committee|panel|board|executive|sub-committee) )"
    r"(?:unanimously |therefore )?(?P<word>resolved|resolves|agreed|recommended|decided)\s*(?:[:,]\s*)?"
    r"(?P<rest>(?:that|to|in accordance with)\b.*)$", re.I)  # 'The Committee resolves in accordance with its powers under s137
RECS_HEADING_RE = re.compile(
    r"^(?:\d{1,2}\.?\s+|\d{1,2}\s*\|\s*)?(?:the\s+)?(?:RECOMMENDATIONS?|Recommendations?|Recommendation\(s\)|Proposed Decision)"
    r"(?:\s*\(s\))?(?:\s*/\s*Proposed Decision)?(?:\s+to\s+[\w ]{3,40})?\s*[:.\-]?\s*(?P<rest>.*)$")
BARE_THAT_RE = re.compile(r"^That\s+(?:the\s+)?(?:[A-Z][\w'&]*\s?){1,5}(?:is\s+(?:asked|recommended)\s+to)?\s*[:\-–]?\s*$")
STOP_RE = re.compile(
    r"^(?:Voting\b|Vote\b|Reasons?\b|Minutes\s*:|Minutes$|Decision\s*:|Decision$|Note\s*[-–:]|Note\b|NB\b|Portfolio Holders?\b"
    r"|Meeting\s*:|Additional documents|Alternative options|Other options|Options\b|Wards? affected|Key decision|KEY DE"
    r"|Report author|Background|Supporting documents?|SUPPORTING|Appendices|Financial implications|Legal implications"
    r"|Implications|Date of decision|Decision status|Decision Maker|Publication date|Is Key decision|Is subject to call"
    r"|Decided at meeting|Accompanying Documents|Contact\b|Reason for|REASO|Purpose\b|Summary\b|Executive summary"
    r"|Declarations?\b|Lead officer|Report of|Attachments|Documents|Signed|Chairman\s*$|Chair\s*$"
    r"|The meeting (?:ended|closed|adjourned)|Meeting (?:adjourned|reconvened|closed|ended)|Proposed by|Seconded by"
    r"|\(Item \d|\[|Mover\b|Motion\b|Amendment\b)", re.I)
ITEM_REF_RE = re.compile(r"^\((?:Agenda\s+)?Item\s+[\w.]+\)$", re.I)
_TERMINAL = (".", ";", "!", "?", ":")
# a numbered minute heading: '89. Draft Revenue Budget', '52 Apologies for Absence', '3 AUDIT COMMISSION ...'
MINUTE_HEADING_RE = re.compile(r"^(?P<num>\d{1,4})\.?\s+(?P<title>[A-Z][^\n]{2,200})$")
# a report's numbered section heading set off by a bar: '3 | Revenue Budget Forecast', '3a | Adult Social Care'
SECTION_BAR_RE = re.compile(r"^\d{1,2}[a-z]?\s*\|\s*[A-Z]")


def formula_of(text: str) -> tuple[str, str] | None:
    """(kind, rest of the line) when `text` opens a decision formula, else None."""
    label, rest = split_label(text)
    body = rest if label else text
    m = FORMULA_RE.match(body)
    if m:
        return FORMULA_KINDS[m.group("word").lower()], m.group("rest")
    m = INLINE_FORMULA_RE.match(body)
    if m:
        return FORMULA_KINDS[m.group("word").lower()], m.group("rest")
    return None


# --- items -----------------------------------------------------------------------

@dataclass
class Item:
    kind: str
    label: str
    text: str
    page: Page
    start: int
    end: int
    target: str | None = None      # body a recommendation is addressed to ('Council')
    line_index: int = 0
    formula_index: int = 0         # line of the formula that opened the block

    def tidy(self) -> str:
        return re.sub(r"\s+", " ", self.text).strip()


def _is_title_line(lines: list[Line], j: int) -> bool:
    """A short line followed by '(Item N)' is a minute title, not decision text."""
    k = _next_content(lines, j + 1)
    return k is not None and bool(ITEM_REF_RE.match(lines[k].clean))


def _next_content(lines: list[Line], j: int, stop_at_blank: bool = False) -> int | None:
    while j < len(lines):
        if lines[j].furniture:
            j += 1
            continue
        if lines[j].blank:
            if stop_at_blank:
                return None
            j += 1
            continue
        return j
    return None


def _short(text: str, width: int) -> bool:
    """A line well short of the page's full width ends its paragraph (when the page has prose)."""
    return width >= 50 and len(text) < 0.6 * width


def _continues(prev: str, nxt: Line, lines: list[Line], j: int, prev_line: Line | None = None) -> bool:
    """Does line `nxt` carry on the text that ended with `prev` (a PDF wrap)?"""
    c = nxt.clean
    if prev_line is not None and prev_line.page is not nxt.page and len(prev) < 40 \
            and not prev.endswith(("; and", "; or", ", and")):
        return False  # a narrow column (a table cell) is not carried over a page break
    if prev_line is not None and _short(prev, prev_line.width) and c[:1].isupper() and len(c) < 70 \
            and not c.endswith(_TERMINAL):
        k = _next_content(lines, j + 1)
        if k is not None and split_label(lines[k].clean)[0] is not None:
            return False  # 'Key Policies and Strategies' heading between items (b) and (c)
    if STOP_RE.match(c) or formula_of(c) or ITEM_REF_RE.match(c) or RECS_HEADING_RE.match(c) and c.isupper() \
            or SECTION_BAR_RE.match(c):
        return False
    if split_label(c)[0] is not None:
        return False
    if _is_title_line(lines, j):
        return False
    h = MINUTE_HEADING_RE.match(c)
    if h and len(c) < 90:
        words = h.group("title").split()
        if sum(w[:1].isupper() for w in words) * 2 >= len(words):
            return False  # '60 Social Inclusion Network Event': the next minute
    if prev.endswith(_TERMINAL) and not prev.endswith(("; and", "; or", ", and")):
        return c[:1].islower()
    if c[:1].isupper() and _XREF_TAIL.search(prev[-120:]):
        return False  # '... Please refer to Section 3' closed a table row; the next line is not part of it
    return True


def _collect(lines: list[Line], i: int, first_text_start: int) -> tuple[list[str], Page, int, int, int]:
    """Text of one paragraph starting on line i: (parts, page, start, end, next index)."""
    ln = lines[i]
    parts = [ln.page.text[first_text_start:ln.end]]
    page, start, end = ln.page, first_text_start, ln.end
    prev, prev_line = ln.clean, ln
    j = i + 1
    while j < len(lines):
        nxt = lines[j]
        if nxt.furniture:
            j += 1
            continue
        if nxt.blank or not _continues(prev, nxt, lines, j, prev_line):
            break
        if len(parts) >= 2:
            widest = max(len(p.strip()) for p in parts[1:])
            if widest < 45 and (len(nxt.clean) > widest + 8 or (len(prev) < 0.5 * widest and len(parts) > 2)):
                break  # a narrow table cell: a longer line is another column, a stub line ended the cell
        parts.append(nxt.page.text[nxt.cstart:nxt.end])
        if nxt.page is page:
            end = nxt.end
        prev, prev_line = nxt.clean, nxt
        j += 1
    return parts, page, start, end, j


def _text_start(ln: Line, consumed: str) -> int:
    """Offset in the page where the line's text after `consumed` (label, formula) begins."""
    raw = ln.page.text[ln.start:ln.end]
    idx = raw.find(consumed) if consumed else -1
    if idx < 0:
        return ln.cstart
    return ln.start + idx


def _successor(label: str, style: str) -> str | None:
    if style == "letter" and len(label) == 1 and label.isalpha():
        return chr(ord(label) + 1)
    if style == "number" and label.isdigit():
        return str(int(label) + 1)
    if style == "decimal":
        head, _, tail = label.rpartition(".")
        return f"{head}.{int(tail) + 1}" if tail.isdigit() else None
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    if style == "roman" and label.lower() in romans[:-1]:
        nxt = romans[romans.index(label.lower()) + 1]
        return nxt.upper() if label.isupper() else nxt
    return None


def _successor_line(lines: list[Line], k: int, label: str, style: str, reach: int = 30) -> int | None:
    """An item that runs on over several paragraphs: the next label ('b' after 'a') within reach."""
    want = _successor(label, style)
    if want is None:
        return None
    j, seen = k, 0
    while j < len(lines) and seen < reach:
        ln = lines[j]
        j += 1
        if ln.furniture or ln.blank:
            continue
        seen += 1
        c = ln.clean
        lab = split_label(c)[0]
        if lab is not None:
            return j - 1 if lab == want else None
        if STOP_RE.match(c) or formula_of(c) or RECS_HEADING_RE.match(c) or ITEM_REF_RE.match(c) \
                or (MINUTE_HEADING_RE.match(c) and len(c) < 90) or SECTION_BAR_RE.match(c):
            return None
    return None


# a paragraph that explains rather than decides: 'The concert programme would be drawn from ...',
# 'This would include ensuring ...', 'It is likely that ...'; or another recommendation sentence
# ('Council is recommended to approve events ...'). Bounded repeats: no backtracking blow-up.
_EXPLAINS_RE = re.compile(
    r"^(?:This|These|It|There|Such|The|An?|Our|Their|Its)(?:\s+[\w'’\-]+){0,4}?\s+"
    r"(?:would|could|might|is\s+likely|are\s+likely|is\s+expected|are\s+expected|has\s+been|have\s+been|was|were)\b")
_NEW_REC_RE = re.compile(r"^(?:The\s+)?[A-Z][\w'’]*(?:\s+[\w'’&]+){0,5}?\s+(?:is|are)\s+(?:asked|recommended|requested|invited)\s+to\b")


def _explains(text: str) -> bool:
    return bool(_EXPLAINS_RE.match(text) or _NEW_REC_RE.match(text) or STOP_RE.match(text))


def _absorb(item: Item, lines: list[Line], lo: int, hi: int) -> None:
    """Paragraphs between an item and the next label belong to the item ((a) ... two paragraphs ... (b)),
    up to the first paragraph that explains rather than decides ('This would include ...'): report
    prose printed between two recommendations is not part of either."""
    extra, para_start = [], True
    for ln in lines[lo:hi]:
        if ln.furniture:
            continue
        if not ln.clean:
            para_start = True
            continue
        if para_start and _explains(ln.clean):
            break
        extra.append(ln)
        para_start = ln.clean.endswith(_TERMINAL)
    if not extra:
        return
    item.text = clean_text(item.text + " " + " ".join(ln.page.text[ln.cstart:ln.end] for ln in extra))
    same = [ln for ln in extra if ln.page is item.page]
    if same and same[-1].end > item.end:
        item.end = same[-1].end


_DEEPER = {"decimal": ("letter", "roman"), "number": ("letter", "roman"), "letter": ("roman",), "roman": ()}


def parse_block(lines: list[Line], i: int, kind: str, rest: str, *, target: str | None = None,
                fold_nested: bool = True) -> tuple[list[Item], int]:
    """Read the decision block whose formula is on line i; `rest` is the line text after the formula.

    Returns the items and the index of the first line after the block.
    """
    ln = lines[i]
    rest = rest.strip()
    lead_in = (not rest or rest.endswith((":", "-", "–", ": -", ":-")) or BARE_THAT_RE.match(rest)
               or re.match(r"^that\s+(?:the\s+)?[\w ]{2,40}?(?:\s+(?:agree|agrees|is asked|be asked))?\s*(?:to)?\s*[:\-–]+\s*$", rest, re.I))
    inline_label, inline_rest = split_label(rest)
    items: list[Item] = []
    if rest and not lead_in and inline_label is None:
        # one paragraph decision: 'RESOLVED that the minutes ... be signed'
        para_label = split_label(ln.clean)[0] if formula_of(ln.clean) and split_label(ln.clean)[0] else ""
        start = _text_start(ln, rest[:20])
        parts, page, s, e, j = _collect(lines, i, start)
        text = " ".join(p.strip() for p in parts)
        text = clean_text(text)
        items.append(Item(kind, para_label or "", text, page, s, e, target, i))
        return items, j
    # a list: items labelled in one style, perhaps after one unlabelled lead-in line
    # ('2. Recommendations' / 'Council is recommended to approve: -' / 'a) That ...')
    j = i + 1
    if inline_label is None and rest.endswith(":"):
        # 'RESOLVED that:' / 'County Council, having ... is asked to agree the' / 'following:' / heading / '(a) ...'
        k, seen = _next_content(lines, j), 0
        while k is not None and seen < 6 and split_label(lines[k].clean)[0] is None:
            if STOP_RE.match(lines[k].clean) or formula_of(lines[k].clean):
                break
            seen += 1
            k = _next_content(lines, k + 1)
        if k is not None and seen and split_label(lines[k].clean)[0] is not None:
            j = k
    if inline_label is None:
        k = _next_content(lines, j)
        if k is not None and split_label(lines[k].clean)[0] is None and len(lines[k].clean) < 160 \
                and lines[k].clean.rstrip().endswith((":", "-", "–")) and not STOP_RE.match(lines[k].clean):
            k2 = _next_content(lines, k + 1)
            if k2 is not None and split_label(lines[k2].clean)[0] is not None:
                target = target or _LEADIN_TARGET(lines[k].clean)
                j = k + 1
    style = None
    pending_inline = inline_label is not None
    while True:
        if pending_inline:
            k, label, body = i, inline_label, inline_rest
            pending_inline = False
        else:
            k = _next_content(lines, j)
            if k is None:
                break
            label, body = split_label(lines[k].clean)
            if label is None and style is not None and len(lines[k].clean) < 70 \
                    and not lines[k].clean.endswith((".", ";")) and not STOP_RE.match(lines[k].clean) \
                    and not formula_of(lines[k].clean) and not RECS_HEADING_RE.match(lines[k].clean):
                k2 = _next_content(lines, k + 1)  # a sub-heading between items ('In addition:')
                if k2 is not None and split_label(lines[k2].clean)[0] is not None \
                        and label_style(split_label(lines[k2].clean)[0], style) == style:
                    k = k2
                    label, body = split_label(lines[k].clean)
            if label is None and items:
                k0 = k
                k = _successor_line(lines, k, items[-1].label, style)
                if k is None:
                    break
                _absorb(items[-1], lines, k0, k)
                label, body = split_label(lines[k].clean)
            if label is None:
                break
            if formula_of(body):
                break  # '3. RESOLVED that ...' after a bare 'NOTED': the next block, not an item of this one
        st = label_style(label, style)
        if style is None:
            style = st
            major = label.split(".")[0]
        elif st == "decimal" and label.split(".")[0] != major:
            break  # 3.1 after 2.1, 2.2: the next section of the report
        elif st != style and not (style == "letter" and st == "roman" and label.lower() in ("i", "v", "x")):
            break
        if st == "roman" and style == "letter":
            st = "letter"
        start = _text_start(lines[k], body[:15])
        parts, page, s, e, j = _collect(lines, k, start)
        # nested sub-items under an item that opens with ':' are part of it (2.1 That Members note: a) ... b) ...)
        if fold_nested and parts and parts[-1].rstrip().endswith((":", ":-", ": -")):
            while True:
                kk = _next_content(lines, j)
                if kk is None:
                    break
                sub, _ = split_label(lines[kk].clean)
                if sub is None or label_style(sub) not in _DEEPER.get(style, ()):
                    break
                sparts, spage, _ss, se, j = _collect(lines, kk, lines[kk].cstart)
                parts.extend(sparts)
                if spage is page:
                    e = se
        items.append(Item(kind, label, clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
    if not items and not rest:
        # 'Recommendation:' / 'The Cabinet is asked to consider ...' / 'RESOLVED:' + 'That ...':
        # one unlabelled paragraph on the next line
        k = _next_content(lines, i + 1)
        opener = _REC_OPENER if kind == "recommended" else _THAT_OPENER
        if k is not None and opener.match(lines[k].clean):
            parts, page, s, e, j = _collect(lines, k, lines[k].cstart)
            items.append(Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
            return items, j
        bare = _BARE_FORMULA_RE.match(ln.clean)
        title = _heading_above(lines, i) if bare else None
        if title:
            # 'NOTED' alone under '7 WORK PROGRAMME (Agenda item 7)': the item was noted; the
            # heading says what was noted, the span is the formula word itself
            raw = ln.page.text[ln.cstart:ln.end]
            items.append(Item(kind, "", title, ln.page, ln.cstart, ln.cstart + len(raw.rstrip(" \t.*")), target, i))
            return items, i + 1
    return items, (j if items else i + 1)


_REC_OPENER = re.compile(r"^(?:That\b|To\b|(?:The\s+)?[A-Z][\w ]{1,40}?\s+(?:is|are)\s+(?:asked|recommended|requested)\b)")
_THAT_OPENER = re.compile(r"^That\b")
_BARE_FORMULA_RE = re.compile(r"^(?:RESOLVED|AGREED|NOTED|APPROVED|Resolved|Agreed|Noted|Approved)\.?$")
_AGENDA_REF_TAIL = re.compile(r"\s*\((?:Agenda\s+)?Item\s+[\w.]+\)\s*$", re.I)


def _heading_above(lines: list[Line], i: int, reach: int = 3) -> str | None:
    """Title of the minute heading just above line i ('7 WORK PROGRAMME (Agenda item 7)' -> 'WORK PROGRAMME')."""
    j, seen = i - 1, 0
    while j >= 0 and seen < reach:
        ln = lines[j]
        j -= 1
        if ln.furniture or ln.blank or ITEM_REF_RE.match(ln.clean):
            continue
        seen += 1
        m = MINUTE_HEADING_RE.match(ln.clean)
        if m and len(ln.clean) < 120:
            return clean_text(_AGENDA_REF_TAIL.sub("", m.group("title"))) or None
        if ln.clean.endswith(_TERMINAL):
            return None  # a sentence sits between the heading and the formula
    return None


def _LEADIN_TARGET(text: str) -> str | None:
    m = re.match(r"^(?:that\s+)?(?:the\s+)?(?P<b>[A-Z][\w ]{1,40}?)\s+(?:is|are)\s+(?:asked|recommended)", text)
    return m.group("b") if m else None


def clean_text(text: str) -> str:
    text = _LINK_NOISE.sub(" ", text)
    text = text.replace("\u00a0", " ").replace("\t", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" -–")


_TARGET_RE = re.compile(r"^(?:that|to)\s+(?:the\s+)?(?P<body>[A-Z][\w'&]*(?:\s+(?:and\s+|of\s+)?[A-Z][\w'&]*){0,5})", re.U)


def target_of(rest: str) -> str | None:
    """'that Council: -' -> 'Council' (the body a formula addresses)."""
    m = _TARGET_RE.match(rest.strip())
    return m.group("body") if m else None


def find_blocks(lines: list[Line], lo: int = 0, hi: int | None = None, *, recs_headings: bool = True,
                bare_that: bool = False, bare_kind: str = "decided", formulas: bool = True) -> list[Item]:
    """Every decision block between line lo and hi."""
    hi = len(lines) if hi is None else hi
    out: list[Item] = []
    i = lo
    while i < hi:
        ln = lines[i]
        if ln.blank or ln.furniture:
            i += 1
            continue
        c = ln.clean
        f = formula_of(c) if formulas else None
        if f:
            kind, rest = f
            items, j = parse_block(lines, i, kind, rest, target=target_of(rest))
            for x in items:
                x.formula_index = i
            out.extend(x for x in items if x.text)
            i = max(j, i + 1)
            continue
        if recs_headings:
            m = RECS_HEADING_RE.match(c)
            if m and len(c) < 80 and (not m.group("rest") or m.group("rest").lower().startswith("that")):
                items, j = parse_block(lines, i, "recommended", m.group("rest"), target=None)
                out.extend(x for x in items if x.text)
                i = max(j, i + 1)
                continue
        if bare_that and BARE_THAT_RE.match(c):
            items, j = parse_block(lines, i, bare_kind, c, target=target_of(c))
            if items:
                out.extend(x for x in items if x.text)
                i = max(j, i + 1)
                continue
        i += 1
    return [_trim_xref(x) for x in out if x.line_index < hi and _substantive(x.text)]


# a cross-reference printed in a table's second column ('Note the forecast overspend of £23.3m
# (excluding Schools) | Please refer to Section 3'): capitalised with no full stop before it,
# at the very end of the item
_XREF_TAIL = re.compile(
    r"(?<=[\w)%’'\]])\s+(?:Please\s+(?:refer|see)\b(?:\s+to)?|Refer\s+to|See)\s+"
    r"(?:the\s+)?(?:Sections?|Paragraphs?|Paras?|Appendix|Appendices|Annex(?:es)?|Tables?|Chapters?)\b[^.;:()\n]{0,60}\s*$")


def _trim_xref(item: Item) -> Item:
    m = _XREF_TAIL.search(item.text)
    if not m or not _substantive(item.text[:m.start()]):
        return item
    item.text = item.text[:m.start()].rstrip()
    raw = item.page.text[item.start:item.end]
    r = _XREF_TAIL.search(raw.replace("\n", " "))
    if r:
        item.end = item.start + len(raw[:r.start()].rstrip())
    return item


def _substantive(text: str) -> bool:
    """'that' alone (the rest of a table cell lost to the layout) is no decision."""
    words = re.sub(r"^(?:that|to)\b", "", text.strip(), flags=re.I).split()
    return len(words) >= 2


def dedupe(items: list[Item]) -> list[Item]:
    """One item per (kind, label, opening words), keeping the fullest printing (first on ties)."""
    best: dict[tuple, Item] = {}
    order: list[tuple] = []
    for it in items:
        key = (it.kind, it.label.lower(), re.sub(r"[^a-z0-9]+", " ", it.tidy().lower())[:60])
        if key not in best:
            best[key] = it
            order.append(key)
        elif len(it.tidy()) > len(best[key].tidy()):
            best[key] = it
    return [best[k] for k in order]


# --- the publisher's own decision references ---------------------------------------

# Kent's forward-plan decision numbers: 'Decision 24/00093', 'Decision No: 24/00093', 'DECISION NO: 24/00093'
DECISION_NO_RE = re.compile(r"\bDecision\s*(?:No\.?|Number|Ref(?:erence)?\.?)?\s*[:\-–]?\s*(?P<ref>\d{2}/\d{5})\b", re.I)
# a minute heading that carries one: '88. 24/00108 - Revenue and Capital Budget Monitoring Report'
_REF_HEADING_RE = re.compile(r"^\d{1,4}\.?\s+(?P<ref>\d{2}/\d{5})\s*[-–]")
_NUMBERED_RE = re.compile(r"^\d{1,4}\.?\s+\S")
_INLINE_ITEM_REF = re.compile(r"\((?:Agenda\s+)?Item\s+[\w.]+\)\s*$", re.I)


def minute_refs(lines: list[Line]) -> list[str | None]:
    """For every line, the decision number of the minute it sits in ('24/00108'), else None.

    A minute heading is a numbered line followed by '(Item N)' within three lines, or ending
    in '(Agenda item N)', or one that opens with a decision number; numbered paragraphs
    inside a minute ('1. Mr Oakford ... introduced the report') are not headings.
    """
    out: list[str | None] = []
    cur = None
    for i, ln in enumerate(lines):
        c = ln.clean
        if c and not ln.furniture and _NUMBERED_RE.match(c):
            m = _REF_HEADING_RE.match(c)
            if m:
                cur = m.group("ref")
            elif _INLINE_ITEM_REF.search(c):
                cur = None
            else:
                k, seen = i + 1, 0
                while k < len(lines) and seen < 3:
                    if lines[k].clean and not lines[k].furniture:
                        seen += 1
                        if ITEM_REF_RE.match(lines[k].clean):
                            cur = None
                            break
                    k += 1
        out.append(cur)
    return out
