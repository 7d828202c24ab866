"""The ModernGov web service (`mgWebService.asmx`) read as councils' sites really serve it.

Its XML is loose: counts with leading spaces (`<committeecount> 25</committeecount>`), booleans as
"True"/"False", whitespace-only elements for empty values, text escaped twice (`&amp;amp;`), agenda
text as escaped Word HTML, dates as dd/mm/yyyy, a budget meeting marked only in `meetingstatus`
("Confirmed; Budget Council"), the same PDF linked from several agenda items. Some servers wrap the
document in an asmx `<string>` element holding escaped XML. Namespaces are dropped. A document that
has none of the elements a listing must have raises `ShapeError`: a changed shape is an error,
never an empty list.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date

from councilpapers.normalise.dates import parse_uk_date

_TAGS = re.compile(r"<[^>]+>")


class ShapeError(Exception):
    """The XML is not the listing it should be (the service changed, or an error page came back)."""


@dataclass(frozen=True)
class Committee:
    id: str
    title: str
    deleted: bool = False
    expired: bool = False


@dataclass(frozen=True)
class Meeting:
    id: str
    committee_id: str | None
    date: date | None
    status: str | None

    @property
    def budget(self) -> bool:
        return bool(self.status and re.search(r"\bbudget\b", self.status, re.I))


@dataclass(frozen=True)
class LinkedDoc:
    id: str | None
    title: str | None
    url: str
    agenda_item: str | None


@dataclass
class MeetingDetail:
    id: str
    committee_id: str | None
    committee_title: str | None
    date: date | None
    status: str | None
    documents: list[LinkedDoc] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)


def _strip_ns(root: ET.Element) -> ET.Element:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]
    return root


def parse(text: str) -> ET.Element:
    """The listing's root element, namespaces dropped, an asmx <string> wrapper opened."""
    try:
        root = _strip_ns(ET.fromstring(text.strip().encode("utf-8")))
    except ET.ParseError as exc:
        raise ShapeError(f"not XML ({exc}): {text.strip()[:80]!r}") from None
    if root.tag == "string" and (root.text or "").lstrip().startswith("<"):
        return parse(root.text)
    return root


def clean(value: str | None) -> str | None:
    """Element text as a reader would see it: unescaped (twice-escaped text too), tags of escaped
    Word HTML dropped, whitespace tidied; a whitespace-only element is None."""
    if value is None:
        return None
    for _ in range(3):  # '&amp;amp;' -> '&amp;' -> '&'
        unescaped = html.unescape(value)
        if unescaped == value:
            break
        value = unescaped
    value = " ".join(_TAGS.sub(" ", value).split())
    return value or None


def _child(el: ET.Element, tag: str) -> str | None:
    found = el.find(tag)
    return clean(found.text) if found is not None else None


def _bool(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def _require(root: ET.Element, tag: str, what: str) -> list[ET.Element]:
    """The <tag> elements of a listing. An empty listing is fine when it is one ('<meetings/>',
    '<getmeetings><committee>...</committee></getmeetings>', a count of 0); anything else is a new shape."""
    items = root.findall(f".//{tag}")
    if not items and root.find(f".//{tag}count") is None and root.tag not in (f"{tag}s", f"get{tag}s", tag):
        raise ShapeError(f"{what}: no <{tag}> elements and no <{tag}s> list (root <{root.tag}>)")
    return items


def committees(text: str) -> list[Committee]:
    out = []
    for el in _require(parse(text), "committee", "GetCommittees"):
        cid, title = _child(el, "committeeid"), _child(el, "committeetitle")
        if cid is None or title is None:
            raise ShapeError("GetCommittees: a <committee> without <committeeid> or <committeetitle>")
        out.append(Committee(cid, title, _bool(_child(el, "committeedeleted")), _bool(_child(el, "committeeexpired"))))
    return out


def meetings(text: str) -> list[Meeting]:
    """Meetings of a GetMeetings answer, flat (<meetings><meeting>) or under their committee
    (<getmeetings><committee>...<meeting>)."""
    out = []
    for el in _require(parse(text), "meeting", "GetMeetings"):
        mid = _child(el, "meetingid")
        if mid is None:
            raise ShapeError("GetMeetings: a <meeting> without <meetingid>")
        out.append(Meeting(mid, _child(el, "committeeid"), parse_uk_date(_child(el, "meetingdate") or ""),
                           _child(el, "meetingstatus")))
    return out


def meeting(text: str) -> MeetingDetail:
    root = parse(text)
    el = root if root.tag == "meeting" else root.find(".//meeting")
    if el is None or _child(el, "meetingid") is None:
        raise ShapeError(f"GetMeeting: no <meeting> with a <meetingid> (root <{root.tag}>)")
    detail = MeetingDetail(_child(el, "meetingid"), _child(el, "committeeid"), _child(el, "committeetitle"),
                           parse_uk_date(_child(el, "meetingdate") or ""), _child(el, "meetingstatus"))
    for item in el.iter("agendaitem"):
        number = _child(item, "agendaitemnumber")
        for doc in item.iter("linkeddoc"):
            url = _child(doc, "url")
            if url:
                detail.documents.append(LinkedDoc(_child(doc, "documentid"), _child(doc, "title"), url, number))
    detail.attendees = [m for m in (_child(a, "memberid") for a in el.iter("attendee")) if m]
    return detail
