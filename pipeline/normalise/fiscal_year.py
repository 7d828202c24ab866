"""UK financial years (April to March) in every printed form -> 'YYYY-YY'.

FIRST CUT (foundation): `normalise_fiscal_year` and `find_fiscal_years` are the stable
API; the money work (issue 4) extends the forms recognised.
"""
from __future__ import annotations

import re

# 2023/24, 2023-24, 2023–2024, 23/24, FY23/24, FY2023/24
_FY_RE = re.compile(
    r"(?<![\d/£.])(?:FY\s?)?((?:19|20)?\d{2})\s?[/\-–]\s?((?:19|20)?\d{2})(?![\d/%])", re.I)


def _full_year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _as_fy(first: str, second: str) -> str | None:
    start = _full_year(first)
    end = _full_year(second) if len(second) == 4 else (start // 100) * 100 + int(second)
    if len(second) == 2 and end < start:
        end += 100
    if end != start + 1 or not 1990 <= start <= 2099:
        return None
    return f"{start}-{end % 100:02d}"


def normalise_fiscal_year(text: str) -> str | None:
    """The first financial year written in `text`, as 'YYYY-YY', else None."""
    for m in _FY_RE.finditer(text or ""):
        fy = _as_fy(m.group(1), m.group(2))
        if fy:
            return fy
    return None


def find_fiscal_years(text: str) -> list[tuple[int, int, str]]:
    """Every financial year in `text`: (start, end, 'YYYY-YY')."""
    out = []
    for m in _FY_RE.finditer(text or ""):
        fy = _as_fy(m.group(1), m.group(2))
        if fy:
            out.append((m.start(), m.end(), fy))
    return out
