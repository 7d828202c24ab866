"""Meeting bodies: tidy the printed name and tell what kind of body it is.

The kind comes from `body_kinds.csv`, a rule table (first matching pattern wins,
by `order`) so a council's odd body names are a data change, not a code change.
Officer decisions ('Service Director - Homes & Neighbourhoods') and directly
elected mayors deciding alone are `individual_decision`.
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

_SMALL = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "with", "at", "by", "or"}
_KEEP_UPPER = {"SEND", "ICB", "NHS", "HR", "ICT", "IT", "UK", "II", "III", "IV", "BCP", "KCC", "SACRE", "LEP", "CCG", "LSCB"}
_LEAD = re.compile(r"^\s*(?:(?:a|the|special|extraordinary|annual)\s+)*(?:meeting\s+of\s+(?:the\s+)?)", re.I)
_TRAIL = re.compile(
    r"(?:\s*[-–,:]?\s*\(?\s*(?:agenda\s+)?item\s+(?:no\.?\s*)?[\w.]+\s*\)?"   # (Item 28), - Item 4
    r"|\s*[-–]\s*minute\s+no\.?\s*[\w.]+"
    r"|\s+meeting"                                                        # 'Cabinet Meeting'
    r"|\s*[-–:,;.]+)\s*$", re.I)


def _title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.strip("()&,.-–")
        if core in _KEEP_UPPER:
            out.append(w)
        elif i > 0 and w.lower() in _SMALL:
            out.append(w.lower())
        else:
            out.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(out)


def tidy_body(raw: str | None) -> str | None:
    """'MEETING OF THE CHILDREN AND FAMILIES SCRUTINY PANEL (Item 3)' -> 'Children and Families Scrutiny Panel'."""
    if not raw:
        return None
    text = re.sub(r"\s+", " ", raw.replace("\xa0", " ")).strip(" \t-–:;,.")
    text = _LEAD.sub("", text)
    prev = None
    while prev != text:
        prev = text
        text = _TRAIL.sub("", text).strip()
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(letters) > 4:
        text = _title_case(text)
    return text or None


@lru_cache(maxsize=1)
def _rules() -> list[tuple[re.Pattern, str]]:
    path = Path(__file__).with_name("body_kinds.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["order"]))
    return [(re.compile(r["pattern"], re.I), r["body_kind"]) for r in rows]


# one office holder named by the council they serve: 'Leader of the Council', 'Deputy Leader of the Council'
_OFFICE_OF_COUNCIL = re.compile(r"^(?:the\s+)?(?:deputy\s+)?(?:leader|chief executive)\s+of\s+(?:the\s+)?(?:[\w'’ ]{0,40}\s)?council$", re.I)


def body_kind(body: str | None) -> str | None:
    """Kind of body (full_council, executive, scrutiny, regulatory, committee, individual_decision, other)."""
    if not body:
        return None
    text = re.sub(r"\s+", " ", body).strip()
    if _OFFICE_OF_COUNCIL.match(text):
        return "individual_decision"  # 'Leader of the Council' deciding alone (a council's office, not the council)
    for pattern, kind in _rules():
        if pattern.search(text):
            return kind
    return "other"


def body_key(body: str | None) -> str:
    """Comparison key of a body's name: case, punctuation and '&' for 'and' do not matter
    ('Central & West Planning Committee' is 'Central and West Planning Committee')."""
    return re.sub(r"[^a-z]+", " ", (body or "").lower().replace("&", " and ")).strip()
