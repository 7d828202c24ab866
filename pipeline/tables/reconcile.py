"""Auditor's arithmetic on a plan: do the printed totals add up?

Down each money column, a total or subtotal row is compared with the sum of the
lines printed since the previous total row (its segment), or with the lines under
the section heading it closes (a heading row such as 'SPENDING'), or the total just above plus its segment. A total may also
be the sum of every line above it or of the subtotals above plus its own segment
(a grand total). A total row with no lines of its own (a second total under the
first) that matches none of these is a figure the table derives some
other way (e.g. "Overall total for inclusion into wider saving") and is left
unchecked rather than reported as wrong. Across each row, a year-less Total
column is compared with the sum of the year columns, when the table has no other
money column (a 'Prior Years' column means the years shown are not the whole cost).

Rounding: printed figures are rounded to the table's unit (or to the coarser step their own
scale shows, e.g. '£69.7m' in a whole-pound column), so a sum
may be off by up to 1 step per term added. Anything beyond is a `Mismatch` (expected and printed
figures), raised as a `table_total_mismatch` warning; figures are never corrected.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .plan import Plan, PlanRow


@dataclass
class Mismatch:
    row: PlanRow
    column: str
    expected: Decimal
    printed: Decimal
    how: str  # 'down' (lines to total) or 'across' (years to total column)

    def message(self, unit: str) -> str:
        label = self.row.title or self.row.ref or f"row {self.row.index}"
        return (f"{'Years' if self.how == 'across' else 'Lines'} add up to {self.expected:,} "
                f"but '{label}' prints {self.printed:,} in column '{self.column}' (unit {unit})")


@dataclass
class Reconciliation:
    checked: int
    mismatches: list[Mismatch]
    unchecked: list[PlanRow]  # totals that are not a sum of lines

    @property
    def reconciles(self) -> bool | None:
        """True when every checked total adds up, None when there was nothing to check."""
        if not self.checked:
            return None
        return not self.mismatches


def _close(expected: Decimal, printed: Decimal, terms: int, scale: Decimal) -> bool:
    return abs(expected - printed) <= scale * max(terms, 1)


def _rounding(plan: Plan, col) -> Decimal:
    """The step the column's figures are printed to: its unit, or coarser when its cells carry
    their own scale ('£69.7m' in a whole-pound column is rounded to £100,000)."""
    return max(col.scale, col.step or col.scale)


def reconcile(plan: Plan) -> Reconciliation:
    checked, mismatches, unchecked = 0, [], []
    for col in plan.columns:
        step = _rounding(plan, col)
        segment: list[Decimal] = []
        lines_above: list[Decimal] = []
        subtotals_above: list[Decimal] = []
        in_section: list[Decimal] = []
        section = None
        for row in plan.rows:
            value = row.amounts.get(col.index)
            if row.section != section:
                section, in_section = row.section, []
            if row.row_kind == "line":
                if value is not None:
                    segment.append(value)
                    lines_above.append(value)
                    in_section.append(value)
                continue
            if value is None:
                continue
            # a total may sum its own segment, every line above, or the subtotals above plus its segment
            candidates = [c for c in (segment, lines_above, subtotals_above + segment, in_section,
                                      subtotals_above[-1:] + segment) if c]
            hit = any(_close(sum(c, Decimal("0.00")), value, len(c), step) for c in candidates)
            if segment:
                checked += 1
                if not hit:
                    expected = sum(segment, Decimal("0.00"))
                    mismatches.append(Mismatch(row, col.header, expected, value, "down"))
            elif hit:
                checked += 1
            elif row not in unchecked:
                unchecked.append(row)
            if row.row_kind == "subtotal" or segment:
                subtotals_above.append(value)
            segment, in_section = [], []
    years = [c for c in plan.columns if c.fiscal_year]
    totals = [c for c in plan.columns if not c.fiscal_year and "total" in c.header.lower()]
    # across only when the Total is the only other money column: a 'Prior Years' or later-years
    # figure (capital programmes split over pages) means the years printed are not the whole total
    distinct = len({c.fiscal_year for c in years}) == len(years)  # 'Target 2024-25', 'Forecast 2024-25' are not parts
    if len(years) >= 2 and distinct and len(totals) == 1 and len(years) + 1 == len(plan.columns):
        total = totals[0]
        for row in plan.rows:
            printed = row.amounts.get(total.index)
            parts = [row.amounts[c.index] for c in years if c.index in row.amounts]
            if printed is None or not parts:
                continue
            checked += 1
            expected = sum(parts, Decimal("0.00"))
            if not _close(expected, printed, len(parts), _rounding(plan, total)):
                mismatches.append(Mismatch(row, total.header, expected, printed, "across"))
    return Reconciliation(checked, mismatches, unchecked)
