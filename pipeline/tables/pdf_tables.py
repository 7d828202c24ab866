"""Tables in PDFs, read from pdfplumber geometry.

Per page, three readers are tried in turn until one gives a money plan:
1. pdfplumber's table finder on ruling lines and cell rectangles ('pdf_ruled');
2. a reader built from word positions ('pdf_words'): figures whose right edges
   line up make the money columns, left-aligned text to their left the label
   columns, lines without figures continue the row above, header words go to the
   money column they overlap (right-aligned figures sit under wider headers);
3. pdfplumber's table finder on word alignment ('pdf_words'), last because its
   columns follow left edges and so cut headers above right-aligned figures.
Whatever found the cells, the text of each cell is rebuilt from the words whose
centre falls in it, so a header drawn as one merged cell still splits into
columns, and a header printed just above a ruled grid is still read.
A table that carries on over a page break (repeated header, or no header and the
same columns) is one table.

Only pages whose already-extracted text `looks_like_money_table` are opened.
"""
from __future__ import annotations

import re

from pipeline.normalise.fiscal_year import find_fiscal_years

from .plan import TOTAL_HEADER, Grid, Plan, _SCALED_UNIT, clean, header_unit, is_figure, merge_continued, read_plan
from .settings import SETTINGS, TableReading

_FIGURE_TOKEN = re.compile(r"(?<![\w.,/])\(?-?£?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?(?![\w/])|(?<![\w.,/£])\(?-?\d+(?:\.\d+)?\)?(?![\w/%])")


def looks_like_money_table(text: str, settings: TableReading = SETTINGS) -> bool:
    """Cheap test on page text: a £000-style unit, a line of financial years, or dense figure lines."""
    if not text:
        return False
    if _SCALED_UNIT.search(text):
        return True
    dense = 0
    for line in text.split("\n"):
        if len(find_fiscal_years(line)) >= 2:
            if "£" in text:
                return True
        if len(_FIGURE_TOKEN.findall(line)) >= settings.dense_figures:
            dense += 1
    return dense >= settings.dense_lines and "£" in text


# ---------------------------------------------------------------- geometry helpers

def _centre(w: dict) -> tuple[float, float]:
    return (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2


def _text(words: list[dict]) -> str:
    return clean(" ".join(w["text"] for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"]))))


def _lines(words: list[dict], tol: float) -> list[list[dict]]:
    out: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if out and abs(w["top"] - out[-1][0]["top"]) <= tol:
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(ln, key=lambda w: w["x0"]) for ln in out]


def _cells_of_line(line: list[dict], gap: float) -> list[dict]:
    cells: list[dict] = []
    for w in line:
        if cells and w["x0"] - cells[-1]["x1"] <= gap:
            c = cells[-1]
            c["words"].append(w)
            c["x1"] = max(c["x1"], w["x1"])
            c["bottom"] = max(c["bottom"], w["bottom"])
        else:
            cells.append({"x0": w["x0"], "x1": w["x1"], "top": w["top"], "bottom": w["bottom"], "words": [w]})
    for c in cells:
        c["text"] = " ".join(w["text"] for w in c["words"])
    return cells


def _grid_from_bounds(words, cols, rows, page_no, method, context) -> Grid | None:
    """Cells = words whose centre lies in (column, row); header = rows before the first with a figure."""
    table = [["" for _ in cols] for _ in rows]
    buckets: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        cx, cy = _centre(w)
        r = next((i for i, (t, b) in enumerate(rows) if t - 0.5 <= cy <= b + 0.5), None)
        c = next((i for i, (x0, x1) in enumerate(cols) if x0 - 0.5 <= cx <= x1 + 0.5), None)
        if r is not None and c is not None:
            buckets.setdefault((r, c), []).append(w)
    for (r, c), ws in buckets.items():
        table[r][c] = _text(ws)
    first_body = next((i for i, row in enumerate(table) if any(is_figure(x) for x in row[1:] if x)), None)
    if first_body is None:
        return None
    header_rows = table[:first_body]
    header = [" ".join(h[k] for h in header_rows if h[k]) for k in range(len(cols))]
    if not any(_money_header(h) for h in header):
        # header printed just above the grid
        top = rows[0][0]
        above = [w for w in words if top - SETTINGS.header_reach <= w["top"] < top - 0.5]
        extra = ["" for _ in cols]
        for w in sorted(above, key=lambda w: (w["top"], w["x0"])):
            cx = _centre(w)[0]
            c = next((i for i, (x0, x1) in enumerate(cols) if x0 - 0.5 <= cx <= x1 + 0.5), None)
            if c is not None:
                extra[c] = f"{extra[c]} {w['text']}".strip()
        if any(_money_header(h) for h in extra):
            header = [f"{a} {b}".strip() for a, b in zip(extra, header)]
    body = [row for row in table[first_body:] if any(row)]
    return Grid(header, body, [page_no] * len(body), method, context)


def _money_header(text: str) -> bool:
    return bool(find_fiscal_years(text) or TOTAL_HEADER.search(text) or header_unit(text))


def _context(words: list[dict], top: float, settings: TableReading) -> str:
    above = [w for w in words if w["bottom"] <= top]
    lines = _lines(above, settings.line_tolerance)
    return "\n".join(_text(ln) for ln in lines[-4:])


# ---------------------------------------------------------------- readers

def _finder_grids(page, words, page_no, table_settings: dict, method: str, settings: TableReading) -> list[Grid]:
    grids = []
    for t in page.find_tables(table_settings):
        cols = []
        for col in t.columns:
            xs = [c for c in col.cells if c is not None]
            if xs:
                # a merged cell (a header across columns) is wider than its column: keep the narrowest
                cols.append((min(c[0] for c in xs), min(c[2] for c in xs)))
        rows = []
        for row in t.rows:
            ys = [c for c in row.cells if c is not None]
            if ys:
                rows.append((min(c[1] for c in ys), min(c[3] for c in ys)))
        if len(cols) < 2 or not rows:
            continue
        cols.sort()
        inside = [w for w in words if t.bbox[0] - 1 <= _centre(w)[0] <= t.bbox[2] + 1]
        grid = _grid_from_bounds(inside, cols, rows, page_no, method, _context(words, t.bbox[1], settings))
        if grid:
            grids.append(grid)
    return grids


def _cluster(values: list[tuple[float, int]], tol: float) -> list[list[tuple[float, int]]]:
    groups: list[list[tuple[float, int]]] = []
    for v in sorted(values):
        if groups and v[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _word_grids(words, page_no, settings: TableReading) -> list[Grid]:
    """Fallback for unruled tables: columns from aligned figures, rows from printed lines."""
    lines = [_cells_of_line(ln, settings.cell_gap) for ln in _lines(words, settings.line_tolerance)]
    # a figure opening its line is a reference ('1', '2.3'), not money
    figs = [(c["x1"], i) for i, ln in enumerate(lines) for k, c in enumerate(ln)
            if is_figure(c["text"]) and not (k == 0 and len(ln) > 1)]
    money = []
    for group in _cluster(figs, settings.column_tolerance):
        if len({i for _, i in group}) >= settings.min_figure_rows:
            cells = [c for _, i in group for c in lines[i] if is_figure(c["text"]) and abs(c["x1"] - group[0][0]) <= settings.column_tolerance * 2]
            money.append((min(c["x0"] for c in cells), max(c["x1"] for c in cells)))
    if not money:
        return []
    money.sort()
    body_idx = [i for i, ln in enumerate(lines)
                if any(is_figure(c["text"]) and any(x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 for x0, x1 in money) for c in ln)]
    if len(body_idx) < settings.min_figure_rows:
        return []
    first, last = body_idx[0], body_idx[-1]
    left = money[0][0]
    label_cells = [c for i in range(first, last + 1) for c in lines[i] if c["x1"] < left - 1]
    starts = [g for g in _cluster([(c["x0"], 0) for c in label_cells], settings.column_tolerance) if len(g) >= 2]
    text_cols = []
    for k, g in enumerate(starts):
        x0 = g[0][0] - 1
        x1 = (starts[k + 1][0][0] - 1) if k + 1 < len(starts) else left - 1
        text_cols.append((x0, x1))
    if not text_cols:
        text_cols = [(0, left - 1)]
    text_cols[0] = (0, text_cols[0][1])
    # widen money columns to meet each other so header words and stray cells land somewhere
    cols = text_cols + money
    # header: the block of lines of 2+ cells and no figures right above the first body line
    top_body = lines[first][0]["top"]
    block = []
    for i in range(first - 1, -1, -1):
        ln = lines[i]
        if (top_body - ln[0]["top"] > settings.header_reach or len(ln) < 2
                or any(is_figure(c["text"]) for c in ln)):
            break
        block.append(i)
    block.reverse()
    rows_bounds = []
    # body rows: each figure line opens a row; lines without figures continue the row above
    current = None
    for i in range(first, last + 1):
        t = min(w["top"] for c in lines[i] for w in c["words"])
        b = max(c["bottom"] for c in lines[i])
        if i in body_idx or current is None:
            if current:
                rows_bounds.append(current)
            current = [t, b]
        else:
            current[1] = b
    rows_bounds.append(tuple(current))
    area = [w for w in words if rows_bounds[0][0] - 1 <= w["top"] <= rows_bounds[-1][1] + 1]
    grid = _grid_from_bounds(area, cols, [tuple(r) for r in rows_bounds], page_no, "pdf_words",
                             _context(words, rows_bounds[0][0], settings))
    if grid:
        # header cells go to the column they overlap most: right-aligned figures sit under wider headers
        header = ["" for _ in cols]
        for i in block:
            for c in lines[i]:
                overlaps = [min(x1, c["x1"]) - max(x0, c["x0"]) for x0, x1 in cols]
                ks = range(len(cols))
                if _money_header(c["text"]) and any(overlaps[k] > 0 for k in ks[len(text_cols):]):
                    ks = ks[len(text_cols):]  # a year or unit heads a money column it touches
                k = max(ks, key=lambda k: (overlaps[k], -k))
                if overlaps[k] <= 0:
                    continue
                header[k] = f"{header[k]} {c['text']}".strip()
        grid.header = header
        grid.context = _context(words, lines[block[0] if block else first][0]["top"], settings)
    return [grid] if grid else []


def page_plans(page, page_no: int, settings: TableReading = SETTINGS) -> list[Plan]:
    words = page.extract_words(x_tolerance=settings.text_x_tolerance, keep_blank_chars=False)
    if not words:
        return []
    for reader in (lambda: _finder_grids(page, words, page_no, settings.ruled, "pdf_ruled", settings),
                   lambda: _word_grids(words, page_no, settings),
                   lambda: _finder_grids(page, words, page_no, settings.unruled, "pdf_words", settings)):
        plans = [p for p in (read_plan(g) for g in reader()) if p]
        if plans:
            return plans
    return []


def find_pdf_plans(pdf, pages: list[int], settings: TableReading = SETTINGS) -> list[Plan]:
    """Plans on the given 1-based pages of an open pdfplumber PDF, continued tables joined."""
    plans: list[Plan] = []
    for n in pages:
        if not 1 <= n <= len(pdf.pages):
            continue
        page = pdf.pages[n - 1]
        try:
            plans.extend(page_plans(page, n, settings))
        finally:
            page.close()
    return merge_continued(plans)
