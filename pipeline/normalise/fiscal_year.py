"""UK financial years (April to March) in every printed form -> 'YYYY-YY'.

`normalise_fiscal_year` and `find_fiscal_years` are the stable API (table headers
and running text use them). Forms read:

    2023/24  23/24  2023-24  2023–2024  FY23/24  FY2023/24  FY24  FY 2024
    financial year 2024 to 2025   2024 to 2025 financial year

`find_year_mentions` adds the forms that only *imply* a year, for the money
extractor: 'by the end of March 2016' / 'year ending 31 March 2016' (-> 2015-16)
and relative ones ('next year', 'last year', 'this financial year'), which
resolve only against a `doc_year` the caller states (the document's own year,
never its meeting date) and are otherwise returned unresolved (fy=None), so a
caller can tell "the text names a year we cannot place" from "no year".
It also marks two explicit forms that name a year without giving an amount its
year: a span of years ('2025-26 to 2034-35', a ten-year programme: how="range",
fy=None, so the amount is decided as having no single year) and a comparison
base ('an increase of £101.4m on 2024-25', 'on the comparable figure for
2024-25': how="base"; the amount belongs to the year compared, not this one).
"""
from __future__ import annotations

from bisect import bisect_right

import re
from dataclasses import dataclass

_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"

# 2023/24, 2023-24, 2023–2024, 23/24, FY23/24, FY2023/24 (not dates 14/02/23, not '23-24 May')
# (each opens with a look-ahead for the character a match starts with: it changes no match, but lets the
# scan pass over the rest of a page at one test per position)
_FY_RE = re.compile(
    r"(?=[\dF])(?<![\d/£.,])(?:FY\s?)?((?:19|20)?\d{2})\s?[/\-–]\s?((?:19|20)?\d{2})(?![\d/%]|\s?" + _MONTHS + r"\b)", re.I)
# FY24, FY 2024 (the year the financial year ends, as UK central government writes it)
_FY_SINGLE_RE = re.compile(r"(?=F)\bFY\s?((?:19|20)?\d{2})(?![\d/\-–])", re.I)
# financial year 2024 to 2025 / 2024 to 2025 financial year
_FY_WORDS_RE = re.compile(
    r"(?=[f12])\b(?:financial\s+year\s+((?:19|20)\d{2})\s+to\s+((?:19|20)\d{2})"
    r"|((?:19|20)\d{2})\s+to\s+((?:19|20)\d{2})\s+financial\s+year)\b", re.I)
# Words before a number pair that make it a reference, not a year: 'pages 23-24', 'paragraphs 10-11'
_REF_BEFORE_RE = re.compile(r"\b(?:pages?|pp?\.?|paras?\.?|paragraphs?|items?|sections?|appendix|appendices|"
                            r"minutes?|nos?\.?|numbers?|clauses?|ages?|aged|rows?|lines?|tables?)\s*$", re.I)
# Year-end forms that imply the financial year ending then
_YEAR_END_RE = re.compile(
    r"\b(?:(?:by|at|to|until|as\s+at)\s+(?:the\s+)?end\s+of\s+march|(?:financial\s+)?year\s+end(?:ing|ed)?\s+(?:31(?:st)?\s+)?march"
    r"|(?:by|as\s+at)\s+31(?:st)?\s+march)\s+((?:19|20)\d{2})\b", re.I)
# Relative years: (offset from the document's own year)
_RELATIVE = (
    (re.compile(r"\b(?:next|following|coming)\s+(?:financial\s+)?year\b", re.I), 1),
    (re.compile(r"\b(?:last|previous|prior)\s+(?:financial\s+)?year\b", re.I), -1),
    (re.compile(r"\b(?:this|current)\s+(?:financial\s+)?year\b|\bin[- ]year\b", re.I), 0),
)


# Words before a year that make it the base of a comparison, not the amount's own year
_BASE_BEFORE_RE = re.compile(
    r"\b(?:since\s+|(?:carried|carry|brought|bring|rolled|roll)\s+forwards?\s+from\s+|roll[- ]forwards?\s+from\s+|(?:on|over|than|against|compared\s+(?:to|with)|relative\s+to)\s+(?:the\s+)?"
    r"(?:(?:comparable|equivalent|same|corresponding|previous|approved|original|final)\s+)?"
    r"(?:(?:figure|position|level|budget|amount|outturn|total)\s+)?(?:(?:for|in|of)\s+)?)$", re.I)
# Words opening a time clause before a year: the year of that clause's event, not of the amounts around it
# ('... £1,758.1k use of reserves, until the base budget savings are delivered in 2026-27')
# ('before'/'after' are not among them: 'looked after children than we did in 2021/22')
_BOUND_BEFORE_RE = re.compile(r"\b(?:until|till|by\s+the\s+time)\b[^,;:.()£]{0,80}$", re.I)
# Between two years that bound a span: '2025-26 to 2034-35', '2025-26 - 2027-28'
_SPAN_BETWEEN_RE = re.compile(r"\s*(?:to|until|through|[-–—])\s*$", re.I)
# A span of several years written as one pair ('2025-28 MTFP', 'Basic Need KCP22 (2023-27)', '2020-2025'):
# _FY_RE's pair, its first year in full, 2 to MAX_SPAN_YEARS years apart
MAX_SPAN_YEARS = 10
# A span of years in words: 'Capital Budget for next 10 years', 'over the next three years', 'the 10-year programme',
# 'a forecast gap in later years of £24.4m'
# (not 'Maturity over 20 years': a loan's term, not the years an amount is of)
_N_YEARS = r"(?:[2-9]|1[0-9]|20|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty)"
_YEARS_SPAN_RE = re.compile(
    rf"\b(?:(?:(?:over|across|for|during|within)\s+the\s+)?(?:next|coming|following)\s+{_N_YEARS}\s+(?:financial\s+)?years"
    rf"|for\s+a\s+period\s+of\s+{_N_YEARS}\s+years|{_N_YEARS}[- ]year\s+(?:programme|plan|period|capital|budget)"
    rf"|in\s+(?:the\s+)?(?:later|outer)\s+years)\b", re.I)


@dataclass(frozen=True)
class YearMention:
    start: int
    end: int
    fy: str | None      # 'YYYY-YY', or None for a relative year with no doc_year or a span
    how: str            # explicit, year_end, relative, range, base, bound (a time clause: 'until ... 2026-27')


def _full_year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _years(first: str, second: str) -> tuple[int, int]:
    """The first and last calendar years a printed pair names ('2025-26' -> 2025, 2026; '99/00' -> 1999, 2000)."""
    start = _full_year(first)
    end = _full_year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100
    return start, end


def _as_fy(first: str, second: str) -> str | None:
    start, end = _years(first, second)
    if end != start + 1 or not 1990 <= start <= 2099:
        return None
    return f"{start}-{end % 100:02d}"


def fy_of_start(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def shift_fy(fy: str, years: int) -> str:
    return fy_of_start(int(fy[:4]) + years)


def find_fiscal_years(text: str) -> list[tuple[int, int, str]]:
    """Every financial year written explicitly in `text`: (start, end, 'YYYY-YY'), in text order."""
    text = text or ""
    out = []
    for m in _FY_RE.finditer(text):
        if _REF_BEFORE_RE.search(text[max(0, m.start() - 14):m.start()]):
            continue
        fy = _as_fy(m.group(1), m.group(2))
        if fy:
            out.append((m.start(), m.end(), fy))
    pairs = list(out)  # in text order, apart: a single year inside one of them is part of it
    starts = [s for s, _, _ in pairs]
    for m in _FY_SINGLE_RE.finditer(text):
        end_year = _full_year(m.group(1))
        k = bisect_right(starts, m.start()) - 1
        if 1991 <= end_year <= 2100 and not (k >= 0 and m.start() < pairs[k][1]):
            out.append((m.start(), m.end(), fy_of_start(end_year - 1)))
    words = []
    for m in _FY_WORDS_RE.finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        fy = _as_fy(a, b)
        if fy:
            words.append((m.start(), m.end(), fy))
    if words:  # 'financial year 2024 to 2025' replaces the years found inside it
        out = [o for o in out if not _inside(o[0], words)] + words
    return sorted(out)


def _inside(pos: int, spans: list[tuple[int, int, str]]) -> bool:
    """`pos` lies in one of `spans` (sorted by start, not overlapping)."""
    k = bisect_right(spans, (pos, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= pos < spans[k][1]


def normalise_fiscal_year(text: str) -> str | None:
    """The first financial year written in `text`, as 'YYYY-YY', else None."""
    found = find_fiscal_years(text)
    return found[0][2] if found else None


def find_year_mentions(text: str, doc_year: str | None = None) -> list[YearMention]:
    """Explicit, year-end and relative year mentions in `text`, in text order."""
    out = []
    for s, e, fy in find_fiscal_years(text):
        prev = out[-1] if out else None
        if prev and prev.how == "explicit" and _SPAN_BETWEEN_RE.fullmatch(text[prev.end:s]) \
                and prev.fy and prev.fy < fy:
            out[-1] = YearMention(prev.start, e, None, "range")
        elif _BASE_BEFORE_RE.search(text[max(0, s - 60):s]):
            out.append(YearMention(s, e, fy, "base"))
        elif _BOUND_BEFORE_RE.search(text[max(0, s - 90):s]):
            out.append(YearMention(s, e, fy, "bound"))
        else:
            out.append(YearMention(s, e, fy, "explicit"))
    for m in _FY_RE.finditer(text or ""):
        first, last = _years(m.group(1), m.group(2))
        if len(m.group(1)) == 4 and 2 <= last - first <= MAX_SPAN_YEARS \
                and not _REF_BEFORE_RE.search(text[max(0, m.start() - 14):m.start()]):
            out.append(YearMention(m.start(), m.end(), None, "range"))
    for m in _YEARS_SPAN_RE.finditer(text or ""):
        out.append(YearMention(m.start(), m.end(), None, "range"))
    out.sort(key=lambda m: (m.start, m.end))
    taken = [(m.start, m.end) for m in out]  # in text order, apart
    taken_starts = [s for s, _ in taken]
    for m in _YEAR_END_RE.finditer(text or ""):
        out.append(YearMention(m.start(), m.end(), fy_of_start(int(m.group(1)) - 1), "year_end"))
    for rx, offset in _RELATIVE:
        for m in rx.finditer(text or ""):
            # overlapping a year already read: one that starts inside it, or it starting inside one
            k = bisect_right(taken_starts, m.start()) - 1
            if (k >= 0 and m.start() < taken[k][1]) or (k + 1 < len(taken) and taken[k + 1][0] < m.end()):
                continue
            fy = shift_fy(doc_year, offset) if doc_year else None
            base = _BASE_BEFORE_RE.search(text[max(0, m.start() - 60):m.start()])
            out.append(YearMention(m.start(), m.end(), fy, "base" if base else "relative"))
    return sorted(out, key=lambda m: (m.start, m.end))
