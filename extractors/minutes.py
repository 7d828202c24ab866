"""Printed minutes (PDF): meeting header, RESOLVED / RECOMMENDED / AGREED blocks, recorded votes, attendance.

The meeting is read from the first lines ('MINUTES of a meeting of the Cabinet held
... on Thursday, 30 January 2025', 'CORPORATE PARENTING PANEL – 10th December 2024',
or a body line, a date line and 'PRESENT:' just after). A pack may hold more than
one set of minutes (a joint session): decisions belong to the last meeting header
above them. Recorded votes ('For (57)' / names / 'Against (0)' / 'Abstain (2)' /
'Motion carried.') give counts to the resolution that follows them and `voter`
people rows; PRESENT / IN ATTENDANCE lists give `attendee` rows.
A recorded vote that no resolution follows (an amendment lost, a motion put and
carried with no RESOLVED printed) is still a decision of the meeting: it gives a
row of kind `other` for the motion as moved ('Mr X proposed, and Ms Y seconded the
following amendment: ...'), with the vote and its counts; mover and seconder are
`other` people rows with role proposer / seconder.
A minute headed by a forward-plan decision number ('88. 24/00108 - Revenue and Capital
Budget Monitoring Report') gives that number as `source_ref` to its decisions; minutes
print no decision date of their own (it is the meeting's), so `decision_date` stays null.
A formula printed alone under a minute heading ('7 WORK PROGRAMME (Agenda item 7)' /
'NOTED') is a decision of that kind whose text is the heading's title.
"""
from __future__ import annotations

import re

from councilpapers.document import Document, span_row
from councilpapers.ids import content_id
from councilpapers.normalise.bodies import body_kind, tidy_body
from councilpapers.normalise.dates import DATE_PATTERN
from councilpapers.normalise.people import split_names
from councilpapers.normalise.vote import parse_vote
from councilpapers.registry import Output, extractor

from councilpapers.structure import Line, clean_text, doc_lines, split_label

from ._decisions import MINUTE_HEADING_RE, dedupe, find_blocks, formula_of, minute_refs
from ._meetings import printed_meetings
from .moderngov_pages import _person, add_people

_DATE = DATE_PATTERN
_ACCEPT_HEAD = re.compile(r"\bMINUTES\b|\bMinutes of\b|^\s*PRESENT\s*:?|^\s*Present\s*:", re.M)
_ACCEPT_BODY = re.compile(r"\bRESOLVED\b|\bResolved\b|\bresolved (?:that|to)\b|\bAGREED\b|\bRECOMMENDED\b")
_ATTEND_HEAD = re.compile(r"^(?P<h>PRESENT|Present|ALSO PRESENT|Also Present|IN ATTENDANCE(?: VIRTUALLY)?|In Attendance(?: virtually)?)\s*:?\s*", re.M)
_VOTE_HEAD = re.compile(r"^(?P<side>For|Against|Abstain(?:ed|ing|ions?)?)\s*[:(]\s*(?P<n>\d{1,3})\s*\)?\s*$", re.I)
# '(7) Mr Brady proposed, and Ms Meade seconded the following amendment:' / 'Cllr A moved and Cllr B seconded the motion that:'
_MOVED = re.compile(
    r"^(?P<mover>.{2,80}?)\s+(?:proposed|moved)\b,?\s*(?:and|,)\s*(?P<seconder>.{2,80}?)\s+seconded\b,?\s*"
    r"(?:the\s+following\s+|the\s+|an?\s+)?(?P<what>amendment|motion|recommendations?|proposal)\b(?P<rest>.*)$", re.I)
_PUT_TO_VOTE = re.compile(r"\bput\b.{0,60}\bto the vote\b|\bthe voting was\b|^Post[- ]meeting note\b", re.I)
_OUTCOME = re.compile(r"^(?:(?:Substantive\s+)?(?:Motion|Amendment|Recommendations?|Proposal)s?\s+(?:was\s+|were\s+)?(?:carried|lost|agreed|defeated|fell)|Carried|Lost)\b.*$", re.I)


def accepts(doc: Document) -> bool:
    if not doc.pages:
        return False
    head = "\n".join(p.text for p in doc.pages[:3])[:12000]
    if not _ACCEPT_HEAD.search(head):
        return False
    return any(_ACCEPT_BODY.search(p.text) for p in doc.pages[:60])


def _meetings(doc: Document, lines: list[Line]) -> list[tuple[int, object, str, object]]:
    """(line index, page-span, body, date) of each minutes header, in reading order (the shared forms of
    vocab/meeting_forms.csv)."""
    return [(m.line_index, (m.page, m.start, m.end), m.body, m.date) for m in printed_meetings(lines)]


@extractor("minutes", tables=("meetings", "decisions", "people"), order=30, accepts=accepts)
def extract_minutes(doc: Document, out: Output) -> None:
    if out.found("meetings"):
        return  # a ModernGov page read it
    lines = doc_lines(doc)
    meetings = _meetings(doc, lines)
    marks = []
    for idx, (page, s, e), body_raw, date in meetings:
        body = tidy_body(body_raw)
        mid = content_id(doc.doc_id, "meeting", body, date, None)
        out.add("meetings", meeting_id=mid, doc_id=doc.doc_id, body=body, body_kind=body_kind(body),
                meeting_date=date, item_number=None, item_title=None, **span_row(page, s, e))
        marks.append((idx, mid))
    votes = _recorded_votes(doc, lines, out)
    items = find_blocks(lines, recs_headings=False)
    refs = minute_refs(lines)
    used: set[int] = set()
    for it in dedupe(items):
        mid = _meeting_at(marks, it.line_index)
        vote = {}
        prior = [v for v in votes if v["end"] < it.formula_index and it.formula_index - v["end"] <= 3 and v["vote"] != "lost"]
        if prior:
            vote = prior[-1]
            used.add(id(vote))
        did = content_id(doc.doc_id, "decision", mid, it.kind, it.label, it.tidy()[:80], it.page.number, it.start)
        if vote:
            vote.setdefault("decision_id", did)
        out.add("decisions", decision_id=did,
                doc_id=doc.doc_id, meeting_id=mid, kind=it.kind, label=it.label, text=it.tidy(),
                vote=vote.get("vote") or _inline_vote(it.tidy()), votes_for=vote.get("for"),
                votes_against=vote.get("against"), abstentions=vote.get("abstain"),
                decision_date=None, source_ref=refs[it.formula_index],
                **span_row(it.page, it.start, it.end))
    for v in votes:
        if id(v) not in used:
            _motion_row(doc, lines, v, votes, marks, out, refs)
        for voter in v["voters"]:  # each named vote belongs to the decision of its division
            voter["decision_id"] = v.get("decision_id")
    _attendance(doc, out)
    add_people(doc, out)


def _meeting_at(marks: list[tuple[int, str]], index: int) -> str | None:
    mid = None
    for idx, m in marks:
        if idx <= index:
            mid = m
    return mid


def _motion_row(doc: Document, lines: list[Line], vote: dict, votes: list[dict], marks, out: Output,
                refs: list[str | None]) -> None:
    """The motion or amendment a recorded vote decided, when no resolution records it."""
    floor = max([v["end"] for v in votes if v["end"] < vote["start"]] + [-1])
    lo = max(floor + 1, vote["start"] - 120)
    k, joined = None, False
    for i in range(vote["start"] - 1, lo - 1, -1):
        if _MOVED.match(split_label(lines[i].clean)[1]):
            k = i
            break
        if i + 1 < vote["start"] and _MOVED.match(split_label(lines[i].clean + " " + lines[i + 1].clean)[1]):
            k, joined = i, True  # '... seconded the following' / 'amendment:'
            break
    if k is None:
        return
    ln = lines[k]
    label, body = split_label(ln.clean + (" " + lines[k + 1].clean if joined else ""))
    m = _MOVED.match(body)
    style_num = label is not None and label.isdigit()
    parts: list[Line] = []
    rest = m.group("rest").strip(" :-–")
    if rest.lower().startswith("that"):
        rest = rest[4:].strip(" :-–")
    for i in range(k + 1 + joined, vote["start"]):
        x = lines[i]
        if x.furniture or x.blank:
            continue
        lab = split_label(x.clean)[0]
        if (style_num and lab is not None and lab.isdigit()) or _PUT_TO_VOTE.search(x.clean) or formula_of(x.clean) \
                or (MINUTE_HEADING_RE.match(x.clean) and len(x.clean) < 90 and not x.clean[:1] == "“"):
            break
        parts.append(x)
    if rest:
        first, s = ln, ln.page.text.find(rest[:20], ln.start, ln.end + 1)
        s = s if s >= 0 else ln.cstart
        text = rest + " " + " ".join(p.clean for p in parts)
    elif parts:
        first, s = parts[0], parts[0].cstart
        text = " ".join(p.clean for p in parts)
    else:
        first, s = ln, ln.cstart
        text = body
    same = [p for p in parts if p.page is first.page]
    e = same[-1].end if same else first.end
    text = clean_text(text)
    mid = _meeting_at(marks, k)
    vote["decision_id"] = content_id(doc.doc_id, "decision", mid, "other", label or "", text[:80], first.page.number, s)
    out.add("decisions", decision_id=vote["decision_id"],
            doc_id=doc.doc_id, meeting_id=mid, kind="other", label=label or "", text=text,
            vote=vote["vote"], votes_for=vote["for"], votes_against=vote["against"], abstentions=vote["abstain"],
            decision_date=None, source_ref=refs[k], **span_row(first.page, s, e))
    base = ln.page.text.find(body[:m.end("seconder")], ln.start, ln.end + 1)
    if base >= 0:
        for grp, role in (("mover", "proposer"), ("seconder", "seconder")):
            for ns, ne, name in split_names(m.group(grp), base + m.start(grp)):
                _person(out, doc, ln.page, ns, ne, name, role, "other")


def _inline_vote(text: str) -> str | None:
    """'RESOLVED unanimously that ...' / '... resolved, with a unanimous vote'."""
    return parse_vote(text[:200]) if re.search(r"unanim|nem\.?\s*con|without dissent", text[:200], re.I) else None


_DANGLING_TITLE = re.compile(r"(?:^|,)\s*((?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Cllr|Councillor)\.?)\s*$")


def _recorded_votes(doc: Document, lines: list[Line], out: Output) -> list[dict]:
    """'For (12)' / names / 'Against (42)' / names / 'Abstain (7)' / names / 'Amendment lost.'"""
    votes, cur, side, carry = [], None, None, None
    for i, ln in enumerate(lines):
        if ln.furniture or not ln.clean:
            continue
        m = _VOTE_HEAD.match(ln.clean)
        if m:
            side = m.group("side").lower()[:7]
            side = "abstain" if side.startswith("abstain") else side
            if cur is None or side == "for":
                cur = {"for": None, "against": None, "abstain": None, "vote": None, "end": i, "start": i, "voters": []}
            cur[side] = int(m.group("n"))
            carry = None
            continue
        if cur is None:
            continue
        o = _OUTCOME.match(ln.clean)
        if o:
            cur["vote"] = parse_vote(ln.clean) or ("carried" if (cur["for"] or 0) > (cur["against"] or 0) else "lost")
            cur["end"] = i
            votes.append(cur)
            cur, side = None, None
            continue
        if side and (MINUTE_HEADING_RE.match(ln.clean) or ln.clean.startswith("(")):
            cur, side = None, None
            continue
        if side:
            # 'Mr' / 'Ms' left at the end of a line titles the surname that opens the next one
            start, over_page = ln.start, False
            if carry is not None and carry[0] is ln.page and carry[1] < ln.start:
                start = carry[1]
            elif carry is not None:
                over_page = True  # the title was printed at the foot of the page before
            text = ln.page.text[start:ln.end]
            dangling = _DANGLING_TITLE.search(text)
            carry = (ln.page, start + dangling.start(1)) if dangling else None
            for s, e, name in split_names(text[:dangling.start(1)] if dangling else text, start,
                                          first_titled=over_page):
                row = _person(out, doc, ln.page, s, e, name, None, "voter", vote_cast=side)
                if row is not None:
                    cur["voters"].append(row)
    return votes


def _attendance(doc: Document, out: Output) -> None:
    """PRESENT / ALSO PRESENT / IN ATTENDANCE lists on the pages that open a set of minutes."""
    for page in doc.pages:
        text = page.text
        heads = list(_ATTEND_HEAD.finditer(text))
        for n, h in enumerate(heads):
            end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
            zone_end = h.end()
            # the list runs on until a line that is not part of it (a heading, an item, a blank line)
            prev = ""
            for lm in re.finditer(r"[^\n]*\n?", text[h.end():end]):
                line = lm.group(0).strip()
                carried = bool(re.search(r"(?:[,(&]|\band)$", prev))  # 'Peter Southgate and' / 'Martin Whelton.'
                if not line or (zone_end > h.end() and (re.match(r"^(?:\d+\.?\s|UNRESTRICTED|Apologies|\(Item|[A-Z][A-Z ]{6,}$)", line)
                                                         or (zone_end > h.end() + 20 and not carried
                                                             and not re.search(r"[,)]\s*$|\band\b|,", line)))):
                    break
                zone_end = h.end() + lm.end()
                prev = line
            zone = text[h.end():zone_end]
            for s, e, name in split_names(zone, h.end()):
                after = text[e:e + 100]
                # 'Grant Miles (Head of Finance)' / 'Olive O'Sullivan – Town Clerk,' / 'Sue Chandler, Cabinet Member for X.' ending the list
                rm = re.match(r"\s*\((?P<role>[^)]{2,90})\)|[ \t]+[-–—][ \t]+(?P<role2>[A-Z][^,.;\n()]{1,60}?)\s*(?:[,.;]|$)"
                              r"|,\s+(?P<role3>(?:Cabinet|Deputy|Leader|Director|Chief|Head|Corporate|Assistant|Executive|Portfolio)\b[^.;()]{2,90}?)\.\s*$",
                              after, re.M)
                role = clean_text(rm.group("role") or rm.group("role2") or rm.group("role3")) if rm else None
                _person(out, doc, page, s, e, name, role, "attendee")
