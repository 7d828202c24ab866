"""Report cover sheets: the meeting a report was written for, its recommendations, its contacts.

Cover sheets name their meeting in one of a few printed forms (`DECISION-MAKER:` +
`DATE OF DECISION:`, `Meeting:` + `Date:`, `To: Cabinet - 4 March 2025`,
`<Body> Meeting 21 February 2017`), list `RECOMMENDATIONS` (kind `recommended`:
a report proposes, it does not decide) and give contact details as tables
(Title / Name / Tel / E-mail), 'Lead Contact Details: Name, Role, email' lines, or
'Role Name phone email' rows. An appendix titled '... approved by Executive 14/2/23'
records the meeting that approved it.
An agenda front sheet or covering letter names its contact as 'Ask for: Name' with the phone
and email printed near it. A report whose header names a forward-plan decision number
('Subject: Cabinet reconsideration of Decision 24/00093') gives it to its recommendations as
`source_ref`; a report prints no decision date (its meeting decides), so `decision_date` is null.
Runs after the ModernGov and minutes families and leaves documents they read alone.
"""
from __future__ import annotations

import re

from councilpapers.document import Document, Page, span_row
from councilpapers.ids import content_id
from councilpapers.normalise.bodies import body_kind
from councilpapers.normalise.people import EMAIL_RE, ROLE_WORDS, is_name, normalise_email, strip_titles
from councilpapers.normalise.phones import PHONE_RE, normalise_phone
from councilpapers.registry import Output, extractor

from councilpapers.structure import clean_text, doc_lines

from ._decisions import DECISION_NO_RE, dedupe, find_blocks
from ._meetings import printed_meetings
from .moderngov_pages import _person

_HEAD_PAGES = 3       # meeting headers and contacts are on the first pages
_REC_PAGES = 8        # recommendations may follow a contents page and a summary

_ITEM = re.compile(r"^\s*(?:Agenda\s+)?Item(?:\s+No\.?)?\s*:?\s*(?P<n>\d{1,3}[a-z]?)\s*$", re.M | re.I)
_ACCEPT = re.compile(
    r"DECISION[- ]MAKER|DATE OF DECISION|^[ \t#*]*(?:Meeting|Report to|Date of meeting)\s*:|^To:?\s+\S.*\d{4}\s*$"
    r"|RECOMMENDATIONS?\b|Recommendation\(s\)|Contact Details|approved by .{2,60}\d{1,2}/\d{1,2}/\d{2,4}"
    r"|Council Meeting \d|^[ \t]*AGENDA[ \t]*$|^[ \t]*[A-Z][A-Z ,&']{3,60}[ \t]*[-–][ \t]*[A-Z]+DAY,", re.M | re.I)


def accepts(doc: Document) -> bool:
    return bool(doc.pages) and bool(_ACCEPT.search(doc.pages[0].text[:8000]))


def _meeting(doc: Document) -> tuple[Page, int, int, str, object, str | None] | None:
    """(page, start, end, body, date, item) of the meeting the cover sheet names: the first meeting the shared
    forms (vocab/meeting_forms.csv) find on its first pages, with the agenda item printed near it."""
    for m in printed_meetings(doc_lines(doc)):
        if m.page.number <= _HEAD_PAGES:
            im = _ITEM.search(m.page.text[:8000])
            return m.page, m.start, m.end, m.body, m.date, im.group("n") if im else None
    return None


@extractor("cover_sheet", tables=("meetings", "decisions", "people"), order=40, accepts=accepts)
def extract_cover_sheet(doc: Document, out: Output) -> None:
    if out.found("meetings"):
        return  # a ModernGov page or minutes: their own family read it
    meeting_id = None
    found = _meeting(doc)
    if found:
        page, s, e, body, date, item = found
        meeting_id = content_id(doc.doc_id, "meeting", body, date, item)
        out.add("meetings", meeting_id=meeting_id, doc_id=doc.doc_id, body=body, body_kind=body_kind(body),
                meeting_date=date, item_number=item, item_title=None, **span_row(page, s, e))
    lines = [ln for ln in doc_lines(doc) if ln.page.number <= _REC_PAGES]
    items = find_blocks(lines, formulas=False, recs_headings=True)
    ref = decision_ref(doc)
    for it in dedupe(items):
        out.add("decisions", decision_id=content_id(doc.doc_id, "decision", meeting_id, it.kind, it.label, it.tidy()[:80]),
                doc_id=doc.doc_id, meeting_id=meeting_id, kind=it.kind, label=it.label, text=it.tidy(),
                vote=None, votes_for=None, votes_against=None, abstentions=None,
                decision_date=None, source_ref=ref, **span_row(it.page, it.start, it.end))
    amendment_forms(doc, meeting_id, out)
    for page in doc.pages[:_HEAD_PAGES]:
        contacts(doc, page, out)


_REF_ZONE = 1500  # the subject line and header fields of the first page


def decision_ref(doc: Document) -> str | None:
    """The decision number a report is about, from its header ('Subject: Cabinet reconsideration of
    Decision 24/00093', 'Decision No: 24/00093'): the publisher's reference for what it recommends."""
    m = DECISION_NO_RE.search(doc.pages[0].text[:_REF_ZONE]) if doc.pages else None
    return m.group("ref") if m else None


# --- amendment forms -----------------------------------------------------------------

_FORM_NUMBER = re.compile(r"^[ \t]*Number:[ \t]*(?P<n>\d{1,3}[a-z]?)[ \t]*$", re.M)
_FORM_MOVERS = re.compile(r"^[ \t]*Proposer:[ \t]*(?P<p>.+?)[ \t]+Seconder:[ \t]*(?P<s>.+?)[ \t]*$", re.M)
_FORM_PURPOSE = re.compile(r"^[ \t]*Proposed Purpose:?[ \t]*\n?", re.M)
_FORM_END = re.compile(r"^[ \t]*(?:Proposed (?:Amount|Funding)|Page \d|Agenda Item)", re.M)


def amendment_forms(doc: Document, meeting_id: str | None, out: Output) -> None:
    """Budget amendment forms in a pack ('Number: 3' / 'Proposer: X Seconder: Y' / 'Proposed Purpose:'):
    one `other` row each, the purpose as its text. A form proposes: whether the amendment was carried
    is recorded in the minutes, not here."""
    for page in doc.pages:
        text = page.text
        pm = _FORM_PURPOSE.search(text)
        mv = _FORM_MOVERS.search(text)
        if not pm or not mv:
            continue
        end = _FORM_END.search(text, pm.end())
        s = pm.end() + (len(text[pm.end():]) - len(text[pm.end():].lstrip()))
        e = len(text[:end.start() if end else len(text)].rstrip())
        if e <= s:
            continue
        num = _FORM_NUMBER.search(text)
        label = num.group("n") if num else ""
        body = clean_text(text[s:e])
        out.add("decisions", decision_id=content_id(doc.doc_id, "decision", meeting_id, "other", label, body[:80], page.number, s),
                doc_id=doc.doc_id, meeting_id=meeting_id, kind="other", label=label, text=body,
                vote=None, votes_for=None, votes_against=None, abstentions=None, **span_row(page, s, e))
        for grp, role in (("p", "proposer"), ("s", "seconder")):
            raw = mv.group(grp)
            name = strip_titles(raw)
            if is_name(name, allow_single=name != raw.strip()):
                ns = mv.start(grp) + raw.find(name.split()[0])
                if text[ns:ns + len(name)] == name:
                    _person(out, doc, page, ns, ns + len(name), name, role, "other")


# --- contacts ----------------------------------------------------------------------

_CONTACT_LINE = re.compile(
    r"^[ \t#*\-]*(?P<what>[\w ]{0,40}?)\s*Contact(?:\s+Details)?\s*:[ \t]*(?P<name>[^,\n]+?)\s*,\s*(?P<role>[^\n]+?)\s*,\s*(?P<email>\S+@\S+?)[ \t.]*$",
    re.M | re.I)
_TABLE_TITLE = re.compile(r"\bTitle\s*:?\s*\t+\s*(?P<role>[^\t\n]+)")
_TABLE_NAME = re.compile(r"\bName\s*:?\s*\t+\s*(?P<name>[^\t\n]+)(?:\s*\t+\s*Tel\s*:?\s*\t*\s*(?P<tel>[^\t\n]+))?")
_TABLE_EMAIL = re.compile(r"\bE-?mail\s*:?\s*\t+[^\n]*?(?P<email>" + EMAIL_RE.pattern + ")", re.I)
_BY = re.compile(r"^(?:By|Report author|Author|Report of)\s*:?[ \t]+(?P<name>[A-Z][^,;\n]{2,40}?)\s*[,;]\s*(?P<role>[^\n]{3,90})$", re.M)


def contacts(doc: Document, page: Page, out: Output) -> None:
    text = page.text
    for m in _CONTACT_LINE.finditer(text):
        name = strip_titles(m.group("name"))
        if is_name(name):
            _person(out, doc, page, m.start("name"), m.start("name") + len(m.group("name")), name,
                    clean_text(m.group("role")), "contact", email=normalise_email(m.group("email")))
    _contact_table(doc, page, out)
    _contact_rows(doc, page, out)
    _ask_for(doc, page, out)
    for m in _BY.finditer(text[:3000]):
        name = strip_titles(m.group("name"))
        if is_name(name):
            _person(out, doc, page, m.start("name"), m.start("name") + len(m.group("name")), name,
                    clean_text(m.group("role")), "author")


def _contact_table(doc: Document, page: Page, out: Output) -> None:
    """Southampton-style table: 'Title <role>' / 'Name: <name> Tel: <phone>' / 'E-mail <address>'."""
    text = page.text
    h = re.search(r"CONTACT DETAILS", text, re.I)
    if not h:
        return
    zone_end = min(len(text), h.end() + 1500)
    role = None
    pending = None
    for m in re.finditer(r"[^\n]*", text[h.end():zone_end]):
        line = m.group(0)
        base = h.end() + m.start()
        t = _TABLE_TITLE.search(line)
        if t:
            role = clean_text(t.group("role"))
        n = _TABLE_NAME.search(line)
        if n:
            raw = n.group("name").strip()
            name = strip_titles(raw)
            if is_name(name):
                phone = normalise_phone(n.group("tel")) if n.group("tel") else None
                s = base + n.start("name") + n.group("name").find(raw)
                pending = dict(page=page, s=s, e=s + len(raw), name=name, role=role, phone=phone)
        em = _TABLE_EMAIL.search(line)
        if em and pending:
            _person(out, doc, pending["page"], pending["s"], pending["e"], pending["name"], pending["role"], "contact",
                    email=em.group("email").lower(), phone=pending["phone"])
            pending = None
    if pending:
        _person(out, doc, pending["page"], pending["s"], pending["e"], pending["name"], pending["role"], "contact",
                phone=pending["phone"])


def _contact_rows(doc: Document, page: Page, out: Output) -> None:
    """'Interim Corporate Director Finance John Betts 03000 410 066 john.betts@kent.gov.uk' rows, and
    'Anna Taylor, Scrutiny Research Officer' followed by an email line."""
    text = page.text
    h = re.search(r"^Contact Details\s*$", text, re.M | re.I)
    if not h:
        return
    zone = text[h.end():h.end() + 1500]
    lines = list(re.finditer(r"[^\n]+", zone))
    for idx, m in enumerate(lines):
        line = m.group(0)
        base = h.end() + m.start()
        em = EMAIL_RE.search(line)
        if em:
            before = line[:em.start()]
            ph = PHONE_RE.search(before)
            phone = normalise_phone(ph.group(0)) if ph else None
            lead = before[:ph.start()] if ph else before
            if phone is None:  # 'anna.taylor@kent.gov.uk 03000 416478': the number after the address
                after = PHONE_RE.match(line[em.end():].lstrip(" \t,;|"))
                phone = normalise_phone(after.group(0)) if after else None
            tokens = list(re.finditer(r"\S+", lead))
            surname = em.group(0).split("@")[0].split(".")[-1].lower()
            k = next((i for i in range(len(tokens) - 1, 0, -1) if tokens[i].group(0).lower() == surname), None)
            if k is not None:
                s, e = tokens[k - 1].start(), tokens[k].end()
                name = lead[s:e]
                if is_name(name, role_words=False):  # the email confirms it: 'Cath Head' is a name
                    role = clean_text(lead[:s]) or (_role_above(lines, idx) if s == 0 else None)
                    _person(out, doc, page, base + s, base + e, name, role, "contact",
                            email=em.group(0).lower(), phone=phone)
                    continue
            if not lead.strip() and idx > 0:
                prev = lines[idx - 1]
                pm = re.match(r"^(?P<name>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,2})\s*,\s*(?P<role>.+)$", prev.group(0))
                if pm and is_name(pm.group("name")):
                    pbase = h.end() + prev.start()
                    _person(out, doc, page, pbase, pbase + len(pm.group("name")), pm.group("name"),
                            clean_text(pm.group("role")), "contact", email=em.group(0).lower(), phone=phone)
        elif idx > 12:
            break


def _role_above(lines: list, idx: int) -> str | None:
    """A role printed over the lines above a row that opens with the name ('Head of Finance Policy,
    Planning and' / 'Strategy' / 'Dave Shipton 03000 419 418 dave.shipton@kent.gov.uk'): the lines
    since the previous contact row or the heading, when they hold no address or number and read as a role."""
    parts = []
    for k in range(idx - 1, -1, -1):
        text = lines[k].group(0).strip()
        if EMAIL_RE.search(text) or PHONE_RE.search(text) or len(text) > 80:
            break
        parts.insert(0, text)
    if len(parts) > 3:
        return None  # more than three lines: a paragraph, not a wrapped role
    role = clean_text(" ".join(parts))
    if not role or not any(w.lower().strip(",.;&") in ROLE_WORDS - _GLUE for w in role.split()):
        return None
    return role


_GLUE = frozenset("the of for and to in on with by at from all none other others also".split())


# 'Ask for: Georgina Little' on an agenda front sheet or a covering letter, with 'Telephone: Tel:
# 03000 414043' / 'Direct Dial/Ext: 03000416892' and 'Email: georgina.little@kent .gov.uk' (an address
# the PDF broke over lines) a few lines above or below
_ASK_FOR = re.compile(r"\bAsk\s+for\s*:[ \t]*(?P<name>[A-Z][^\n\t:]{2,60}?)[ \t]*$", re.M)
_PHONE_LABEL = re.compile(r"\b(?:Tel(?:ephone)?|Phone|Direct\s+(?:Dial|Line)(?:/Ext)?|Ext(?:ension)?)\.?\s*[:.]", re.I)
_EMAIL_LABEL = re.compile(r"\bE-?mail\s*:", re.I)
_EMAIL_BREAK = re.compile(r"[ \t]*\n[ \t]*(?=\.[A-Za-z0-9])|(?<=@)[ \t]*\n[ \t]*|(?<=[A-Za-z0-9])[ \t]*\n[ \t]*(?=@)")
_ASK_ZONE = 300  # characters either side of the 'Ask for:' line


def _ask_for(doc: Document, page: Page, out: Output) -> None:
    text = page.text
    for m in _ASK_FOR.finditer(text[:4000]):
        raw = m.group("name")
        name = strip_titles(raw)
        if not is_name(name) or name not in raw:
            continue
        lo, hi = max(0, m.start() - _ASK_ZONE), min(len(text), m.end() + _ASK_ZONE)
        zone = text[lo:hi]
        phone = None
        for lab in _PHONE_LABEL.finditer(zone):
            ph = PHONE_RE.search(zone, lab.end(), min(len(zone), lab.end() + 40))
            if ph and normalise_phone(ph.group(0)):
                phone = normalise_phone(ph.group(0))
                break
        email = None
        surname = name.split()[-1].lower()
        for lab in _EMAIL_LABEL.finditer(zone):
            joined = _EMAIL_BREAK.sub("", zone[lab.end():lab.end() + 120])
            em = EMAIL_RE.search(joined)
            if em and (email is None or surname in em.group(0).lower()):
                email = normalise_email(em.group(0))
        if email is None:
            found = [e for e in EMAIL_RE.findall(_EMAIL_BREAK.sub("", zone)) if surname in e.split("@")[0].lower()]
            email = normalise_email(found[0]) if found else None
        s = m.start("name") + raw.find(name)
        _person(out, doc, page, s, s + len(name), name, None, "contact", email=email, phone=phone)
