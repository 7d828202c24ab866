"""Decisions, meetings and people from any council paper, whatever its layout.

The one family-independent reader: it runs on every document after the family
extractors, reads the structure pass (`pipeline.structure`) with the vocabularies in
`pipeline/vocab/`, and adds what the families did not find (a row a family already
read, by its span or its words, is not read twice).

- Meetings: printed forms (`meeting_forms.csv`); where none names the meeting, the
  body the paper shows meeting (`_meetings.acting_body`).
- Decisions: resolution lead-ins (`lead_ins.csv`) with their lists; where the lead-in
  was lost, a 'Decision:' field's text, a list or a 'That ... be ...' paragraph that opens
  like a decision (`decision_openers.csv`); a proposal followed by its outcome ('This was
  agreed.', `outcomes.csv`). A recommendation the meeting then resolves in the same words
  is not a second decision; a 'Decision:' summary of an item whose minutes print the
  resolutions is not one either.
- Votes: vote lines ('Vote taken: 8 in favour, 0 against, 0 abstentions', 'Voting Record
  5 For, 0 Against, 1 Abstention') and named divisions ('For the procedural motion (23) -
  ...') go to the decision they decided: the one they precede or, failing that, follow.
  Each named voter is a `people` row with `vote_cast` and the division's `decision_id`.
- People: `_people` (contacts, attendance, titled names, apposed roles, 'received from').
"""
from __future__ import annotations

import bisect
import re

from councilpapers.document import Document, span_row
from councilpapers.ids import content_id
from councilpapers.normalise.bodies import body_kind
from councilpapers.normalise.people import title_before
from councilpapers.normalise.vote import vote_of
from councilpapers.registry import Output, extractor
from councilpapers.structure import TERMINAL, Line, clean_text, doc_lines, label_style, split_label
from councilpapers.structure import successor as _successor
from councilpapers.vocab import patterns, rows

from . import _meetings, _people
from ._decisions import (FORMULA_KINDS, ITEM_DEFAULT_KIND, STOP_RE, Item, collect, dedupe, doc_tail, find_blocks, item_kind, lead_in_of, list_start,
                         next_content, norm_words, opener_kind, parse_block, substantive, text_start, trim_cut)


@extractor("proceedings", tables=("meetings", "decisions", "people"), order=60)
def extract_proceedings(doc: Document, out: Output) -> None:
    lines = doc_lines(doc)
    marks = _add_meetings(doc, lines, out)
    items = _decision_items(lines)
    _add_decisions(doc, lines, items, marks, out)
    _add_people(doc, lines, out)
    _check_divisions(out)
    meetings = out.found("meetings")
    resolved = {"resolved", "agreed", "noted", "approved", "ordered"}  # a meeting's formulas, not a register's 'decided'
    if any(d.get("kind") in resolved for d in out.found("decisions")) and not meetings:
        out.problem("minutes_no_meeting", "decisions recorded, but no meeting named: the page prints neither the "
                    "body nor the date of the meeting that took them", page=1)
    elif meetings and all(m.get("meeting_date") is None for m in meetings):
        out.problem("meeting_date_unknown", f"the meeting of {meetings[0].get('body')} is named but its date is "
                    "not printed (dates in the text are of other meetings)", page=1, severity="info")


def _check_divisions(out: Output) -> None:
    """A named division is checked against the counts the paper prints beside it: a difference is noted
    (a voter named by office, 'Lord Provost', or a name the reader missed)."""
    named: dict[str, dict[str, int]] = {}
    for p in out.found("people"):
        if p.get("decision_id") and p.get("vote_cast"):
            side = named.setdefault(p["decision_id"], {})
            side[p["vote_cast"]] = side.get(p["vote_cast"], 0) + 1
    for d in out.found("decisions"):
        sides = named.get(d["decision_id"])
        if not sides:
            continue
        printed = {"for": d.get("votes_for"), "against": d.get("votes_against"), "abstain": d.get("abstentions")}
        diff = [f"{k} {sides.get(k, 0)} named, {v} printed" for k, v in printed.items() if v is not None and sides.get(k, 0) != v]
        if diff:
            out.problem("division_names_differ", f"decision {d.get('label') or ''} '{(d.get('text') or '')[:40]}': "
                        + "; ".join(diff), page=d.get("page"), severity="info")


# --- meetings ---------------------------------------------------------------------------

def _add_meetings(doc: Document, lines: list[Line], out: Output) -> list[tuple[int, str]]:
    """Meeting rows this reader adds, and (line index, meeting_id) marks for its decisions."""
    earlier = out.found("meetings")
    marks: list[tuple[int, str]] = []
    printed = _meetings.printed_meetings(lines)
    for m in printed:
        known = next((e for e in earlier if e.get("meeting_date") == m.date and e.get("body")
                      and _meetings.same_body(e["body"], m.body)), None)
        if known:
            marks.append((m.line_index, known["meeting_id"]))
            continue
        mid = content_id(doc.doc_id, "meeting", m.body, m.date, m.item)
        out.add("meetings", meeting_id=mid, doc_id=doc.doc_id, body=m.body, body_kind=body_kind(m.body),
                meeting_date=m.date, item_number=m.item, item_title=None, **span_row(m.page, m.start, m.end))
        marks.append((m.line_index, mid))
    if printed or earlier:
        if not marks and earlier:  # a family's meeting (a 'Decision Maker:' body): this reader's decisions are its too
            marks.append((0, earlier[0]["meeting_id"]))
        return marks
    body, _n = _meetings.acting_body([p.text for p in doc.pages], lines)
    if body is None:
        return marks
    dated = _meetings.dated_title(lines) or _meetings.head_date(lines)
    when, at = dated if dated else (None, 0)
    ln = lines[at] if dated else next((x for x in lines if x.clean and not x.furniture), None)
    if ln is None:
        return marks
    mid = content_id(doc.doc_id, "meeting", body, when, None)
    # the body is inferred, not printed as a header: the span is the line that dates it, or the page's first line
    out.add("meetings", meeting_id=mid, doc_id=doc.doc_id, body=body, body_kind=body_kind(body),
            meeting_date=when, item_number=None, item_title=None, **span_row(ln.page, ln.cstart, ln.end))
    marks.append((0, mid))
    return marks


def _meeting_at(marks: list[tuple[int, str]], index: int) -> str | None:
    mid = marks[0][1] if marks else None
    for idx, m in marks:
        if idx <= index:
            mid = m
    return mid


# --- decisions ----------------------------------------------------------------------------


class _Spans:
    """Spans of the decisions read so far, per page, to ask cheaply whether a line is already read."""

    def __init__(self, items: list[Item] = ()):
        self.by_page: dict[int, list[tuple[int, int]]] = {}
        for it in items:
            self.add(it)

    def add(self, it: Item) -> None:
        bisect.insort(self.by_page.setdefault(it.page.number, []), (it.start, max(it.end, it.start + 1)))

    def covers(self, ln: Line) -> bool:
        spans = self.by_page.get(ln.page.number, [])
        k = bisect.bisect_left(spans, (ln.end, 0))
        # spans starting before the line's end; decision spans do not nest deeply, a few neighbours suffice
        return any(e > ln.cstart for _s, e in spans[max(0, k - 8):k])


def _paragraph(lines: list[Line], k: int, kind: str, start: int | None = None) -> tuple[Item, int]:
    """The unlabelled paragraph opening on line k (from offset `start`) as one decision."""
    parts, page, s, e, j = collect(lines, k, lines[k].cstart if start is None else start)
    return Item(kind, "", clean_text(" ".join(p.strip() for p in parts)), page, s, e, None, k, k), j


# a sentence whose subject is the deciding body or member and whose verb is printed in capitals, as minute-takers mark
# the decision ('The Executive Cabinet Member NOTED the report.', 'The Committee AGREED to defer the item.')
_CAPS_VERB = re.compile(r"^(?:The[ \t]+|the[ \t]+)?(?:[A-Z][\w'’&-]*[ \t]+(?:(?:and|of|for|&)[ \t]+)?){1,6}"
                        r"(?P<word>NOTED|AGREED|RESOLVED|APPROVED|DECIDED|ENDORSED)[ \t]+(?=(?:the|that|to|a|an)\b)")


def _decision_items(lines: list[Line]) -> list[Item]:
    items = find_blocks(lines)
    extra: list[Item] = []
    read = _Spans(items)
    starts = sorted(it.line_index for it in items)
    i, n = 0, len(lines)
    item_start = 0  # line of the current agenda item's heading

    def take(it: Item | None) -> bool:
        """Keep a decision read off the lines, unless it says nothing."""
        if it is None or not substantive(it.text):
            return False
        extra.append(it)
        read.add(it)
        return True

    while i < n:
        ln = lines[i]
        if ln.blank or ln.furniture or read.covers(ln):
            i += 1
            continue
        c = ln.clean
        f = ln.field
        if _item_heading(ln):
            item_start = i
        if f is not None and f[0] == "decision":
            # a 'Decision:' field whose text opens like a decision (its formula was not printed)
            value = c[f[2]:].strip()
            k = i if value else next_content(lines, i + 1)
            if k is not None and not read.covers(lines[k]):
                text = value if k == i else lines[k].clean
                kind = None if lead_in_of(text) else opener_kind(text) or _field_statement(lines, i, k, text)
                if kind and not _summary_of_minutes(lines, k, starts):
                    it, j = _field_paragraph(lines, i, k, kind)
                    if take(it):
                        i = max(j, i + 1)
                        continue
            i += 1
            continue
        label = split_label(c)[0]
        if label is not None and list_start(c) and _not_after_reasons(lines, i, item_start):
            body = split_label(c)[1]
            # the first item's sentence may run on past its line ('(i) That the disposal of the land at ...,
            # Watermills Road,' / 'Chesterton for Industrial development purposes, be approved.'): read the list
            # and ask how its first item opens
            if opener_kind(body) or not body.rstrip().endswith(TERMINAL):
                got, j = parse_block(lines, i, ITEM_DEFAULT_KIND, "", list_at=True)
                # a number printed alone over one line of text is an agenda item's number and title ('1.' /
                # 'To receive apologies for absence.' / 'Minutes:'), not a list of decisions
                after = next_content(lines, j) if got else None
                lone_number = len(got) == 1 and "\n" in ln.page.text[ln.start:ln.end].strip() \
                    and after is not None and lines[after].field is not None
                if got and not lone_number and _decision_list(got):
                    for g in got:
                        g.kind = item_kind(g.text, opener_kind(g.text) or opener_kind(got[0].text), neutral=False)
                        g.formula_index = i  # one list: a vote printed before it is every item's
                    extra.extend(got)
                    for g in got:
                        read.add(g)
                    i = max(j, i + 1)
                    continue
        if label is not None and _next_item_of(lines, i, label, items + extra) and opener_kind(split_label(c)[1]):
            # '3) DELEGATED authority to ...' after '1) APPROVED ...', '2) APPROVED ...' (each read by its formula
            # word): the next item of the same list, opening like a decision, is one too
            label_, body = split_label(c)
            it, j = _paragraph(lines, i, opener_kind(body), text_start(ln, body[:20]))
            it.label = label_
            if take(it):
                i = max(j, i + 1)
                continue
        if label is None and c.startswith("That ") and not lead_in_of(c) and _stands_alone(lines, i) and opener_kind(c):
            it, j = _paragraph(lines, i, ITEM_DEFAULT_KIND)
            if take(it):
                i = max(j, i + 1)
                continue
        caps = _CAPS_VERB.match(c) if label is None and not lead_in_of(c) else None
        if caps:  # 'The Executive Cabinet Member NOTED the report.': the verb in capitals is the formula
            it, j = _paragraph(lines, i, FORMULA_KINDS[caps.group("word").lower()])
            if take(it):
                i = max(j, i + 1)
                continue
        outcome = _outcome_after(lines, i)
        if outcome and label is None:
            kind, vote = outcome
            it, j = _paragraph(lines, i, kind)
            it.text = it.text.strip("\"“”")
            it.vote = vote
            if take(it):
                i = max(j, i + 1)
                continue
        i += 1
    extra.extend(_carried_on_division(lines, read))
    tail = doc_tail(lines)
    extra = [x for x in (trim_cut(x, tail) for x in extra) if x is not None]
    merged = dedupe(items + extra)
    merged.sort(key=lambda it: (it.page.number, it.start))
    return _drop_resolved_proposals(merged)


# a motion and an amendment put to a division, as Scottish minutes print them: 'Bailie Keenan, seconded by Councillor
# Marra, moved that ...' / 'As an amendment, the Convener, seconded by Bailie Sawers, moved not to defer.' / 'On a
# division, there voted for the motion - ... (10); and for the amendment - ... (16) - ... whereupon the amendment was
# declared carried.' The proposal carried is the decision; the division's counts are its votes.
_MOVED = re.compile(r"^(?P<amend>As an? (?:further )?amendment,)?[^.]{0,200}?\bmoved\s+(?P<text>(?:that|not|to)\b.+)$", re.I)
_DIVISION_SIDES = re.compile(r"\bvoted\s+for\s+the\s+(?P<a>motion|amendment)\b[^()]{0,1500}?\((?P<na>\d{1,3})\)"
                             r".{0,40}?\bfor\s+the\s+(?P<b>motion|amendment)\b[^()]{0,1500}?\((?P<nb>\d{1,3})\)", re.I)
_WHEREUPON = re.compile(r"\bwhereupon\s+the\s+(?P<which>motion|amendment)\s+was\s+(?:declared\s+)?(?P<res>carried|lost)\b",
                        re.I)


def _carried_on_division(lines: list[Line], read: "_Spans") -> list[Item]:
    out = []
    for i, ln in enumerate(lines):
        w = _WHEREUPON.search(ln.clean) if ln.clean else None
        sides = _DIVISION_SIDES.search(ln.clean) if w else None
        if not sides or sides.group("a").lower() == sides.group("b").lower():
            continue
        counts = {sides.group("a").lower(): int(sides.group("na")), sides.group("b").lower(): int(sides.group("nb"))}
        named = w.group("which").lower()
        other = "motion" if named == "amendment" else "amendment"
        winner, loser = (named, other) if w.group("res").lower() == "carried" else (other, named)
        k, seen, found = i - 1, 0, None
        while k >= 0 and seen < 6 and found is None:
            prev = lines[k]
            if prev.clean and not prev.furniture:
                seen += 1
                m = _MOVED.match(prev.clean)
                if m and bool(m.group("amend")) == (winner == "amendment"):
                    found = (k, prev, m)
            k -= 1
        if found is None or read.covers(found[1]):
            continue
        k, prev, m = found
        at = prev.page.text[prev.start:prev.end].find(m.group("text")[:20])
        start = prev.start + at if at >= 0 else prev.cstart
        it = Item("resolved", "", clean_text(m.group("text")), prev.page, start, prev.end, None, k, k)
        it.vote = "carried"
        it.counts = {"vote": "carried", "votes_for": counts[winner], "votes_against": counts[loser], "abstentions": None}
        out.append(it)
    return out


def _decision_list(got: list[Item]) -> bool:
    """A list whose lead-in was lost is a list of decisions when its first item opens like one and every other
    item does too or opens with the first's word ('1. To award ...', '3. To transfer ...': the items are parallel)."""
    if not got[0].text or not opener_kind(got[0].text):
        return False
    head = got[0].text.split()[0].lower()
    return all(g.text and (opener_kind(g.text) or head in ("to", "that") and g.text.split()[0].lower() == head)
               for g in got[1:])


def _next_item_of(lines: list[Line], i: int, label: str, items: list[Item]) -> bool:
    """Line i's label comes next after the label of the decision item that ends on the content line before it."""
    k = i - 1
    while k >= 0 and (lines[k].blank or lines[k].furniture):
        k -= 1
    if k < 0:
        return False
    prev = lines[k]
    for it in items:
        if it.label and it.page is prev.page and it.start < prev.end and prev.cstart < max(it.end, it.start + 1):
            return _successor(it.label, label_style(it.label)) == label
    return False


def _item_heading(ln: Line) -> bool:
    """An agenda item's numbered heading ('5.', '308. Minutes', 'C3 |', '33 IMPLEMENTING ...')."""
    return bool(re.match(r"^(?:[A-Z]?\d{1,3}[a-z]?\.?(?:\d{1,2})?)(?:\s+[A-Z][^a-z]{0,3}[A-Za-z]|$)", ln.clean)) \
        and len(ln.clean) < 120 and not ln.clean.rstrip().endswith((".", ";"))


_REASONS = re.compile(r"^(?:Reasons?\b|The above decision has been made for the following reasons|Alternative options"
                      r"|Other options|Options considered)", re.I)


def _not_after_reasons(lines: list[Line], i: int, floor: int) -> bool:
    """A list is no decision list when it follows a 'Reasons' heading in the same agenda item."""
    for k in range(i - 1, max(floor, i - 6) - 1, -1):
        c = lines[k].clean
        if not c:
            continue
        if _REASONS.match(c) or STOP_RE.match(c) and not lines[k].field:
            return False
        if lines[k].field and lines[k].field[0] == "other" and not c[lines[k].field[2]:].strip():
            return False  # 'Purpose:' / 'Reasons for the decision:' over the list: the field's content, not decisions
        break
    return True


def _stands_alone(lines: list[Line], i: int) -> bool:
    """A 'That ...' paragraph that is not the text of a motion being moved ('... moved, seconded by X:-')."""
    k = i - 1
    while k >= 0 and (lines[k].blank or lines[k].furniture):
        k -= 1
    if k < 0:
        return True
    prev = lines[k].clean
    if not prev.endswith((".", ";", ")")) and not lines[k].field and not _item_heading(lines[k]) and len(prev) > 60:
        return False  # the paragraph before runs into it
    return not re.search(r"\b(?:moved|proposed|seconded|amendment|motion|following resolution)\b", prev, re.I) \
        and not prev.endswith((":-", ":", "-"))


def _outcome_after(lines: list[Line], i: int) -> tuple[str, str | None] | None:
    """When line i opens a proposal and the next paragraph records its outcome ('This was agreed.')."""
    c = lines[i].clean
    if not (c.startswith(("That ", '"That ', "“That ")) or c[:1] in "\"“" and len(c) > 40):
        return None
    k, seen = i + 1, 0
    while k < len(lines) and seen < 8:
        ln = lines[k]
        k += 1
        if ln.blank or ln.furniture:
            continue
        seen += 1
        for rx, row in patterns("outcomes"):
            if rx.match(ln.clean):
                return row["kind"], row["vote"] or None
        if not ln.clean[:1].islower() and lines[k - 2].clean.endswith((".", '"', "”")):
            return None
    return None


def _field_paragraph(lines: list[Line], field_i: int, k: int, kind: str) -> tuple[Item | None, int]:
    ln = lines[k]
    if k == field_i:  # 'Decision: Cabinet noted ...': the value on the field's own line
        value = ln.clean[ln.field[2]:].strip()
        at = ln.page.text[ln.start:ln.end].find(value[:20])
        return _paragraph(lines, k, kind, ln.start + max(at, 0))
    return _paragraph(lines, k, kind)


# what a 'Decision:' field says when nothing was decided ('No interests were declared.', 'None', 'N/A'), or when it
# holds the minute's narrative ('Councillor Ross Houston Cabinet Member for Homes & Regeneration introduced the report.')
_NOTHING = re.compile(r"^(?:No|None|Nil|Not applicable|N/?A|There (?:were|was) no|Following)\b"
                      r"|^(?:\S+\s+){1,14}?(?:introduced|presented|reported|explained|outlined|advised|informed|"
                      r"summarised|addressed|spoke|said|stated|asked|responded|welcomed|thanked|declared|moved)\b", re.I)


_RECORD_REACH = 12  # lines above a 'Decision:' field that belong to its record


def _field_statement(lines: list[Line], i: int, k: int, text: str) -> str | None:
    """In a decision record (its 'Decision Maker:' printed above), the 'Decision:' field's text is the decision
    whatever its opening words ('To purchase 22 Sedbergh Crescent ...', 'Approve the Safeguarding and Access Capital
    Allocations ...', 'Decision to fund up to £663,296.50 ...'), unless it says nothing was decided or narrates the
    meeting, or a resolution follows it in the record (then it is a preamble: 'Appendices A, B ... are not for
    publication ...' / 'AGREED: that'); its kind is the default, as for a decision whose lead-in was lost."""
    record = [ln for ln in lines[max(0, i - _RECORD_REACH):i] if ln.field]
    if not any(ln.field[0] == "maker" for ln in record):
        return None
    for ln in lines[k + 1:k + _RECORD_REACH]:
        if ln.field and ln.field[0] in ("maker", "meeting", "decision") or _meetings.DATED_TITLE.match(ln.clean):
            break
        if lead_in_of(ln.clean):
            return None
    return None if _NOTHING.match(text) or not substantive(text) else ITEM_DEFAULT_KIND


def _summary_of_minutes(lines: list[Line], k: int, starts: list[int]) -> bool:
    """A 'Decision:' summary ('Approved the contents ... and authorised ...') of an item whose minutes print
    the resolutions themselves within the same item. `starts`: sorted first lines of the resolutions read."""
    n = bisect.bisect_right(starts, k)
    if n == len(starts) or starts[n] - k >= 40:
        return False
    between = lines[k + 1:starts[n]]
    # another item, or another record of a register ('15/12/2020 - Outdoor Leisure Fees ...', 'Decision Maker:')
    return not any(_item_heading(b) or (b.field and b.field[0] in ("decision", "maker", "meeting"))
                   or _meetings.DATED_TITLE.match(b.clean) for b in between)


def _drop_resolved_proposals(items: list[Item]) -> list[Item]:
    """'adopt the following resolution: (1) ...' then 'the Committee agreed: (1) ...' in the same words:
    the proposal the meeting resolved is not a second decision."""
    decided = [it for it in items if it.kind != "recommended"]
    keep = []
    for it in items:
        if it.kind == "recommended":
            words = re.sub(r"[^a-z0-9]+", " ", it.text.lower()).strip()[:60]
            if any(re.sub(r"[^a-z0-9]+", " ", d.text.lower()).strip()[:60] == words and d.label == it.label
                   for d in decided):
                continue
        keep.append(it)
    return keep


_VOTE_HEADING = re.compile(r"^(?:Voting Record|Recorded Vote|Vote|Voting|Result of the vote)\s*:?\s*$", re.I)


# a sentence that reports a vote, beside the decision it decided (not a decision's own 'UNANIMOUSLY RESOLVED')
_VOTE_SENTENCE = re.compile(
    r"^\(?(?:Carried|CARRIED|Lost|LOST|Unanimous(?:ly)?|UNANIMOUS|Nem\.? ?Con\.?)\)?\.?$|\b(?:put to the vote|on a vote|upon a vote|the voting (?:was|being)|"
    r"\d{1,3}\s+(?:votes?\s+)?(?:for|in favour)\b|\bby \d{1,3} votes?\b|voted (?:for|against)|nem\.?\s*con|was (?:carried|lost|defeated)"
    r"|\(\d{1,3}\s*[-–]\s*\d{1,3}\s*[-–]\s*\d{1,3}\)|\bfor\s*[:(]?\s*\d{1,3}\b.{0,40}\bagainst\b)", re.I)


def _votes(lines: list[Line]) -> list[tuple[int, dict]]:
    """(line index, vote columns) of every vote line: 'Vote taken: ...', 'Voting Record' + counts, divisions."""
    found = []
    for i, ln in enumerate(lines):
        c = ln.clean
        f = ln.field
        text = None
        heading = _VOTE_HEADING.match(c)
        if f and f[0] == "vote" or heading:
            text = c[f[2]:].strip() if f and f[0] == "vote" else ""
            if not text:
                k = next_content(lines, i + 1)
                text = lines[k].clean if k is not None else ""
        elif c and not ln.furniture and _VOTE_SENTENCE.search(c) and not lead_in_of(c) and not _WHEREUPON.search(c):
            text = c  # 'On being put to the vote, 10 voted for and 2 against.' / 'Carried.'
        if text:
            v = vote_of(text)
            if v["vote"] or v["votes_for"] is not None:
                found.append((i, v))
    return found


def _divisions(lines: list[Line]) -> list[dict]:
    """Named divisions: consecutive side lines ('For ... (23) - names', 'Against ... (13) - names')."""
    # 'For the motion (23) - names' with its count, or 'For: Councillors A, B and C' with the names only
    # also a recorded vote's side headed by who voted ('Members voting for the motion:' / names / 'Total: 43';
    # 'Members voting against the motion: 0'), the count after the colon or on a 'Total:' line under the names
    sides = [(re.compile(rf"^(?:{r['pattern']})\s*(?:\(\s*(?P<n>\d{{1,3}})\s*\)\s*[-–:]?|:)\s*"), r["side"])
             for r in rows("divisions")]
    sides += [(re.compile(rf"^(?:Members|Councillors|Those)\s+(?i:{r['pattern']})\s*:\s*(?P<n>\d{{1,3}}\s*$)?"), r["side"])
              for r in rows("divisions")]
    divisions: list[dict] = []
    cur = None
    for i, ln in enumerate(lines):
        if ln.blank or ln.furniture:
            continue
        hit = None
        for rx, side in sides:
            m = rx.match(ln.clean)
            if not m:
                continue
            if m.group("n") or _people.titled_people(ln.clean[m.end():]):
                hit = (side, int(m.group("n")) if m.group("n") else None, m)
                break
            total = _side_total(lines, i) if not ln.clean[m.end():].strip() else None
            if total is not None:
                hit = (side, total[0], m, total[1])
                break
        if hit is None:
            # lines of content between the sides: a web page's blank lines do not count
            if cur is not None and sum(1 for x in lines[cur["end"] + 1:i + 1] if x.clean and not x.furniture) > 2:
                cur = None
            continue
        side, n, m = hit[:3]
        if cur is None or side in cur["counts"]:
            cur = {"counts": {}, "start": i, "end": i, "lines": []}
            divisions.append(cur)
        cur["counts"][side] = n if n is not None else len(_people.titled_people(ln.clean[m.end():]))
        cur["end"] = hit[3] if len(hit) > 3 else i  # a side's 'Total:' line under its names ends it
        raw = ln.page.text[ln.start:ln.end]
        at = raw.find(ln.clean[m.end():m.end() + 12]) if ln.clean[m.end():] else -1
        if at >= 0:
            cur["lines"].append((ln, ln.start + at, side))
    return divisions


_TOTAL = re.compile(r"^Total\s*[:\-–]?\s*(?P<n>\d{1,3})\s*$", re.I)


def _side_total(lines: list[Line], i: int, reach: int = 4) -> tuple[int, int] | None:
    """A side heading alone on its line ('Members voting for the motion:'): the 'Total: 43' printed under its
    names within a few lines of content, with its line index, else None."""
    k, seen = i + 1, 0
    while k < len(lines) and seen < reach:
        c = lines[k].clean
        k += 1
        if not c or lines[k - 1].furniture:
            continue
        seen += 1
        m = _TOTAL.match(c)
        if m:
            return int(m.group("n")), k - 1
    return None


def _division_vote(d: dict) -> dict:
    c = d["counts"]
    yes, no = c.get("for"), c.get("against")
    vote = None if yes is None or no is None else ("carried" if yes > no else "lost")
    return {"vote": vote, "votes_for": yes, "votes_against": no, "abstentions": c.get("abstain")}


def _add_decisions(doc: Document, lines: list[Line], items: list[Item], marks, out: Output) -> None:
    earlier = out.found("decisions")
    cands = [(i, v, None) for i, v in _votes(lines)] + [(d["end"], _division_vote(d), d) for d in _divisions(lines)]
    cands.sort(key=lambda c: c[0])
    voted = _assign_votes(cands, [x.formula_index or x.line_index for x in items], lines)
    matched: set[int] = set()
    earlier_index = _index_earlier(earlier)
    for it in items:
        vote, division = it.counts or {}, None
        if not vote:
            vote, division = voted.get(it.formula_index or it.line_index, ({}, None))
        row = _read_before(it, earlier_index)
        if row is not None:
            # a family read this decision: add the vote printed beside it where the family missed it
            matched.add(id(row))
            out.complete(row, vote=vote.get("vote") or it.vote, votes_for=vote.get("votes_for"),
                         votes_against=vote.get("votes_against"), abstentions=vote.get("abstentions"))
            did = row.get("decision_id")
        else:
            mid = _meeting_at(marks, it.line_index)
            did = content_id(doc.doc_id, "decision", mid, it.kind, it.label, it.tidy()[:80], it.page.number, it.start)
            out.add("decisions", decision_id=did, doc_id=doc.doc_id, meeting_id=mid, kind=it.kind, label=it.label,
                    text=it.tidy(), vote=vote.get("vote") or it.vote, votes_for=vote.get("votes_for"),
                    votes_against=vote.get("votes_against"), abstentions=vote.get("abstentions"),
                    decision_date=_entry_date(lines, it.line_index), source_ref=None,
                    decision_maker=_maker_before(lines, it.line_index), **span_row(it.page, it.start, it.end))
        if division is not None and "decision_id" not in division:
            division["decision_id"] = did
    index = _People(out.found("people"))
    for _i, _v, d in cands:
        if d is None:
            continue
        for ln, s, side in d["lines"]:
            for ps, pe, name, role, _title in _people.titled_people(ln.page.text[:ln.end][s:]):
                _add_person(doc, out, ln.page, ps + s, pe + s, name, role,
                            "voter" if side != "absent" else "attendee",
                            vote_cast=side if side != "absent" else None, decision_id=d.get("decision_id"), index=index)


def _maker_before(lines: list[Line], index: int) -> str | None:
    """The 'Decision Maker:' of the register entry or decision page a decision sits in."""
    for k in range(index, -1, -1):
        ln = lines[k]
        f = ln.field
        if f and f[0] == "maker":
            return clean_text(ln.clean[f[2]:]) or None
        if _meetings.DATED_TITLE.match(ln.clean) and not f:
            return None  # the entry's title line: no maker printed for this entry
    return None


def _entry_date(lines: list[Line], index: int, reach: int = 30):
    """The printed 'Date of decision:' of the register entry or decision page a decision sits in."""
    from councilpapers.normalise.dates import parse_uk_date
    for step in (-1, 1):
        k = index
        while 0 <= k < len(lines) and abs(k - index) <= reach:
            ln = lines[k]
            f = ln.field
            if f and f[0] == "date":
                return parse_uk_date(ln.clean[f[2]:])
            if k != index and _meetings.DATED_TITLE.match(ln.clean) and not f:
                break  # another entry of a register
            k += step
    return None


def _index_earlier(earlier: list[dict]) -> tuple[dict, dict]:
    by_page: dict[int, list[dict]] = {}
    by_words: dict[tuple, dict] = {}
    for e in earlier:
        by_page.setdefault(e.get("page"), []).append(e)
        by_words.setdefault((e.get("kind"), e.get("page"), norm_words(e.get("text") or "")), e)
    return by_page, by_words


def _read_before(it: Item, index: tuple[dict, dict]) -> dict | None:
    """The row of a family extractor that already read this decision (same span, or the same words)."""
    by_page, by_words = index
    for e in by_page.get(it.page.number, ()):
        if e.get("char_start") is not None \
                and e["char_start"] < max(it.end, it.start + 1) and it.start < max(e["char_end"], e["char_start"] + 1):
            return e
    # the same decision printed twice ('Decision:' and 'Minutes:'), not Council resolving Cabinet's words
    return by_words.get((it.kind, it.page.number, norm_words(it.text)))


def _assign_votes(cands: list[tuple[int, dict, dict | None]], starts: list[int],
                  lines: list[Line] | None = None) -> dict[int, tuple[dict, dict | None]]:
    """Each vote to the decision block it decided: the block it directly precedes ('Vote taken: ...' then
    'RESOLVED'; 'On being put to the vote ...' then 'RESOLVED'), else the block it follows ('RESOLVED ...' then
    'Voting Record 5 For ...'). (block's first line -> (vote columns, division or None))."""
    blocks = sorted(set(starts))
    out: dict[int, tuple[dict, dict | None]] = {}
    # reach is counted in lines of content: a web page's blank lines between paragraphs do not count
    ordinal, n_content = [], 0
    for ln in lines or ():
        n_content += bool(ln.clean and not ln.furniture)
        ordinal.append(n_content)

    def dist(a: int, b: int) -> int:
        return ordinal[b] - ordinal[a] if lines else b - a
    for n, (i, v, d) in enumerate(cands):
        nxt_vote = cands[n + 1][0] if n + 1 < len(cands) else None
        k = bisect.bisect_right(blocks, i)
        after = blocks[k] if k < len(blocks) else None
        k = bisect.bisect_left(blocks, i)
        before = blocks[k - 1] if k > 0 else None
        if after is not None and dist(i, after) <= _VOTE_REACH_AFTER and (nxt_vote is None or nxt_vote > after) \
                and after not in out:
            out[after] = (v, d)
        elif before is not None and dist(before, i) <= _VOTE_REACH_BEFORE and before not in out:
            out[before] = (v, d)
    return out


_VOTE_REACH_AFTER = 8    # lines between a vote and the resolution it decided
_VOTE_REACH_BEFORE = 25  # lines between a resolution (and its list) and the vote printed after it


# --- people -------------------------------------------------------------------------------

def _person_key(name: str) -> str:
    return re.sub(r"[^a-z]+", " ", name.lower()).strip()


class _People:
    """The document's people rows so far, indexed by name key (for capacities); by span, `out.covering`."""

    def __init__(self, rows: list[dict]):
        self.by_key: dict[tuple, list[dict]] = {}  # (name key, mention, vote cast, decision): one capacity
        self.full_by_surname: dict[str, set[str]] = {}
        for row in rows:
            self.add(row)

    @staticmethod
    def capacity(name: str, mention, vote_cast, decision_id) -> tuple:
        return _person_key(name), mention, vote_cast, decision_id

    def add(self, row: dict) -> None:
        self.by_key.setdefault(self.capacity(row["name"], row.get("mention"), row.get("vote_cast"),
                                             row.get("decision_id")), []).append(row)
        if " " in row["name"]:
            self.full_by_surname.setdefault(row["name"].split()[-1].lower(), set()).add(row["name"])


def _add_person(doc: Document, out: Output, page, s: int, e: int, name: str, role, mention: str, email=None,
                phone=None, vote_cast=None, decision_id=None, index: _People | None = None) -> None:
    """One row per person per capacity: a name read again in the same capacity (a later mention) only
    completes the first row's role, email and phone. A bare surname printed with another title ('Mr Wright',
    'Ms Wright') is another person."""
    if doc.pages and page is doc.pages[-1] and e >= len(page.text) and doc.format != "pdf":
        return  # a name running into the very end of a text copy is cut ('Cllr Binnie-Lubb')
    index = index if index is not None else _People(out.found("people"))
    if " " not in name:  # 'Cllr McKenzie' after 'Cllr Clayeon McKenzie': the same person, when only one shares it
        full = index.full_by_surname.get(name.lower(), set())
        if len(full) == 1:
            name = next(iter(full))
    row = out.covering("people", page.number, s)
    if row is not None:
        out.complete(row, role=role, email=email, phone=phone)
        return  # the same printed name already read
    for row in index.by_key.get(index.capacity(name, mention, vote_cast, decision_id), ()):
        if " " in name or title_before(page.text, s) == title_before(doc.page(row["page"]).text, row["char_start"]):
            out.complete(row, role=role, email=email, phone=phone)
            return  # the same person in the same capacity
    if page.text[s:e] != page.text[s:e].strip() or not name:
        return
    row = out.add("people", person_id=content_id(doc.doc_id, "person", name, mention, page.number, s),
                  doc_id=doc.doc_id, name=name, role=role, email=email, phone=phone, mention=mention,
                  vote_cast=vote_cast, decision_id=decision_id, **span_row(page, s, e))
    index.add(row)


def _add_people(doc: Document, lines: list[Line], out: Output) -> None:
    index = _People(out.found("people"))
    for i, ln in enumerate(lines):
        f = ln.field
        if not f or ln.furniture:
            continue
        if f[0] == "contact":
            for s, e, name, role, email, phone in _people.contact_people(ln, f[2], lines[i + 1:i + 4]):
                _add_person(doc, out, ln.page, s, e, name, role, "contact", email=email, phone=phone, index=index)
        elif f[0] == "attendance":
            for s, e, name, role in _people.attendance_people(ln, f[2], lines[i + 1:i + 13]):
                _add_person(doc, out, ln.page, s, e, name, role, "attendee", index=index)
    for page in doc.pages:
        text = page.text
        for s, e, name, role in _people.received_from(text):
            _add_person(doc, out, page, s, e, name, role, "attendee", index=index)
        for s, e, name, role, title in _people.titled_people(text):
            _add_person(doc, out, page, s, e, name, role, _mention_of(text, s, e), index=index)
        for s, e, name, role in _people.apposed_people(text):
            _add_person(doc, out, page, s, e, name, role, _mention_of(text, s, e), index=index)


_MENTIONS = (
    (re.compile(r"\b(?:ask\s+for|contact|enquiries\s+to)\s+$", re.I), "contact"),
    (re.compile(r"\b(?:moved|proposed|seconded)\s+by\s+$|\bseconded\s+by\s+\S+\s+$", re.I), "other"),
    (re.compile(r"\b(?:apolog\w*|present|attend\w*|received from|in attendance)\b[^.]{0,80}$", re.I), "attendee"),
)


def _mention_of(text: str, s: int, e: int) -> str:
    before = text[max(0, s - 100):s]
    after = text[e:e + 80]
    if re.match(r"[^.]{0,60}?\b(?:introduced|presented|outlined|submitted)\b", after):
        return "presenter"
    for rx, mention in _MENTIONS:
        if rx.search(before):
            return mention
    return "other"
