"""ModernGov web pages: issue histories, decision details, agenda items, decision lists.

An 'Issue - meetings' page records several meetings, each opened by
`Meeting: DD/MM/YYYY - Body (Item N)`; inside, a `Decision:` part and a `Minutes:`
part usually print the same resolutions twice (one row each, fullest text kept).
A 'Decision details' page names its meeting in `Decided at meeting:` or, for an
officer or individual decision, in `Decision Maker:` + `Date of decision:`.
Recommendations addressed to the meeting's own body ('RECOMMENDED that Council'
printed under the Council meeting, before its RESOLVED) are the proposal, not a
decision, and are dropped; recommendations to another body are kept as `recommended`.
"""
from __future__ import annotations

import re

from pipeline.document import Document, span_row
from pipeline.ids import content_id
from pipeline.normalise.bodies import body_kind, tidy_body
from pipeline.normalise.dates import parse_uk_date
from pipeline.normalise.people import split_names, strip_titles, is_name
from pipeline.normalise.vote import vote_of
from pipeline.registry import Output, extractor

from ._decisions import Item, Line, STOP_RE, clean_text, dedupe, doc_lines, find_blocks, split_label

MEETING_HDR = re.compile(
    r"^Meeting:\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<body>.+?)\s*(?:\(\s*Item\s+(?P<item>[\w.]+)\s*\))?\s*$")
_ACCEPT = re.compile(
    r"^(?:Meeting:\s*\d{1,2}/\d{1,2}/\d{2,4}\s*[-–]|Decision Maker:|Decided at meeting:|Date of decision:|Issue - |Decision details)",
    re.M)
_FIELD = re.compile(r"^(?P<key>Decision Maker|Date of decision|Decided at meeting|Decision status|Report author|Lead officer|Decision date|Meeting date)\s*:\s*(?P<val>.*)$", re.I)
_VOTE_LINE = re.compile(r"^(?:Voting|Vote|Votes?\s+recorded)\s*[:\-–]\s*(?P<v>.+)$|^(?P<w>(?:The )?(?:motion|recommendations?|amendment|proposal)s? (?:was|were) (?:carried|lost|agreed|defeated).*|(?:Motion|Amendment) (?:carried|lost)\.?)$", re.I)
_TRUNCATED = re.compile(r"view the full (?:minutes|decision) text for item\s*([\w.]+)", re.I)
_PRESENTER = re.compile(
    r"(?:The\s+)?(?P<role>(?:Deputy\s+|Lead\s+)?(?:Portfolio Holder|Cabinet Member|Executive Member|Lead Member|Leader|Deputy Leader|Mayor|Deputy Mayor|Chair(?:man)?)\b[^.;\n]{0,80}?)"
    r"\s*,?\s*(?:Councillor|Cllr\.?)\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}?)\s*,?\s+"
    r"(?:presented|introduced|submitted|outlined|moved|gave|provided)\b")
_PRESENTER2 = re.compile(
    r"(?P<title>Councillor|Cllr\.?|Mrs|Mr|Ms|Miss|Dr)\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}?)\s*(?:,\s*(?P<role>[^,.;\n]{3,90}?)\s*,|\((?P<role2>[^)\n]{3,90})\))\s*"
    r"(?:presented|introduced|submitted|outlined|moved|gave|provided)\b")
_MOVEMENT = re.compile(
    r"(?:Councillors?|Cllrs?\.?)\s+(?P<names>[^\]\n]{2,300}?)\s+(?:left|joined|entered|arrived at|returned to|rejoined)\s+the\s+(?:meeting|room|chamber)", re.I)


def accepts(doc: Document) -> bool:
    if not doc.pages:
        return False
    head = doc.pages[0].text[:6000]
    return bool(_ACCEPT.search(head))


class _Section:
    def __init__(self, lo: int, hi: int, line: Line | None, body, date, item):
        self.lo, self.hi, self.line, self.body, self.date, self.item = lo, hi, line, body, date, item
        self.item_title = None
        self.meeting_id = None


def _sections(lines: list[Line]) -> list[_Section]:
    heads = []
    for i, ln in enumerate(lines):
        m = MEETING_HDR.match(ln.clean)
        if m:
            heads.append((i, m))
    out = []
    for n, (i, m) in enumerate(heads):
        hi = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        sec = _Section(i, hi, lines[i], m.group("body"), parse_uk_date(m.group("date")), m.group("item"))
        for k in range(i + 1, min(hi, i + 8)):
            c = lines[k].clean
            if not c:
                continue
            if sec.item and c.startswith(sec.item + " "):
                sec.item_title = clean_text(c[len(sec.item):]) or None
            break
        out.append(sec)
    return out


def _detail_section(lines: list[Line]) -> _Section | None:
    """A decision-details page: its fields name the meeting or the decision maker."""
    fields: dict[str, tuple[int, str]] = {}
    for i, ln in enumerate(lines):
        m = _FIELD.match(ln.clean)
        if m and m.group("key").lower() not in fields:
            fields[m.group("key").lower()] = (i, m.group("val").strip())
    if "decided at meeting" in fields:
        i, val = fields["decided at meeting"]
        m = re.match(r"(?P<date>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<body>.+)$", val)
        if m:
            return _Section(0, len(lines), lines[i], m.group("body"), parse_uk_date(m.group("date")), None)
    if "decision maker" in fields:
        i, val = fields["decision maker"]
        date = parse_uk_date((fields.get("date of decision") or fields.get("decision date") or (0, ""))[1])
        return _Section(0, len(lines), lines[i], val, date, None)
    return None


def _vote_lines(lines: list[Line], lo: int, hi: int) -> list[tuple[int, dict]]:
    out = []
    for i in range(lo, hi):
        m = _VOTE_LINE.match(lines[i].clean)
        if m:
            v = vote_of(m.group("v") or m.group("w"))
            if v["vote"] or v["votes_for"] is not None:
                out.append((i, v))
    return out


def _decision_text_after_heading(lines: list[Line], lo: int, hi: int) -> list[Item]:
    """An unlabelled 'Decision:' part (decision-details pages): its paragraphs as one decision."""
    for i in range(lo, hi):
        if re.match(r"^Decision\s*:?\s*$", lines[i].clean):
            parts, first, j = [], None, i + 1
            while j < hi:
                ln = lines[j]
                if ln.clean and (_FIELD.match(ln.clean) or STOP_RE.match(ln.clean)):
                    break
                if ln.clean:
                    first = first or ln
                    parts.append(ln)
                j += 1
            if not parts:
                return []
            label, _rest = split_label(parts[0].clean)
            same_page = [p for p in parts if p.page is first.page]
            return [Item("decided", "", clean_text(" ".join(p.clean for p in parts)), first.page,
                         first.cstart, same_page[-1].end, None, i)]
    return []


def _own_body(target: str | None, body: str | None) -> bool:
    if not target or not body:
        return False
    t, b = tidy_body(target).lower(), tidy_body(body).lower()
    return t == b or t in b or b in t


@extractor("moderngov_pages", tables=("meetings", "decisions", "people"), order=20, accepts=accepts)
def extract_moderngov(doc: Document, out: Output) -> None:
    lines = doc_lines(doc)
    sections = _sections(lines)
    if not sections:
        sec = _detail_section(lines)
        sections = [sec] if sec else []
    for sec in sections:
        body = tidy_body(sec.body)
        sec.meeting_id = content_id(doc.doc_id, "meeting", body, sec.date, sec.item)
        ln = sec.line
        out.add("meetings", meeting_id=sec.meeting_id, doc_id=doc.doc_id, body=body, body_kind=body_kind(body),
                meeting_date=sec.date, item_number=sec.item, item_title=sec.item_title,
                **span_row(ln.page, ln.cstart, ln.end))
        items = find_blocks(lines, sec.lo + 1, sec.hi, bare_that=True, bare_kind="decided")
        if not items:
            items = _decision_text_after_heading(lines, sec.lo, sec.hi)
        if any(x.kind != "recommended" for x in items):
            items = [x for x in items if not (x.kind == "recommended" and _own_body(x.target, sec.body))]
        votes = _vote_lines(lines, sec.lo, sec.hi)
        for it in dedupe(items):
            after = [v for i, v in votes if i > it.line_index]
            vote = after[0] if after else (votes[-1][1] if votes else {})
            out.add("decisions", decision_id=content_id(doc.doc_id, "decision", sec.meeting_id, it.kind, it.label, it.tidy()[:80]),
                    doc_id=doc.doc_id, meeting_id=sec.meeting_id, kind=it.kind, label=it.label, text=it.tidy(),
                    vote=vote.get("vote"), votes_for=vote.get("votes_for"), votes_against=vote.get("votes_against"),
                    abstentions=vote.get("abstentions"), **span_row(it.page, it.start, it.end))
        for i in range(sec.lo, sec.hi):
            m = _TRUNCATED.search(lines[i].clean)
            if m:
                out.problem("minutes_truncated", f"page shows only the start of the minutes for item {m.group(1)}; "
                            "the full record is on the meeting's minutes page", page=lines[i].page.number)
                break
    add_people(doc, out)


def add_people(doc: Document, out: Output) -> None:
    """Presenters ('The Portfolio Holder for X Councillor Y presented'), members leaving or joining, report authors."""
    for page in doc.pages:
        text = page.text
        for rx in (_PRESENTER, _PRESENTER2):
            for m in rx.finditer(text):
                name = strip_titles(m.group("name"))
                if not is_name(name, allow_single=bool(m.groupdict().get("title"))):
                    continue
                role = m.groupdict().get("role") or m.groupdict().get("role2")
                role = clean_text(role) if role else None
                s = m.start("name")
                _person(out, doc, page, s, s + len(m.group("name")), name, role, "presenter")
        for m in _MOVEMENT.finditer(text):
            for s, e, name in split_names(m.group("names"), m.start("names")):
                _person(out, doc, page, s, e, name, "Councillor", "attendee")
        for m in re.finditer(r"^Report author:\s*(?P<name>[^\n]+)$", text, re.M):
            name = strip_titles(m.group("name"))
            if is_name(name):
                _person(out, doc, page, m.start("name"), m.end("name"), name, None, "author")


_seen_key = "_people_seen"


def _person(out: Output, doc: Document, page, s: int, e: int, name: str, role, mention: str, email=None, phone=None,
            vote_cast=None):
    for row in out.found("people"):
        if row["page"] == page.number and row["char_start"] <= s < row["char_end"]:
            return  # the same printed name already read (two patterns matched)
    out.add("people", person_id=content_id(doc.doc_id, "person", name, mention, page.number, s),
            doc_id=doc.doc_id, name=name, role=role, email=email, phone=phone, mention=mention,
            vote_cast=vote_cast, **span_row(page, s, e))
