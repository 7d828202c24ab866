"""Meetings from any council paper: the printed forms of `vocab/meeting_forms.csv`, then inference.

A meeting is named by a printed form ('Meeting: 21/08/2024 - Council (Item 15)',
'Cabinet - Tuesday, 2nd October, 2018 2.00 pm', 'Minutes of the Cabinet Meeting held
on 4 March 2013', 'The following decisions were taken on 23 May 2006 by the CABINET').
Where no form names the meeting, the page still says which body is meeting: the body
that resolves ('Cabinet resolved:', 'RESOLVED that Cabinet –', 'The Executive Board
considered a report'), the body whose previous minutes it approves ('the minutes of the
previous Meeting of the Cabinet'), a 'Decision Maker:' that is a body; the meeting is
that body, on the date of a decision record's dated title line ('06/08/2014 - London
Housing Zone Proposal') where there is exactly one, else with no date. Dates of earlier
meetings quoted in the text are never taken for the meeting's own.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from councilpapers.normalise.bodies import body_key, body_kind, tidy_body
from councilpapers.normalise.dates import parse_uk_date
from councilpapers.structure import Line
from councilpapers.vocab import expand, patterns

_GENERIC = {"committee", "panel", "board", "sub-committee", "members", "meeting", "group", "forum"}
_NOT_BODY = re.compile(r"\b(?:meeting|minutes|report|item|previous|last|held)\b", re.I)


@dataclass
class Meeting:
    body: str
    date: date | None
    item: str | None
    line_index: int
    page: object
    start: int
    end: int
    priority: int = 9


def good_body(body: str | None) -> str | None:
    body = tidy_body(body) if body else None
    if not body or len(body) > 100 or re.search(r"\d", body) or _NOT_BODY.search(body):
        return None
    if body.lower() in _GENERIC or body_kind(body) in (None, "other"):
        return None
    return body


def same_body(a: str, b: str) -> bool:
    return body_key(a) == body_key(b)


# a meeting form followed by a verb is the subject of a sentence (a resolution about earlier minutes), not a heading
_SENTENCE_GOES_ON = re.compile(r"^\s*,?\s*(?:be|were|was|are|is|had been|have been|having been|should be)\b", re.I)

_HEAD_LINES = 25   # a document's header: its first content lines
_TITLE_LINES = 8   # the title of page 1


def printed_meetings(lines: list[Line]) -> list[Meeting]:
    """Every meeting a printed form names, in reading order, each once (best-priority printing kept)."""
    found: list[Meeting] = []
    content = [i for i, ln in enumerate(lines) if ln.clean and not ln.furniture]
    first_page = lines[content[0]].page if content else None
    for n, i in enumerate(content):
        ln = lines[i]
        for rx, row in patterns("meeting_forms"):
            if row["scope"] == "head" and n >= _HEAD_LINES:
                continue
            if row["scope"] == "title" and (n >= _TITLE_LINES or ln.page is not first_page):
                continue
            window = [lines[k] for k in content[n:n + int(row["window"])] if lines[k].page is ln.page]
            text = "\n".join(w.clean for w in window)
            m = rx.search(text)
            if not m or (int(row["window"]) > 1 and m.start() > len(ln.clean)):
                continue  # a window form must start on this line (the next line is tried on its own)
            if _SENTENCE_GOES_ON.match(text[m.end():]):
                continue  # 'The minutes of the Cabinet meeting held on 22 December 2020 be taken as read': a sentence
                # about an earlier meeting's minutes, not the heading of this one
            g = m.groupdict()
            raw_body = g.get("body") or ""
            if g.get("body2"):
                raw_body = f"{raw_body} {g['body2']}"
            body = good_body(strip_prefix(raw_body))
            when = parse_uk_date(g.get("date"))
            if body is None or when is None or body_kind(body) == "individual_decision":
                continue  # an officer deciding alone holds no meeting
            upto = text[:m.end()].count("\n")
            last = window[min(upto, len(window) - 1)]
            raw = ln.page.text[ln.start:last.end]  # the body may sit on a later line of the window
            s = raw.find(raw_body[:12].strip()) if raw_body else -1
            start = ln.start + s if s >= 0 else ln.cstart
            found.append(Meeting(body, when, g.get("item"), i, ln.page, start, max(last.end, start), int(row["priority"])))
            break
    found.extend(_stacked_headers(lines))
    found.extend(_field_pairs(lines))
    if not found:
        found.extend(_titled_minutes(lines))
    found.sort(key=lambda m: m.line_index)
    out: list[Meeting] = []
    for m in found:
        twin = next((o for o in out if o.date == m.date and same_body(o.body, m.body)), None)
        if twin is None:
            out.append(m)
        elif m.priority < twin.priority:
            out[out.index(twin)] = m
    return out


# a date line, perhaps with its time, and after a time perhaps the venue ('Tuesday, 11 October 2016 at 2.00 pm Council
# Chamber, Bodlondeb,')
_DATE_LINE = re.compile(r"^(?P<date>{DATE})(?:,?\s+(?:at\s+)?\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?"
                        r"(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)?)?)?\s*(?:\([^)]*\))?\s*$"
                        r"|^(?P<date2>{DATE}),?\s+(?:at\s+)?\d{1,2}(?:[.:]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)"
                        r",?\s+(?:(?:in|at)\s+)?(?:the\s+)?[A-Z][^\n]{2,120}$", re.I)
# what follows a meeting's heading: its attendance, or (an agenda page) its venue and contact
_DATE_LINE_RX = re.compile(expand(_DATE_LINE.pattern), re.I)
_ANY_DATE = re.compile(expand("{DATE}"), re.I)
_ATTENDANCE_AHEAD = re.compile(r"\b(?:PRESENT|Present|ATTENDING|In attendance|Members present)\b|^(?:Venue|Location|Place)\s*:", re.M)


def _stacked_headers(lines: list[Line]) -> list[Meeting]:
    """A minute's heading printed as a body line over a date line, with the attendance after it
    ('THE FIFE COUNCIL - CENTRAL AND WEST PLANNING COMMITTEE – REMOTE MEETING' / '12th May, 2021 2.00 p.m.'
    / 'PRESENT: ...')."""
    out = []
    content = [(i, ln) for i, ln in enumerate(lines) if ln.clean and not ln.furniture]
    for n, (i, ln) in enumerate(content):
        m = _DATE_LINE_RX.match(ln.clean)
        if not m or n == 0:
            continue
        bi, bl = content[n - 1]
        ahead = "\n".join(x.clean for _k, x in content[n + 1:n + 4])
        if bl.page is not ln.page or re.search(r"\d", bl.clean) or bl.clean.endswith((".", ",")) \
                or not _ATTENDANCE_AHEAD.search(ahead):
            continue
        body = good_body(strip_prefix(bl.clean))
        when = parse_uk_date(m.group("date") or m.group("date2"))
        if body and when:
            out.append(Meeting(body, when, None, bi, bl.page, bl.cstart, ln.end, 1))
    return out


# a title naming the body whose minutes these are ('MINUTES OF THE COUNCIL', 'Minutes of the Meeting of East Lothian
# Council', 'Dumfries and Galloway Council Minutes')
_MINUTES_TITLE = re.compile(r"^(?:(?:the\s+)?minutes?\s+of\s+(?:the\s+)?(?:(?:special|extraordinary|annual|ordinary)\s+)?"
                            r"(?:meeting\s+of\s+(?:the\s+)?)?(?P<body>[a-z][\w ,&'’\-]{2,80}?)"
                            r"|(?P<body2>[a-z][\w ,&'’\-]{2,80}?)\s+minutes?)\s*$", re.I)
_TITLE_REACH = 3      # the title is one of page 1's first content lines
_DATE_REACH = 600     # and the meeting's date is printed within this many characters after it


def _titled_minutes(lines: list[Line]) -> list[Meeting]:
    """A minutes title naming its body, dated by the first date printed under it (a heading that names no date
    itself: 'MINUTES OF THE COUNCIL' / 'AT THE ANNUAL MEETING OF THE COUNCIL ... HELD AT THE TOWN HALL' /
    'TUESDAY, 17TH MAY 2011 AT 6.00 P.M.'), read only when no printed form names a meeting."""
    content = [(i, ln) for i, ln in enumerate(lines) if ln.clean and not ln.furniture]
    if not content:
        return []
    first_page = content[0][1].page
    for i, ln in content[:_TITLE_REACH]:
        m = _MINUTES_TITLE.match(ln.clean)
        if not m or ln.page is not first_page:
            continue
        body = good_body(strip_prefix(m.group("body") or m.group("body2")))
        if body is None or body_kind(body) == "individual_decision":
            continue
        after = ln.page.text[ln.end:ln.end + _DATE_REACH]
        d = _ANY_DATE.search(after)
        when = parse_uk_date(d.group(0)) if d else None
        if when:
            return [Meeting(body, when, None, i, ln.page, ln.cstart, ln.end, 3)]
    return []


def _field_pairs(lines: list[Line]) -> list[Meeting]:
    """A 'Meeting:' field with its 'Date:' field under it ('Meeting: Cabinet / Council' + 'Date: 10 December 2025 /
    29 January 2026': a report written for two meetings, bodies and dates stacked in the same order)."""
    out = []
    for i, ln in enumerate(lines):
        f = ln.field
        if f and f[0] in ("meeting_date",) and i < _HEAD_LINES * 2:
            # 'Planning Committee' / 'Date: Tuesday, 5 March 2024': a front page names its body on the line above
            prev = next((lines[k] for k in range(i - 1, max(-1, i - 4), -1) if lines[k].clean and not lines[k].furniture), None)
            body = good_body(prev.clean) if prev is not None and not prev.field else None
            when = parse_uk_date(ln.clean[f[2]:])
            if body and when and body_kind(body) != "individual_decision":
                out.append(Meeting(body, when, None, i, prev.page, prev.cstart, ln.end, 2))
            continue
        if not f or f[0] not in ("meeting", "maker"):
            continue
        value = ln.clean[f[2]:].strip()
        if not value or parse_uk_date(value):
            continue  # 'Meeting: 21/08/2024 - Council' is a printed form of its own
        for k in range(i + 1, min(len(lines), i + 6)):
            g = lines[k].field
            if g and g[0] in ("meeting_date", "date"):
                bodies = [b.strip() for b in re.split(r"\s+/\s+|\s*;\s*", value)]
                dates = [parse_uk_date(d) for d in re.split(r"\s+/\s+|\s*;\s*", lines[k].clean[g[2]:])]
                if len(bodies) == len(dates) and all(dates):
                    for b, d in zip(bodies, dates):
                        body = good_body(b)
                        if body and body_kind(body) != "individual_decision":
                            out.append(Meeting(body, d, None, i, ln.page, ln.cstart, ln.end, 1))
                break
    return out


_LEAD_COUNCIL = re.compile(r"^(?:the\s+)?[A-Z][\w' ]{1,40}?\bCouncil\s*[-–]\s+(?=\S)", re.I)
_TRAIL_MODE = re.compile(r"\s*[-–]\s*(?:remote|virtual|hybrid|online|special|extraordinary)\s+meeting\s*$", re.I)


def strip_prefix(body: str) -> str:
    """'THE FIFE COUNCIL - CENTRAL AND WEST PLANNING COMMITTEE – REMOTE MEETING' -> the committee."""
    body = _TRAIL_MODE.sub("", body.strip())
    m = _LEAD_COUNCIL.match(body)
    if m and good_body(body[m.end():]):
        body = body[m.end():]
    return body


# --- a body named without a date -------------------------------------------------------

_BODY = r"(?P<body>(?:[A-Z][\w'’&]*)(?:[ \t]+(?:and[ \t]+|of[ \t]+|for[ \t]+|&[ \t]+)?(?!The\b)[A-Z][\w'’&]*){0,6})"  # on one line
_ACTING = tuple(re.compile(p) for p in (
    # the body that decides: 'Cabinet resolved:', 'the Cabinet RESOLVED', 'Cabinet noted the ...'
    r"(?:^|[.:;,]\s+|\n\s*)(?:The\s+|the\s+)?" + _BODY + r"\s+(?:RESOLVED|resolved|agreed|AGREED|noted|considered|received)\b",
    r"(?:^|[.:;,]\s+|\n\s*)(?:The\s+|the\s+)?" + _BODY + r"\s+(?:is|are)\s+asked\s+to\b",
    # ('RESOLVED – That the Grants Committee of the BHE Board:': the committee, not the board it serves)
    r"\bRESOLVED\s*(?::|-|–)?\s*(?:that|That)\s+(?:the\s+)?" + _BODY
    + r"(?:\s+of\s+the\s+[A-Z][\w'’&]*(?:\s+[A-Z][\w'’&]*){0,3})?\s*(?:[:\-–]|\s+(?:agrees?|approves?|notes?|resolves?)\b)",
    r"(?:^|\n)\s*That\s+(?:the\s+)?" + _BODY + r"\s*[:\-–]",
    # the body whose earlier minutes the meeting approves is the body meeting now
    # ('the minutes of an ordinary meeting of Council held on ...', 'the minutes of the Council Meeting held on ...')
    r"\b[Mm]inutes\s+of\s+(?:the|an?)\s+(?:(?:previous|last|annual|ordinary|special|extraordinary|Annual|Ordinary"
    r"|Special|Extraordinary)\s+)*(?:[Mm]eeting\s+of\s+(?:the\s+)?" + _BODY + r"(?:\s+[Mm]eeting)?|" + _BODY.replace("body", "body2")
    + r"\s+[Mm]eeting)\s+(?:held\s+)?on\b",
    # 'That the Minutes of the proceedings of the Council at its meetings held on 19th May, 2011 ... be approved'
    r"\b[Mm]inutes\s+of\s+the\s+proceedings\s+of\s+(?:the\s+)?" + _BODY + r"\s+at\s+its\s+(?:last\s+|previous\s+)?meetings?\b",
))
DATED_TITLE = re.compile(r"^(?P<date>\d{1,2}/\d{1,2}/\d{4})\s*[-–]\s*(?P<title>\S.{2,200})$")


def acting_body(pages_text: list[str], lines: list[Line]) -> tuple[str | None, int]:
    """The body the paper shows meeting, with how many times it is shown; (None, 0) when none."""
    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    for text in pages_text:
        for rx in _ACTING:
            for m in rx.finditer(text):
                body = good_body(m.group("body") or m.groupdict().get("body2"))
                if body:
                    seen[body] += 1
                    first.setdefault(body, m.start())
    for ln in lines:
        f = ln.field
        if f and f[0] == "maker":
            body = good_body(ln.clean[f[2]:])
            if body and body_kind(body) != "individual_decision":
                seen[body] += 2
                first.setdefault(body, -1)
    if not seen:
        return None, 0
    body = max(seen, key=lambda b: (seen[b], -first[b]))
    return body, seen[body]


def dated_title(lines: list[Line], reach: int = 15) -> tuple[date, int] | None:
    """The date of a decision record's title line ('06/08/2014 - London Housing Zone Proposal'), when the
    page opens with exactly one such line."""
    hits = []
    content = [(i, ln) for i, ln in enumerate(lines) if ln.clean and not ln.furniture][:reach]
    for i, ln in content:
        m = DATED_TITLE.match(ln.clean)
        if m and not ln.field:
            hits.append((parse_uk_date(m.group("date")), i))
    return hits[0] if len(hits) == 1 and hits[0][0] else None


_TIMES_LINE_RX = re.compile(expand(r"^(?P<date>{DATE})\s*[-–]\s*\d{1,2}[:.]\d{2}\s+to\s+\d{1,2}[:.]\d{2}\s*$"), re.I)


def head_date(lines: list[Line], reach: int = 8) -> tuple[date, int] | None:
    """The date of the meeting a page's header prints on a line of its own ('20 Jun 2017 - 10:00 to 12:00',
    'Thursday, 5 March 2024 at 2.00 pm', 'Date: Tuesday 15th February 2011'), when its first lines print exactly one."""
    forms = (_DATE_LINE_RX, _TIMES_LINE_RX)
    content = [(i, ln) for i, ln in enumerate(lines) if ln.clean and not ln.furniture][:reach]
    hits = {}
    for i, ln in content:
        if ln.field and ln.field[0] == "meeting_date":
            when = parse_uk_date(ln.clean[ln.field[2]:])
        else:
            m = next((m for rx in forms if (m := rx.match(ln.clean))), None)
            when = parse_uk_date(m.group("date") or m.groupdict().get("date2")) if m else None
        if when:
            hits.setdefault(when, i)
    return next(iter(hits.items())) if len(hits) == 1 else None

