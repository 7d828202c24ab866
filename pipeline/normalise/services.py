"""Service area: the MHCLG revenue-account service category a plan line or money row is about.

The vocabulary (`pipeline/vocab/service_areas.csv`) maps wording to one of the RA form's service
categories and says where each mapping comes from. Texts are tried in the order given (a line's
service-area column, then its title, then its directorate); within a text the rows are tried in
file order, so the specific rows come first. Nothing matched gives None, never a guess.
"""
from __future__ import annotations

import re
from functools import lru_cache

from councilpapers.schema import SERVICE_AREAS
from councilpapers.vocab import rows


@lru_cache(maxsize=None)
def _rules() -> tuple[tuple[re.Pattern, str], ...]:
    unknown = {r["service_area"] for r in rows("service_areas")} - set(SERVICE_AREAS)
    assert not unknown, f"service_areas.csv names categories outside the schema: {unknown}"
    return tuple((re.compile(r["pattern"], re.I), r["service_area"]) for r in rows("service_areas"))


@lru_cache(maxsize=1 << 14)
def _of(text: str) -> str | None:
    return next((area for rx, area in _rules() if rx.search(text)), None)


def service_area(*texts: str | None) -> str | None:
    """The service category of the first text that names one, or None."""
    for text in texts:
        if text:
            area = _of(text)
            if area:
                return area
    return None


@lru_cache(maxsize=1 << 12)
def _named(text: str) -> tuple[tuple[int, int, int, str], ...]:
    """(start, end, rule order, category) of every service wording in `text`: a sentence is read once
    however many amounts it holds."""
    return tuple((m.start(), m.end(), order, area) for order, (rx, area) in enumerate(_rules())
                 for m in rx.finditer(text))


def service_area_near(text: str | None, at: int) -> str | None:
    """The service category named nearest to position `at` of `text` (a money row's amount in its
    sentence): 'Underspends in Children, Young People & Education (-£9.9m), Chief Executive's
    Department (-£1.2m)' gives each amount its own service, not the sentence's first."""
    best = None
    for start, end, order, area in _named(text or ""):
        d = start - at if start >= at else max(0, at - end)
        if best is None or (d, order) < best[0]:
            best = ((d, order), area)
    return best[1] if best else None
