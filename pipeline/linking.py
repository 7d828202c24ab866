"""Facts that span documents of one run: the same decision printed in several papers gets one key.

A meeting's resolution is printed on its ModernGov issue page, its decision-details page
and in the printed minutes; each printing is a `decisions` row of its own document (with
its own provenance), and all of them share `decision_key`: a content id of the council,
the meeting's body and date, the decision's label and its words. Where the meeting's date
is not known, nothing ties two printings together and the key is the row's decision_id.
"""
from __future__ import annotations

import re

from .ids import content_id
from .normalise.bodies import body_key
from .structure import norm_words


def _words(text: str | None) -> str:
    return re.sub(r"^(?:that|to)\s+", "", norm_words(text or ""))[:200]


def link_decisions(tables: dict[str, list[dict]]) -> None:
    """Set `decision_key` on every decisions row (in place)."""
    meetings = {m["meeting_id"]: m for m in tables.get("meetings", [])}
    councils = {d["doc_id"]: d.get("council_code") for d in tables.get("documents", [])}
    for d in tables.get("decisions", []):
        m = meetings.get(d.get("meeting_id"))
        if m and m.get("meeting_date") and m.get("body"):
            d["decision_key"] = content_id("decision", councils.get(d["doc_id"]), body_key(m["body"]), m["meeting_date"],
                                           (d.get("label") or "").lower(), _words(d.get("text")))
        else:
            d["decision_key"] = d["decision_id"]
