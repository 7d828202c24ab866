"""What kind of document is this: minutes, report, appendix, agenda, decision, other.

Rules are a table of (kind, pattern, where) tried in order; the first that matches
the document's opening text wins. Extracted rows break ties: a page that records
meetings with resolutions is minutes.
"""
from __future__ import annotations

import re

from .document import Document

# (kind, regex over the first ~1500 characters of page 1)
OPENING_RULES: tuple[tuple[str, str], ...] = (
    ("appendix", r"^\s*(?:APPENDIX|Appendix|Annex|ANNEX)\s*[A-Z0-9]"),
    ("minutes", r"^\s*(?:Issue\s*-\s*(?:meetings|decisions)|Minutes\b|MINUTES\b)"),
    ("decision", r"^\s*(?:Decision details|Decisions published|Officer decisions)"),
    ("minutes", r"(?im)^\s*(?:minutes of (?:the|a) .{0,80}meeting|minutes of proceedings)"),
    ("agenda", r"(?im)^\s*(?:agenda|AGENDA)\s*$|\bSummons\b|NOTICE OF MEETING"),
    ("report", r"(?im)^\s*(?:DECISION-MAKER|REPORT OF|Report Title|Report to|Report of|Report Author|Meeting:\s*\S.*\n+\s*Date:)"),
    ("report", r"(?im)^\s*(?:By|From):?\s+\S.{0,120}\n(?:.*\n){0,4}?\s*To:?\s+(?:the\s+)?[A-Z]"),
    ("report", r"(?im)^\s*To:?\s+(?:the\s+)?[A-Z][\w ,&]{2,60}\s*[–-]\s*\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}"),
    ("report", r"(?im)^[^\n]{0,60}\bReport\s*$"),
    ("appendix", r"(?im)^\s*(?:appendix|annex)\b"),
)
_COMPILED = tuple((kind, re.compile(rx)) for kind, rx in OPENING_RULES)


def classify(doc: Document, rows: dict[str, list[dict]]) -> str:
    opening = doc.pages[0].text[:1500] if doc.pages else ""
    for kind, rx in _COMPILED:
        if rx.search(opening):
            return kind
    if any(d.get("kind") == "resolved" for d in rows.get("decisions", [])):
        return "minutes"
    if rows.get("plan_lines"):
        return "appendix"
    if re.search(r"(?i)\breport\b", opening):
        return "report"
    return "other"
