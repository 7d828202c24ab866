"""UK dates (day before month) in the forms council papers print.

`parse_uk_date` reads one date string; `find_uk_dates` finds every date in running
text with its span. Two-digit years are 20YY. Numeric dates are always read
day/month/year: a UK paper never means 02/14/2023.
"""
from __future__ import annotations

import re
from datetime import date

from dateutil import parser as _dateutil

_MONTHS = {m: i for i, names in enumerate((
    (), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
    ("october", "oct"), ("november", "nov"), ("december", "dec"))) for m in names}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_NAME = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"

NUMERIC_DATE = r"(?<![\d/])(\d{1,2})\s?[/.\-]\s?(\d{1,2})\s?[/.\-]\s?(\d{4}|\d{2})(?![\d/])"
WORDED_DATE = (_DAY_NAME + r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + _MONTH_ALT + r")\.?,?\s+(\d{4})(?!\d)")
_NUMERIC_RE = re.compile(NUMERIC_DATE)
_WORDED_RE = re.compile(WORDED_DATE, re.I)
# embeddable in other patterns whatever their flags: month names match in any case
DATE_PATTERN = f"(?i:(?:{WORDED_DATE})|(?:{NUMERIC_DATE}))"
DATE_RE = re.compile(DATE_PATTERN)


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _make(day: int, month: int, year: int) -> date | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d if 1900 <= d.year <= 2100 else None


def _from_match(m: re.Match) -> date | None:
    groups = m.groups()
    if groups[0] is not None:  # worded
        return _make(int(groups[0]), _MONTHS[groups[1].lower()], int(groups[2]))
    return _make(int(groups[3]), int(groups[4]), _year(groups[5]))


def parse_uk_date(text: str | None) -> date | None:
    """The date written in `text` ('14/02/2023', '25 JANUARY 2024', 'Tuesday, 27 July 2021'), else None."""
    if not text:
        return None
    m = DATE_RE.search(text)
    if m:
        return _from_match(m)
    try:  # last resort for rarer shapes ('January 27, 2016')
        if not re.search(r"\d", text) or not re.search(_MONTH_ALT, text, re.I):
            return None
        return _dateutil.parse(text, dayfirst=True, fuzzy=True).date()
    except (ValueError, OverflowError):
        return None


def find_uk_dates(text: str) -> list[tuple[int, int, date]]:
    """Every date in `text` as (start, end, date)."""
    out = []
    for m in DATE_RE.finditer(text or ""):
        d = _from_match(m)
        if d:
            out.append((m.start(), m.end(), d))
    return out
