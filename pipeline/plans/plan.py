"""Recognise a money plan in a grid of cells and turn it into long-form lines.

A grid (from text columns or PDF geometry) is a money plan when its header has a
financial year or a Total column, the table states a unit (£000, £'000, £000's,
£k, £m, £) in a header cell or in the lines just above it, and those columns hold
figures. Each figure becomes one line: (ref, title, fiscal_year, column, amount).

Decisions:
- A 'Total' column across years (no financial year in its header) is KEPT: it is
  emitted with fiscal_year null and the row_kind of its row, so the printed figure
  is not lost and can be checked across years; scorers ignore year-less rows.
- A '-' cell means nil and becomes 0.00; an empty cell gives no line; a row with a
  percentage in a money column is a row of rates and gives no lines.
- Rows whose label starts 'Total'/'Grand total'/'Overall total'/'Net total' are
  totals, 'Sub-total'/'Subtotal' subtotals (rule table `ROW_KIND_RULES`);
  rows with no figure in any money column are headings and give no lines.
- fiscal_year comes from the column header (normalise_fiscal_year); when no money column
  names one and the title lines just above the table name exactly one, that one applies.
- A column headed by a bare calendar year ('2018 £' in a statement of accounts) is the
  financial year ENDING in that year (2018 -> 2017-18) only when the page says the accounts
  run to 31 March ('for the year ended 31 March 2018'); otherwise its fiscal_year stays null,
  since a calendar year alone does not say which financial year is meant (`years_from_year_end`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal

from councilpapers.normalise.fiscal_year import find_fiscal_years, find_year_mentions, fy_of_start, normalise_fiscal_year
from councilpapers.normalise.money import parse_cell, unit_scale
from councilpapers.plans.columns import NOT_MONEY, header_measure, table_measure, text_columns

NIL_CELLS = ("-", "–", "—", "--")
ZERO = Decimal("0.00")

# (pattern on the row label, row_kind); first match wins
ROW_KIND_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^\W*sub[\s-]*totals?\b", re.I), "subtotal"),
    (re.compile(r"^\W*(grand|overall|net|gross|final|revised)?\s*totals?\b", re.I), "total"),
    # 'Growth, Environment & Transport Total': the total of one part of the table, perhaps
    # qualified in brackets ('... Education Total (Excluding Schools' Delegated Budgets)')
    (re.compile(r"^\W*\w+(?:\W+\w+){0,6}\W+totals?(?:\s*\([^()]*\))?\W*$", re.I), "subtotal"),
)
TOTAL_HEADER = re.compile(r"\btotals?\b", re.I)

# (pattern on title + header + context, kind); first match wins
KIND_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"\bsavings?\b|\befficienc|\bcost reductions?\b|\bfinancial (improvement|recovery) plan\b", re.I), "savings"),
    (re.compile(r"\bcapital\b|\binvestments?\b", re.I), "investment"),
    (re.compile(r"\bbudget|\brevenue\b|\bspending\b|\bpressures?\b|\bmtfp\b|\bfunding\b|\bgrants?\b", re.I), "budget"),
)

REF_CELL = re.compile(r"^\(?[A-Za-z]{0,6}[-/ ]?\d{1,4}(?:[./-]\d{1,3})*[a-z]?[.:)]?$|^\(?[ivxIVX]{1,5}[.)]?$|^\(?[a-zA-Z][.)]$")
REF_HEADER = re.compile(r"^\W*(ref|no|number|#|row|item|line|id)\b", re.I)
# header words that name the line's title column, best first
# ('Key Service' before 'Key Service Description': a description is the title only when nothing else is)
TITLE_HEADERS = ("proposal", "headline", "title", "name", "scheme", "project", "saving",
                 "service", "item", "line", "heading", "detail", "description")
# unit written with a scale ('£000', '£m'): safe to take from a title line above the table
_SCALED_UNIT = re.compile(r"£\s*'?\s*(?:000'?s?|k|m|bn)\b|£\s*(?:thousands?|millions?)", re.I)
_NOTE = re.compile(r"\s+\((?=[^)]*[A-Za-z]{3})[^)]*\)\s*$")  # a note in brackets after a figure
# "£" standing alone as a word, or glued to the year it sits under ('2017£': OCR drops the space)
_BARE_POUND = re.compile(r"(?:^|[\s(]|(?<=(?:19|20)\d\d))£(?=\s|\)|$)(?!\s*\d)")


@dataclass
class Grid:
    """A table as cells: one header string per column, body rows of cells, a page per row."""
    header: list[str]
    rows: list[list[str]]
    pages: list[int]
    method: str
    context: str = ""  # the lines printed just above the table (title, unit)
    # per body row, per column: the cell's box (x0, top, x1, bottom) in PDF points from the page's
    # top-left, where a PDF reader placed it (None: no words there, or not a PDF)
    boxes: list[list[tuple[float, float, float, float] | None]] | None = None
    # per column: (x0, x1, holds money) where a word-position reader found it (None: other readers)
    columns: list[tuple[float, float, bool]] | None = None

    @property
    def n_cols(self) -> int:
        return len(self.header)


@dataclass
class MoneyColumn:
    index: int
    header: str
    fiscal_year: str | None
    scale: Decimal
    unit: str
    step: Decimal | None = None  # coarsest rounding a cell shows with its own scale ('£69.7m': 100000)
    measure: str | None = None  # what the figures are (pipeline.plans.columns): budget, forecast, saving, ...


@dataclass
class PlanRow:
    index: int
    ref: str | None
    title: str | None
    row_kind: str
    page: int
    amounts: dict[int, Decimal]  # column index -> pounds
    section: int = 0  # counts the heading rows (a label, no figures) above this row
    attributes: dict[str, str] = field(default_factory=dict)  # directorate, service, ... (columns.ATTRIBUTES)
    other_text: list[tuple[str, str]] = field(default_factory=list)  # (header, cell) of the other text columns
    derived: bool = False  # read as a line but found to be the sum of the rows above (reconcile)
    boxes: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)  # column index -> cell box


@dataclass
class Plan:
    grid: Grid
    unit: str
    kind: str
    columns: list[MoneyColumn]
    rows: list[PlanRow] = field(default_factory=list)

    @property
    def page_first(self) -> int:
        return min(self.grid.pages)

    @property
    def page_last(self) -> int:
        return max(self.grid.pages)


def clean(text: str | None) -> str:
    """Runs of white space as one space, none at the ends (str.split splits where a regex \\s matches)."""
    return " ".join((text or "").split())


@lru_cache(maxsize=1 << 16)
def is_figure(cell: str) -> bool:
    """A figure or a nil dash; a unit label such as '£000' is not one (parse_cell says so)."""
    c = clean(cell)
    return c in NIL_CELLS or parse_cell(c) is not None


def header_unit(text: str) -> tuple[str, Decimal] | None:
    """A unit in a header cell: scaled (£000, £m) anywhere, or a bare '£' standing alone."""
    m = _SCALED_UNIT.search(text or "")
    if m:
        return unit_scale(m.group(0))
    if _BARE_POUND.search(text or ""):
        return "£", Decimal(1)
    return None


_SUFFIXED = re.compile(r"\d(?:\.(\d+))?\s*(bn|m|k)\)?$", re.I)
_SUFFIX_SCALE = {"k": Decimal(1000), "m": Decimal(1000000), "bn": Decimal(1000000000)}


def _printed_step(cell: str) -> Decimal | None:
    """The rounding step of a cell that carries its own scale: '£69.7m' -> 100000."""
    m = _SUFFIXED.search(cell)
    if not m:
        return None
    return _SUFFIX_SCALE[m.group(2).lower()] / Decimal(10) ** len(m.group(1) or "")


def row_kind(label: str | None) -> str:
    if not label:
        return "line"
    for pattern, kind in ROW_KIND_RULES:
        if pattern.search(label):
            return kind
    return "line"


def classify(text: str) -> str:
    for pattern, kind in KIND_RULES:
        if pattern.search(text):
            return kind
    return "other"


def _numeric_share(grid: Grid, col: int) -> float:
    cells = [clean(r[col]) for r in grid.rows if col < len(r) and clean(r[col])]
    if not cells:
        return 0.0
    return sum(is_figure(c) or is_figure(_NOTE.sub("", c)) for c in cells) / len(cells)


def _pound_cells(grid: Grid, col: int) -> bool:
    """Most filled cells of the column print a '£' (a whole-pound table with no unit header)."""
    cells = [clean(r[col]) for r in grid.rows if col < len(r) and clean(r[col]) and clean(r[col]) not in NIL_CELLS]
    return len(cells) >= 2 and sum(c.lstrip("(-+\u2212").startswith("£") for c in cells) * 2 >= len(cells)


def money_columns(grid: Grid) -> tuple[list[MoneyColumn], str] | None:
    """The money columns and the table's unit, or None when the grid is not a money plan.

    A money column is headed by a financial year, a Total or its own unit (£000, £), and holds
    figures. The unit comes from the headers, else the lines above the table, else the cells
    themselves when they print '£' (whole pounds). A table with neither a year nor a Total
    column is a plan only when its money columns name their unit in their own headers (a
    statement of accounts: '2018 £' over every column)."""
    table_unit = None
    for text in grid.header:
        table_unit = table_unit or header_unit(text)
    if table_unit is None:
        m = _SCALED_UNIT.search(grid.context or "")
        table_unit = unit_scale(m.group(0)) if m else None
    if table_unit is None and any(_pound_cells(grid, i) for i in range(grid.n_cols)):
        table_unit = ("£", Decimal(1))
    cols = []
    for i, text in enumerate(grid.header):
        if header_measure(clean(text)) == NOT_MONEY:
            continue  # a tax base, a percentage, FTE: figures, but not money
        fy = normalise_fiscal_year(text)
        own = header_unit(text)
        pounds = _pound_cells(grid, i)
        # under a unit the table states ('All figures in £m'), a column named by what it measures
        # ('Revenue Budget', 'Forecast', 'Variance') is money even when no year heads it
        named = table_unit is not None and table_unit[0] != "£" and header_measure(clean(text)) is not None
        if not (fy or TOTAL_HEADER.search(text) or own or pounds or named):
            continue
        if _numeric_share(grid, i) < 0.6:
            continue
        unit = own or table_unit or (("£", Decimal(1)) if pounds else None)
        if unit is None:
            continue
        cols.append(MoneyColumn(i, clean(text), fy, unit[1], unit[0]))
    if not cols:
        return None
    title_years = {fy for _, _, fy in find_fiscal_years(grid.context or "")}
    if len(title_years) == 1 and not any(c.fiscal_year for c in cols):
        # '2025-26 Proposed Budget by Directorate' over columns headed only by what they hold
        for c in cols:
            c.fiscal_year = next(iter(title_years))
    if not any(c.fiscal_year or TOTAL_HEADER.search(c.header) for c in cols):
        # no year, no Total: a plan only when its headers print their unit ('2018 £'); '£' in the
        # cells under blank headers is a list of prices, not a plan
        scaled = table_unit is not None and table_unit[0] != "£"
        if sum(bool(header_unit(c.header)) or (scaled and header_measure(c.header) is not None) for c in cols) < 2:
            return None
    units = [c.unit for c in cols]
    title = " ".join([grid.context or "", " ".join(grid.header)])
    for c in cols:
        c.measure = header_measure(c.header) or table_measure(title)
    for c in cols:
        # a Total adds up other columns of its row ('2025-26 Core | External | Total'); a year's only
        # column headed Total holds what the table's lines are (a funding table's '2025-26 Total £000s')
        if c.measure == "total" and c.fiscal_year and not any(
                o is not c and o.fiscal_year == c.fiscal_year for o in cols):
            c.measure = table_measure(title)
    return cols, max(set(units), key=lambda u: (units.count(u), u))


def _label_columns(grid: Grid, money: set[int]) -> tuple[int | None, int | None]:
    """(ref column, title column) among the text columns. Labels usually come first, but a
    landscape plan may print them between two blocks of money columns."""
    text_cols = [i for i in range(grid.n_cols) if i not in money]
    title_col = None
    for word in TITLE_HEADERS:
        hits = [i for i in text_cols if word in clean(grid.header[i]).lower()]
        if hits:
            title_col = hits[0]
            break
    ref_col = None
    for i in text_cols:
        if i == title_col or (title_col is not None and i > title_col):
            continue
        cells = [clean(r[i]) for r in grid.rows if i < len(r) and clean(r[i])]
        refs = sum(bool(REF_CELL.match(c)) for c in cells)
        if REF_HEADER.match(clean(grid.header[i])) or (cells and refs / len(cells) >= 0.6 and refs >= 2):
            ref_col = i
            break
    rest = [i for i in text_cols if i != ref_col]
    if title_col is None and rest:
        # the text column with the most words
        title_col = max(rest, key=lambda i: (sum(len(clean(r[i]).split()) for r in grid.rows if i < len(r)), -i))
    return ref_col, title_col


def read_plan(grid: Grid) -> Plan | None:
    """The grid as a money plan, or None when it is not one."""
    if not grid.rows or grid.n_cols < 2:
        return None
    found = money_columns(grid)
    if found is None:
        return None
    cols, unit = found
    money = {c.index for c in cols}
    if len(money) == grid.n_cols:
        return None  # no label column: figures without lines
    ref_col, title_col = _label_columns(grid, money)
    kind = classify(" ".join([grid.context, " ".join(grid.header)]))
    plan = Plan(grid, unit, kind, cols)
    named, other = text_columns([clean(h) for h in grid.header], money | {c for c in (ref_col, title_col) if c is not None})
    section = 0
    for r, cells in enumerate(grid.rows):
        cells = list(cells) + [""] * (grid.n_cols - len(cells))
        amounts = {}
        if any(clean(cells[c.index]).endswith("%") for c in cols):
            continue  # a row of rates ('Rate of increase in spend  -  13%  10%') under money columns
        for c in cols:
            text = clean(cells[c.index])
            if text in NIL_CELLS:
                amounts[c.index] = ZERO
            elif text:
                value = parse_cell(text, c.scale)
                if value is None and _NOTE.search(text):
                    value = parse_cell(_NOTE.sub("", text), c.scale)  # '£9,506 (incl £100 deferred grant)'
                if value is not None:
                    amounts[c.index] = value
                    step = _printed_step(text)
                    if step and (c.step is None or step > c.step):
                        c.step = step
        if not amounts:
            section += any(clean(c) for c in cells)  # a heading starts a new section
            continue
        ref = clean(cells[ref_col]) if ref_col is not None else ""
        title = clean(cells[title_col]) if title_col is not None else ""
        labels = " ".join(clean(cells[i]) for i in range(grid.n_cols) if i not in money and clean(cells[i])
                          and not is_figure(cells[i]))
        # the title says it, else the ref ('Total'), else the first other label ('TOTAL PAY' printed
        # in a category column while the title column is empty)
        first_label = next((clean(cells[i]) for i in range(grid.n_cols) if i not in money and i != ref_col
                            and clean(cells[i]) and not is_figure(cells[i])), "")
        kind_of_row = next((k for k in map(row_kind, (title, ref, first_label)) if k != "line"), "line")
        attributes = {a: clean(cells[i]) for a, i in named.items() if clean(cells[i])}
        other_text = [(clean(grid.header[i]), clean(cells[i])) for i in other if clean(cells[i])]
        boxes = {i: b for i in amounts if grid.boxes and i < len(grid.boxes[r]) and (b := grid.boxes[r][i])}
        plan.rows.append(PlanRow(len(plan.rows), ref or None, title or labels or None,
                                 kind_of_row, grid.pages[r], amounts, section, attributes=attributes,
                                 other_text=other_text, boxes=boxes))
    if not plan.rows or not any(r.row_kind == "line" for r in plan.rows):
        return None
    if not any(c.fiscal_year or TOTAL_HEADER.search(c.header) for c in cols) and any(
            r.title and is_figure(r.title.split()[0]) for r in plan.rows):
        return None  # columns named only by their measure, and figures read as labels: the columns are misaligned
    return plan


_CALENDAR_HEADER = re.compile(r"^\W*((?:19|20)\d\d)\b(?!\s?[-/–]\s?\d)")


def years_from_year_end(plan: Plan, text: str) -> None:
    """Give year-less columns headed by a bare calendar year the financial year ending 31 March
    of that year, when `text` (the table's page) says the figures are for a year ending 31 March."""
    if not any(m.how == "year_end" for m in find_year_mentions(text or "")):
        return
    for c in plan.columns:
        m = None if c.fiscal_year else _CALENDAR_HEADER.match(c.header)
        if m:
            c.fiscal_year = fy_of_start(int(m.group(1)) - 1)


def without_unit(text: str) -> str:
    """Header or title text with its unit left out, for comparing tables ('£m Forecast' -> 'forecast')."""
    return clean(_SCALED_UNIT.sub(" ", text or "")).lower()


def column_key(header: list[str]) -> tuple[str, ...]:
    """What a table's columns are, whichever of its pages printed the unit over them."""
    return tuple(without_unit(h) for h in header)


def same_columns(a: Plan, b: Plan) -> bool:
    """The two plans print the same columns in the same unit: their headers match once the unit
    is left out ('£m Forecast' on a page whose '£m' sits over the column, 'Forecast' where it does not)."""
    return a.unit == b.unit and column_key(a.grid.header) == column_key(b.grid.header)


def merge_continued(plans: list[Plan]) -> list[Plan]:
    """Join a plan that continues on the next page with the same header (and the same
    title above it, or none) into one; a new title starts a new table."""
    out: list[Plan] = []
    for p in plans:
        prev = out[-1] if out else None
        if (prev and p.page_first == prev.page_last + 1 and p.grid.method == prev.grid.method
                and same_columns(p, prev)
                and without_unit(p.grid.context) in ("", without_unit(prev.grid.context))):
            base = len(prev.rows)
            for row in p.rows:
                row.index += base
            prev.rows.extend(p.rows)
            boxes = (prev.grid.boxes + p.grid.boxes) if prev.grid.boxes is not None and p.grid.boxes is not None else None
            prev.grid = Grid(prev.grid.header, prev.grid.rows + p.grid.rows, prev.grid.pages + p.grid.pages,
                             prev.grid.method, prev.grid.context, boxes, prev.grid.columns)
            continue
        out.append(p)
    return out
