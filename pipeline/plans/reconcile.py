"""Auditor's arithmetic on a plan: do the printed totals add up?

Down each money column, a total or subtotal row is compared with the sum of the
lines printed since the previous total row (its segment), or with the lines under
the section heading it closes (a heading row such as 'SPENDING'), or the total just
above plus its segment (a 'Total Budget' under 'Total Requirement' and 'Funding').
A total may also be the sum of every line above it or of the subtotals above plus
its own segment (a grand total).

Three kinds of total are not a plain sum and are never reported as wrong:
- a total row with no lines of its own (a second total under the first) that matches
  none of the sums above: a figure the table derives some other way (e.g. "Overall
  total for inclusion into wider saving"); left unchecked;
- a memorandum total of a selection: it equals, in every money column, the sum of
  one and the same subset of the lines in its section ('TOTAL Savings for delivery'
  counting new savings, income, grants and prior-year savings but not the removal of
  undelivered savings printed among them). Left unchecked and reported as an
  `info` problem (`table_total_selection`) naming the lines it adds up;
- (`mark_derived_rows`, run first) a row not labelled total whose figures are, in
  every column, the sum of the rows just above it (an unlabelled row under a rule,
  'Net growth in service budgets' under growth and savings) is a subtotal: it closes
  a segment like any subtotal and its row_kind says so.

Across each row, a year-less Total column is compared with the sum of the year
columns, when the table has no other money column (a 'Prior Years' column means the
years shown are not the whole cost).

Rounding: printed figures are rounded to the table's unit (or to the coarser step their own
scale shows, e.g. '£69.7m' in a whole-pound column), so a sum
may be off by up to 1 step per term added. Anything beyond is a `Mismatch` (expected and printed
figures), raised as a `table_total_mismatch` warning; figures are never corrected.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations

from .plan import Plan, PlanRow

ZERO = Decimal("0.00")
SELECTION_POOL = 12  # lines of a section searched for a memorandum total's selection (2^12 subsets at most)


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
class Selection:
    """A memorandum total that adds up a subset of the lines of its section."""
    row: PlanRow
    lines: list[PlanRow]

    def message(self) -> str:
        label = self.row.title or self.row.ref or f"row {self.row.index}"
        names = "; ".join(r.title or r.ref or f"row {r.index}" for r in self.lines)
        return (f"'{label}' is not the sum of the lines above it but of a selection of them "
                f"({names}) in every column: a memorandum total, left unchecked")


@dataclass
class Reconciliation:
    checked: int
    mismatches: list[Mismatch]
    unchecked: list[PlanRow]  # totals that are not a sum of lines
    selections: list[Selection] = field(default_factory=list)

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


def _printed_step(plan: Plan, col) -> Decimal:
    """The finest step the column's figures show (£000 to one decimal: 100), at most its rounding."""
    step = _rounding(plan, col)
    values = [r.amounts[col.index] for r in plan.rows if r.amounts.get(col.index)]
    while step > Decimal("0.01") and any(v % step for v in values):
        step /= 10
    return step


def mark_derived_rows(plan: Plan) -> list[PlanRow]:
    """Rows read as lines that are the sum of the rows just above them in every money column
    they fill: an unlabelled row under a rule, or a labelled running subtotal ('Net growth' under
    growth and savings). Such a row becomes a 'subtotal' (a 'total' when it is the table's last row).

    The run summed is two or more rows back from the row, within its section (any section for an
    unlabelled row), reaching at most
    one earlier total (a running balance). Being sure matters more than finding them all, so the
    sum must hold to the figures' printed precision (half a step per figure), at least two terms
    must be non-zero, a labelled row must match in at least two non-zero columns that differ (one column of
    small figures matches a neighbouring pair by chance, and a 'Forecast' column that repeats
    the 'Target' one is no second witness), and a row with its own reference
    number is a line whatever it adds up to (10, 20, 30)."""
    marked = []
    steps = {c.index: _printed_step(plan, c) for c in plan.columns}
    for i, row in enumerate(plan.rows):
        if row.row_kind != "line":
            continue
        filled = sum(1 for v in row.amounts.values() if v)
        if not filled or row.ref or (filled < 2 and row.title):
            continue  # a numbered row is a line of its own, whatever it adds up to
        start = i - 1
        # an unlabelled row under a rule may add up several sections (a statement's net cost)
        while start >= 0 and (plan.rows[start].section == row.section or not row.title):
            start -= 1
        start += 1
        # running sums and counts per column as the run grows upwards (linear, not cubic)
        sums = {col: ZERO for col in row.amounts}
        counts = {col: 0 for col in row.amounts}
        nonzero = 0
        for k in range(i - 1, start - 1, -1):
            above = plan.rows[k]
            if k < i - 1 and plan.rows[k + 1].row_kind != "line":
                break  # only the first term may be an earlier total
            for col in row.amounts:
                if col in above.amounts:
                    sums[col] += above.amounts[col]
                    counts[col] += 1
            nonzero += any(above.amounts.get(c) for c in row.amounts)
            if k > i - 2:
                continue  # two terms at least
            if nonzero >= 2 and all(abs(sums[col] - printed) <= steps[col] * (counts[col] + 1) / 2
                                    for col, printed in row.amounts.items()):
                run = plan.rows[k:i]
                # the columns' figures, to count the columns that say something different
                patterns = {(printed, tuple(r.amounts.get(col) for r in run))
                            for col, printed in row.amounts.items() if printed}
                if len(patterns) >= 2 or not row.title:
                    row.row_kind = "total" if i == len(plan.rows) - 1 else "subtotal"
                    row.derived = True
                    marked.append(row)
                    break
            if above.row_kind != "line":
                break
    return marked


def _selection(row: PlanRow, pool: list[PlanRow], steps: dict) -> list[PlanRow] | None:
    """The subset of `pool` (lines of the row's section) that sums to the row in every column,
    when the row fills at least two non-zero columns (one column is too easy to match by chance)."""
    cols = [c for c, v in row.amounts.items() if v]
    if len(cols) < 2 or len(pool) < 3:
        return None
    pool = pool[-SELECTION_POOL:]
    for size in range(len(pool), 1, -1):
        for subset in combinations(pool, size):
            if all(_close(sum((r.amounts.get(c, ZERO) for r in subset), ZERO), row.amounts[c], size, steps[c])
                   for c in row.amounts):
                return list(subset)
    return None


def _down(columns, rows: list[tuple[object, PlanRow]], steps: dict, own: set[int]):
    """Totals down each column over `rows` ((section key, row) in printed order); only rows whose
    id is in `own` are judged. Returns (checks, {row id: mismatches}, [unchecked rows])."""
    checked, failed, unchecked = 0, {}, []
    for col in columns:
        step = steps[col.index]
        segment: list[Decimal] = []
        lines_above: list[Decimal] = []
        subtotals_above: list[Decimal] = []
        in_section: list[Decimal] = []
        collapsed: list[Decimal] = []  # lines, each run that a total added up replaced by that total
        section = None
        for key, row in rows:
            value = row.amounts.get(col.index)
            if key != section:
                section, in_section = key, []
            if row.row_kind == "line":
                if value is not None:
                    segment.append(value)
                    lines_above.append(value)
                    in_section.append(value)
                    collapsed.append(value)
                continue
            if value is None:
                continue
            # the last items of `collapsed` (a directorate total over its service subtotals and the
            # lines outside them)
            run, acc = 0, ZERO
            for item in reversed(collapsed):
                run, acc = run + 1, acc + item
                # the run must take in every line since the last total: a total equal to its
                # last line alone is no proof
                if run >= (2 if row.derived else len(segment)) and _close(acc, value, run, step):
                    collapsed[-run:] = [value]
                    break
            else:
                run = 0
            if id(row) in own:
                # a total may sum its own segment, every line above, or the subtotals above plus its segment
                candidates = [c for c in (segment, lines_above, subtotals_above + segment, in_section,
                                          subtotals_above[-1:] + segment) if c]
                hit = bool(run) or any(_close(sum(c, ZERO), value, len(c), step) for c in candidates)
                if segment:
                    checked += 1
                    if not hit:
                        expected = sum(segment, ZERO)
                        failed.setdefault(id(row), []).append(Mismatch(row, col.header, expected, value, "down"))
                elif hit:
                    checked += 1
                elif row not in unchecked:
                    unchecked.append(row)
            subtotals_above.append(value)  # every total (checked or not) may start a running total
            segment, in_section = [], []
    return checked, failed, unchecked


def reconcile(plan: Plan, before: list[Plan] = ()) -> Reconciliation:
    """Check `plan`'s totals. `before`: earlier tables of the document printed under the same
    header (a directorate split into one ruled grid per service, its total in the last grid): a
    total that does not add up within its own table is tried again with their rows above it."""
    steps = {c.index: _rounding(plan, c) for c in plan.columns}
    own_rows = [(("own", r.section), r) for r in plan.rows]
    checked, failed, unchecked = _down(plan.columns, own_rows, steps, {id(r) for r in plan.rows})
    if failed and before:
        earlier = [((n, r.section), r) for n, p in enumerate(before) for r in p.rows]
        wanted = {i for i in failed}
        _, still, _ = _down(plan.columns, earlier + own_rows, steps, wanted)
        for i in wanted - set(still):
            del failed[i]  # adds up with the lines of the tables before it
    mismatches = []
    selections = []
    for found in sorted(failed.values(), key=lambda f: f[0].row.index):
        row = found[0].row
        pool = [r for r in plan.rows[:row.index] if r.section == row.section and r.row_kind == "line"]
        chosen = _selection(row, pool, steps)
        if chosen:
            selections.append(Selection(row, chosen))
            checked = max(0, checked - len(row.amounts))  # not a check after all
            unchecked.append(row)
        else:
            mismatches.extend(found)
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
            expected = sum(parts, ZERO)
            if not _close(expected, printed, len(parts), _rounding(plan, total)):
                mismatches.append(Mismatch(row, total.header, expected, printed, "across"))
    return Reconciliation(checked, mismatches, unchecked, selections)
