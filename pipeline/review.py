"""A static HTML site for checking extracted facts against their source text.

`councilpapers review parsed/ -o review/` writes index.html (every document with its
status and row counts) and one page per document: its page text re-read from the raw
folder with every fact highlighted where its page/char_start/char_end point, a side
list of the facts with their values, the plan tables and the problems. Spans that do
not match the text are flagged rather than hidden, since finding them is the point.

Highlights never nest: the text is cut at every span boundary and each piece is one
<mark> listing all facts that cover it, so overlapping spans cannot break the HTML.
Everything (CSS, JS) is inlined; output is deterministic (sorted, no dates).
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

import click

from .query import ParsedFolderError, check_parsed_dir
from .schema import ID_COLUMN, TABLES
from .writer import atomic_write_bytes

# Tables whose rows point into the page text, in the order the side list shows them.
SPAN_TABLES = ("money", "quantities", "decisions", "meetings", "people", "mentions")
COUNT_TABLES = ("meetings", "decisions", "money", "quantities", "tables", "plan_lines", "people", "mentions", "problems")
LABELS = {"money": "Money", "quantities": "Quantities", "decisions": "Decisions", "meetings": "Meetings",
          "people": "People", "mentions": "Councils mentioned", "plan_lines": "Plan-table figures"}
LIST_TABLES = SPAN_TABLES + ("plan_lines",)  # the side list's groups: plan figures sit in their cell boxes
PAGE_IMAGE_SCALE = 1.5    # page images for plan-table pages: 108 dpi, enough to read a £000 figure,
PAGE_IMAGE_MAX_PX = 1200  # and no wider than a screen's text column (a landscape A3 appendix at 1.0)
PAGE_IMAGE_GREYS = 16     # 4-bit grey PNG: about 50 KB a dense page (the highlights carry the colour)


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.2f}"


def number(value) -> str:
    """A Decimal without trailing zeros or exponent (8.1700 -> 8.17, 1000.0000 -> 1000)."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def _write(path: Path, text: str) -> Path:
    """Write atomically, readable by everyone the umask allows (a site may be served or shared)."""
    import os
    atomic_write_bytes(path, text.encode("utf-8"))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
    return path


def _asset(name: str) -> str:
    return (resources.files("councilpapers") / "review_assets" / name).read_text(encoding="utf-8")


def _safe_id(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text)


# --------------------------------------------------------------------------- data

def read_parsed(parsed: Path) -> dict[str, list[dict]]:
    """Every declared table as a list of dicts (missing tables empty)."""
    from .partition import read_any
    files = check_parsed_dir(parsed)
    return {name: (read_any(files[name], name).to_pylist() if name in files else []) for name in TABLES}


def _by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r.get("doc_id"), []).append(r)
    return out


@dataclass
class Fact:
    key: str
    table: str
    row: dict
    page: int | None
    start: int | None
    end: int | None
    check: str = "ok"  # ok | mismatch (offsets point elsewhere) | out_of_range | no_span | no_text


def _facts_for(doc_rows: dict[str, list[dict]], pages: dict[int, str] | None) -> list[Fact]:
    facts = []
    for table in SPAN_TABLES:
        for row in doc_rows.get(table, []):
            key = _safe_id(f"{table}-{row[ID_COLUMN[table]]}")
            f = Fact(key, table, row, row.get("page"), row.get("char_start"), row.get("char_end"))
            if f.page is None or f.start is None or f.end is None:
                f.check = "no_span"
            elif pages is None:
                f.check = "no_text"
            elif f.page not in pages or not (0 <= f.start < f.end <= len(pages[f.page])):
                f.check = "out_of_range"
            elif pages[f.page][f.start:f.end] != row.get("raw_text"):
                f.check = "mismatch"
            facts.append(f)
    return facts


def _cell_facts(doc_rows: dict[str, list[dict]]) -> list[Fact]:
    """Plan-table figures as facts placed by their cell boxes (PDF points), not by text spans."""
    out = []
    for row in doc_rows.get("plan_lines", []):
        f = Fact(_safe_id(f"plan_lines-{row['line_id']}"), "plan_lines", row, row.get("page"), None, None)
        f.check = "box" if all(row.get(k) is not None for k in ("x0", "top", "x1", "bottom")) else "no_box"
        out.append(f)
    return sorted(out, key=lambda f: (f.page or 0, f.row.get("top") or 0, f.row.get("x0") or 0, f.key))


# --------------------------------------------------------------------------- highlighting

def highlight(text: str, facts: list[Fact]) -> str:
    """Escaped text with each fact's span wrapped in flat <mark>s (split where spans overlap)."""
    spans = [f for f in facts if f.check in ("ok", "mismatch")]
    bounds = sorted({0, len(text), *(f.start for f in spans), *(f.end for f in spans)})
    starting: dict[int, list[Fact]] = {}
    for f in spans:
        starting.setdefault(f.start, []).append(f)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        for f in sorted(starting.get(a, []), key=lambda f: f.key):
            out.append(f'<span class="anchor" id="f-{f.key}"></span>')
        piece = esc(text[a:b])
        covering = sorted((f for f in spans if f.start <= a and f.end >= b), key=lambda f: (f.end - f.start, f.key))
        if not covering:
            out.append(piece)
            continue
        classes = ["hl", f"k-{covering[0].table}"]
        if len(covering) > 1:
            classes.append("multi")
        if any(f.check != "ok" for f in covering):
            classes.append("bad")
        keys = " ".join(f.key for f in covering)
        title = "; ".join(f"{f.table}: {_summary(f)[0]}" for f in covering)
        out.append(f'<mark class="{" ".join(classes)}" data-facts="{keys}" title="{esc(title)}">{piece}</mark>')
    return "".join(out)


def _summary(f: Fact) -> tuple[str, str]:
    """(headline value, details) of a fact for the side list."""
    r = f.row
    t = f.table
    if t == "money":
        v = money(r.get("amount_gbp"))
        if r.get("amount_gbp_high") is not None:
            v += f" – {money(r['amount_gbp_high'])}"
        if r.get("approximate"):
            v = f"{r.get('qualifier') or '≈'} {v}"
        details = [r.get("kind"), r.get("fiscal_year"), r.get("recurrence")]
    elif t == "quantities":
        v = f"{number(r.get('value'))} {r.get('unit') or ''}".strip()
        details = [r.get("fiscal_year")]
    elif t == "decisions":
        label = f"({r['label']}) " if r.get("label") else ""
        text = r.get("text") or ""
        v = f"{r.get('kind') or 'decision'} {label}".strip()
        counts = "/".join(str(r.get(k)) for k in ("votes_for", "votes_against", "abstentions")
                          if r.get(k) is not None)
        details = [r.get("vote"), counts and f"for/against/abstain {counts}",
                   text[:140] + ("…" if len(text) > 140 else "")]
    elif t == "meetings":
        v = r.get("body") or "meeting"
        details = [r.get("body_kind"), r.get("meeting_date"), r.get("item_number") and f"item {r['item_number']}",
                   r.get("item_title")]
    elif t == "people":
        v = r.get("name") or ""
        details = [r.get("mention"), r.get("role"), r.get("email"), r.get("phone")]
    elif t == "plan_lines":
        v = money(r.get("amount_gbp"))
        details = [r.get("title") or r.get("ref"), r.get("column"), r.get("measure"), r.get("fiscal_year"),
                   r.get("row_kind") if r.get("row_kind") != "line" else None]
    else:
        v = r.get("council_name") or r.get("council_code") or ""
        details = [r.get("council_code")]
    return v, " · ".join(str(d) for d in details if d)


CHECK_NOTES = {"mismatch": "offsets do not match raw_text", "out_of_range": "offsets outside the page text",
               "no_span": "no page/char span", "no_text": "source text not available",
               "no_box": "no cell box (table read from text)"}


def _side_list(facts: list[Fact]) -> str:
    """Every fact, grouped by table; each item names its page, so the script can show only the
    facts of the page in view (or all of them, by the checkbox)."""
    parts = ['<aside class="facts" id="facts"><div class="legend">']
    parts += [f'<span class="swatch k-{t}">{LABELS[t]}</span>' for t in LIST_TABLES]
    parts.append('</div><div class="facts-head"><strong id="facts-title">All facts</strong> '
                 '<label><input type="checkbox" id="all-pages"> all pages</label></div>')
    for table in LIST_TABLES:
        group = [f for f in facts if f.table == table]
        if not group:
            continue
        if table != "plan_lines":
            group.sort(key=lambda f: (f.page or 0, f.start if f.start is not None else -1, f.key))
        parts.append(f'<section class="group" data-table="{table}"><h2>{LABELS[table]} '
                     f'<small>(<span class="n">{len(group)}</span>)</small></h2><ol>')
        for f in group:
            v, d = _summary(f)
            flag = f' <span class="flag">⚠ {CHECK_NOTES[f.check]}</span>' if f.check not in ("ok", "box") else ""
            where = f"p{f.page}:{f.start}" if f.start is not None else f"p{f.page}" if f.page else ""
            quote = f.row.get("raw_text") if table != "plan_lines" else None
            said = f' “{esc(quote if len(quote) <= 90 else quote[:89] + "…")}”' if quote is not None else ""
            page = f' data-page="{int(f.page)}"' if isinstance(f.page, int) else ""
            parts.append(
                f'<li{page}><a class="fact k-{table}" href="#f-{f.key}" data-fact="{f.key}" data-check="{f.check}">'
                f'<span class="v">{esc(v)}</span> <span class="d">{esc(d)}</span>'
                f'<br><small>{esc(where)}{said}</small>{flag}</a></li>')
        parts.append("</ol></section>")
    parts.append('<p class="empty" id="facts-empty"' + ('' if not facts else ' hidden') + '>No facts '
                 + ('extracted.' if not facts else 'on this page.') + '</p>')
    parts.append("</aside>")
    return "".join(parts)


# --------------------------------------------------------------------------- plan tables and problems

def _column_order(table: dict, lines: list[dict]) -> list[str]:
    cols = []
    for ln in lines:
        if ln.get("column") not in cols:
            cols.append(ln.get("column"))
    header = table.get("header") or ""
    return sorted(cols, key=lambda c: (header.find(c) if c and c in header else len(header) + 1, c or ""))


def _plan_tables(tables: list[dict], lines: list[dict]) -> str:
    if not tables:
        return ""
    out = ['<h2 class="section" id="plan-tables">Plan tables</h2>']
    for t in sorted(tables, key=lambda t: (t.get("page_first") or 0, t["table_id"])):
        mine = [ln for ln in lines if ln.get("table_id") == t["table_id"]]
        cols = _column_order(t, mine)
        rows: dict[int, dict] = {}
        for ln in mine:
            r = rows.setdefault(ln.get("row_index") or 0, {"ref": ln.get("ref"), "title": ln.get("title"),
                                                            "row_kind": ln.get("row_kind"), "cells": {}})
            r["cells"][ln.get("column")] = ln
        pages = t.get("page_first"), t.get("page_last")
        recon = {True: "totals reconcile", False: '<span class="flag">totals do not reconcile</span>',
                 None: "no printed totals"}[t.get("totals_reconcile")]
        out.append(f'<table class="grid plan" id="table-{_safe_id(t["table_id"])}"><caption>'
                   f'{esc(t.get("kind"))} table, unit {esc(t.get("unit"))}, pages {esc(pages[0])}–{esc(pages[1])}, '
                   f'{esc(t.get("n_rows"))} rows, read by {esc(t.get("method"))}; {recon}</caption>')
        out.append("<tr><th>ref</th><th>title</th><th>row</th>" + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr>")
        for _, r in sorted(rows.items()):
            cells = "".join(_plan_cell(r["cells"].get(c)) for c in cols)
            out.append(f'<tr class="{esc(r["row_kind"])}"><td>{esc(r["ref"])}</td><td>{esc(r["title"])}</td>'
                       f'<td>{esc(r["row_kind"])}</td>{cells}</tr>')
        out.append("</table>")
    return "".join(out)


def _plan_cell(line: dict | None) -> str:
    if line is None:
        return '<td class="num"></td>'
    key = _safe_id(f"plan_lines-{line['line_id']}")
    return (f'<td class="num"><a class="cellref" href="#f-{key}" data-fact="{key}">'
            f'{esc(money(line.get("amount_gbp")))}</a></td>')


def _page_link(page) -> str:
    return f'<a href="#page-{int(page)}">{int(page)}</a>' if isinstance(page, int) else ""


def _problems(problems: list[dict]) -> str:
    if not problems:
        return '<h2 class="section" id="problems">Problems</h2><p>None.</p>'
    out = ['<h2 class="section" id="problems">Problems</h2><table class="grid"><tr><th>severity</th><th>code</th>'
           '<th>page</th><th>extractor</th><th>message</th></tr>']
    for p in problems:
        out.append(f'<tr><td class="sev-{esc(p.get("severity"))}">{esc(p.get("severity"))}</td><td>{esc(p.get("code"))}</td>'
                   f'<td>{_page_link(p.get("page"))}</td><td>{esc(p.get("extractor"))}</td><td>{esc(p.get("message"))}</td></tr>')
    out.append("</table>")
    return "".join(out)


# --------------------------------------------------------------------------- pages

def _csp(css: str, js: str) -> str:
    """A strict Content-Security-Policy: nothing loads from anywhere; only this page's own style and script run."""
    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; style-src '{digest(css)}'; script-src '{digest(js)}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _page(title: str, body: str) -> str:
    css, js = _asset("review.css"), _asset("review.js")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_csp(css, js)}\">"
            "<meta name=\"generator\" content=\"councilpapers review\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{css}</style></head>"
            f"<body>{body}<script>{js}</script></body></html>\n")


def safe_url(url: str | None) -> str | None:
    """A link the site may print: http(s) only ('javascript:alert(1)' from a manifest is shown, never linked)."""
    return url if url and re.match(r"^https?://", url.strip(), re.I) else None


def load_pages(raw_dir: Path | None, doc: dict) -> tuple[dict[int, str] | None, str | None]:
    """The document's page texts re-read from the raw folder, or (None, why not)."""
    if raw_dir is None:
        return None, "no raw folder given (--raw), so the text cannot be shown"
    path = Path(raw_dir) / doc["source_path"]
    if not path.is_file():
        return None, f"source file {path} not found, so the text cannot be shown"
    from .load import load_file
    try:
        loaded = load_file(path, doc["source_path"])
    except Exception as exc:  # a failed document's source will not load again either
        return None, f"source file could not be read: {type(exc).__name__}: {exc}"
    note = None
    if loaded.doc_id != doc["doc_id"]:
        note = f"{path} has changed since this run (its bytes no longer give doc_id {doc['doc_id']}); highlights may be wrong"
    return {p.number: p.text for p in loaded.pages}, note


def page_texts(rows: dict[str, list[dict]]) -> dict[int, str] | None:
    """The document's page texts from the run's `pages` table, or None when the run has none."""
    pages = rows.get("pages") or []
    return {int(p["page"]): p.get("text") or "" for p in pages} if pages else None


def page_images(raw_dir: Path | None, doc: dict, numbers: list[int]) -> dict[int, str]:
    """PNG data URIs of the given pages of a PDF, rendered from the raw folder (none where the
    source is absent, changed or not a PDF: the cell boxes are then drawn on a blank page)."""
    if raw_dir is None or doc.get("format") != "pdf" or not numbers:
        return {}
    path = Path(raw_dir) / doc["source_path"]
    if not path.is_file():
        return {}
    from io import BytesIO

    import pypdfium2 as pdfium

    from .ids import doc_id_of
    data = path.read_bytes()
    if doc_id_of(data) != doc["doc_id"]:
        return {}
    out = {}
    try:
        pdf = pdfium.PdfDocument(data)
        try:
            for n in numbers:
                if 1 <= n <= len(pdf):
                    page = pdf[n - 1]
                    scale = min(PAGE_IMAGE_SCALE, PAGE_IMAGE_MAX_PX / max(page.get_width(), 1))
                    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
                    buf = BytesIO()
                    image.quantize(PAGE_IMAGE_GREYS).save(buf, format="PNG", optimize=True, bits=4)
                    out[n] = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
        finally:
            pdf.close()
    except Exception:  # a PDF that renders badly still gets its boxes on a blank page
        return {}
    return out


def _page_view(number: int, cells: list[Fact], size: tuple[float, float] | None, image: str | None) -> str:
    """The page drawn at its size, its plan-table figures boxed where the PDF printed them."""
    if not cells:
        return ""
    w, h = size if size and size[0] and size[1] else (
        max(f.row["x1"] for f in cells) + 36, max(f.row["bottom"] for f in cells) + 36)
    out = [f'<div class="page-view" data-w="{w:.1f}" data-h="{h:.1f}">']
    out.append(f'<img alt="page {number}" src="{image}">' if image else '<div class="blank"></div>')
    for f in cells:
        r = f.row
        box = " ".join(f"{v:.4f}" for v in (r["x0"] / w, r["top"] / h, (r["x1"] - r["x0"]) / w, (r["bottom"] - r["top"]) / h))
        v, d = _summary(f)
        out.append(f'<a class="cell" href="#f-{f.key}" id="f-{f.key}" data-fact="{f.key}" data-box="{box}" '
                   f'title="{esc(v)} · {esc(d)}">{"" if image else esc(v)}</a>')
    out.append("</div>")
    return "".join(out)


def _pager(numbers: list[int], facts: list[Fact]) -> str:
    counts: dict[int, int] = {}
    for f in facts:
        if isinstance(f.page, int):
            counts[f.page] = counts.get(f.page, 0) + 1
    options = "".join(f'<option value="{n}">page {n}{f" · {counts[n]} facts" if counts.get(n) else ""}</option>'
                      for n in numbers)
    return ('<nav class="pager" id="pager" aria-label="pages">'
            '<button type="button" id="prev" title="previous page (←)">‹</button>'
            f'<select id="page-select" aria-label="page">{options}</select>'
            f'<span class="of">of {len(numbers)}</span>'
            '<button type="button" id="next" title="next page (→)">›</button>'
            '<input type="search" id="search" placeholder="search this document" aria-label="search this document">'
            '<button type="button" id="search-next" title="next match (Enter)">next match</button>'
            '<span id="search-status" aria-live="polite"></span>'
            '<a href="#problems">problems</a><a href="#plan-tables">plan tables</a></nav>')


def doc_filename(doc: dict) -> str:
    return f"doc/{_safe_id(doc['doc_id'])}.html"


def document_page(doc: dict, rows: dict[str, list[dict]], raw_dir: Path | None) -> tuple[str, list[Fact]]:
    """One document: a page at a time (pager, search), facts highlighted in the text and plan-table
    figures in their cell boxes, the side list following the page in view."""
    pages, note = (page_texts(rows), None) if doc.get("status") != "failed" else (None, doc.get("error"))
    if pages is None and doc.get("status") != "failed":
        pages, note = load_pages(raw_dir, doc)
    facts = _facts_for(rows, pages)
    cells = _cell_facts(rows)
    sizes = {int(p["page"]): (p.get("width_pt"), p.get("height_pt")) for p in rows.get("pages") or []}
    council = doc.get("council_name") or "council unknown"
    if doc.get("council_code"):
        council += f" ({doc['council_code']}, by {doc.get('council_evidence') or '?'})"
    url = doc.get("source_url")
    head = (f'<header class="top"><a href="../index.html">← all documents</a>'
            f'<h1>{esc(doc.get("title") or doc["source_path"])}</h1><div class="meta">'
            f'{esc(doc["source_path"])} · <span class="status status-{esc(doc.get("status"))}">{esc(doc.get("status"))}</span> · '
            f'{esc(doc.get("doc_kind"))} · {esc(council)} · {esc(doc.get("format"))}, {esc(doc.get("pages"))} page(s)'
            + (f' · <a href="{esc(safe_url(url))}" rel="noreferrer">source</a>' if safe_url(url)
               else (f" · source: {esc(url)}" if url else "")) + "</div></header>")
    main = ['<div class="text-col">']
    if doc.get("error"):
        main.append(f'<div class="note">Error: {esc(doc["error"])}</div>')
    if note and note != doc.get("error"):
        main.append(f'<div class="note">{esc(note)}</div>')
    bad = [f for f in facts if f.check in ("mismatch", "out_of_range")]
    if bad:
        main.append(f'<div class="note"><span class="flag">{len(bad)} fact(s) whose offsets do not match the text</span>'
                    " (flagged in the list).</div>")
    main.append(_problems(rows.get("problems", [])))
    numbers = sorted(set(pages or ()) | {f.page for f in cells if isinstance(f.page, int)})
    boxed = [f for f in cells if f.check == "box"]
    images = page_images(raw_dir, doc, sorted({f.page for f in boxed}))
    for number in numbers:
        mine = [f for f in facts if f.page == number]
        view = _page_view(number, [f for f in boxed if f.page == number], sizes.get(number), images.get(number))
        text = (f'<pre class="page-text">{highlight(pages[number], mine)}</pre>' if pages and number in pages else "")
        main.append(f'<section class="page" id="page-{number}" data-page="{number}"><h3>Page {number}</h3>'
                    f'{view}{text}</section>')
    main.append(_plan_tables(rows.get("tables", []), rows.get("plan_lines", [])))
    main.append("</div>")
    nav = _pager(numbers, facts + cells) if numbers else ""
    body = head + nav + '<div class="layout">' + "".join(main) + _side_list(facts + cells) + "</div>"
    return _page(f"{doc['source_path']} — councilpapers review", body), facts


def index_page(documents: list[dict], by_doc: dict[str, dict[str, list[dict]]], bad_spans: dict[str, int],
               run_meta: dict) -> str:
    statuses: dict[str, int] = {}
    for d in documents:
        statuses[d.get("status")] = statuses.get(d.get("status"), 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    head = (f'<header class="top"><h1>councilpapers review</h1><div class="meta">{len(documents)} documents ({esc(summary)})'
            f' · schema version {esc(run_meta.get("schema_version"))}'
            + (f' · councilpapers {esc(run_meta.get("councilpapers_version"))}' if run_meta.get("councilpapers_version") else "")
            + "</div></header>")
    rows = ['<table class="grid" id="documents"><tr><th>document</th><th>status</th><th>kind</th><th>council</th>'
            "<th>format</th><th>pages</th>" + "".join(f"<th>{t}</th>" for t in COUNT_TABLES) + "<th>bad spans</th></tr>"]
    totals = dict.fromkeys(COUNT_TABLES, 0)
    for d in documents:
        counts = {t: len(by_doc.get(d["doc_id"], {}).get(t, [])) for t in COUNT_TABLES}
        for t in COUNT_TABLES:
            totals[t] += counts[t]
        bad = bad_spans.get(d["doc_id"], 0)
        rows.append(f'<tr><td><a href="{doc_filename(d)}">{esc(d["source_path"])}</a><br><small>{esc(d.get("title"))}</small></td>'
                    f'<td><span class="status status-{esc(d.get("status"))}">{esc(d.get("status"))}</span></td>'
                    f'<td>{esc(d.get("doc_kind"))}</td><td>{esc(d.get("council_name"))}</td><td>{esc(d.get("format"))}</td>'
                    f'<td class="num">{esc(d.get("pages"))}</td>'
                    + "".join(f'<td class="num">{counts[t]}</td>' for t in COUNT_TABLES)
                    + f'<td class="num">{"<span class=flag>" + str(bad) + "</span>" if bad else 0}</td></tr>')
    rows.append('<tr class="total"><td>all documents</td><td></td><td></td><td></td><td></td><td></td>'
                + "".join(f'<td class="num">{totals[t]}</td>' for t in COUNT_TABLES)
                + f'<td class="num">{sum(bad_spans.values())}</td></tr></table>')
    return _page("councilpapers review", head + '<main class="index">' + "".join(rows) + "</main>")


@dataclass
class ReviewSummary:
    out_dir: Path
    documents: int
    facts: int
    bad_spans: int
    files: list[Path] = field(default_factory=list)


def _run_meta(parsed: Path) -> dict:
    path = Path(parsed) / "run.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_review(parsed: Path, out_dir: Path, raw_dir: Path | None = None) -> ReviewSummary:
    """Write the review site for a parsed folder. Page text comes from the run's `pages` table;
    raw_dir (default: the run's input folder) gives page images for plan-table pages, and the
    text of a run made before the `pages` table existed."""
    parsed, out_dir = Path(parsed), Path(out_dir)
    data = read_parsed(parsed)
    meta = _run_meta(parsed)
    if raw_dir is None and meta.get("input") and Path(meta["input"]).is_dir():
        raw_dir = Path(meta["input"])
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for table, rows in data.items():
        for doc_id, doc_rows in _by_doc(rows).items():
            by_doc.setdefault(doc_id, {})[table] = doc_rows
    documents = sorted(data["documents"], key=lambda d: (d["source_path"], d["doc_id"]))
    written: list[Path] = []
    bad_spans: dict[str, int] = {}
    n_facts = 0
    for doc in documents:
        page_html, facts = document_page(doc, by_doc.get(doc["doc_id"], {}), raw_dir)
        n_facts += len(facts)
        bad_spans[doc["doc_id"]] = sum(f.check in ("mismatch", "out_of_range") for f in facts)
        written.append(_write(out_dir / doc_filename(doc), page_html))
    written.append(_write(out_dir / "index.html", index_page(documents, by_doc, bad_spans, meta)))
    keep = {p.resolve() for p in written}
    for stale in sorted((out_dir / "doc").glob("*.html")):
        if stale.resolve() not in keep:
            stale.unlink()
    return ReviewSummary(out_dir, len(documents), n_facts, sum(bad_spans.values()), written)


@click.command("review")
@click.argument("parsed", type=click.Path(path_type=Path), default=Path("parsed"), required=False)
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("review"),
              show_default=True, help="Folder to write the HTML site into.")
@click.option("--raw", "raw_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder the run read (default: the input recorded in run.json).")
def review(parsed: Path, out_dir: Path, raw_dir: Path | None):
    """Write a static HTML site for checking facts against their source text.

    index.html lists every document with its status and row counts; each
    document's page shows its text with every extracted fact highlighted in
    place, a side list of the facts (click one to jump to it), the plan tables
    and the problems. No server needed: open index.html in a browser.

    \b
    Example:
      councilpapers review parsed/ -o review/ --raw raw/
      xdg-open review/index.html
    """
    if raw_dir is not None and not raw_dir.is_dir():
        raise click.ClickException(f"raw folder {raw_dir} does not exist")
    try:
        summary = write_review(parsed, out_dir, raw_dir)
    except ParsedFolderError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"review: {summary.documents} documents, {summary.facts} facts"
               + (f", {summary.bad_spans} with offsets that do not match the text" if summary.bad_spans else "")
               + f" -> {out_dir / 'index.html'}")
