"""ModernGov's HTML pages, for a site whose web service is switched off or blocked.

The same walk as the web service, from the pages a browser sees: committees from
`mgListCommittees.aspx` (links to `mgCommitteeDetails.aspx?ID=`), meetings from
`ieListMeetings.aspx?CId=&Year=0` (links to `ieListDocuments.aspx?CId=&MId=` whose text is the
meeting's date), papers from the meeting's page (links to `documents/sNNNN/*.pdf` and
`mgConvert2PDF.aspx?ID=`), and its decisions (links to `ieDecisionDetails.aspx?ID=`), which the
web-service walk reads from the same page. Links are read with the standard library's HTML parser.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from councilpapers.normalise.dates import find_uk_dates

from .moderngov import Committee, LinkedDoc, Meeting

_DOC_LINK = re.compile(r"(?:^|/)(?:documents/s\d+/[^?#]+\.pdf|mgConvert2PDF\.aspx\?ID=\d+)", re.I)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(" ".join(self._text).split())))
            self._href = None


def links(html_text: str) -> list[tuple[str, str]]:
    """(href, link text) of every <a href> in the page, in order."""
    p = _Links()
    p.feed(html_text)
    p.close()
    return p.links


def _query(href: str, key: str) -> str | None:
    values = parse_qs(urlsplit(href).query)
    for k, v in values.items():
        if k.lower() == key.lower() and v:
            return v[0]
    return None


def _linked(html_text: str, page: str, key: str, need_text: bool = False):
    """(id, href, link text) of each link to `page` ('ielistdocuments.aspx'), once per id (its `key`
    parameter); with `need_text`, links without text (an icon) are passed over."""
    seen = set()
    for href, text in links(html_text):
        if page in href.lower() and (text or not need_text):
            found = _query(href, key)
            if found and found not in seen:
                seen.add(found)
                yield found, href, text


def committees(html_text: str) -> list[Committee]:
    return [Committee(cid, text) for cid, _, text in _linked(html_text, "mgcommitteedetails.aspx", "ID", need_text=True)]


def meetings(html_text: str, committee_id: str) -> list[Meeting]:
    out = []
    for mid, href, text in _linked(html_text, "ielistdocuments.aspx", "MId"):
        days = [d for *_, d in find_uk_dates(text)]
        out.append(Meeting(mid, _query(href, "CId") or committee_id, days[0] if days else None, None))
    return out


def decisions(html_text: str) -> list[LinkedDoc]:
    """The decision pages a meeting's page links to (ieDecisionDetails.aspx?ID=), once each."""
    return [LinkedDoc(did, text or None, href, None) for did, href, text in
            _linked(html_text, "iedecisiondetails.aspx", "ID")]


def documents(html_text: str) -> list[LinkedDoc]:
    out = []
    for href, text in links(html_text):
        if _DOC_LINK.search(href):
            out.append(LinkedDoc(_query(href, "ID") or re.sub(r".*/s(\d+)/.*", r"\1", href), text or None, href, None))
    return out
