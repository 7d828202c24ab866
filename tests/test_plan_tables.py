"""Plan tables: text columns, PDFs the tests draw themselves, totals that do or do not add up."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilpapers.extractors.plan_tables import extract_plan_tables, text_plans
from councilpapers.document import Document, Page
from councilpapers.ids import doc_id_of
from councilpapers.registry import Output
from councilpapers.plans.plan import Grid, read_plan
from councilpapers.plans.reconcile import mark_derived_rows, reconcile
from councilpapers.plans.settings import TableReading
from councilpapers.plans.text_tables import find_text_tables

from .conftest import SHARED

HERE = Path(__file__).parent
FIX = HERE / "fixtures" / "tables"
SEED = SHARED / "seeds" / "001_702346f067e13596.txt"
RAW_SEED = HERE.parent / "raw" / "001_702346f067e13596.txt"


def text_doc(text: str, name: str = "t.txt") -> Document:
    return Document(doc_id_of(text.encode()), name, "txt", [Page(1, text)], text.encode())


def run(doc: Document) -> Output:
    out = Output()
    extract_plan_tables(doc, out)
    return out


def lines_of(out: Output, kind: str = "line") -> set[tuple]:
    return {(r["ref"], r["fiscal_year"], r["amount_gbp"]) for r in out.rows.get("plan_lines", [])
            if r["row_kind"] == kind}


# ------------------------------------------------------------------ seed 001

def _seed_text() -> str:
    for p in (RAW_SEED, SEED):
        if p.exists():
            return p.read_text(encoding="utf-8").replace("\r\n", "\n")
    pytest.skip("seed 001 not available")


def test_seed_001_lines_and_totals():
    out = run(text_doc(_seed_text()))
    (table,) = out.rows["tables"]
    assert table["unit"] == "£000's" and table["kind"] == "savings" and table["method"] == "text_columns"
    assert table["totals_reconcile"] is True
    got = {(r, fy, a) for r, fy, a in lines_of(out) if fy}
    assert len(got) == 22
    assert ("1", "2023-24", Decimal("409000.00")) in got
    assert ("6", "2024-25", Decimal("1061000.00")) in got
    assert {r for r, _, _ in got} == {str(i) for i in range(1, 12)}
    totals = {(r["title"].split()[0], r["fiscal_year"], r["amount_gbp"]) for r in out.rows["plan_lines"]
              if r["row_kind"] == "total" and r["fiscal_year"]}
    assert totals == {("TOTAL", "2023-24", Decimal("2854000.00")), ("TOTAL", "2024-25", Decimal("1868000.00")),
                      ("Overall", "2023-24", Decimal("982000.00")), ("Overall", "2024-25", Decimal("711000.00"))}
    # the year-less Total column is kept with fiscal_year null
    assert ("1", None, Decimal("727000.00")) in lines_of(out)
    # 'Overall total ...' is not a sum of lines: left unchecked, never reported as wrong
    assert not out.rows.get("problems")
    title = next(r["title"] for r in out.rows["plan_lines"] if r["ref"] == "1")
    assert title.startswith("Reduction in the use of high cost external family support")


def test_seed_001_overall_total_unchecked_not_mismatched():
    (plan,) = text_plans(text_doc(_seed_text()))
    check = reconcile(plan)
    assert not check.mismatches
    assert [r.title.split()[0] for r in check.unchecked] == ["Overall"]


# ------------------------------------------------------------------ text fixtures

def test_spaced_two_line_header_wrapped_title_dash_and_brackets():
    out = run(text_doc((FIX / "spaced_two_line_header.txt").read_text()))
    (table,) = out.rows["tables"]
    assert table["unit"] == "£000s" and table["kind"] == "investment" and table["totals_reconcile"] is True
    got = lines_of(out)
    assert ("A2", "2024-25", Decimal("0.00")) in got  # '-' is nil
    assert ("A3", "2024-25", Decimal("-50000.00")) in got  # brackets negative
    title = next(r["title"] for r in out.rows["plan_lines"] if r["ref"] == "A3")
    assert title == "Extra care housing at the old library site"
    assert ("A1", None, Decimal("200000.00")) in got
    assert (None, "2023-24", Decimal("465000.00")) in lines_of(out, "total")


def test_tabbed_ref_line_before_figures_subtotal_and_blank_cells():
    out = run(text_doc((FIX / "tabbed_wrapped_title.txt").read_text()))
    (table,) = out.rows["tables"]
    assert table["unit"] == "£'000" and table["kind"] == "savings" and table["totals_reconcile"] is True
    rows = out.rows["plan_lines"]
    first = [r for r in rows if r["ref"] == "1"]
    assert first[0]["title"] == "Close the depot at Hill Street"
    assert {r["amount_gbp"] for r in first} == {Decimal("50000.00"), Decimal("25000.00")}
    assert [r["fiscal_year"] for r in rows if r["ref"] == "3"] == ["2024-25"]  # blank cell: no line
    assert {r["row_kind"] for r in rows if r["title"].startswith("Sub")} == {"subtotal"}


def test_non_money_table_is_left_out():
    out = run(text_doc((FIX / "not_money.txt").read_text()))
    assert not out.rows.get("plan_lines") and not out.rows.get("tables")


def test_wrong_total_is_reported_not_fixed():
    out = run(text_doc((FIX / "wrong_total.txt").read_text()))
    (table,) = out.rows["tables"]
    assert table["totals_reconcile"] is False
    (problem,) = out.rows["problems"]
    assert problem["code"] == "table_total_mismatch"
    assert "300,000.00" in problem["message"] and "310,000.00" in problem["message"]
    assert (None, "2025-26", Decimal("310000.00")) in lines_of(out, "total")


def test_prose_with_spaces_is_not_a_table():
    text = "(a)             Approves £4.462 million investment in 2023/24.\n\n(b)            Notes the plan.\n"
    assert find_text_tables(text) == [] or not any(read_plan(g) for g in find_text_tables(text))


def test_settings_validate_with_plain_messages():
    with pytest.raises(ValueError, match="'cell_gap' cannot be negative"):
        TableReading(cell_gap=-1)
    with pytest.raises(ValueError, match="'min_figure_rows' must be at least 1"):
        TableReading(min_figure_rows=0)


def test_grid_without_label_column_is_not_a_plan():
    assert read_plan(Grid(["2023/24 £000", "2024/25 £000"], [["1", "2"], ["3", "4"]], [1, 1], "text_columns")) is None


# ------------------------------------------------------------------ PDFs drawn by the tests

def _pdf(rows: list[list[str]], header: list[str], *, ruled: bool, title: str = "Savings plan",
         repeat_rows: int = 1) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buf = io.BytesIO()
    story = [Paragraph(title, getSampleStyleSheet()["Heading2"])]
    table = Table([header] + rows, repeatRows=repeat_rows, colWidths=[40, 220, 80, 80, 80][:len(header)])
    style = [("ALIGN", (2, 0), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 9)]
    if ruled:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    story.append(table)
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build(story)
    return buf.getvalue()


def pdf_doc(data: bytes) -> Document:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [Page(i + 1, p.extract_text() or "") for i, p in enumerate(pdf.pages)]
    return Document(doc_id_of(data), "t.pdf", "pdf", pages, data)


HEADER = ["Ref", "Proposal", "2024/25 £000", "2025/26 £000"]
ROWS = [["1", "Close depot", "100", "(20)"], ["2", "Merge teams", "250", "75"], ["", "Total", "350", "55"]]
WANT = {("1", "2024-25", Decimal("100000.00")), ("1", "2025-26", Decimal("-20000.00")),
        ("2", "2024-25", Decimal("250000.00")), ("2", "2025-26", Decimal("75000.00"))}


@pytest.mark.parametrize("ruled,method", [(True, "pdf_ruled"), (False, "pdf_words")])
def test_pdf_ruled_and_unruled_with_bracket_negatives(ruled, method):
    out = run(pdf_doc(_pdf(ROWS, HEADER, ruled=ruled)))
    (table,) = out.rows["tables"]
    assert table["method"] == method and table["unit"] == "£000" and table["kind"] == "savings"
    assert table["totals_reconcile"] is True
    assert lines_of(out) == WANT
    assert lines_of(out, "total") == {(None, "2024-25", Decimal("350000.00")), (None, "2025-26", Decimal("55000.00"))}


def test_pdf_wrong_total_raises_mismatch():
    rows = ROWS[:-1] + [["", "Total", "360", "55"]]
    out = run(pdf_doc(_pdf(rows, HEADER, ruled=True)))
    assert out.rows["tables"][0]["totals_reconcile"] is False
    (problem,) = out.rows["problems"]
    assert problem["code"] == "table_total_mismatch" and "350,000.00" in problem["message"]


@pytest.mark.parametrize("ruled", [True, False])
def test_pdf_table_over_page_break_with_repeated_header_is_one_table(ruled):
    rows = [[str(i), f"Proposal number {i}", str(i * 10), str(i)] for i in range(1, 81)]
    rows.append(["", "Total", str(sum(i * 10 for i in range(1, 81))), str(sum(range(1, 81)))])
    doc = pdf_doc(_pdf(rows, HEADER, ruled=ruled))
    assert len(doc.pages) >= 2
    out = run(doc)
    (table,) = out.rows["tables"]
    assert table["page_first"] == 1 and table["page_last"] == len(doc.pages)
    assert table["totals_reconcile"] is True
    got = lines_of(out)
    assert len(got) == 160 and ("80", "2025-26", Decimal("80000.00")) in got
    indexes = sorted({r["row_index"] for r in out.rows["plan_lines"]})
    assert indexes == list(range(81))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 99999), st.integers(-9999, 99999)), min_size=2, max_size=8),
       st.booleans())
def test_property_pdf_round_trip(values, ruled):
    def fmt(v: int) -> str:
        return f"({-v:,})" if v < 0 else f"{v:,}"
    rows = [[str(i + 1), f"Line {i + 1}", fmt(a), fmt(b)] for i, (a, b) in enumerate(values)]
    out = run(pdf_doc(_pdf(rows, HEADER, ruled=ruled)))
    want = {(str(i + 1), fy, Decimal(v * 1000).quantize(Decimal("0.01")))
            for i, (a, b) in enumerate(values) for fy, v in (("2024-25", a), ("2025-26", b))}
    assert lines_of(out) == want


# ------------------------------------------------------------------ layouts drawn word by word

def _canvas_pdf(lines: list[tuple[float, list[tuple[float, str, str]]]], size=(842, 595), font=8) -> bytes:
    """A one-page PDF: each line is (y from the top, [(x, text, 'l' | 'r' | 'c'[, font size]), ...])."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1)
    c.setFont("Helvetica", font)
    for y, cells in lines:
        for x, text, align, *own_size in cells:  # an optional 4th item: the cell's font size
            c.setFont("Helvetica", own_size[0] if own_size else font)
            draw = {"l": c.drawString, "r": c.drawRightString, "c": c.drawCentredString}[align]
            draw(x, size[1] - y, text)
    c.save()
    return buf.getvalue()


def _pdfium_doc(data: bytes) -> Document:
    from councilpapers.load import load_file  # noqa: F401  (the loader reads text with PDFium too)
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    pages = [Page(i + 1, pdf[i].get_textpage().get_text_bounded()) for i in range(len(pdf))]
    return Document(doc_id_of(data), "t.pdf", "pdf", pages, data)


def _landscape_plan() -> bytes:
    """Years over Core / External / Total, a label column between the first year and the rest,
    labels printed one space after the figures, a section heading, a total."""
    rows = [("Base budget", ["1,000.0", "50.0", "1,050.0"], ["1,100.0", "50.0", "1,150.0"]),
            ("SPENDING", None, None),
            ("Pay", ["200.5", "-", "200.5"], ["210.0", "5.0", "215.0"]),
            ("Prices", ["(100.0)", "10.0", "(90.0)"], ["120.0", "0.0", "120.0"]),
            ("TOTAL SPENDING", ["100.5", "10.0", "110.5"], ["330.0", "5.0", "335.0"])]
    left, right = [60, 110, 160], [400, 450, 500]
    lines = [(40, [(250, "High Level 2025-27 Revenue Plan", "l")]),
             (70, [(130, "2025-26", "c"), (450, "2026-27", "c")]),
             (82, [(x, t, "r") for x, t in zip(left + right, ["Core", "External", "Total"] * 2)]),
             (94, [(x, "£000s", "r") for x in left + right])]
    y = 100
    for label, a, b in rows:
        y += 12 if a else 22  # a heading is set off by a wider gap
        cells = [(165, label, "l")]
        if a:
            cells += [(x, t, "r") for x, t in zip(left + right, a + b)]
        lines.append((y, cells))
        y += 0 if a else 4
    return _canvas_pdf(lines)


def test_pdfium_words_and_edges_match_pdfplumber():
    from councilpapers.plans.pdfium_page import read_pages
    data = _pdf(ROWS, HEADER, ruled=True)
    (page,) = read_pages(data, [1])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        p = pdf.pages[0]
        want_words = {(w["text"], round(w["x0"]), round(w["bottom"])) for w in p.extract_words(x_tolerance=1.5)}
        want_edges = {(e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
                      for e in p.edges}
    assert {(w["text"], round(w["x0"]), round(w["bottom"])) for w in page.words} == want_words
    assert {(e["orientation"], round(e["x0"]), round(e["top"]), round(e["x1"]), round(e["bottom"]))
            for e in page.edges} == want_edges


def test_label_between_money_columns_and_years_carried_over_core_external_total():
    out = run(_pdfium_doc(_landscape_plan()))
    (table,) = out.rows["tables"]
    assert table["method"] == "pdf_words" and table["unit"] == "£000s"
    rows = out.rows["plan_lines"]
    got = {(r["title"], r["fiscal_year"], r["column"], r["amount_gbp"]) for r in rows}
    assert ("Pay", "2025-26", "2025-26 Core £000s", Decimal("200500.00")) in got
    assert ("Pay", "2025-26", "2025-26 External £000s", Decimal("0.00")) in got
    assert ("Prices", "2025-26", "2025-26 Total £000s", Decimal("-90000.00")) in got
    assert ("Prices", "2026-27", "2026-27 Total £000s", Decimal("120000.00")) in got
    assert {r["title"] for r in rows} == {"Base budget", "Pay", "Prices", "TOTAL SPENDING"}  # heading gives no lines
    # the total closes the section under the heading, not everything above it
    assert table["totals_reconcile"] is True


def test_whole_pound_table_with_calendar_years_and_pound_header():
    lines = [(40, [(60, "Budget Comparison for the year ended 31 March 2018", "l")]),
             (70, [(120, "2017", "r"), (300, "2018", "r"), (380, "2018", "r")]),
             (82, [(120, "£", "r"), (300, "£", "r"), (380, "£", "r")]),
             (94, [(120, "Budget", "r"), (300, "Actual", "r"), (380, "Budget", "r")]),
             (112, [(140, "DIRECT SERVICES", "l")]),
             (126, [(120, "(145,000)", "r"), (140, "Economic Development", "l"), (300, "(4,022)", "r"), (380, "(132,000)", "r")]),
             (138, [(120, "(20,000)", "r"), (140, "Cultural and Heritage", "l"), (300, "(94,886)", "r"), (380, "(190,000)", "r")]),
             (150, [(120, "(165,000)", "r"), (140, "Total", "l"), (300, "(98,908)", "r"), (380, "(322,000)", "r")])]
    out = run(_pdfium_doc(_canvas_pdf(lines, size=(595, 842))))
    (table,) = out.rows["tables"]
    assert table["unit"] == "£" and table["totals_reconcile"] is True
    got = {(r["title"], r["column"], r["amount_gbp"]) for r in out.rows["plan_lines"]}
    assert ("Economic Development", "2018 £ Actual", Decimal("-4022.00")) in got
    assert ("Cultural and Heritage", "2017 £ Budget", Decimal("-20000.00")) in got


def test_pound_cells_make_a_whole_pound_table_and_notes_in_brackets_are_dropped():
    grid = Grid(["Ward", "2017-18 Budget", "Budget remaining"],
                [["Four Oaks", "25,000", "£9,506 (incl £100 deferred grant)"], ["New Hall", "25,000", "£6,013"],
                 ["Trinity", "25,000", "£1,965"], ["Vesey", "25,000", "£2,500 (incl £2,500 deferred grant)"]],
                [1, 1, 1, 1], "pdf_ruled")
    plan = read_plan(grid)
    assert plan is not None and plan.unit == "£"
    assert plan.rows[0].amounts == {1: Decimal("25000.00"), 2: Decimal("9506.00")}
    assert plan.rows[3].title == "Vesey" and plan.rows[3].amounts[2] == Decimal("2500.00")


def test_count_table_without_pounds_is_not_money():
    grid = Grid(["Ward", "2017-18 Visits", "Total"], [["Four Oaks", "250", "300"], ["New Hall", "120", "140"]],
                [1, 1], "pdf_words")
    assert read_plan(grid) is None


def test_millions_in_pound_cells_reconcile_to_their_printed_rounding():
    grid = Grid(["Block", "2025-26", "2026-27"],
                [["Schools", "£33.4m", "£34.1m"], ["High needs", "£36.3m", "£35.6m"], ["Total", "£69.8m", "£69.6m"]],
                [1, 1, 1], "pdf_ruled")
    plan = read_plan(grid)
    assert plan.unit == "£" and plan.rows[2].amounts[1] == Decimal("69800000.00")
    assert reconcile(plan).reconciles is True  # 33.4 + 36.3 = 69.7, printed 69.8: within rounding


def test_title_row_inside_a_ruled_grid_is_context_not_header():
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    data = [["APPENDIX B - CAPITAL PROGRAMME 2025-26", "", "", ""]] + [HEADER] + ROWS
    table = Table(data, colWidths=[40, 220, 80, 80])
    table.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build([table])
    out = run(pdf_doc(buf.getvalue()))
    (t,) = out.rows["tables"]
    assert t["method"] == "pdf_ruled" and t["header"] == "Ref | Proposal | 2024/25 £000 | 2025/26 £000"
    assert t["kind"] == "investment"  # 'CAPITAL' in the title, read as context
    assert lines_of(out) == WANT


# ------------------------------------------------------------------ second round: honest totals, wrapped labels

def _plan(header, rows, method="pdf_ruled"):
    plan = read_plan(Grid(header, rows, [1] * len(rows), method))
    assert plan is not None
    return plan


def test_memorandum_total_of_a_selection_is_left_unchecked_and_said_so():
    """'TOTAL Savings for delivery' adds new savings, income, grants and prior-year savings but not
    the removal of undelivered savings printed among them: no mismatch, an info problem; the
    unlabelled row under the memorandum lines is their subtotal; 'MEMORANDUM:' after a total is a
    heading, not part of the total's label."""
    out = run(text_doc((FIX / "memorandum_total.txt").read_text()))
    (table,) = out.rows["tables"]
    assert table["totals_reconcile"] is True
    (problem,) = out.rows["problems"]
    assert problem["code"] == "table_total_selection" and problem["severity"] == "info"
    assert "New savings; New income; New grants; Prior year savings" in problem["message"]
    kinds = {r["row_index"]: (r["row_kind"], r["title"]) for r in out.rows["plan_lines"]}
    assert kinds[2] == ("total", "TOTAL SPENDING")
    assert kinds[7] == ("subtotal", None)


def test_total_that_is_no_sum_and_no_selection_is_still_a_mismatch():
    plan = _plan(["Item", "2025-26 Core £000s", "2025-26 External £000s"],
                 [["Pay", "100.0", "10.0"], ["Prices", "50.0", "5.0"], ["Grants", "-20.0", "7.0"],
                  ["TOTAL", "200.0", "30.0"]])
    check = reconcile(plan)
    assert check.reconciles is False and not check.selections
    assert {(m.expected, m.printed) for m in check.mismatches} == {
        (Decimal("130000.00"), Decimal("200000.00")), (Decimal("22000.00"), Decimal("30000.00"))}


def test_running_subtotal_without_total_label_and_rounded_millions():
    """'Net growth' is growth plus savings (a base line above it is not part of it): a subtotal, so
    'Total Net growth' = Net growth + the line after it, within the £0.1m rounding."""
    plan = _plan(["", "Total Adults", "ASCH Adults", "CYPE Adults"],
                 [["Base Budget 2024-25", "£620.3m", "£564.5m", "£55.7m"],
                  ["Spending growth", "£78.1m", "£76.6m", "£1.6m"],
                  ["Net Savings/Income", "-£23.0m", "-£22.2m", "-£0.8m"],
                  ["Net growth in service budgets", "+£55.1m", "+£54.4m", "+£0.7m"],
                  ["Est. share of centrally held pay", "+£3.8m", "+£3.8m", "£0.0m"],
                  ["Total Net growth", "+£59.0m", "+£58.2m", "+£0.7m"]])
    marked = mark_derived_rows(plan)
    assert [r.title for r in marked] == ["Net growth in service budgets"]
    assert plan.rows[3].row_kind == "subtotal"
    check = reconcile(plan)
    assert check.reconciles is True and not check.mismatches


def test_numbered_or_one_column_rows_are_never_taken_for_sums():
    plan = _plan(["Ref", "Proposal", "2024-25 Target £000", "Total Forecast £000"],
                 [["1", "A", "10", "10"], ["2", "B", "20", "20"], ["3", "C", "30", "30"],
                  ["", "D", "-40", "-40"], ["", "E", "-10", "-10"], ["", "F", "-50", "-50"]])
    assert mark_derived_rows(plan) == []  # 3 = 1 + 2 has a number; F = D + E says it twice, no more


def test_part_totals_named_at_the_end_and_a_grand_total_over_them():
    plan = _plan(["Saving", "2024-25 Savings Target £000s", "Total Forecast £000s"],
                 [["Growth", "", ""], ["Green waste", "-621.0", "0.0"], ["Fees", "-50.0", "-50.0"],
                  ["Growth, Environment & Transport Total", "-671.0", "-50.0"],
                  ["Chief Executive's Department", "", ""], ["Pensions", "-250.0", "-250.0"],
                  ["Chief Executive's Department Total", "-250.0", "-250.0"],
                  ["Total", "-921.0", "-300.0"]])
    assert [r.row_kind for r in plan.rows] == ["line", "line", "subtotal", "line", "subtotal", "total"]
    assert reconcile(plan).reconciles is True


def test_directorate_total_over_service_subtotals_and_earlier_grids():
    """One ruled grid per service under the same header; the directorate total in the last grid
    adds the service subtotals and the single-service lines of the grids before it."""
    header = ["Row Ref", "Key Service", "2025-26 Gross £000s", "2025-26 Net £000s", "Key Service Description"]
    first = _plan(header, [["105", "Client Relationships", "2,635.6", "2,480.6", "Desc a"],
                           ["106", "Health & Safety", "411.6", "382.2", "Desc b"],
                           ["107", "Total - Strategic Management", "3,047.2", "2,862.8", ""]])
    second = _plan(header, [["110", "Corporate Landlord", "35,209.2", "28,628.6", "Estates"]])
    last = _plan(header, [["118", "Technology", "30,378.2", "26,131.0", "IT"],
                          ["119", "Total - Deputy Chief Executive's Department", "68,634.6", "57,622.4", ""]])
    assert last.rows[0].title == "Technology"  # 'Key Service', not its description
    assert reconcile(last).reconciles is False  # alone, the last grid cannot explain its total
    assert reconcile(last, [first, second]).reconciles is True


def test_rates_row_and_blank_headed_pound_columns_are_not_money():
    plan = _plan(["Type", "2020-21", "2021-22"],
                 [["Special", "£106", "£123"], ["Total Spend", "£106", "£123"], ["Rate of increase", "-", "13%"]])
    assert [r.title for r in plan.rows] == ["Special", "Total Spend"]
    grid = Grid(["", "", ""], [["Independent Schools", "£43,734", "£44,799"], ["Post 16", "£13,309", "£13,090"]],
                [1, 1], "pdf_ruled")
    assert read_plan(grid) is None


def test_ruled_section_heading_is_a_body_row_so_pages_with_and_without_it_join():
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                        ("FONTSIZE", (0, 0), (-1, -1), 9)])
    first = Table([HEADER, ["", "Growth & Communities", "", ""]] + ROWS[:1], colWidths=[40, 220, 80, 80])
    second = Table([HEADER] + ROWS[1:], colWidths=[40, 220, 80, 80])
    first.setStyle(style)
    second.setStyle(style)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, invariant=1).build([first, PageBreak(), second])
    out = run(pdf_doc(buf.getvalue()))
    (t,) = out.rows["tables"]
    assert t["header"] == "Ref | Proposal | 2024/25 £000 | 2025/26 £000" and t["page_last"] == 2
    assert t["totals_reconcile"] is True and lines_of(out) == WANT


def _wrapped_savings() -> bytes:
    """Excel-style savings list: labels wrapped upwards onto the line that carries the figures,
    a heading in a larger type, a top-aligned label over a label-less figure line, part and grand
    totals, and a narrow right-aligned two-line heading over a narrow column."""
    fig = [(360, "r"), (430, "r"), (495, "r"), (560, "r")]

    def row(y, label, values):
        return (y, ([(40, label, "l")] if label else []) + [(x, v, a) for (x, a), v in zip(fig, values)])

    lines = [(30, [(40, "Savings delivery 2024-25", "l")]),
             (60, [(360, "2024-25", "r"), (430, "Total", "r"), (560, "To be achieved", "r")]),
             (70, [(40, "Saving", "l"), (360, "Target", "r"), (430, "Forecast", "r"), (495, "Un-deliverable", "r"),
                   (560, "in future years", "r")]),
             (80, [(360, "£000s", "r"), (430, "£000s", "r")]),
             (100, [(40, "Growth and Environment", "l", 10)]),
             row(112, "Review of green waste contract", ["-621.0", "0.0", "621.0", "0.0"]),
             (122, [(40, "Review of the services to be merged to ensure synergies in", "l")]),
             row(132, "back office functions", ["-150.0", "-150.0", "0.0", "0.0"]),
             (142, [(40, "Savings from reduced payments to districts from the Extended Producer", "l")]),
             row(152, "Responsibility legislation", ["-1,300.0", "-1,300.0", "0.0", "0.0"]),
             row(162, "Income from penalties", ["-100.0", "0.0", "0.0", "-100.0"]),
             (178, [(40, "Work with districts on food waste", "l")]),
             row(194, "", ["-80.0", "0.0", "0.0", "-80.0"]),
             row(210, "Growth and Environment Total", ["-2,251.0", "-1,450.0", "621.0", "-180.0"]),
             row(222, "Total", ["-2,251.0", "-1,450.0", "621.0", "-180.0"])]
    return _canvas_pdf(lines)


def test_labels_wrapped_upwards_go_with_the_figures_below_them():
    out = run(_pdfium_doc(_wrapped_savings()))
    (table,) = out.rows["tables"]
    assert table["method"] == "pdf_words" and table["totals_reconcile"] is True
    titles = [(r["row_kind"], r["title"]) for r in out.rows["plan_lines"] if r["column"].startswith("2024-25")]
    assert titles == [
        ("line", "Review of green waste contract"),
        ("line", "Review of the services to be merged to ensure synergies in back office functions"),
        ("line", "Savings from reduced payments to districts from the Extended Producer Responsibility legislation"),
        ("line", "Income from penalties"),
        ("line", "Work with districts on food waste"),
        ("subtotal", "Growth and Environment Total"),
        ("total", "Total")]
    # a narrow right-aligned heading reaching over the gap stays over its own column
    assert table["header"].endswith("| Un-deliverable | To be achieved in future years")


def test_calendar_year_columns_take_the_year_ending_31_march_and_unlabelled_total():
    def page(title: str) -> bytes:
        return _canvas_pdf([
            (40, [(60, title, "l")]),
            (70, [(120, "2017", "r"), (300, "2018", "r"), (380, "2018", "r")]),
            (82, [(120, "£", "r"), (300, "£", "r"), (380, "£", "r")]),
            (94, [(120, "Budget", "r"), (300, "Actual", "r"), (380, "Budget", "r")]),
            (126, [(120, "(145,000)", "r"), (140, "Economic Development", "l"), (300, "(4,022)", "r"), (380, "(132,000)", "r")]),
            (138, [(120, "(20,000)", "r"), (140, "Cultural and Heritage", "l"), (300, "(94,886)", "r"), (380, "(190,000)", "r")]),
            (160, [(120, "(165,000)", "r"), (300, "(98,908)", "r"), (380, "(322,000)", "r")]),
            (180, [(120, "1,823,850", "r"), (140, "Annual Precept", "l"), (300, "1,832,982", "r"), (380, "1,832,982", "r")])],
            size=(595, 842))

    out = run(_pdfium_doc(page("Budget Comparison for the year ended 31 March 2018")))
    got = {(r["column"], r["fiscal_year"]) for r in out.rows["plan_lines"]}
    assert got == {("2017 £ Budget", "2016-17"), ("2018 £ Actual", "2017-18"), ("2018 £ Budget", "2017-18")}
    kinds = [(r["row_kind"], r["title"]) for r in out.rows["plan_lines"] if r["column"] == "2017 £ Budget"]
    assert kinds[2] == ("subtotal", None)  # the unlabelled row under the lines is their total, not a line
    assert out.rows["tables"][0]["totals_reconcile"] is True
    out = run(_pdfium_doc(page("Budget Comparison 2018")))
    assert {r["fiscal_year"] for r in out.rows["plan_lines"]} == {None}  # no year end stated: no guess


def test_total_repeating_its_last_line_is_a_mismatch_not_a_running_total():
    plan = _plan(["Item", "2025-26 £000"], [["Pay", "100"], ["Prices", "200"], ["Total", "200"]])
    check = reconcile(plan)
    assert check.reconciles is False
    assert [(m.expected, m.printed) for m in check.mismatches] == [(Decimal("300000.00"), Decimal("200000.00"))]


def _justified(x: float, text: str, space: float, font: int = 8) -> list[tuple[float, str, str]]:
    """The words of `text` from x, `space` points apart (a justified line spaces its words wide)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cells = []
    for word in text.split():
        cells.append((x, word, "l"))
        x += stringWidth(word, "Helvetica", font) + space
    return cells


def _key_service_page() -> bytes:
    """A monitoring report's key-service table: narrow headings wrapped letter by letter ('Revenu' /
    'e' / 'Budget'), labels wrapped around their figures, a Detail column of justified prose whose
    amounts ('+£0.3m') line up down the page, a Total, and prose under the table that prints an
    amount where the Variance column is."""
    money = [250, 300, 350]
    lines = [(30, [(300, "All figures in £m", "c")]),
             (50, [(300, "Revenu", "r"), (350, "Revenu", "r")]),
             (56, [(250, "Revenu", "r")]),
             (62, [(300, "e", "r"), (350, "e", "r")]),
             (68, [(130, "Key Service", "l"), (250, "e", "r"), (365, "Summary", "l"), (455, "Detail", "l")]),
             (74, [(300, "Forecas", "r"), (350, "Varianc", "r")]),
             (80, [(250, "Budget", "r")]),
             (86, [(300, "t", "r"), (350, "e", "r")])]
    rows = [("Older People -", "Residential Care", "97.5", "124.9", "+27.4",
             "+£10.7m pressure relates to slippage in savings and +£12.4m from client activity."),
            ("Adult Mental Health -", "Community Services", "21.2", "30.2", "+9.0",
             "Other pressures include +£4.6m from slippage in savings and +£0.3m from last year."),
            ("Adult Learning -", "Supported Living", "40.7", "42.6", "+1.9",
             "The pressure is offset by -£0.5m of benefit from unrealised creditors of +£0.2m.")]
    y = 110
    for above, label, b, f, v, detail in rows:
        words = detail.split()
        half = len(words) // 2
        lines.append((y, [(60, above, "l"), (365, "Activity", "l")] + _justified(455, " ".join(words[:half]), 8)))
        lines.append((y + 11, [(60, label, "l")] + [(x, t, "r") for x, t in zip(money, (b, f, v))]
                      + _justified(455, " ".join(words[half:]), 8)))
        y += 40
    lines.append((y, [(60, "Total", "l")] + [(x, t, "r") for x, t in zip(money, ("159.4", "197.7", "+38.3"))]))
    lines.append((y + 20, _justified(60, "The directorate has a projected net overspend of", 3)
                  + [(350, "+£38.3m", "r")] + _justified(355, "of which £26.2m relates to savings", 3)))
    return _canvas_pdf(lines, size=(800, 500))


def test_key_service_table_with_prose_beside_and_below_it():
    """The Q3 monitoring report's layout (Kent, pp8-22): amounts inside sentences are text, not a
    money column, so the header is found above the first row; letter-wrapped headings still name
    their measure; the sentence under the Total is no row."""
    out = run(_pdfium_doc(_key_service_page()))
    (table,) = out.rows["tables"]
    assert table["totals_reconcile"] is True and table["unit"] == "£m"
    lines = out.rows["plan_lines"]
    assert {r["measure"] for r in lines} == {"budget", "forecast", "variance"}
    by_row: dict[str, dict[str, Decimal]] = {}
    for r in lines:
        by_row.setdefault(r["title"], {})[r["measure"]] = r["amount_gbp"]
    assert list(by_row) == ["Older People - Residential Care", "Adult Mental Health - Community Services",
                            "Adult Learning - Supported Living", "Total"]
    for title, m in by_row.items():
        assert m["budget"] + m["variance"] == m["forecast"], title
    assert all("£" not in r["title"] for r in lines)


def _two_page_statement() -> bytes:
    """A key-service statement over two pages: page 1 prints the header; page 2 carries the table on
    with none. A division's heading repeats its one line's label; a directorate total qualified in
    brackets is followed at once by the next directorate's heading."""
    from reportlab.pdfgen import canvas

    money = [400, 460, 520]

    def line(c, y, label, figures=()):
        c.drawString(60, 595 - y, label)
        for x, t in zip(money, figures):
            c.drawRightString(x, 595 - y, t)

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(842, 595), invariant=1)
    c.setFont("Helvetica", 8)
    for x, t in zip(money, ("Budget", "Forecast", "Variance")):
        c.drawRightString(x, 595 - 40, t)
    c.drawRightString(520, 595 - 28, "£m")
    line(c, 60, "Libraries", ("11.1", "10.5", "-0.6"))
    line(c, 72, "Community Protection", ("12.0", "11.3", "-0.7"))
    line(c, 84, "Technology")
    line(c, 93, "Technology", ("26.1", "26.1", "0.0"))
    line(c, 105, "Growth Total (excluding grants)", ("49.2", "47.9", "-1.3"))
    line(c, 114, "Chief Executive's Department")
    line(c, 126, "Finance", ("10.3", "10.0", "-0.3"))
    c.showPage()
    c.setFont("Helvetica", 8)
    line(c, 40, "Governance & Law", ("7.5", "7.3", "-0.2"))
    line(c, 52, "Local Member Grants", ("0.0", "0.0", "0.0"))
    line(c, 64, "Chief Executive's Department Total", ("17.8", "17.3", "-0.5"))
    line(c, 76, "Grand Total", ("67.0", "65.2", "-1.8"))
    c.save()
    return buf.getvalue()


def test_table_carried_on_a_page_without_its_header_is_one_table():
    out = run(_pdfium_doc(_two_page_statement()))
    (table,) = out.rows["tables"]
    assert (table["page_first"], table["page_last"], table["totals_reconcile"]) == (1, 2, True)
    rows = {}
    for r in out.rows["plan_lines"]:
        rows.setdefault((r["row_kind"], r["title"], r["page"]), {})[r["measure"]] = r["amount_gbp"]
    assert list(rows) == [
        ("line", "Libraries", 1), ("line", "Community Protection", 1), ("line", "Technology", 1),
        ("subtotal", "Growth Total (excluding grants)", 1), ("line", "Finance", 1),
        ("line", "Governance & Law", 2), ("line", "Local Member Grants", 2),
        ("subtotal", "Chief Executive's Department Total", 2),
        ("total", "Grand Total", 2)]
    assert rows[("line", "Governance & Law", 2)] == {
        "budget": Decimal("7500000.00"), "forecast": Decimal("7300000.00"), "variance": Decimal("-200000.00")}


def test_a_table_without_a_unit_takes_the_unit_of_an_earlier_table_with_its_header():
    """A report's directorate tables: the first says 'All figures in £m', a later one prints only the
    same header (Kent's Q3 report, p15): it is read in £m."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(842, 595), invariant=1)
    for page, rows in enumerate(([("Adults", "524.7", "588.4", "+63.7"), ("Public Health", "0.0", "0.0", "0.0"),
                                  ("Total", "524.7", "588.4", "+63.7")],
                                 [("Waste", "97.3", "99.9", "+2.6"), ("Highways", "72.9", "78.1", "+5.2"),
                                  ("Growth", "31.3", "29.9", "-1.4"), ("Total", "201.5", "207.9", "+6.4")])):
        c.setFont("Helvetica", 8)
        if page == 0:
            c.drawString(300, 595 - 30, "All figures in £m")
        for x, t in zip((400, 460, 520), ("Budget", "Forecast", "Variance")):
            c.drawRightString(x, 595 - 50, t)
        for n, row in enumerate(rows):
            c.drawString(60, 595 - 70 - 14 * n, row[0])
            for x, t in zip((400, 460, 520), row[1:]):
                c.drawRightString(x, 595 - 70 - 14 * n, t)
        c.drawString(60, 595 - 200, "The directorate is projected to be overspent by £6.4m.")
        c.showPage()
        if page == 0:  # a page of prose between the two tables
            c.setFont("Helvetica", 8)
            c.drawString(60, 595 - 50, "Details of the significant variances are shown on the following pages.")
            c.showPage()
    c.save()
    out = run(_pdfium_doc(buf.getvalue()))
    tables = out.rows["tables"]
    assert [(t["page_first"], t["unit"], t["totals_reconcile"]) for t in tables] == [(1, "£m", True), (3, "£m", True)]
    assert {r["amount_gbp"] for r in out.rows["plan_lines"] if r["title"] == "Waste"} == {
        Decimal("97300000.00"), Decimal("99900000.00"), Decimal("2600000.00")}


_coord = st.integers(min_value=0, max_value=20).map(lambda v: v * 3)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xs=st.lists(_coord, min_size=2, max_size=8, unique=True), ys=st.lists(_coord, min_size=2, max_size=8, unique=True),
       data=st.data())
def test_the_fast_cell_search_finds_pdfplumbers_cells(xs, ys, data):
    """Ruling lines of random lengths on a random lattice: the same cells, in the same order."""
    import pdfplumber.table as pt
    from councilpapers.plans.cells import intersections_to_cells
    xs, ys = sorted(xs), sorted(ys)
    edges = []
    for y in ys:
        a, b = sorted(data.draw(st.lists(st.sampled_from(xs), min_size=2, max_size=2, unique=True)))
        edges.append({"x0": a, "x1": b, "top": y, "bottom": y, "width": b - a, "height": 0, "orientation": "h"})
    for x in xs:
        a, b = sorted(data.draw(st.lists(st.sampled_from(ys), min_size=2, max_size=2, unique=True)))
        edges.append({"x0": x, "x1": x, "top": a, "bottom": b, "width": 0, "height": b - a, "orientation": "v"})
    crossings = pt.edges_to_intersections(edges, 3, 3)
    assert intersections_to_cells(crossings) == pt.intersections_to_cells(crossings)


def test_the_fast_table_finder_finds_pdfplumbers_tables_on_the_corpus():
    from pdfplumber.table import TableFinder
    from councilpapers.plans.cells import FastTableFinder
    from councilpapers.plans.pdfium_page import read_pages
    from councilpapers.plans.settings import TableReading
    pdfs = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))
    if not pdfs:
        pytest.skip("../shared/corpus not present")
    ruled = TableReading().ruled
    pages = 0
    for pdf in pdfs:
        data = pdf.read_bytes()
        try:
            found = list(read_pages(data, list(range(1, 80))))
        except Exception:  # noqa: BLE001  (a scan the pipeline reports as needs_ocr)
            continue
        for page in found:
            if not page.has_ruling:
                continue
            pages += 1
            fast, slow = FastTableFinder(page, ruled), TableFinder(page, ruled)
            assert fast.cells == slow.cells, (pdf.name, page.number)
            assert [t.bbox for t in fast.tables] == [t.bbox for t in slow.tables], (pdf.name, page.number)
    assert pages >= 100


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 20)), max_size=12), st.booleans(),
       st.lists(st.floats(-5, 125), min_size=1, max_size=20))
def test_the_zone_search_finds_the_first_zone_a_scan_finds(spans, rising, values):
    """Rows and columns as read (lows and highs rising, neighbours overlapping or apart) and
    zones in any order: the zone a scan in list order finds first."""
    from councilpapers.plans.pdf_tables import _first_zone
    spans = sorted(spans) if rising else spans
    zones = [(i, lo, lo + width) for i, (lo, width) in enumerate(spans)]
    find = _first_zone(zones)
    for v in values + [lo for _, lo, _ in zones] + [hi for _, _, hi in zones]:
        assert find(v) == next((i for i, lo, hi in zones if lo <= v <= hi), None)


def _plain_looks_like_money_table(text: str, settings: TableReading) -> bool:
    """The page pre-filter as first written (every test on every line), the reference for the quick one."""
    from councilpapers.normalise.fiscal_year import find_fiscal_years
    from councilpapers.plans import pdf_tables as pt
    from councilpapers.plans.plan import _SCALED_UNIT
    if not text:
        return False
    if _SCALED_UNIT.search(text):
        return True
    dense = pounds = grouped = 0
    for line in text.split("\n"):
        if len(find_fiscal_years(line)) >= 2 and "£" in text:
            return True
        dense += len(pt._FIGURE_TOKEN.findall(line)) >= settings.dense_figures
        pounds += bool(pt._POUND_AT_END.search(line))
        grouped += len(pt._GROUPED_FIGURE.findall(line)) >= 2
    if grouped >= settings.dense_lines and pt._ACCOUNTS_WORD.search(text):
        return True
    if "£" not in text:
        return False
    return dense >= settings.dense_lines or (pounds >= settings.dense_lines - 1 and bool(pt._TOTAL_OR_YEAR.search(text)))


def test_the_page_prefilter_answers_as_its_plain_form_on_every_corpus_page():
    from councilpapers.load import LoadError, load_file
    from councilpapers.plans.pdf_tables import looks_like_money_table
    corpus = SHARED / "corpus"
    paths = sorted(corpus.glob("pdf/*.pdf")) + sorted(corpus.glob("pages/*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
    if not paths:
        pytest.skip("../shared/corpus not present")
    texts = []
    for path in paths:
        try:
            texts += [p.text for p in load_file(path).pages]
        except LoadError:
            continue
    # the corpus's lines, shuffled into pages with and without a '£', so every branch is taken
    lines = [ln for t in texts for ln in t.split("\n")]
    texts += ["\n".join(lines[k:k + 40]) + ("\n£" if k % 2 else "") for k in range(0, len(lines), 40)]
    answers = set()
    for reading in (TableReading(), TableReading(dense_lines=2, dense_figures=1)):
        for text in texts:
            got = looks_like_money_table(text, reading)
            assert got == _plain_looks_like_money_table(text, reading), text[:200]
            answers.add(got)
    assert answers == {True, False}


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2007\u200a\u200b\u2028\u202f"
                                        "\u205f\u3000\ufeffa£1,(-")))
def test_clean_folds_white_space_as_the_regex_did(text):
    import re
    from councilpapers.plans.plan import clean
    assert clean(text) == re.sub(r"\s+", " ", text).strip()
