"""Money normaliser: text -> exact pounds (Decimal).

FIRST CUT (foundation): `parse_cell` and `unit_scale` are the stable API the table
extractor relies on. The running-text normaliser is built out in issue 4.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

UNIT_SCALES = {
    "£": Decimal(1), "£000": Decimal(1000), "£000s": Decimal(1000), "£000's": Decimal(1000),
    "£'000": Decimal(1000), "£'000s": Decimal(1000), "£k": Decimal(1000), "£m": Decimal(1000000),
    "£'m": Decimal(1000000), "£bn": Decimal(1000000000),
}
_UNIT_RE = re.compile(r"£\s*'?\s*(000'?s?|k|m|bn|million|thousand)?\b", re.I)
_CELL_RE = re.compile(r"^\(?\s*([-–−])?\s*£?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([km]|bn|m?illion)?\s*\)?$", re.I)


def unit_scale(text: str) -> tuple[str, Decimal] | None:
    """Find a unit marker (£000, £'000, £000's, £k, £m, £) in header text: (unit as printed, scale)."""
    m = _UNIT_RE.search(text or "")
    if not m:
        return None
    raw = m.group(0).strip()
    suffix = (m.group(1) or "").lower()
    if suffix.startswith("000") or suffix in ("k", "thousand"):
        return raw, Decimal(1000)
    if suffix in ("m", "million"):
        return raw, Decimal(1000000)
    if suffix == "bn":
        return raw, Decimal(1000000000)
    return raw, Decimal(1)


def parse_cell(text: str, scale: Decimal = Decimal(1)) -> Decimal | None:
    """A table cell's figure in pounds: '1,061' at scale 1000 -> 1061000; '(409)' -> -409000;
    '-' or '' -> None. Returns None for anything that is not a plain figure."""
    t = (text or "").strip().replace("\u2212", "-")
    if t in ("", "-", "–", "—", "nil", "Nil", "n/a", "N/A"):
        return None
    m = _CELL_RE.match(t)
    if not m:
        return None
    try:
        value = Decimal(m.group(2).replace(",", ""))
    except InvalidOperation:
        return None
    suffix = (m.group(3) or "").lower()
    if suffix == "k":
        value *= 1000
    elif suffix in ("m", "million", "illion"):
        value *= 1000000
    elif suffix == "bn":
        value *= 1000000000
    else:
        value *= scale
    negative = bool(m.group(1)) or (t.startswith("(") and t.endswith(")"))
    value = -value if negative else value
    return value.quantize(Decimal("0.01"))
