"""ModernGov web pages: issue histories, decision details, agenda items, decision lists.

An 'Issue - meetings' page records several meetings, each opened by
`Meeting: DD/MM/YYYY - Body (Item N)`; inside, a `Decision:` part and a `Minutes:`
part usually print the same resolutions twice (one row each, fullest text kept).
A 'Decision details' page names its meeting in `Decided at meeting:` or, for an
officer or individual decision, in `Decision Maker:` + `Date of decision:`.
Recommendations addressed to the meeting's own body ('RECOMMENDED that Council'
printed under the Council meeting, before its RESOLVED) are the proposal, not a
decision, and are dropped; recommendations to another body are kept as `recommended`.

A decision LIST ('Decisions published', 'Officer decisions', 'Delegated decisions':
a table of Title / Date / Effective from / Call-ins, each title linking to
ieDecisionDetails.aspx?ID=N) gives one `decided` row per row that links to a decision's
details, its title as the text. A row linking anywhere else (an issue history,
mgIssueHistoryHome.aspx) is not a decision and gives nothing. The rows get no meeting:
a list gathers decisions taken by different makers on different days, and the list
prints neither the maker nor a meeting, so a per-list 'meeting' would be invented.
Each row's decision ID (from the link, or ' ref: 13567' text when there is no HTML) is its
`source_ref`, and the row's 'Date' column its `decision_date` (the call-in status has no
column yet). On a decision-details page the printed 'Date of decision:' is `decision_date`
(also when it equals the meeting's date: the page prints it) and the ID in the page's
address, else a cited 'Minute No. 10', is `source_ref`.
"""
from __future__ import annotations

import re

from html.parser import HTMLParser

from councilpapers.document import Document, span_row
from councilpapers.ids import content_id
from councilpapers.load.encoding import decode
from councilpapers.normalise.bodies import body_kind, tidy_body
from councilpapers.normalise.dates import parse_uk_date
from councilpapers.normalise.people import split_names, strip_titles, is_name
from councilpapers.normalise.vote import vote_of
from councilpapers.registry import Output, extractor

from councilpapers.structure import Line, clean_text, doc_lines, split_label

from ._decisions import ITEM_DEFAULT_KIND, STOP_RE, Item, _bulleted, dedupe, find_blocks, opener_kind

MEETING_HDR = re.compile(
    r"^Meeting:\s*(?P<date>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<body>.+?)\s*(?:\(\s*Item\s+(?P<item>[\w.]+)\s*\))?\s*$")
_ACCEPT = re.compile(
    r"^(?:Meeting:\s*\d{1,2}/\d{1,2}/\d{2,4}\s*[-–]|Decision Maker:|Decided at meeting:|Date of decision:|Issue - |Decision details)",
    re.M)
_FIELD = re.compile(r"^(?P<key>Decision Maker|Date of decision|Decided at meeting|Made at meeting|Decision status|Report author|Lead officer|Decision date|Meeting date)\s*:\s*(?P<val>.*)$", re.I)
_VOTE_LINE = re.compile(r"^(?:Voting|Vote|Votes?\s+recorded)\s*[:\-–]\s*(?P<v>.+)$|^(?P<w>(?:The )?(?:motion|recommendations?|amendment|proposal)s? (?:was|were) (?:carried|lost|agreed|defeated).*|(?:Motion|Amendment) (?:carried|lost)\.?)$", re.I)
_TRUNCATED = re.compile(r"view the full (?:minutes|decision) text for item\s*([\w.]+)", re.I)
_PRESENTER = re.compile(
    r"(?:The\s+)?(?P<role>(?:Deputy\s+|Lead\s+)?(?:Portfolio Holder|Cabinet Member|Executive Member|Lead Member|Leader|Deputy Leader|Mayor|Deputy Mayor|Chair(?:man)?)\b[^.;\n]{0,80}?)"
    r"\s*,?\s*(?:Councillor|Cllr\.?)\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}?)\s*,?\s+"
    r"(?:presented|introduced|submitted|outlined|moved|gave|provided)\b")
_PRESENTER2 = re.compile(
    r"(?P<title>Councillor|Cllr\.?|Mrs|Mr|Ms|Miss|Dr)\s+(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){0,3}?)\s*(?:,\s*(?P<role>[^,.;\n]{3,90}?)\s*,|\((?P<role2>[^)\n]{3,90})\))\s*"
    r"(?:presented|introduced|submitted|outlined|moved|gave|provided)\b")
# 'Jo Carpenter, Participation and Engagement Manager, Kayleigh Leonard, Participation Support
# Assistant, and Tom Byrne, Participation Support Officer, presented the report.'
_NAME_ROLE = (r"(?:(?:Mr|Mrs|Ms|Miss|Dr|Councillor|Cllr)\.?\s+)?[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,3}"
              r"\s*,\s*[^,.;()\n]{3,90}?(?:\n[^,.;()\n]{1,60}?)?\s*,?\s*(?:and\s+)?")
_PRESENTER3 = re.compile(
    r"(?P<seq>(?:" + _NAME_ROLE + r"){1,4})(?:as\s+[^,.;]{3,60}?,\s*)?"
    r"(?:presented|introduced|provided an (?:overview|update)|gave (?:a|an) (?:presentation|overview|update))\b")
_PRESENT_VERB = re.compile(
    r"(?:presented|introduced|provided an (?:overview|update)|gave (?:a|an) (?:presentation|overview|update))\b")
_PRESENTER_WINDOW = 400  # a name/role sequence is never longer; bounds the regex's backtracking


class _Shifted:
    """A match found in a window of the page, with offsets into the whole page."""

    def __init__(self, m: re.Match, offset: int):
        self._m, self._offset = m, offset

    def start(self, group=0):
        return self._m.start(group) + self._offset

    def group(self, name=0):
        return self._m.group(name)


def _presenter_sequences(text: str):
    """'Name, role, [and Name, role,] presented ...': find the verb first, then read the names
    in the few hundred characters before it. Matching the whole page at once backtracks
    badly on long attendance lists (seconds per page)."""
    last_end = 0
    for verb in _PRESENT_VERB.finditer(text):
        lo = max(last_end, verb.start() - _PRESENTER_WINDOW)
        window = text[lo:verb.end()]
        for m in _PRESENTER3.finditer(window):
            if m.end() == len(window):
                last_end = verb.end()
                yield _Shifted(m, lo)
                break


_SEQ_NAME = re.compile(
    r"^(?:and\s+)?(?P<name>(?:(?:Mr|Mrs|Ms|Miss|Dr|Councillor|Cllr)\.?\s+)?[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,3})$")
_CHUNK = re.compile(r"[^,]+")


def seq_people(seq: str) -> list[tuple[int, str, str | None]]:
    """'Name, role, [and] Name, role, ...' -> (offset of the name in seq, name, role).

    Commas separate names from roles, but a role may hold commas of its own ('Deputy Leader
    and Cabinet Member for Finance, Corporate and Traded Services'): a comma-separated part
    that is not a name continues the role before it. A 'name' with no role after it (a role
    part that happened to look like a name) goes back into the role before it.
    """
    people: list[list] = []  # [offset, name, role parts, raw chunk]
    for m in _CHUNK.finditer(seq):
        chunk = m.group(0)
        text = chunk.strip()
        if not text:
            continue
        lead = m.start() + (len(chunk) - len(chunk.lstrip()))
        nm = _SEQ_NAME.match(text)
        if nm:
            raw = nm.group("name")
            name = strip_titles(raw)
            if is_name(name, allow_single=name != raw.strip()) and name in raw:
                if people and not people[-1][2]:
                    orphan = people.pop()  # the previous 'name' had no role: it was part of a role
                    if people:
                        people[-1][2].append(orphan[3])
                people.append([lead + nm.start("name") + raw.find(name), name, [], text])
                continue
        if people and not text.startswith("as "):  # 'as the Section 151 Officer': the capacity, not the title
            people[-1][2].append(text)
    if people and not people[-1][2]:
        orphan = people.pop()
        if people:
            people[-1][2].append(orphan[3])
    return [(s, n, clean_text(", ".join(r))) for s, n, r, _t in people if r]


_SENTENCE_START = re.compile(r"(?:^|\n|[.:;]\s+|^\s*\(?\d{1,2}[.)]\s+|\n\s*\(?\d{1,2}[.)]\s+)$")
_MOVEMENT = re.compile(
    r"(?:Councillors?|Cllrs?\.?)\s+(?P<names>[^\]\n]{2,300}?)\s+(?:left|joined|entered|arrived at|returned to|rejoined)\s+the\s+(?:meeting|room|chamber)", re.I)


_MAKER = re.compile(r"^\s*Decision Maker\s*:", re.M)


def accepts(doc: Document) -> bool:
    """A ModernGov issue or decision-details page. A register of several decisions ('Decisions published',
    each with its own 'Decision Maker:') is read by the family-independent reader, entry by entry."""
    if not doc.pages:
        return False
    head = doc.pages[0].text[:6000]
    return bool(_ACCEPT.search(head)) and len(_MAKER.findall(doc.pages[0].text)) <= 1


class _Section:
    def __init__(self, lo: int, hi: int, line: Line | None, body, date, item):
        self.lo, self.hi, self.line, self.body, self.date, self.item = lo, hi, line, body, date, item
        self.item_title = None
        self.meeting_id = None
        self.decision_date = None   # printed 'Date of decision:' (decision-details pages)
        self.source_ref = None      # the page's decision ID or cited minute number
        self.maker = None           # 'Decision Maker:' as printed


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


_MINUTE_REF = re.compile(r"\bMinute\s+(?:No\.?\s*|Number\s*|Ref(?:erence)?\.?\s*)?:?\s*(?P<n>\d{1,4}[a-z]?(?:\.\d{1,2})?)\b")


def _detail_ref(doc: Document, lines: list[Line]) -> str | None:
    """A decision-details page's own reference: the ID in its address (ieDecisionDetails.aspx?ID=13567),
    else a minute number the page cites ('Minute No. 10' -> 'Minute 10')."""
    m = _DETAILS_HREF.search(doc.source_url or "")
    if m:
        return m.group("id")
    for ln in lines:
        mm = _MINUTE_REF.search(ln.clean)
        if mm:
            return f"Minute {mm.group('n')}"
    return None


def _detail_section(lines: list[Line]) -> _Section | None:
    """A decision-details page: its fields name the meeting or the decision maker."""
    fields: dict[str, tuple[int, str]] = {}
    for i, ln in enumerate(lines):
        m = _FIELD.match(ln.clean)
        if m and m.group("key").lower() not in fields:
            fields[m.group("key").lower()] = (i, m.group("val").strip())
    decided = parse_uk_date((fields.get("date of decision") or fields.get("decision date") or (0, ""))[1])
    sec = None
    for key in ("decided at meeting", "made at meeting"):
        if key in fields and sec is None:
            i, val = fields[key]
            m = re.match(r"(?P<date>\d{1,2}/\d{1,2}/\d{2,4})\s*[-–]\s*(?P<body>.+)$", val)
            if m:
                sec = _Section(0, len(lines), lines[i], m.group("body"), parse_uk_date(m.group("date")), None)
    maker = fields.get("decision maker")
    if sec is None and maker:
        i, val = maker
        # an officer or a single member deciding alone holds no meeting: the page records who decided
        body = None if body_kind(tidy_body(val)) == "individual_decision" else val
        sec = _Section(0, len(lines), lines[i], body, decided, None)
    if sec is not None:
        sec.decision_date = decided
        sec.maker = clean_text(maker[1]) if maker else None
    return sec


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
    """An unlabelled 'Decision:' part (decision-details pages): its paragraphs as one decision, or one decision a
    bullet when the part is a bulleted list ('• That the Grant Approval Scheme ... be approved; and' / '• that the
    Heads of Service ... be designated ...'). The kind is the one the text opens like ('The Committee agreed not
    to ...' is agreed), else the body's resolution."""
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
            groups: list[list[Line]] = []
            if len(parts) > 1 and _bulleted(parts[0]):
                for p in parts:
                    if _bulleted(p) or not groups:
                        groups.append([p])
                    else:
                        groups[-1].append(p)
            else:
                groups = [parts]
            out = []
            for g in groups:
                text = clean_text(" ".join(p.clean for p in g))
                same_page = [p for p in g if p.page is g[0].page]
                out.append(Item(opener_kind(text) or ITEM_DEFAULT_KIND, "", text, g[0].page, g[0].cstart,
                                same_page[-1].end, None, i))
            return out
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
        if sec:
            sec.source_ref = _detail_ref(doc, lines)
        sections = [sec] if sec else []
    for sec in sections:
        body = tidy_body(sec.body)
        ln = sec.line
        if body:
            sec.meeting_id = content_id(doc.doc_id, "meeting", body, sec.date, sec.item)
            out.add("meetings", meeting_id=sec.meeting_id, doc_id=doc.doc_id, body=body, body_kind=body_kind(body),
                    meeting_date=sec.date, item_number=sec.item, item_title=sec.item_title,
                    **span_row(ln.page, ln.cstart, ln.end))
        items = find_blocks(lines, sec.lo + 1, sec.hi, bare_that=True)
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
                    abstentions=vote.get("abstentions"), decision_date=sec.decision_date, source_ref=sec.source_ref,
                    decision_maker=sec.maker or body, **span_row(it.page, it.start, it.end))
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
        for m in _presenter_sequences(text):
            if not _SENTENCE_START.search(text[max(0, m.start() - 6):m.start()]):
                continue
            for ns, name, role in seq_people(m.group("seq")):
                ns += m.start()
                _person(out, doc, page, ns, ns + len(name), name, role, "presenter")
        for m in _MOVEMENT.finditer(text):
            for s, e, name in split_names(m.group("names"), m.start("names")):
                _person(out, doc, page, s, e, name, "Councillor", "attendee")
        for m in re.finditer(r"^Report author:\s*(?P<name>[^\n]+)$", text, re.M):
            name = strip_titles(m.group("name"))
            if is_name(name):
                _person(out, doc, page, m.start("name"), m.end("name"), name, None, "author")


_seen_key = "_people_seen"


def _person(out: Output, doc: Document, page, s: int, e: int, name: str, role, mention: str, email=None, phone=None,
            vote_cast=None) -> dict | None:
    """Add a people row; None when the same printed name was already read (two patterns matched)."""
    if out.covering("people", page.number, s):
        return None
    return out.add("people", person_id=content_id(doc.doc_id, "person", name, mention, page.number, s),
                   doc_id=doc.doc_id, name=name, role=role, email=email, phone=phone, mention=mention,
                   vote_cast=vote_cast, **span_row(page, s, e))


# --- decision lists --------------------------------------------------------------

_DETAILS_HREF = re.compile(r"ieDecisionDetails\.aspx\?(?:[^\"'\s]*&(?:amp;)?)?ID=(?P<id>\d+)", re.I)
_LIST_HEAD = re.compile(r"^Title\s*\t\s*(?:Date|Decision date|Published)\b", re.M | re.I)
_REF_TAIL = re.compile(r"\s*ref:\s*\d+\s*$", re.I)


def accepts_list(doc: Document) -> bool:
    if not doc.pages or doc.format != "html":
        return False
    return any("iedecisiondetails.aspx" in h.lower() for h in doc.links) and bool(_LIST_HEAD.search(doc.pages[0].text))


class _RowParser(HTMLParser):
    """Table rows of an HTML page as (cell texts, hrefs in the row)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[list[str], list[str]]] = []
        self._cells: list[str] | None = None
        self._hrefs: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._cells, self._hrefs = [], []
        elif tag in ("td", "th") and self._cells is not None:
            self._cells.append("")
            self._in_cell = True
        elif tag == "a" and self._cells is not None:
            href = dict(attrs).get("href")
            if href:
                self._hrefs.append(href)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._in_cell = False
        elif tag == "tr" and self._cells is not None:
            self.rows.append(([" ".join(c.split()) for c in self._cells], self._hrefs))
            self._cells = None

    def handle_data(self, data):
        if self._in_cell and self._cells:
            self._cells[-1] += data


def _list_rows(doc: Document) -> list[tuple[str, str | None]] | None:
    """(title, decision id or None) per table row with cells, from the page's HTML; None without HTML.

    The id comes from the row's ieDecisionDetails.aspx?ID= link; a row that links elsewhere
    (an issue history) has none, whatever ' ref:' text it prints."""
    if not doc.data:
        return None
    parser = _RowParser()
    try:
        parser.feed(decode(doc.data, None))
        parser.close()
    except Exception:  # noqa: BLE001 - malformed HTML: fall back to the text
        return None
    out = []
    for cells, hrefs in parser.rows:
        if not cells or not cells[0] or not any(parse_uk_date(c) for c in cells[1:]):
            continue  # header or layout row
        ids = [m.group("id") for m in (_DETAILS_HREF.search(h) for h in hrefs) if m]
        ref = ids[0] if ids else None
        if ref is None and hrefs == [] and _REF_TAIL.search(cells[0]):
            ref = re.search(r"\d+", _REF_TAIL.search(cells[0]).group(0)).group(0)  # ' ref: 13567' with no link
        out.append((_REF_TAIL.sub("", cells[0]), ref))
    return out


@extractor("moderngov_decision_lists", tables=("decisions",), order=21, accepts=accepts_list)
def extract_decision_list(doc: Document, out: Output) -> None:
    rows = _list_rows(doc)
    page = doc.pages[0]
    head = _LIST_HEAD.search(page.text)
    pos = head.end() if head else 0
    queue = list(rows) if rows is not None else None
    for lm in re.finditer(r"[^\n]+", page.text[pos:]):
        line = lm.group(0)
        cells = line.split("\t")
        if len(cells) < 2 or not any(parse_uk_date(c) for c in cells[1:]):
            continue
        raw_title = cells[0].rstrip()
        decided = next((d for d in (parse_uk_date(c) for c in cells[1:]) if d), None)  # the 'Date' column
        title = _REF_TAIL.sub("", raw_title).strip()
        if not title:
            continue
        if queue is not None:
            # the HTML row this text row came from: the next one with the same title
            k = next((n for n, (t, _i) in enumerate(queue) if t == title), None)
            if k is None:
                continue
            _t, ref = queue.pop(k)
            if ref is None:
                continue  # links to an issue history, not to a decision
        else:
            m = _REF_TAIL.search(raw_title)
            if not m:
                continue  # without the HTML only a row carrying its decision ref is trusted
            ref = re.search(r"\d+", m.group(0)).group(0)
        s = pos + lm.start() + (len(line) - len(line.lstrip()))
        e = s + len(title)
        out.add("decisions", decision_id=content_id(doc.doc_id, "decision", None, "decided", ref, title[:80]),
                doc_id=doc.doc_id, meeting_id=None, kind="decided", label="", text=clean_text(title),
                vote=None, votes_for=None, votes_against=None, abstentions=None,
                decision_date=decided, source_ref=ref, **span_row(page, s, e))
