"""Tables printed in plain text: columns split by tabs or by runs of 2+ spaces.

A table starts at a header block: one to four adjacent lines of several cells and
no figures, at least one of which names a financial year, a unit or a Total
(`23/24` above `£000s` is one header). Body lines follow until a blank line that
is not followed by more rows, or a line of prose. A body line with no figures
continues the row above (a title wrapped onto a second line) unless it starts
with a reference, in which case it opens a row whose figures come on the next line,
or the row above is a total (then it is a heading: 'MEMORANDUM:').

Tab-separated lines place cells by tab index; space-separated lines place them by
character position (cells that overlap fall in the same column).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from councilpapers.normalise.fiscal_year import find_fiscal_years

from .plan import REF_CELL, TOTAL_HEADER, Grid, clean, header_unit, is_figure, row_kind

_SPACE_SPLIT = re.compile(r"\S+(?: \S+)*")  # words joined by single spaces
MAX_HEADER_LINES = 4


@dataclass
class Cell:
    start: int  # char offset in the line (tab mode: tab index)
    end: int
    text: str


@dataclass
class Line:
    text: str
    tabbed: bool
    cells: list[Cell]

    @property
    def filled(self) -> list[Cell]:
        return [c for c in self.cells if c.text.strip()]

    @property
    def figures(self) -> int:
        """Figures on the line, not counting a leading reference ('1', '2.3') at the margin."""
        cells = self.filled
        if len(cells) > 1 and cells[0].start == 0 and REF_CELL.match(cells[0].text):
            cells = cells[1:]
        return sum(is_figure(c.text) for c in cells)


def split_line(text: str) -> Line:
    if "\t" in text:
        parts = text.split("\t")
        return Line(text, True, [Cell(i, i + 1, p.strip()) for i, p in enumerate(parts)])
    cells = [Cell(m.start(), m.end(), m.group(0)) for m in _SPACE_SPLIT.finditer(text)]
    return Line(text, False, cells)


def _is_header(line: Line) -> bool:
    return len(line.filled) >= 2 and line.figures == 0


def _names_money(line: Line) -> bool:
    return any(find_fiscal_years(c.text) or header_unit(c.text) or TOTAL_HEADER.search(c.text)
               for c in line.filled)


def _columns(lines: list[Line]) -> list[tuple[int, int]]:
    """Column intervals for space-separated lines: overlapping cell spans merged."""
    spans = sorted((c.start, c.end) for ln in lines for c in ln.filled)
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _place(line: Line, cols: list[tuple[int, int]] | None, n: int) -> list[str]:
    out = [""] * n
    for c in line.filled:
        if cols is None:
            i = c.start
        else:
            overlaps = [min(e, c.end) - max(s, c.start) for s, e in cols]
            i = max(range(len(cols)), key=lambda k: (overlaps[k], -k))
            if overlaps[i] <= 0:
                i = min(range(len(cols)), key=lambda k: abs((cols[k][0] + cols[k][1]) - (c.start + c.end)))
        if i < n:
            out[i] = f"{out[i]} {c.text}".strip()
    return out


def find_text_tables(text: str, page: int = 1) -> list[Grid]:
    """Every header-led table on a page of text, as grids (plan or not: `read_plan` decides)."""
    raw = text.split("\n")
    lines = [split_line(t) for t in raw]
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        if not (_is_header(lines[i]) and _names_money(lines[i])):
            i += 1
            continue
        top = i
        while top > 0 and i - top < MAX_HEADER_LINES - 1 and _is_header(lines[top - 1]) \
                and lines[top - 1].tabbed == lines[i].tabbed:
            top -= 1
        bottom = i + 1
        while bottom < len(lines) and bottom - top < MAX_HEADER_LINES and _is_header(lines[bottom]) \
                and lines[bottom].tabbed == lines[i].tabbed and not REF_CELL.match(lines[bottom].filled[0].text):
            bottom += 1
        body, j = _body(lines, bottom, lines[i].tabbed)
        if not body or not any(ln.figures for ln in body):
            i = bottom
            continue
        header_lines = lines[top:bottom]
        if lines[i].tabbed:
            cols = None
            n = max(len(ln.cells) for ln in header_lines + body)
        else:
            cols = _columns(header_lines + [ln for ln in body if ln.figures])
            n = len(cols)
        header_rows = [_place(ln, cols, n) for ln in header_lines]
        header = [" ".join(h[k] for h in header_rows if h[k]) for k in range(n)]
        rows = _rows(body, cols, n)
        context = "\n".join(t for t in raw[max(0, top - 3):top] if t.strip())
        grids.append(Grid(header, rows, [page] * len(rows), "text_columns", context))
        i = j
    return grids


def _body(lines: list[Line], start: int, tabbed: bool) -> tuple[list[Line], int]:
    body: list[Line] = []
    j = start
    while j < len(lines):
        ln = lines[j]
        if not ln.text.strip():
            nxt = next((k for k in range(j + 1, min(j + 3, len(lines))) if lines[k].text.strip()), None)
            if nxt is None or lines[nxt].figures == 0 or len(lines[nxt].filled) < 2:
                break
            j += 1
            continue
        if ln.tabbed != tabbed:
            if tabbed or not ln.text.startswith(" "):
                break
        elif len(ln.filled) <= 1 and ln.figures == 0 and not ln.text[:1].isspace():
            break
        body.append(ln)
        j += 1
    return body, j


def _closes(cells: list[str]) -> bool:
    """The row is a total (its label says so): the next line without figures starts something new."""
    label = next((c for c in cells if c.strip() and not is_figure(c)), "")
    return row_kind(clean(label)) != "line"


def _rows(body: list[Line], cols, n: int) -> list[list[str]]:
    rows: list[list[str]] = []
    waiting = False  # last row opened by a reference, figures still to come
    for ln in body:
        cells = _place(ln, cols, n)
        if ln.figures:
            if rows and waiting and not cells[0]:
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
            else:
                rows.append(cells)
            waiting = False
        elif cells[0] and REF_CELL.match(cells[0]):
            rows.append(cells)
            waiting = True
        elif rows and not _closes(rows[-1]):
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells)]
        else:
            rows.append(cells)  # a heading (after a total row nothing wraps: 'MEMORANDUM:')
    return [[clean(c) for c in r] for r in rows]
