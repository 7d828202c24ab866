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
from dataclasses import dataclass
from functools import lru_cache

from councilpapers.document import Page

from councilpapers.structure import BULLETS, TERMINAL, Line, clean_text, label_style, last_content, norm_words, split_label  # noqa: F401
from councilpapers.structure import successor as _successor
from councilpapers.normalise.vote import parse_vote
from councilpapers.vocab import patterns, rows

# --- formulas and stops ----------------------------------------------------------

FORMULA_KINDS = {
    "resolved": "resolved", "resolve": "resolved", "resolves": "resolved",
    "recommended": "recommended", "recommend": "recommended", "recommends": "recommended",
    "agreed": "agreed", "agrees": "agreed", "ordered": "ordered", "decided": "decided", "decision": "decided",
    "noted": "noted", "notes": "noted", "note": "noted", "approved": "approved", "approves": "approved",
    "approve": "approved", "agree": "agreed", "endorsed": "approved", "accepted": "agreed", "deferred": "decided",
}


# the kind of an item under a neutral lead-in ('That:', 'That Cabinet:', 'Decision taken') whose own verb names
# none (lead_ins.csv: 'default resolved'): the body's resolution ('That: 1) Room 35 to become a formal meeting room')
ITEM_DEFAULT_KIND = "resolved"


@dataclass(frozen=True)
class LeadIn:
    """A resolution lead-in found at the start of a line (a row of vocab/lead_ins.csv)."""
    name: str
    kind: str             # decision kind, or 'item' when each item's opening verb names it
    rest: str             # the line after the lead-in
    vote: str | None      # 'unanimous' where the lead-in says so
    body: str | None      # the deciding body it names ('That Cabinet:' -> Cabinet)
    date: str | None      # the date it names ('On 23 July 2024, Cabinet:-')
    keeps_word: bool = False  # the formula word is the decision's own verb ('AGREED recommendations and ...')
    what: str | None = None   # the decision's verb and object inside the lead-in ('is asked to homologate the
                              # following changes:'): its list is what the verb acts on, not decisions of their own


@lru_cache(maxsize=1)
def _lead_in_table() -> tuple:
    return tuple((rx, r) for rx, r in patterns("lead_ins") if r["group"] == "formula")


_PAREN_VOTE = re.compile(r"^\((?P<v>[^()\n]{2,60})\)\s*(?:[:\-–]\s*)*")
_OBJECT_AFTER = re.compile(r"^(?!that\b|to\b|in accordance\b|accordingly\b|as\b|by\b|at\b|in\b|on\b|unanimously\b)[a-z]", re.I)
_WORD_VERBS = ("AGREED", "NOTED", "APPROVED", "Agreed", "Noted", "Approved", "CONFIRMED", "Confirmed")


@lru_cache(maxsize=8192)
def lead_in_of(text: str) -> LeadIn | None:
    """The resolution lead-in opening `text` (after any list label), else None."""
    label, rest = split_label(text)
    body_text = rest if label else text
    for rx, row in _lead_in_table():
        m = rx.match(body_text)
        if not m:
            continue
        groups = m.groupdict()
        word = groups.get("word")
        kind = FORMULA_KINDS[word.lower()] if row["kind"] == "word" else row["kind"]
        after = body_text[m.end():].strip()
        vote = row["vote"] or None
        pv = _PAREN_VOTE.match(after)
        if pv and parse_vote(pv.group("v")):
            # 'RESOLVED (unanimously) that the Cabinet agreed:', 'RESOLVED (nem. con.) that ...': the outcome
            # printed in brackets after the formula word is the vote of what follows, not decision text
            vote = vote or parse_vote(pv.group("v"))
            after = after[pv.end():].strip()
        keeps = bool(word) and row["name"].startswith("formula_word") and word in _WORD_VERBS and bool(_OBJECT_AFTER.match(after))
        what = (groups.get("what") or "").strip() or None
        return LeadIn(row["name"], kind, after, vote, groups.get("body"), groups.get("date"), keeps, what)
    return None


def formula_of(text: str) -> tuple[str, str] | None:
    """(kind, rest of the line) when `text` opens a decision formula, else None."""
    lead = lead_in_of(text)
    return (lead.kind if lead.kind != "item" else ITEM_DEFAULT_KIND, lead.rest) if lead else None


# report headings that open recommendations ('RECOMMENDATIONS:', '2. Recommendations', 'Proposed Decision')
RECS_HEADING_RE = re.compile(next(r["pattern"] for r in rows("lead_ins") if r["group"] == "recommendations")
                             + r"(?P<rest>.*)$")
BARE_THAT_RE = re.compile(r"^[Tt]hat\s+(?:the\s+)?(?:[A-Z][\w'&]*\s?){1,5}(?:is\s+(?:asked|recommended)\s+to)?\s*[:\-–]?\s*$")
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
# a numbered minute heading: '89. Draft Revenue Budget', '52 Apologies for Absence', '3 AUDIT COMMISSION ...'
MINUTE_HEADING_RE = re.compile(r"^(?P<num>\d{1,4})\.?\s+(?P<title>[A-Z][^\n]{2,200})$")
# a report's numbered section heading set off by a bar: '3 | Revenue Budget Forecast', '3a | Adult Social Care'
SECTION_BAR_RE = re.compile(r"^\d{1,2}[a-z]?\s*\|\s*[A-Z]")


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
    vote: str | None = None        # outcome the lead-in states ('UNANIMOUSLY RESOLVED')
    counts: dict | None = None     # vote columns read with the decision itself (a motion carried on a division)

    def tidy(self) -> str:
        return re.sub(r"\s+", " ", self.text).strip()


def _is_title_line(lines: list[Line], j: int) -> bool:
    """A short line followed by '(Item N)' is a minute title, not decision text."""
    k = next_content(lines, j + 1)
    return k is not None and bool(ITEM_REF_RE.match(lines[k].clean))


def next_content(lines: list[Line], j: int, stop_at_blank: bool = False) -> int | None:
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
            and not c.endswith(TERMINAL):
        k = next_content(lines, j + 1)
        if k is not None and split_label(lines[k].clean)[0] is not None:
            return False  # 'Key Policies and Strategies' heading between items (b) and (c)
    if STOP_RE.match(c) or formula_of(c) or ITEM_REF_RE.match(c) or RECS_HEADING_RE.match(c) and c.isupper() \
            or SECTION_BAR_RE.match(c):
        return False
    if split_label(c)[0] is not None or _bulleted(nxt):
        return False
    if _is_title_line(lines, j):
        return False
    h = MINUTE_HEADING_RE.match(c)
    if h and len(c) < 90:
        words = h.group("title").split()
        if sum(w[:1].isupper() for w in words) * 2 >= len(words):
            return False  # '60 Social Inclusion Network Event': the next minute
    if prev.endswith(TERMINAL) and not prev.endswith(("; and", "; or", ", and")):
        return c[:1].islower()
    if c[:1].isupper() and _XREF_TAIL.search(prev[-120:]):
        return False  # '... Please refer to Section 3' closed a table row; the next line is not part of it
    return True


def collect(lines: list[Line], i: int, firsttext_start: int) -> tuple[list[str], Page, int, int, int]:
    """Text of one paragraph starting on line i: (parts, page, start, end, next index)."""
    ln = lines[i]
    parts = [ln.page.text[firsttext_start:ln.end]]
    page, start, end = ln.page, firsttext_start, ln.end
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


def text_start(ln: Line, consumed: str) -> int:
    """Offset in the page where the line's text after `consumed` (label, formula) begins."""
    raw = ln.page.text[ln.start:ln.end]
    idx = raw.find(consumed) if consumed else -1
    if idx < 0:
        return ln.cstart
    return ln.start + idx


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
        para_start = ln.clean.endswith(TERMINAL)
    if not extra:
        return
    item.text = clean_text(item.text + " " + " ".join(ln.page.text[ln.cstart:ln.end] for ln in extra))
    same = [ln for ln in extra if ln.page is item.page]
    if same and same[-1].end > item.end:
        item.end = same[-1].end


def _bulleted(ln: Line) -> bool:
    """A line printed with a bullet ('·', '•', '§', '-') before its text."""
    return any(ch in BULLETS for ch in ln.page.text[ln.start:ln.cstart])


_DEEPER = {"decimal": ("letter", "roman"), "number": ("letter", "roman"), "letter": ("roman",), "roman": ("letter",)}


def parse_block(lines: list[Line], i: int, kind: str, rest: str, *, target: str | None = None,
                fold_nested: bool = True, list_at: bool = False) -> tuple[list[Item], int]:
    """Read the decision block whose formula is on line i; `rest` is the line text after the formula.
    With `list_at`, line i is the first item of a list whose lead-in was lost.

    Returns the items and the index of the first line after the block.
    """
    ln = lines[i]
    rest = rest.strip()
    lead_in = (not rest or rest.endswith((":", "-", "–", ": -", ":-")) or BARE_THAT_RE.match(rest)
               or re.fullmatch(r"(?:that|That|THAT)\s*[:\-–]?", rest)  # 'RESOLVED: That' with the list below
               or re.match(r"^that\s+(?:the\s+)?[\w ]{2,40}?(?:\s+(?:agree|agrees|is asked|be asked))?\s*(?:to)?\s*[:\-–]+\s*$", rest, re.I))
    inline_label, inline_rest = split_label(rest)
    items: list[Item] = []
    if rest and not lead_in and inline_label is None:
        # one paragraph decision: 'RESOLVED that the minutes ... be signed'
        para_label = split_label(ln.clean)[0] if formula_of(ln.clean) and split_label(ln.clean)[0] else ""
        start = text_start(ln, rest[:20])
        parts, page, s, e, j = collect(lines, i, start)
        text = " ".join(p.strip() for p in parts)
        text = clean_text(text)
        items.append(Item(kind, para_label or "", text, page, s, e, target, i))
        return items, j
    # a list: items labelled in one style, perhaps after one unlabelled lead-in line
    # ('2. Recommendations' / 'Council is recommended to approve: -' / 'a) That ...')
    j = i if list_at else i + 1
    if not list_at and inline_label is None and (rest.endswith(":") or not rest):
        # 'RESOLVED that:' / 'County Council, having ... is asked to agree the' / 'following:' / heading / '(a) ...'
        # ('That the following be approved:' / '22 September 2020' / '8.1 CA/076/20 Budget Monitoring' / '1. ...')
        k, seen = next_content(lines, j), 0
        while k is not None and seen < 6 and (not list_start(lines[k].clean) or _sub_heading(lines, k)):
            if STOP_RE.match(lines[k].clean) or formula_of(lines[k].clean) or (not rest and _THAT_OPENER.match(lines[k].clean)):
                break
            seen += 1
            k = next_content(lines, k + 1)
        if k is not None and seen and list_start(lines[k].clean):
            j = k
    if not list_at and inline_label is None:
        k = next_content(lines, j)
        if k is not None and split_label(lines[k].clean)[0] is None and len(lines[k].clean) < 160 \
                and lines[k].clean.rstrip().endswith((":", "-", "–")) and not STOP_RE.match(lines[k].clean):
            k2 = next_content(lines, k + 1)
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
            k = next_content(lines, j)
            if k is None:
                break
            label, body = split_label(lines[k].clean)
            if label is None and style is not None and len(lines[k].clean) < 70 \
                    and not lines[k].clean.endswith((".", ";")) and not STOP_RE.match(lines[k].clean) \
                    and not formula_of(lines[k].clean) and not RECS_HEADING_RE.match(lines[k].clean):
                k2 = next_content(lines, k + 1)  # a sub-heading between items ('In addition:')
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
            nested = lead_in_of(body)
            if nested and not nested.keeps_word:
                break  # '3. RESOLVED that ...' after a bare 'NOTED': the next block, not an item of this one
        st = label_style(label, style)
        if items and style is not None and _restarts(label, style) and not _restarts(items[-1].label, style):
            break  # '1.' again after '3.': a new list (the reasons after the decisions), not this one
        if items and label.isdigit() and items[-1].label.isdigit() and label != items[-1].label \
                and label != _successor(items[-1].label, "number"):
            break  # '48. WASTE COLLECTION CONTRACT' after '(3)': the next minute, not the next item
        if style is None:
            style = st
            major = label.split(".")[0]
        elif st == "decimal" and label.split(".")[0] != major:
            break  # 3.1 after 2.1, 2.2: the next section of the report
        elif st != style and not (style == "letter" and st == "roman" and label.lower() in ("i", "v", "x")):
            break
        if st == "roman" and style == "letter":
            st = "letter"
        start = text_start(lines[k], body[:15])
        parts, page, s, e, j = collect(lines, k, start)
        # nested sub-items under an item that opens with ':' are part of it (2.1 That Members note: a) ... b) ...)
        if fold_nested and parts and parts[-1].rstrip().endswith((":", ":-", ": -")):
            while True:
                kk = next_content(lines, j)
                if kk is None:
                    break
                sub, _ = split_label(lines[kk].clean)
                if not (_bulleted(lines[kk]) or sub is not None and label_style(sub) in _DEEPER.get(style, ())):
                    break
                sparts, spage, _ss, se, j = collect(lines, kk, lines[kk].cstart)
                parts.extend(sparts)
                if spage is page:
                    e = se
        items.append(Item(kind, label, clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
    if not items and not rest and not list_at:
        # a lead-in alone on its line over one unlabelled paragraph that decides ('Decision taken' / 'Cabinet agreed
        # the recommendations set out in the report.')
        k = next_content(lines, i + 1)
        c = lines[k].clean if k is not None else ""
        if c and split_label(c)[0] is None and not STOP_RE.match(c) and not formula_of(c) and not lines[k].field \
                and not _THAT_OPENER.match(c) and not c.rstrip().endswith((":", "-", "–")) and _decision_like(c):
            parts, page, s, e, j = collect(lines, k, lines[k].cstart)
            items.append(Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
            return items, j
    if items and not items[-1].text.rstrip().endswith(_COMPLETE_END):
        # the last item's sentence carried on over a hard break and a blank line ('... in consultation with the
        # Portfolio Holder' / 'for Finance, Town Centres and Growth, be authorised to ...')
        k = next_content(lines, j)
        if k is not None and lines[k].clean[:1].islower() and split_label(lines[k].clean)[0] is None \
                and not STOP_RE.match(lines[k].clean) and not formula_of(lines[k].clean):
            parts, page, _s, e, j = collect(lines, k, lines[k].cstart)
            last = items[-1]
            last.text = clean_text(last.text + " " + " ".join(p.strip() for p in parts))
            if page is last.page:
                last.end = e
    if not items and not list_at and lead_in and rest.endswith((":", "-", "–")):
        # 'Resolved that Executive:' / '·  Delegate authority to Procurement Board ...': one decision a bullet
        k = next_content(lines, i + 1)
        if k is not None and _bulleted(lines[k]):
            while k is not None and _bulleted(lines[k]):
                parts, page, s, e, j = collect(lines, k, lines[k].cstart)
                items.append(Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
                k = next_content(lines, j)
            return items, j
    if not items and (not rest or re.fullmatch(r"(?:that|That|THAT)\s*[:\-–]?", rest)) and not list_at:
        # 'Recommendation:' / 'The Cabinet is asked to consider ...' / 'RESOLVED:' + 'That ...':
        # one unlabelled paragraph on the next line
        k = next_content(lines, i + 1)
        if k is not None and _bulleted(lines[k]) and (not rest or rest.endswith(":")):
            # '• the report be noted;' / '• ...': a bulleted list under the lead-in, one decision a bullet
            while k is not None and _bulleted(lines[k]):
                parts, page, s, e, j = collect(lines, k, lines[k].cstart)
                items.append(Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, k))
                k = next_content(lines, j)
            return items, j
        opener = _REC_OPENER if kind == "recommended" else _THAT_OPENER
        if rest:  # 'Committee recommended that' / 'funding for this service is ...': the sentence runs on
            opener = re.compile(r"^[a-z]")
        if k is not None and opener.match(lines[k].clean):
            # the decision starts at 'that' on the formula's line when its sentence runs on
            parts, page, s, e, j = collect(lines, i, text_start(ln, rest)) if rest else collect(lines, k, lines[k].cstart)
            while parts and parts[-1].rstrip().endswith((":", ":-", ": -")):
                kk = next_content(lines, j)  # 'on the following basis:' / '§ to meet ...' / '§ to comprise ...'
                if kk is None or not _bulleted(lines[kk]):
                    break
                while kk is not None and _bulleted(lines[kk]):
                    sparts, spage, _ss, se, j = collect(lines, kk, lines[kk].cstart)
                    parts.extend(sparts)
                    e = se if spage is page else e
                    kk = next_content(lines, j)
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
    if not items and rest and substantive(rest) and len(rest) > 40:
        # 'RESOLVED that the Cabinet agrees to exclude ... information:' followed by a table, not a list
        start = text_start(ln, rest[:20])
        parts, page, s, e, j = collect(lines, i, start)
        items.append(Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, target, i))
        return items, j
    return items, (j if items else i + 1)


_REC_OPENER = re.compile(r"^(?:That\b|To\b|(?:The\s+)?[A-Z][\w ]{1,40}?\s+(?:is|are)\s+(?:asked|recommended|requested)\b)")
_THAT_OPENER = re.compile(r"^(?:That|that|To|to)\b|^[a-z]")
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
        if ln.clean.endswith(TERMINAL):
            return None  # a sentence sits between the heading and the formula
    return None


def _LEADIN_TARGET(text: str) -> str | None:
    m = re.match(r"^(?:that\s+)?(?:the\s+)?(?P<b>[A-Z][\w ]{1,40}?)\s+(?:is|are)\s+(?:asked|recommended)", text)
    return m.group("b") if m else None


_TARGET_RE = re.compile(r"^(?:that|to)\s+(?:the\s+)?(?P<body>[A-Z][\w'&]*(?:\s+(?:and\s+|of\s+)?[A-Z][\w'&]*){0,5})", re.U)


def target_of(rest: str) -> str | None:
    """'that Council: -' -> 'Council' (the body a formula addresses)."""
    m = _TARGET_RE.match(rest.strip())
    return m.group("body") if m else None


def _lead_block(lines: list[Line], i: int, c: str, lead: LeadIn) -> tuple[list[Item], int]:
    """The decisions of the block whose lead-in opens line i (`c`: the line's text, a field's value)."""
    rest = lead.rest
    if lead.keeps_word:  # 'AGREED recommendations and that ...': the word is the decision's verb
        rest = split_label(c)[1] if split_label(c)[0] else c
    kind = ITEM_DEFAULT_KIND if lead.kind == "item" else lead.kind
    items, j = parse_block(lines, i, kind, rest, target=lead.body or target_of(rest))
    for x in items:
        x.formula_index = i
        x.vote = x.vote or lead.vote
        x.kind = item_kind(x.text, x.kind, neutral=lead.kind == "item")
    head = lead.what or (rest if rest.rstrip().endswith(":") and _SUBJUNCTIVE.search(rest) else None)
    if head and items and all(x.line_index != i for x in items) and not any(_decision_like(x.text) for x in items):
        items = [_with_objects(lines[i], i, head, items, kind)]
    elif lead.what and not items and _IMPERATIVE.match(lead.what) and not re.match(r"(?i)consider|ask|continue", lead.what) \
            and not re.fullmatch(r"(?i)\w+\s+(?:the\s+)?following", lead.what):  # 'agree the following': no object
        # 'Council is asked to approve the following changes to the Scheme of Administration:' over unlabelled
        # text (the changes): the lead-in line holds the decision
        items = [_with_objects(lines[i], i, lead.what, [], kind)]
        items[0].text = clean_text(lead.what)
        j = i + 1
    return items, j


# a clause that decides by itself: 'that the Minutes of the meeting(s) listed below be approved and signed'
_SUBJUNCTIVE = re.compile(r"\bbe\s+[a-z]+(?:ed|en)\b")
_IMPERATIVE = re.compile(
    r"(?i)^(?:to\s+)?(?:approve|agree|note|delegate|authori[sz]e|endorse|adopt|accept|receive|recommend|refer|defer"
    r"|request|establish|appoint|confirm|grant|refuse|allocate|support|instruct|award|reject|release|increase"
    r"|reduce|set|transfer|amend|consider|ask|continue|commission|homologate|ratify|agree)\b")


def _decision_like(text: str) -> bool:
    """An item that decides by itself ('That ...', 'Approve the ...', 'the report be noted'), not an object of
    the lead-in's verb ('Cabinet held on 12 January 2024.', 'Amulree Hall to Dunkeld Guide Hall')."""
    return bool(opener_kind(text) or lead_in_of(text) or _IMPERATIVE.match(text) or _SUBJUNCTIVE.search(text[:200])
                or re.match(r"(?i)^that\b", text))


def _with_objects(ln: Line, i: int, head: str, items: list[Item], kind: str) -> Item:
    """The lead-in line's own decision ('Council is asked to homologate the following changes:', 'Resolved that the
    Minutes of the meeting(s) listed below be approved ...:') with the listed things it acts on as its parts."""
    head = head.strip()
    start = text_start(ln, head[:20])
    same = [x for x in items if x.page is ln.page]
    end = max([ln.end] + [x.end for x in same])
    text = clean_text(head + " " + " ".join(x.text for x in items))
    return Item(kind, "", text, ln.page, start, end, items[0].target if items else None, i, i)


def find_blocks(lines: list[Line], lo: int = 0, hi: int | None = None, *, recs_headings: bool = True,
                bare_that: bool = False, bare_kind: str = ITEM_DEFAULT_KIND, formulas: bool = True) -> list[Item]:
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
        f = ln.field
        if f is not None and f[0] in ("decision", "minutes") and len(c) > f[2]:
            c = c[f[2]:]  # 'Decision: RESOLVED –' / 'Minutes: RESOLVED that ...': the field's value
        lead = lead_in_of(c) if formulas else None
        if lead and lead.name == "moved_seconded_and":
            # 'It was moved by ..., seconded by ... and' with the resolution on a later line: 'Resolved that ...'
            # (the block takes the motion line's label, '(a) It was moved ...'), or the decision itself when the
            # RESOLVED was lost ('Cabinet approves the recommendations ...')
            k = next_content(lines, i + 1)
            if k is None or k >= hi:
                i += 1
                continue
            label = split_label(c)[0] or ""
            nxt = lines[k].clean
            nxt_lead = lead_in_of(nxt)
            if nxt_lead and nxt_lead.name != "moved_seconded_and":
                items, j = _lead_block(lines, k, nxt, nxt_lead)
            elif split_label(nxt)[0] is None and not STOP_RE.match(nxt) and not lines[k].field \
                    and substantive(nxt):
                parts, page, s, e, j = collect(lines, k, lines[k].cstart)
                items = [Item(lead.kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, None, k)]
            else:
                i += 1
                continue
            for x in items:
                x.formula_index = i
                x.label = x.label or label
            out.extend(x for x in items if x.text)
            i = max(j, i + 1)
            continue
        if lead:
            items, j = _lead_block(lines, i, c, lead)
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
    tail = doc_tail(lines)
    kept = [_trim_xref(x) for x in out if x.line_index < hi and substantive(x.text)]
    return [x for x in (trim_cut(x, tail) for x in kept) if x is not None]


def opener_kind(text: str) -> str | None:
    """The kind of decision `text` opens like when no lead-in introduced it ('That ... be noted'), else None
    (vocab/decision_openers.csv)."""
    for rx, row in patterns("decision_openers"):
        m = rx.match(text)
        if m:
            word = m.groupdict().get("word")
            return item_kind(text, word.lower() if row["kind"] == "word" and word else row["kind"], neutral=True)
    return None


def item_kind(text: str, kind: str, *, neutral: bool) -> str:
    """The kind of one decision item: its own opening verb where the lead-in is neutral ('Noted the ...'),
    and always a recommendation where it recommends to another body ('Recommend to Council ...')."""
    for rx, row in patterns("item_verbs"):
        if rx.match(text) and (neutral or row["overrides"] == "yes"):
            return row["kind"]
    return kind


def doc_tail(lines: list[Line]) -> Line | None:
    """The document's last line of content, when `lines` run to the document's end."""
    k = last_content(lines)
    return lines[k] if k is not None and lines[k].doc_last else None


_SENTENCE_END = re.compile(r"(?:[.;!?][)\]\"'’”]*|\))(?=\s|$)")
_COMPLETE_END = (".", ";", "!", "?", ")", "]", '"', "'", "’", "”", ":")


def trim_cut(item: Item, tail: Line | None) -> Item | None:
    """A web excerpt that stops mid-sentence: the item it cuts keeps only its complete sentences,
    and an item with none ('A: Welcomes the Council's commitment to ... TeleCar') is no decision."""
    if tail is None or item.text.rstrip().endswith(_COMPLETE_END):
        return item
    reaches = (item.page is tail.page and item.end >= tail.end - 2) or \
        clean_text(tail.clean)[-20:] in item.text[-40:]
    if not reaches:
        return item
    ends = list(_SENTENCE_END.finditer(item.text))
    if not ends:
        return None
    keep = item.text[:ends[-1].end()]
    if not substantive(keep):
        return None
    raw = item.page.text[item.start:item.end]
    m = re.search(re.escape(keep[-15:]).replace(r"\ ", r"\s+"), raw)
    if m:
        item.end = item.start + m.end()
    item.text = keep
    return item


# a cross-reference printed in a table's second column ('Note the forecast overspend of £23.3m
# (excluding Schools) | Please refer to Section 3'): capitalised with no full stop before it,
# at the very end of the item
_XREF_TAIL = re.compile(
    r"(?<=[\w)%’'\]])\s+(?:Please\s+(?:refer|see)\b(?:\s+to)?|Refer\s+to|See)\s+"
    r"(?:the\s+)?(?:Sections?|Paragraphs?|Paras?|Appendix|Appendices|Annex(?:es)?|Tables?|Chapters?)\b[^.;:()\n]{0,60}\s*$")


def _trim_xref(item: Item) -> Item:
    m = _XREF_TAIL.search(item.text)
    if not m or not substantive(item.text[:m.start()]):
        return item
    item.text = item.text[:m.start()].rstrip()
    raw = item.page.text[item.start:item.end]
    r = _XREF_TAIL.search(raw.replace("\n", " "))
    if r:
        item.end = item.start + len(raw[:r.start()].rstrip())
    return item


def substantive(text: str) -> bool:
    """'that' alone (the rest of a table cell lost to the layout) is no decision; 'accordingly' is one."""
    words = re.sub(r"^(?:that|to)\b", "", text.strip(), flags=re.I).split()
    return len(words) >= 2 or (len(words) == 1 and words[0].lower().strip(".") == "accordingly")


_FIRST_LABELS = {"1", "a", "A", "i", "I"}


def _restarts(label: str, style: str) -> bool:
    """Is `label` the first label of a list in `style` ('1', 'a', 'i', '2.1')? ('i' after 'h' is a letter.)"""
    if style == "letter":
        return label.lower() == "a"
    if style == "roman":
        return label.lower() == "i"
    if style == "decimal":
        return label.endswith(".1")
    return label == "1"


def _sub_heading(lines: list[Line], k: int) -> bool:
    """A numbered line that heads the list under it rather than being its first item
    ('8.1 CA/076/20 Budget Monitoring Q1 report' over '1. Recommend to Council ...')."""
    label, body = split_label(lines[k].clean)
    if label is None or len(body) > 70 or body.endswith(TERMINAL):
        return False
    k2 = next_content(lines, k + 1)
    if k2 is None:
        return False
    nxt = split_label(lines[k2].clean)[0]
    return nxt is not None and list_start(lines[k2].clean) and label_style(nxt) != label_style(label)


def list_start(text: str) -> bool:
    """A line that can open a list: its label is a first one ('1', '(a)', 'i)', '2.1' under section 2)."""
    label = split_label(text)[0]
    return label is not None and (label in _FIRST_LABELS or label.endswith(".1"))


def dedupe(items: list[Item]) -> list[Item]:
    """One item per decision printed more than once (a 'Decision:' part and the 'Minutes:' that
    repeat it): same kind and label, and one printing's words start the other's. The fullest
    printing is kept (first on ties). Items that only share opening words ('the minutes of the
    meeting held on the 5th ...' and '... on the 30th ...') are different decisions."""
    kept: list[Item] = []
    keys: list[str] = []
    by_head: dict[tuple, list[int]] = {}  # (kind, label, first 60 characters) -> positions in kept
    for it in items:
        key = norm_words(it.tidy())
        head = (it.kind, it.label.lower(), key[:60])
        for n in by_head.get(head, ()):
            okey = keys[n]
            if key.startswith(okey) or okey.startswith(key):
                if len(it.tidy()) > len(kept[n].tidy()):
                    kept[n], keys[n] = it, key
                break
        else:
            by_head.setdefault(head, []).append(len(kept))
            kept.append(it)
            keys.append(key)
    return kept


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
