"""Tables in PDFs, read from PDFium geometry (pipeline.plans.pdfium_page).

Every candidate page is read once with PDFium (words and ruling lines, ~15x faster than
pdfminer's layout analysis). Per page, the readers are tried in turn until one gives a
money plan:
1. pdfplumber's table finder on the ruling lines ('pdf_ruled'), only when the page has
   some: pure geometry on PDFium's edges, pdfminer is never run;
2. a reader built from word positions ('pdf_words'): figures whose right edges line up
   make the money columns, label columns start where labels line up (left of the money
   or between two blocks of it), a figure never shares a cell with the label after it,
   lines printed close together form a row (a label wrapped above and below its figures),
   a label line set apart is a section heading, header words go to the money column they
   overlap, and group headings (a year over Core / External / Total) are carried down.
(pdfplumber's own text-alignment finder was a third reader; on the corpus it found
nothing the word reader did not, at a quarter of the table pass's time, so it is gone.)
Whatever found the cells, the text of each cell is rebuilt from the words whose
centre falls in it, so a header drawn as one merged cell still splits into
columns, and a header printed just above a ruled grid is still read.
A table that carries on over a page break (repeated header, or no header and the
same columns) is one table.

Only pages whose already-extracted text `looks_like_money_table` are opened (`TablePages`).
"""
from __future__ import annotations

import re
from bisect import bisect_left

from councilpapers.normalise.fiscal_year import find_fiscal_years
from councilpapers.normalise.money import parse_cell

from .plan import (TOTAL_HEADER, Grid, Plan, _SCALED_UNIT, clean, column_key, header_unit, is_figure, merge_continued,
                   read_plan, row_kind)
from .pdfium_page import PageGeometry, PdfiumPage, read_pages
from .settings import SETTINGS, TableReading

_FIGURE_TOKEN = re.compile(r"(?<![\w.,/])\(?-?£?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?(?![\w/])|(?<![\w.,/£])\(?-?\d+(?:\.\d+)?\)?(?![\w/%])")


def looks_like_money_table(text: str, settings: TableReading = SETTINGS) -> bool:
    """Cheap test on page text: a £000-style unit, a line of financial years, dense figure lines,
    or several lines ending in a £ figure (whole-pound tables) on a page naming a total, budget or year."""
    if not text:
        return False
    if _SCALED_UNIT.search(text):
        return True
    dense = pounds = grouped = 0
    pound = "£" in text
    for line in text.split("\n"):
        if not _DIGIT.search(line):
            continue  # every test below needs a digit in the line
        if pound and len(find_fiscal_years(line)) >= 2:
            return True
        if len(_GROUPED_FIGURE.findall(line)) >= 2:
            grouped += 1
        if not pound:
            continue  # without a '£' only the accounts test below can say yes
        if len(_FIGURE_TOKEN.findall(line)) >= settings.dense_figures:
            dense += 1
        if _POUND_AT_END.search(line):
            pounds += 1
    if grouped >= settings.dense_lines and _ACCOUNTS_WORD.search(text):
        # an accounts page: lines of thousands-grouped figures, '(3,000) (3,000)', under Expenditure /
        # Income / Budget / Variance headers; its '£' may be in a column header OCR did not read
        return True
    if not pound:
        return False
    # dense figure lines, or whole-pound figures closing several lines under a Total/Budget/year
    return dense >= settings.dense_lines or (pounds >= settings.dense_lines - 1 and bool(_TOTAL_OR_YEAR.search(text)))


def looks_like_figure_lines(text: str, settings: TableReading = SETTINGS) -> bool:
    """Enough lines of several figures to be the rest of a table begun on the page before."""
    return sum(len(_FIGURE_TOKEN.findall(line)) >= settings.dense_figures
               for line in (text or "").split("\n")) >= settings.dense_lines


class TablePages:
    """The pages the table pass opens, chosen page by page in order from the loader's text: a page
    that `looks_like_money_table`, and one of figure lines right after a chosen page (a table
    carried on to a page that prints no unit or '£' of its own). OCR text is in the order Tesseract
    read its blocks (a table's columns one after another), so its lines say nothing: with `ocr`
    every page is chosen. The PDF loader asks while each page is open (and keeps those pages'
    geometry); the table extractor asks again only for a document the loader did not choose for."""

    def __init__(self, ocr: bool = False, settings: TableReading = SETTINGS):
        self.ocr, self.settings = ocr, settings
        self.chosen: list[int] = []

    def add(self, number: int, text: str) -> bool:
        """Whether page `number` (pages come in order) is one the table pass opens."""
        if self.ocr or looks_like_money_table(text, self.settings) or (
                self.chosen and self.chosen[-1] == number - 1 and looks_like_figure_lines(text, self.settings)):
            self.chosen.append(number)
            return True
        return False


# ---------------------------------------------------------------- geometry helpers

def _centre(w: dict) -> tuple[float, float]:
    return (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2


def _text(words: list[dict]) -> str:
    if len(words) == 1:  # most cells
        return clean(words[0]["text"])
    return clean(" ".join(w["text"] for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"]))))


def _lines(words: list[dict], tol: float) -> list[list[dict]]:
    out: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if out and abs(w["top"] - out[-1][0]["top"]) <= tol:
            out[-1].append(w)
        else:
            out.append([w])
    return [sorted(ln, key=lambda w: w["x0"]) for ln in out]


_DIGIT = re.compile(r"\d")
_SIGNED_OR_COMMA = re.compile(r"\d,\d{3}|^[(\-\u2013\u2212]")
_YEAR = re.compile(r"^(19|20)\d\d$")
_GROUPED_FIGURE = re.compile(r"(?<![\w.,])\(?-?\d{1,3}(?:,\d{3})+\)?(?![\w,])")
_ACCOUNTS_WORD = re.compile(r"\b(?:expenditure|income|budget|variance)\b", re.I)
_POUND_AT_END = re.compile(r"£\s?\d[\d,]*(?:\.\d\d)?\)?\s*$")
_TOTAL_OR_YEAR = re.compile(r"\btotal\b|\bbudget\b|\b20\d\d\b", re.I)
_ALIGNED = 1.5  # header cells whose edges are this close are one wrapped heading (pt)
_TITLE_SPAN = 0.6  # a ruled cell this wide a share of its table at the top is a title row
_TIGHT = 0.4  # lines closer than this share of a line's height belong to one block of rows
_INLINE_AMOUNT = re.compile(r"^[(+\-–−]*£\d[\d,.]*(?:m|k|bn)\b", re.I)
_JUSTIFIED = 1.5  # a figure this many of its line's usual word spaces from its words is in the sentence
_STRONG_FIGURE = re.compile(r"[,.()]|^[-\u2013\u2212]\d")


def _strong_figure(text: str) -> bool:
    """A figure that cannot be part of a label: '1,061', '35.0', '(409)', '-9.2' (not '19', not '-')."""
    return bool(_STRONG_FIGURE.search(text)) and parse_cell(text) is not None


def _ocr_cell_gap(lines: list[list[dict]], settings: TableReading) -> float:
    """The gap that splits two cells on a page whose text layer OCR made: the setting, or a few
    of the page's usual spaces between words where that is wider. ocrmypdf places each word
    where the scan printed it, further apart than a typeset PDF's words ('Economic  Development'
    7pt apart on the scanned Sutton Coldfield accounts), and a label split there reads as two
    columns. (Typeset pages keep the setting: their usual gap mixes word spaces and cell gaps.)"""
    gaps = sorted(b["x0"] - a["x1"] for ln in lines for a, b in zip(ln, ln[1:]) if 0 < b["x0"] - a["x1"] < 20)
    usual = gaps[len(gaps) // 2] if len(gaps) >= 20 else 0.0
    return max(settings.cell_gap, settings.ocr_cell_spaces * usual)


def _in_sentence(line: list[dict], n: int, gap: float) -> bool:
    """Word n is a figure inside running text: words sit a word space from it on both sides
    ('Other pressures include +£0.1m from savings'), or it opens a line that a lower-case word
    carries on ('+£3.6m overspend relates to'), as no cell of a table does. `gap` is the line's
    word space (a justified line spaces its words wider than the cell gap)."""
    def word(k: int) -> dict | None:
        if not 0 <= k < len(line) or is_figure(line[k]["text"]) or line[k]["text"] in ("£", "(", "-"):
            return None
        near = line[n]["x0"] - line[k]["x1"] if k < n else line[k]["x0"] - line[n]["x1"]
        return line[k] if near <= gap and line[k]["text"][:1].isalpha() else None

    before, after = word(n - 1), word(n + 1)
    if before and after:
        return True
    # one side is enough for an amount written as prose writes it ('+£2.8m', '£450k') beside a
    # lower-case word: a table's cells print bare figures under their unit
    return bool(_INLINE_AMOUNT.match(line[n]["text"])) and any(
        w is not None and w["text"][:1].islower() for w in (before, after))


def _cells_of_line(line: list[dict], gap: float) -> list[dict]:
    """Words closer than `gap` make one cell, except that a figure such as '11,303.5' never
    shares a cell with its neighbours (a label may follow a figure by one space) unless it is
    inside a sentence."""
    cells: list[dict] = []
    prev_strong = False
    spaces = sorted(b["x0"] - a["x1"] for a, b in zip(line, line[1:])
                    if not is_figure(a["text"]) and not is_figure(b["text"]))
    word_space = max(gap, _JUSTIFIED * spaces[len(spaces) // 2]) if spaces else gap
    in_text = {n for n, w in enumerate(line) if is_figure(w["text"]) and _in_sentence(line, n, word_space)}
    for n, w in enumerate(line):
        strong = _strong_figure(w["text"]) and n not in in_text
        joined = cells and w["x0"] - cells[-1]["x1"] <= (word_space if {n, n - 1} & in_text else gap)
        if joined and (strong or prev_strong) and cells[-1]["last_word"] not in ("£", "(", "-"):
            joined = False
        prev_strong = strong
        if joined:
            c = cells[-1]
            c["words"].append(w)
            c["x1"] = max(c["x1"], w["x1"])
            c["bottom"] = max(c["bottom"], w["bottom"])
            c["last_word"] = w["text"]
        else:
            cells.append({"x0": w["x0"], "x1": w["x1"], "top": w["top"], "bottom": w["bottom"], "words": [w],
                          "last_word": w["text"]})
    for c in cells:
        c["text"] = " ".join(w["text"] for w in c["words"])
    return cells


def _first_zone(zones: list[tuple[int, float, float]]):
    """A function giving the first zone (i, lo, hi), in list order, with lo <= v <= hi, as its i (or
    None). Where the zones' lows and highs both rise down the list (rows and columns as read), the first
    zone reaching v is found by bisection: no zone before it reaches v, and none after it starts at or
    before v unless it does; otherwise the zones are scanned."""
    los = [lo for _, lo, _ in zones]
    his = [hi for _, _, hi in zones]
    if any(a > b for a, b in zip(los, los[1:])) or any(a > b for a, b in zip(his, his[1:])):
        return lambda v: next((i for i, lo, hi in zones if lo <= v <= hi), None)

    def first(v: float) -> int | None:
        k = bisect_left(his, v)
        return zones[k][0] if k < len(zones) and los[k] <= v else None
    return first


def _grid_from_bounds(words, cols, rows, page_no, method, context) -> Grid | None:
    """Cells = words whose centre lies in (column, row); header = rows before the first with a figure."""
    table = [["" for _ in cols] for _ in rows]
    buckets: dict[tuple[int, int], list[dict]] = {}
    row_zones = [(i, t - 0.5, b + 0.5) for i, (t, b) in enumerate(rows)]
    col_zones = [(i, x0 - 0.5, x1 + 0.5) for i, (x0, x1) in enumerate(cols)]
    # the page's words outside every row are most of them: passed over before the rows are searched
    top_most = min((lo for _, lo, _ in row_zones), default=0.0)
    bottom_most = max((hi for _, _, hi in row_zones), default=-1.0)
    row_of, col_of = _first_zone(row_zones), _first_zone(col_zones)
    for w in words:
        cy = (w["top"] + w["bottom"]) / 2  # _centre, inline: this runs for every word of every grid
        if not top_most <= cy <= bottom_most:
            continue
        cx = (w["x0"] + w["x1"]) / 2
        r = row_of(cy)
        if r is None:
            continue
        c = col_of(cx)
        if c is not None:
            buckets.setdefault((r, c), []).append(w)
    boxes: list[list[tuple | None]] = [[None for _ in cols] for _ in rows]
    for (r, c), ws in buckets.items():
        table[r][c] = _text(ws)
        if len(ws) == 1:  # most cells: the word's own box
            w = ws[0]
            boxes[r][c] = (round(w["x0"], 1), round(w["top"], 1), round(w["x1"], 1), round(w["bottom"], 1))
            continue
        boxes[r][c] = tuple(round(v, 1) for v in (min(w["x0"] for w in ws), min(w["top"] for w in ws),
                                                   max(w["x1"] for w in ws), max(w["bottom"] for w in ws)))
    first_body = next((i for i, row in enumerate(table) if any(is_figure(x) for x in row[1:] if x)), None)
    if first_body is None:
        return None
    header_rows = table[:first_body]
    # a section heading ruled as the first body row ('Growth & Communities' in the label column,
    # nothing over the money) is not part of the header: it would change the header from page to page
    while len(header_rows) > 1:
        filled = [k for k, x in enumerate(header_rows[-1]) if x]
        above = [" ".join(h[k] for h in header_rows[:-1] if h[k]) for k in range(len(cols))]
        if len(filled) != 1 or _money_header(above[filled[0]]) or not any(_money_header(h) for h in above):
            break
        header_rows = header_rows[:-1]
        first_body -= 1
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
    keep = [i for i in range(first_body, len(table)) if any(table[i])]
    body = [table[i] for i in keep]
    return Grid(header, body, [page_no] * len(body), method, context, [boxes[i] for i in keep])


def _money_header(text: str) -> bool:
    return bool(find_fiscal_years(text) or TOTAL_HEADER.search(text) or header_unit(text))


def _context(words: list[dict], top: float, settings: TableReading) -> str:
    # lines starting above `top` (set tight, a line's bottom may touch the next one's top)
    above = [w for w in words if w["top"] < top - settings.line_tolerance]
    lines = _lines(above, settings.line_tolerance)
    return "\n".join(_text(ln) for ln in lines[-4:])


# ---------------------------------------------------------------- readers

def _finder_grids(page, words, page_no, table_settings: dict, method: str, settings: TableReading) -> list[Grid]:
    from .cells import FastTableFinder

    grids = []
    # in reading order (the finder's own order is not top to bottom): continued tables and
    # running totals depend on it
    for t in sorted(FastTableFinder(page, table_settings).tables, key=lambda t: (round(t.bbox[1]), t.bbox[0])):
        cols = []
        for col in t.columns:
            xs = [c for c in col.cells if c is not None]
            if xs:
                # a merged cell (a header across columns) is wider than its column: keep the narrowest
                cols.append((min(c[0] for c in xs), min(c[2] for c in xs)))
        left, _, right, _ = t.bbox
        rows = []
        titles = True
        for row in t.rows:
            ys = [c for c in row.cells if c is not None]
            if not ys:
                continue
            # title rows at the top of a grid (one cell across most of its width: 'APPENDIX B -
            # CAPITAL PROGRAMME', a directorate name) are the table's title, not its header
            if titles and max(c[2] - c[0] for c in ys) >= _TITLE_SPAN * (right - left):
                continue
            titles = False
            rows.append((min(c[1] for c in ys), min(c[3] for c in ys)))
        if len(cols) < 2 or not rows:
            continue
        cols.sort()
        inside = [w for w in words if left - 1 <= _centre(w)[0] <= right + 1]
        grid = _grid_from_bounds(inside, cols, rows, page_no, method, _context(words, rows[0][0], settings))
        if grid:
            grids.append(grid)
    return grids


def _cluster(values: list[tuple], tol: float) -> list[list[tuple]]:
    groups: list[list[tuple[float, int]]] = []
    for v in sorted(values):
        if groups and v[0] - groups[-1][-1][0] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _word_grids(words, page_no, settings: TableReading, ocr: bool = False) -> list[Grid]:
    """Fallback for unruled tables: columns from aligned figures, rows from printed lines."""
    word_lines = _lines(words, settings.line_tolerance)
    gap = _ocr_cell_gap(word_lines, settings) if ocr else settings.cell_gap
    lines = [_cells_of_line(ln, gap) for ln in word_lines]
    # figures opening their lines are references ('1', '2.3'), not money, unless one of them
    # has a thousands comma or a sign (a money column printed first)
    # a line whose only figures are calendar years ('2017  2018') is a header
    year_lines = {i for i, ln in enumerate(lines)
                  if all(_YEAR.match(c["text"]) for c in ln if is_figure(c["text"])) and any(_YEAR.match(c["text"]) for c in ln)}
    figs = [(c["x1"], i, k == 0 and len(ln) > 1, c["text"]) for i, ln in enumerate(lines) for k, c in enumerate(ln)
            if is_figure(c["text"]) and i not in year_lines]
    money = []
    for group in _cluster(figs, settings.column_tolerance):
        if all(opening for _, _, opening, _ in group) and not any(_SIGNED_OR_COMMA.search(t) for *_, t in group):
            continue
        if len({i for _, i, _, _ in group}) >= settings.min_figure_rows:
            cells = [c for _, i, _, _ in group for c in lines[i] if is_figure(c["text"]) and abs(c["x1"] - group[0][0]) <= settings.column_tolerance * 2]
            money.append((min(c["x0"] for c in cells), max(c["x1"] for c in cells)))
    if not money:
        return []
    money.sort()
    body_idx = [i for i, ln in enumerate(lines) if i not in year_lines and any(is_figure(c["text"]) and any(x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 for x0, x1 in money) for c in ln)]
    if len(body_idx) < settings.min_figure_rows:
        return []
    first, last = body_idx[0], body_idx[-1]
    left = money[0][0]
    cols, is_money = _columns(lines[first:last + 1], money, settings)
    block = _header_block(lines, first, money, settings)
    # lines between the header and the first figures are rows too (a label wrapped above its figures)
    start = block[-1] + 1 if block else first
    rows_bounds = _row_bounds(lines, start, last, set(body_idx))
    area = [w for w in words if rows_bounds[0][0] - 1 <= w["top"] <= rows_bounds[-1][1] + 1]
    grid = _grid_from_bounds(area, cols, [tuple(r) for r in rows_bounds], page_no, "pdf_words",
                             _context(words, rows_bounds[0][0], settings))
    if grid:
        grid.columns = [(x0, x1, m) for (x0, x1), m in zip(cols, is_money)]
        grid.header = _header(lines, block, cols, is_money)
        grid.context = _context(words, lines[block[0] if block else first][0]["top"], settings)
    return [grid] if grid else []


_CONNECTOR = re.compile(r"(?:[-,&/(]|\b(?:and|or|of|the|to|in|for|with|a|an|on|by|from|at|as|including|within|between|per))$", re.I)
_HEADING_SIZE = 1.08  # a label line this much taller than the figure lines is a heading
_LOOSE = 1.5  # a label this many line heights above a label-less figure line is still its label


def _label(line: list[dict]) -> str:
    return next((c["text"] for c in line if not is_figure(c["text"])), "")


def _continues(above: list[dict], below: list[dict]) -> bool:
    """The label of `below` carries on the label of `above`: it starts in lower case, or `above`
    breaks off on a hyphen, comma or joining word ('... an overall reduction in' / 'wardens')."""
    a, b = _label(above), _label(below)
    return bool(a and b) and (b[:1].islower() or bool(_CONNECTOR.search(a)))


def _row_bounds(lines, first: int, last: int, figure_lines: set[int]) -> list[tuple[float, float]]:
    """Vertical bounds of the body rows. Lines printed close together (a gap under
    `_TIGHT` of a line's height) form a block: a block with one figure line is one row (a label
    wrapped above and below its figures); a block without figures is a heading row.

    In a block with several figure lines, each figure line makes a row and a label line without
    figures has to be given to one: to the line it visibly continues or is continued by (lower-case
    start, or a break after 'in', 'and', a comma or hyphen), else, by the table's own habit, to the
    figure line below (labels wrapped upwards, figures on their last line: Excel's bottom
    alignment) or above (figures on the first line). The habit is read from the unambiguous
    wraps of the same table. Label lines before a block's first figure line are a heading unless
    the habit is upwards; a label line in a larger type is a heading wherever it is. A label alone, set a little apart above a figure line that has no label
    of its own, is that line's label (a top-aligned label over bottom-aligned figures)."""
    spans = []
    for i in range(first, last + 1):
        spans.append((i, min(w["top"] for c in lines[i] for w in c["words"]), max(c["bottom"] for c in lines[i])))
    blocks: list[list[tuple]] = []
    for span in spans:
        if blocks:
            _, top, bottom = span
            _, ptop, pbottom = blocks[-1][-1]
            if top - pbottom <= _TIGHT * min(bottom - top, pbottom - ptop):
                blocks[-1].append(span)
                continue
        blocks.append([span])

    # chains of lines joined by a visible continuation, per block
    def chains(block):
        out = [[block[0]]]
        for prev, span in zip(block, block[1:]):
            if _continues(lines[prev[0]], lines[span[0]]):
                out[-1].append(span)
            else:
                out.append([span])
        return out

    split = {id(b): chains(b) for b in blocks if sum(i in figure_lines for i, _, _ in b) > 1}
    up = down = 0
    for block_chains in split.values():
        for ch in block_chains:
            figs = [k for k, (i, _, _) in enumerate(ch) if i in figure_lines]
            if len(figs) == 1:
                down += figs[0] > 0
                up += figs[0] < len(ch) - 1
    upwards = down > up  # labels wrap upwards onto their figure line

    rows: list[list[float]] = []
    kinds: list[str] = []  # 'heading', 'figures', per row
    for block in blocks:
        figs = [k for k, (i, _, _) in enumerate(block) if i in figure_lines]
        if len(figs) == 1:
            # one figure line: lines around it are its label wrapped, except a heading that repeats
            # its label above it ('Technology' over 'Technology 26.1') or that follows a total
            # ('Growth ... Total 202.9' then 'Chief Executive's Department'): those are rows of their own
            k = figs[0]
            label = _label(lines[block[k][0]])
            start = k if k and all(_label(lines[i]) == label for i, _, _ in block[:k]) else 0
            end = len(block)
            if row_kind(label) != "line" and k + 1 < end and not _continues(lines[block[k][0]], lines[block[k + 1][0]]):
                end = k + 1
            for part, kind in ((block[:start], "heading"), (block[start:end], "figures"), (block[end:], "heading")):
                if part:
                    rows.append([part[0][1], part[-1][2]])
                    kinds.append(kind)
            continue
        if not figs:
            rows.append([block[0][1], block[-1][2]])
            kinds.append("heading")
            continue
        block_rows: list[list] = []  # [top, bottom, has figures]
        pending: list[float] | None = None  # label lines waiting for the figure line below
        heights = sorted(b - t for i, t, b in block if i in figure_lines)
        usual = heights[len(heights) // 2]
        block_chains = split[id(block)]
        last_label = ""  # the label of the last figure line placed
        for n_ch, ch in enumerate(block_chains):
            ch_figs = [k for k, (i, _, _) in enumerate(ch) if i in figure_lines]
            if not ch_figs:
                top, bottom = ch[0][1], ch[-1][2]
                nxt = next((c for c in block_chains[n_ch + 1:] if any(i in figure_lines for i, _, _ in c)), None)
                nxt_label = _label(lines[next(i for i, _, _ in nxt if i in figure_lines)]) if nxt else ""
                own = " ".join(_label(lines[i]) for i, _, _ in ch)
                if own == nxt_label or row_kind(last_label) != "line":
                    # a heading repeating the label of the line below it, or set right under a total
                    if pending:
                        (block_rows[-1] if block_rows else block_rows.append([*pending, False]) or block_rows[-1])[1] = pending[1]
                        pending = None
                    block_rows.append([top, bottom, False])
                    last_label = ""
                    continue
                if min(b - t for _, t, b in ch) > _HEADING_SIZE * usual:
                    if pending:
                        (block_rows[-1] if block_rows else block_rows.append([*pending, False]) or block_rows[-1])[1] = pending[1]
                        pending = None
                    block_rows.append([top, bottom, False])  # a heading in a larger type
                elif upwards:
                    pending = [top, bottom] if pending is None else [pending[0], bottom]
                elif block_rows:
                    block_rows[-1][1] = bottom
                else:
                    block_rows.append([top, bottom, False])  # a heading over the block
                continue
            chain_rows: list[list] = []
            for k, (i, top, bottom) in enumerate(ch):
                if chain_rows and (k <= ch_figs[0] or i not in figure_lines):
                    chain_rows[-1][1] = bottom  # wrapped label lines stay with their figure line
                else:
                    chain_rows.append([top, bottom, True])
            if pending:
                chain_rows[0][0], pending = pending[0], None
            block_rows.extend(chain_rows)
            last_label = _label(lines[ch[ch_figs[-1]][0]])
        if pending:
            if block_rows:
                block_rows[-1][1] = pending[1]
            else:
                block_rows.append([pending[0], pending[1], False])
        for top, bottom, has in block_rows:
            rows.append([top, bottom])
            kinds.append("figures" if has else "heading")
    # a label set a little apart above a figure line with no label of its own
    label_less = {round(top, 1) for i, top, _ in spans if i in figure_lines and not _label(lines[i])}
    merged: list[list[float]] = []
    merged_kinds: list[str] = []
    for (top, bottom), kind in zip(rows, kinds):
        if (merged and merged_kinds[-1] == "heading" and kind == "figures" and round(top, 1) in label_less
                and top - merged[-1][1] <= _LOOSE * (merged[-1][1] - merged[-1][0])):
            merged[-1][1] = bottom
            merged_kinds[-1] = "figures"
            continue
        merged.append([top, bottom])
        merged_kinds.append(kind)
    return [(t, b) for t, b in merged]


def _columns(body: list[list[dict]], money: list[tuple[float, float]], settings: TableReading):
    """All columns left to right, and which are money: label columns start where at least two
    label cells start, anywhere between the money columns (a label may sit in the middle)."""
    def in_money(c):
        return any(min(x1, c["x1"]) - max(x0, c["x0"]) > 0 for x0, x1 in money)

    label_cells = [c for ln in body for c in ln if not in_money(c)]
    # a right-aligned label column ('Older People -' / 'Residential Care' / 'Services' ending on one
    # edge, ragged on the left) starts where its widest label starts, not at each label's own start
    left_of = {}
    for g in _cluster([(c["x1"], id(c)) for c in label_cells], settings.column_tolerance):
        cells = [c for c in label_cells if id(c) in {k for _, k in g}]
        if len(cells) >= 3 and len({round(c["x0"]) for c in cells}) >= 3:
            left_of.update({id(c): min(c["x0"] for c in cells) for c in cells})
    starts = [g[0][0] for g in _cluster([(left_of.get(id(c), c["x0"]), 0) for c in label_cells],
                                        settings.column_tolerance) if len(g) >= 2]
    if not starts or (starts[0] > money[0][0] and any(c["x1"] < money[0][0] for c in label_cells)):
        starts.insert(0, 0.0)  # labels left of the money, however ragged
    edges = sorted([(x, "text") for x in starts] + [(x0, "money") for x0, _ in money])
    cols, is_money = [], []
    for k, (x, kind) in enumerate(edges):
        if kind == "money":
            cols.append(next(m for m in money if m[0] == x))
        else:
            # a label column reaches as far as its widest label (not to the next column), so a
            # header printed over the gap is left to the money columns
            nxt = edges[k + 1][0] if k + 1 < len(edges) else 1e9
            reach = max((c["x1"] for c in label_cells if x - 1 <= c["x0"] < nxt - 1), default=nxt - 1)
            cols.append((0.0 if k == 0 else x - 1, min(nxt - 1, reach + 1)))
        is_money.append(kind == "money")
    return cols, is_money


def _header_block(lines, first: int, money, settings: TableReading) -> list[int]:
    """Indexes of the header lines right above the first body line. A one-cell line is: a
    section heading or note (skipped) when it sits clear of the money columns and no header
    line has been seen yet, a title (the end) when it does so above a header line; part of the
    header when it heads one money column or names a year, unit or total over several; else a
    title across the columns (the end)."""
    block: list[int] = []
    prev_top = min(w["top"] for c in lines[first] for w in c["words"])
    anchor = None
    for i in range(first - 1, -1, -1):
        ln = lines[i]
        ln_top = min(w["top"] for c in ln for w in c["words"])
        ln_bottom = max(c["bottom"] for c in ln)
        if any(is_figure(c["text"]) and not _YEAR.match(c["text"]) for c in ln) or prev_top - ln_bottom > settings.header_gap:
            break  # a line of calendar years ('2017 2018') is a header, other figures are not
        if not block and not any(min(x1, c["x1"]) - max(x0, c["x0"]) > 0 for c in ln for x0, x1 in money):
            prev_top = ln_top  # labels and notes clear of the money columns: rows above the first figures
            continue
        if len(ln) < 2:
            over = sum(min(x1, ln[0]["x1"]) - max(x0, ln[0]["x0"]) > 0 for x0, x1 in money)
            if not over:
                if block:
                    break  # a title left of the money
                prev_top = ln_top  # a section heading or note between header and body
                continue
            if over > 1 and not _money_header(ln[0]["text"]):
                break  # a title across several columns
        anchor = ln_bottom if anchor is None else anchor
        if anchor - ln_top > settings.header_reach:
            break
        block.append(i)
        prev_top = ln_top
    block.reverse()
    return block


def _spread(groups: list[dict], cols: list[tuple[float, float]]) -> list[list[int]]:
    """Share the columns (left to right) among group headings: each heading takes a run of
    adjacent columns, every column one heading, each heading centred over its run as nearly
    as can be (least total distance, by dynamic programming)."""
    n, g = len(cols), len(groups)
    centres = [(c["x0"] + c["x1"]) / 2 for c in groups]
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(g + 1)]
    cut = [[0] * (n + 1) for _ in range(g + 1)]
    best[0][0] = 0.0
    for j in range(1, g + 1):
        for e in range(j, n - (g - j) + 1):
            for b in range(j - 1, e):
                if best[j - 1][b] == inf:
                    continue
                cost = best[j - 1][b] + abs(centres[j - 1] - (cols[b][0] + cols[e - 1][1]) / 2)
                if cost < best[j][e]:
                    best[j][e], cut[j][e] = cost, b
    runs, e = [], n
    for j in range(g, 0, -1):
        b = cut[j][e]
        runs.append(list(range(b, e)))
        e = b
    return runs[::-1]


def _absorb_straddling(lines, block: list[int]) -> tuple[list[int], dict[int, list[dict]]]:
    """A heading printed on two short lines beside a one-line heading row ('Public' above and
    'Health' below the line 'TOTAL  ASCH  CYPE') is one cell of that row: one-cell lines whose
    middle lies within half a line of a longer line, clear of its cells, join it."""
    def span(i):
        return min(c["top"] for c in lines[i]), max(c["bottom"] for c in lines[i])

    merged: dict[int, list[dict]] = {}
    absorbed: set[int] = set()
    for i in block:
        if len(lines[i]) < 2 or i in absorbed:
            continue
        top, bottom = span(i)
        half = (bottom - top) / 2
        extra: list[dict] = []
        for j in block:
            if j == i or len(lines[j]) != 1 or j in absorbed:
                continue
            t, b = span(j)
            c = lines[j][0]
            if not (top - half <= (t + b) / 2 <= bottom + half):
                continue
            if any(min(o["x1"], c["x1"]) - max(o["x0"], c["x0"]) > 0 for o in lines[i]):
                continue
            same = next((e for e in extra if min(e["x1"], c["x1"]) - max(e["x0"], c["x0"]) > 0), None)
            if same:
                same["text"] = f"{same['text']} {c['text']}"  # block is top-down
                same["x0"], same["x1"] = min(same["x0"], c["x0"]), max(same["x1"], c["x1"])
            else:
                extra.append(dict(c))
            absorbed.add(j)
        if extra:
            merged[i] = sorted(lines[i] + extra, key=lambda c: c["x0"])
    return [i for i in block if i not in absorbed], merged


def _header(lines, block: list[int], cols, is_money: list[bool]) -> list[str]:
    """Header text per column. A cell goes to the column it overlaps most (right-aligned figures
    sit under wider headers; a year or unit prefers a money column it touches). A line of group
    headings with fewer cells than a line below it (a year over Core / External / Total) is
    carried down to the run of money columns each heading is centred over (`_spread`)."""
    header = ["" for _ in cols]
    money_idx = [k for k in range(len(cols)) if is_money[k]]
    text_idx = [k for k in range(len(cols)) if not is_money[k]]

    def touches(c, ks):
        return any(min(cols[k][1], c["x1"]) - max(cols[k][0], c["x0"]) > 0 for k in ks)

    bounds = [(a[1] + b[0]) / 2 for a, b in zip(cols, cols[1:])]
    block, merged = _absorb_straddling(lines, block)
    for n, i in enumerate(block):
        cells = merged.get(i, lines[i])
        below = max((len(lines[j]) for j in block[n + 1:]), default=0)
        groups = [c for c in cells if touches(c, money_idx) or not touches(c, text_idx)] if money_idx else []
        nxt = merged.get(block[n + 1], lines[block[n + 1]]) if n + 1 < len(block) else []
        stacked = sum(any(abs(g["x1"] - c["x1"]) <= _ALIGNED or abs(g["x0"] - c["x0"]) <= _ALIGNED for c in nxt)
                      for g in groups)
        # a cell aligned with one below it is a wrapped column heading, not a group heading
        if 2 <= len(groups) < below and len(groups) <= len(money_idx) and stacked * 2 < len(groups):
            for g, ks in zip(groups, _spread(groups, [cols[k] for k in money_idx])):
                for k in ks:
                    k = money_idx[k]
                    header[k] = f"{header[k]} {g['text']}".strip()
            cells = [c for c in cells if c not in groups]
        for c in cells:
            words = c.get("words") or [c]
            zones = [_zone(bounds, (w["x0"] + w["x1"]) / 2) for w in words]
            if len(set(zones)) > 1:
                # a word over the gap between two columns (a narrow right-aligned heading such as
                # 'To be achieved' reaching left of its column) stays with the words of its cell
                # that do sit over a column
                owners = [k if min(cols[k][1], w["x1"]) - max(cols[k][0], w["x0"]) > 0 else None
                          for w, k in zip(words, zones)]
                if any(o is not None for o in owners):
                    for n in range(len(owners)):
                        if owners[n] is None:
                            before = [o for o in owners[:n] if o is not None]
                            owners[n] = before[-1] if before else next(o for o in owners[n:] if o is not None)
                    zones = owners
            if len(set(zones)) == 1 or c.get("words") is None:
                # one heading: the column it overlaps most (a year or unit prefers a money column)
                overlaps = [min(x1, c["x1"]) - max(x0, c["x0"]) for x0, x1 in cols]
                ks = list(range(len(cols)))
                if _money_header(c["text"]) and any(overlaps[k] > 0 for k in money_idx):
                    ks = money_idx
                k = max(ks, key=lambda k: (overlaps[k], -k))
                if overlaps[k] > 0:
                    header[k] = f"{header[k]} {c['text']}".strip()
                continue
            # one cell run across a column edge ('2024-25 against original' over two columns):
            # each word goes to the column whose zone holds its middle
            for w, k in zip(words, zones):
                header[k] = f"{header[k]} {w['text']}".strip()
    return header


def _zone(bounds: list[float], x: float) -> int:
    """The column whose zone holds x; zones meet half-way between neighbouring columns."""
    return next((k for k, b in enumerate(bounds) if x < b), len(bounds))


def page_plans(page: PdfiumPage, settings: TableReading = SETTINGS, ocr: bool = False) -> list[Plan]:
    """Plans on one page: the first reader that gives any wins (ruled only when lines are drawn).
    `ocr`: the page's text layer was made by OCR (word spacing as scanned)."""
    words, page_no = page.words, page.number
    if not words:
        return []
    readers = [lambda: _word_grids(words, page_no, settings, ocr)]
    if page.has_ruling:
        readers.insert(0, lambda: _finder_grids(page, words, page_no, settings.ruled, "pdf_ruled", settings))
    for reader in readers:
        plans = [p for p in (read_plan(_on_page(g, page)) for g in reader()) if p]
        if plans:
            return plans
    return []


def continued_plans(page: PdfiumPage, grids: list[Grid], before: Plan, settings: TableReading = SETTINGS) -> list[Plan]:
    """A table carried on from the page before without its header printed again: a grid with no
    header whose money columns end where `before`'s do (right-aligned figures) takes `before`'s
    header and title, its cells moved to `before`'s columns, so `merge_continued` joins the two."""
    prev = before.grid
    if prev.method != "pdf_words" or not prev.columns or before.page_last != page.number - 1:
        return []
    tol = settings.column_tolerance
    for grid in grids:
        if any(clean(h) for h in grid.header) or not grid.columns:
            continue
        target = []
        for x0, x1, money in grid.columns:
            if money:
                k = next((k for k, (_, px1, pm) in enumerate(prev.columns) if pm and abs(px1 - x1) <= tol), None)
            else:  # a text column goes to the text column it overlaps most, else the nearest
                k = max((k for k, (_, _, pm) in enumerate(prev.columns) if not pm),
                        key=lambda k: (min(x1, prev.columns[k][1]) - max(x0, prev.columns[k][0]),
                                       -abs((x0 + x1) - sum(prev.columns[k][:2]))), default=None)
            target.append(k)
        money_to = [k for k, (_, _, m) in zip(target, grid.columns) if m]
        if None in target or len(set(money_to)) != len(money_to) or len(money_to) < 2:
            continue
        rows, boxes = [], []
        for r, cells in enumerate(grid.rows):
            row, row_boxes = [""] * len(prev.columns), [None] * len(prev.columns)
            for k, text in zip(target, cells):
                row[k] = f"{row[k]} {text}".strip()
            for k, box in zip(target, grid.boxes[r] if grid.boxes else []):
                if box:
                    old = row_boxes[k]
                    row_boxes[k] = box if old is None else (min(old[0], box[0]), min(old[1], box[1]),
                                                            max(old[2], box[2]), max(old[3], box[3]))
            rows.append(row)
            boxes.append(row_boxes)
        moved = Grid(list(prev.header), rows, grid.pages, grid.method, prev.context, boxes, prev.columns)
        plan = read_plan(_on_page(moved, page))
        if plan:
            return [plan]
    return []


def plans_under_earlier_header(page: PdfiumPage, grids: list[Grid], earlier: list[Plan]) -> list[Plan]:
    """A table that prints no unit on its page but the same header as an earlier table of the paper
    that did ('All figures in £m' over the first of a report's directorate tables): that unit."""
    units = {}
    for plan in earlier:
        if plan.grid.method == "pdf_words" and any(clean(h) for h in plan.grid.header):
            units.setdefault(column_key(plan.grid.header), plan.unit)
    found = []
    for grid in grids:
        unit = units.get(column_key(grid.header))
        if unit and unit != "£":
            grid.context = f"{grid.context}\n{unit}".strip()
            plan = read_plan(_on_page(grid, page))
            if plan:
                found.append(plan)
    return found


def _on_page(grid: Grid, page: PdfiumPage) -> Grid:
    """The grid with its cell boxes in points from the top-left of the page as shown."""
    if grid.boxes and (page.dx or page.dy):
        grid.boxes = [[b and (round(b[0] + page.dx, 1), round(b[1] + page.dy, 1), round(b[2] + page.dx, 1),
                              round(b[3] + page.dy, 1)) for b in row] for row in grid.boxes]
    return grid


def find_pdf_plans(data: bytes, pages: list[int], settings: TableReading = SETTINGS, ocr: bool = False,
                   ready: dict[int, PageGeometry] | None = None) -> list[Plan]:
    """Plans on the given 1-based pages of a PDF's bytes, continued tables joined; pages in `ready`
    were read by the loader (and are taken out of it)."""
    plans: list[Plan] = []
    for page in read_pages(data, pages, x_tolerance=settings.text_x_tolerance,
                           line_tolerance=settings.line_tolerance, ready=ready):
        found = page_plans(page, settings, ocr)
        if not found and plans and page.words:
            # no table of its own: the rest of the last one, or one headed like an earlier one
            grids = _word_grids(page.words, page.number, settings, ocr)
            found = continued_plans(page, grids, plans[-1], settings) or plans_under_earlier_header(page, grids, plans)
        plans.extend(found)
    return merge_continued(plans)
