"""The meeting a fetched paper was published for, from `councilpapers fetch`'s manifest.

A report or appendix often prints no meeting of its own, but the site it was fetched from said
which meeting's agenda it sits on (committee, date, ModernGov meeting id). That is evidence: a
paper whose text gave no meeting gets a `meetings` row from the manifest (evidence `manifest`, no
span), and a meeting its text did give, on the same date, gets the publisher's meeting id, so the
papers of one meeting share `meetings.source_ref`.
"""
from __future__ import annotations

from datetime import date

from councilpapers.document import Document
from councilpapers.ids import content_id
from councilpapers.normalise.bodies import body_kind
from councilpapers.registry import Output, extractor


@extractor("fetched_meeting", tables=("meetings",), order=90, accepts=lambda doc: doc.manifest_meeting is not None)
def extract_fetched_meeting(doc: Document, out: Output) -> None:
    m = doc.manifest_meeting
    try:
        day = date.fromisoformat(m["meeting_date"])
    except (TypeError, ValueError):
        return
    found = out.found("meetings")
    if not found:
        body = m["committee"]
        out.add("meetings", meeting_id=content_id(doc.doc_id, "meeting", body, day, m.get("agenda_item")),
                doc_id=doc.doc_id, body=body, body_kind=body_kind(body), meeting_date=day,
                item_number=m.get("agenda_item"), item_title=None, source_ref=m.get("meeting_id"), evidence="manifest")
        return
    for row in found:
        if row.get("meeting_date") in (None, day):
            out.complete(row, source_ref=m.get("meeting_id"))
