"""What kind of document is this: minutes, report, appendix, agenda, decision, other.

From what the text is, not from which extractor ran: the rules are data
(`pipeline/vocab/doc_kinds.csv`, tried by order, first match wins) over the opening
of the document and its labelled fields, and between them the rows extracted speak:
a paper that records decisions taken (resolved, agreed, noted, ...) at a meeting is
minutes, whatever its header; a decision-details page of an officer's decision, or a
register of decisions, is `decision`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .document import Document
from .structure import doc_lines
from .vocab import rows as vocab_rows

RECORDED = {"resolved", "agreed", "noted", "approved", "decided", "ordered"}
_EVIDENCE_AFTER = 35  # rules up to this order are read before the extracted rows


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[int, str, str, re.Pattern], ...]:
    out = [(int(r["order"]), r["kind"], r["scope"], re.compile(r["pattern"])) for r in vocab_rows("doc_kinds")]
    return tuple(sorted(out, key=lambda r: r[0]))


def _field_labels(doc: Document, pages: int = 3) -> set[str]:
    """Labels of the fields on the first pages, from the structure pass (run-in fields included)."""
    return {ln.field[1].lower() for ln in doc_lines(doc) if ln.page.number <= pages and ln.field}


def _from_rows(doc: Document, rows: dict[str, list[dict]]) -> str | None:
    recorded = [d for d in rows.get("decisions", []) if d.get("kind") in RECORDED]
    if not recorded:
        return None
    if any(d.get("meeting_id") for d in recorded):
        return "minutes"
    if any(d.get("decision_maker") for d in recorded) or re.match(r"^\s*Decision details", doc.pages[0].text[:200]):
        return "decision"  # taken by an officer or a single member, at no meeting
    return "minutes"


def classify(doc: Document, rows: dict[str, list[dict]]) -> str:
    opening = doc.pages[0].text[:1500] if doc.pages else ""
    labels = None
    evidence_read = False
    for order, kind, scope, rx in _rules():
        if order > _EVIDENCE_AFTER and not evidence_read:
            evidence_read = True
            found = _from_rows(doc, rows) if doc.pages else None
            if found:
                return found
        if scope == "field":
            labels = _field_labels(doc) if labels is None else labels
            if any(rx.match(label) for label in labels):
                return kind
        elif rx.search(opening):
            return kind
    if rows.get("plan_lines"):
        return "appendix"
    if re.search(r"(?i)\breport\b", opening):
        return "report"
    return "other"
