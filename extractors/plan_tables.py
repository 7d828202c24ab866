"""Money plan tables (savings, investment, budget) -> `tables` and long-form `plan_lines`.

Text and HTML pages are read as text columns (pipeline.plans.text_tables). PDF pages
are read from PDFium geometry (pipeline.plans.pdf_tables), only pages whose extracted
text looks like a money table (`looks_like_money_table`): the text is already there and
cheap to test, and geometry costs ~20 ms a page.
Every table's totals are checked (pipeline.plans.reconcile); a total that does not
add up is a `table_total_mismatch` warning with the expected and printed figures.
Before the check, rows that are visibly sums of the rows above (an unlabelled row under a
rule) become subtotals; a total may add up lines of earlier tables printed under the same
header (one grid per service, the directorate total in the last); a memorandum total of a
selection of lines is left unchecked with a `table_total_selection` info problem.
A year-less Total column is kept with fiscal_year null (see pipeline.plans.plan); a bare
calendar-year column ('2018 £') gets the year ending 31 March only when the table's page says
the figures are for a year ending 31 March (`years_from_year_end`).
"""
from __future__ import annotations

from councilpapers.document import Document
from councilpapers.ids import content_id
from councilpapers.normalise.services import service_area
from councilpapers.standing import document_standing, opening, standing_of
from councilpapers.registry import Output, extractor
from councilpapers.plans.pdf_tables import TablePages, find_pdf_plans, looks_like_money_table
from councilpapers.plans.plan import Plan, clean, merge_continued, read_plan, same_columns, years_from_year_end
from councilpapers.plans.reconcile import mark_derived_rows, reconcile
from councilpapers.plans.text_tables import find_text_tables


def text_plans(doc: Document) -> list[Plan]:
    plans = []
    for page in doc.pages:
        if not looks_like_money_table(page.text):
            continue
        for grid in find_text_tables(page.text, page.number):
            plan = read_plan(grid)
            if plan:
                plans.append(plan)
    return merge_continued(plans)


def table_pages(doc: Document) -> list[int]:
    """The pages to read for tables: as the PDF loader chose them while it read the text (the same
    rule, `TablePages`, on the same text), else chosen now (an OCR'd scan: every page)."""
    if doc.table_pages is not None and not doc.ocr:
        return doc.table_pages
    chooser = TablePages(ocr=doc.ocr)
    for p in doc.pages:
        chooser.add(p.number, p.text)
    return chooser.chosen


def pdf_plans(doc: Document) -> list[Plan]:
    wanted = table_pages(doc)
    if not wanted:
        return []
    return find_pdf_plans(doc.data, wanted, ocr=doc.ocr, ready=doc.pdf_geometry)


FINGERPRINT_MIN_FIGURES = 6  # fewer non-zero figures than this can match another table by chance


def fingerprint(plan: Plan) -> str | None:
    """A content id of the table's figures row by row, blind to labels, refs and column layout, so a
    reprint with an extra Row Ref column or another page break has the same fingerprint."""
    rows = [tuple(str(a) for _, a in sorted(r.amounts.items())) for r in plan.rows]
    if sum(a != "0.00" for r in rows for a in r) < FINGERPRINT_MIN_FIGURES:
        return None
    return content_id("table-figures", *("|".join(r) for r in rows))


def table_standing(plan: Plan, page_text: str | None, doc_standing: str | None) -> str | None:
    """The table's own title words, else its document's standing, else `monitoring` for a table that
    sets a forecast beside a budget or a variance (a monitoring report's appendix titled only 'Appendix 1')."""
    own = standing_of(" ".join([plan.grid.context, opening(page_text, 4)])) or doc_standing
    measures = {c.measure for c in plan.columns}
    if own is None and "forecast" in measures and measures & {"budget", "variance", "saving"}:
        return "monitoring"
    return own


def emit(doc: Document, plans: list[Plan], out: Output) -> None:
    texts = {p.number: p.text for p in doc.pages}
    doc_standing = document_standing(doc.title, doc.pages[0].text if doc.pages else "")
    for n, plan in enumerate(plans):
        table_id = content_id(doc.doc_id, "tables", plan.page_first, plan.grid.method, n)
        years_from_year_end(plan, "\n".join([plan.grid.context, texts.get(plan.page_first, "")]))
        mark_derived_rows(plan)
        check = reconcile(plan, [p for p in plans[:n] if same_columns(p, plan)])
        out.add("tables", table_id=table_id, doc_id=doc.doc_id, page_first=plan.page_first,
                page_last=plan.page_last, unit=plan.unit, n_rows=len(plan.rows), n_cols=plan.grid.n_cols,
                header=" | ".join(plan.grid.header), kind=plan.kind, method=plan.grid.method,
                totals_reconcile=check.reconciles, caption=clean(plan.grid.context) or None,
                standing=table_standing(plan, texts.get(plan.page_first), doc_standing),
                fingerprint=fingerprint(plan))
        for m in check.mismatches:
            out.problem("table_total_mismatch", m.message(plan.unit), page=m.row.page)
        for s in check.selections:
            out.problem("table_total_selection", s.message(), page=s.row.page, severity="info")
        names = {c.index: c for c in plan.columns}
        for row in plan.rows:
            attrs = row.attributes
            area = service_area(row.title, attrs.get("service"), attrs.get("directorate"))
            other = " | ".join(f"{h}: {v}" if h else v for h, v in row.other_text) or None
            for index, amount in sorted(row.amounts.items()):
                col = names[index]
                out.add("plan_lines", line_id=content_id(table_id, row.index, index), doc_id=doc.doc_id,
                        table_id=table_id, ref=row.ref, title=row.title, fiscal_year=col.fiscal_year,
                        column=col.header, amount_gbp=amount, row_kind=row.row_kind, page=row.page,
                        row_index=row.index, measure=col.measure, **attrs, attributes=other, service_area=area,
                        **dict(zip(("x0", "top", "x1", "bottom"), row.boxes.get(index, (None,) * 4))))


@extractor("plan_tables", tables=("tables", "plan_lines"), order=30,
           accepts=lambda doc: doc.ocr or (bool(doc.table_pages) if doc.table_pages is not None
                                           else any(looks_like_money_table(p.text) for p in doc.pages)))
def extract_plan_tables(doc: Document, out: Output) -> None:
    plans = pdf_plans(doc) if doc.format == "pdf" and doc.data else text_plans(doc)
    emit(doc, plans, out)
