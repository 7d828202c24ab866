"""What each column of a plan table holds: the measure of a money column, the attribute of a text column.

`plan_measures.csv` says what a money column measures from its header ('2025-26 Forecast' ->
forecast, '2025-26 Core £000s' -> core), and, for a column headed by a year alone, from the table's
title ('BUDGET - SAVINGS' -> saving); a `-` measure marks a column that is not money at all (tax base,
percentages, FTE, ratings), which then gives no lines. `plan_attributes.csv` names the text columns
that describe a line (directorate, service, category, cabinet member); any other text column is kept
in the line's `attributes` so nothing printed beside a figure is lost.
"""
from __future__ import annotations

import re
from functools import lru_cache

from councilpapers.vocab import rows

NOT_MONEY = "-"
ATTRIBUTES = ("directorate", "service", "category", "cabinet_member")


@lru_cache(maxsize=None)
def _rules(applies: str) -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"], re.I), r["measure"]) for r in rows("plan_measures") if r["applies"] == applies)


def _first(rules, text: str) -> str | None:
    return next((measure for rx, measure in rules if rx.search(text or "")), None)


# a word wrapped inside a narrow header cell: 'Revenu e Budget', 'Forecas t', 'Varianc e'
_WRAPPED_WORD = re.compile(r"(?<=[a-z]{3})\s+(?=[a-z]{1,2}\b)")


@lru_cache(maxsize=4096)
def header_measure(header: str) -> str | None:
    """The measure a column header names ('2024-25 Variance' -> variance), '-' when not money, else None."""
    return _first(_rules("header"), header) or _first(_rules("header"), _WRAPPED_WORD.sub("", header))


def table_measure(title: str) -> str:
    """What the figures of a table are when their column says only the year: from its title lines."""
    return _first(_rules("table"), title) or "budget"


@lru_cache(maxsize=None)
def _attribute_rules() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(r["pattern"], re.I), r["attribute"]) for r in rows("plan_attributes"))


def attribute_of(header: str) -> str | None:
    """The attribute a text column's header names ('MTFP Category' -> category), or None."""
    return next((a for rx, a in _attribute_rules() if rx.search(header or "")), None)


def text_columns(header: list[str], skip: set[int]) -> tuple[dict[str, int], list[int]]:
    """(attribute -> column index, the other text columns) among the columns not in `skip`."""
    named: dict[str, int] = {}
    other = []
    for i, h in enumerate(header):
        if i in skip:
            continue
        a = attribute_of(h)
        if a and a not in named:
            named[a] = i
        elif h.strip():
            other.append(i)
    return named, other
