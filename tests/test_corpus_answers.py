"""The answers a query prints on the corpus, checked against the totals the papers print (issue 13).

Kent's adopted savings for 2025-26 are Appendix F's savings lines: £90,557.8k, the sum of the category
totals Appendix F prints (TOTAL TRANSFORMATION ..., TOTAL INCOME, ..., TOTAL INCREASES IN GRANTS AND
CONTRIBUTIONS). Labour's alternative budget (lost 12/42/7 in the printed minutes) and its reprint in the
amendments pack are not added; nor are Appendix G's key-service rows."""
from __future__ import annotations

from decimal import Decimal

import pytest

from councilpapers.query import named_queries, run_query

from .conftest import requires_corpus

pytestmark = requires_corpus()

APPX_F = "pdf/kent_2025-02-13_county-council_appx-f-budget-templates.pdf"


def _rows(parsed, sql):
    res = run_query(parsed, sql)
    return [dict(zip(res.columns, r)) for r in res.rows]


@pytest.fixture(scope="module")
def parsed(corpus_run):
    return corpus_run[0]


def test_kent_adopted_savings_2025_26_are_appendix_f_counted_once(parsed):
    rows = _rows(parsed, named_queries()["savings_by_council_year"].sql)
    kent = {r["fiscal_year"]: r for r in rows if r["council"] == "Kent"}
    assert kent["2025-26"]["saving_gbp"] == Decimal("90557800.00")
    assert kent["2025-26"]["standing"] == "adopted"
    assert kent["2025-26"]["printed_in"] == APPX_F + " p13-19"
    # Appendix F's grand 'TOTAL 90,557.8 9,060.4 40,669.8'
    assert [kent[y]["saving_gbp"] for y in ("2025-26", "2026-27", "2027-28")] == [
        Decimal("90557800.00"), Decimal("9060400.00"), Decimal("40669800.00")]
    # the printed category totals of the same table add up to the same figure
    printed = _rows(parsed, f"""
        SELECT sum(p.amount_gbp) AS s FROM plan_lines p JOIN documents d USING (doc_id)
        WHERE d.source_path = '{APPX_F}' AND p.row_kind = 'total' AND p.fiscal_year = '2025-26'
          AND p.measure = 'saving'""")
    assert printed[0]["s"] == Decimal("-90557800.00")


def test_kent_savings_by_service_add_up_to_the_year(parsed):
    rows = [r for r in _rows(parsed, named_queries()["savings_by_service"].sql)
            if r["council"] == "Kent" and r["fiscal_year"] == "2025-26"]
    by_area = {r["service_area"]: r["saving_gbp"] for r in rows}
    assert sum(by_area.values()) == Decimal("90557800.00")
    assert by_area["Adult social care"] == Decimal("23888200.00")
    assert by_area["Children's social care"] == Decimal("18067100.00")
    assert by_area["Education"] == Decimal("18665300.00")
    assert {r["printed_in"] for r in rows} == {APPX_F + " p13-19"}


def test_the_alternative_budget_is_rejected_and_its_reprint_points_to_it(parsed):
    docs = {r["source_path"]: r["standing"] for r in _rows(parsed, "SELECT source_path, standing FROM documents")}
    assert docs["pdf/kent_2025-02-13_county-council_labour-alt-budget-appx-f.pdf"] == "rejected"
    assert docs["pdf/kent_2025-02-13_county-council_budget-amendments-pack.pdf"] == "rejected"
    for name in ("appx-d-3yr-revenue-plan", "appx-e-budget-by-directorate", "appx-f-budget-templates",
                 "appx-g-key-service-statement"):
        assert docs[f"pdf/kent_2025-02-13_county-council_{name}.pdf"] == "adopted", name
    reprints = _rows(parsed, """
        SELECT d.source_path AS copy, c.source_path AS canon FROM tables t JOIN documents d USING (doc_id)
        JOIN tables o ON o.table_id = t.duplicate_of JOIN documents c ON c.doc_id = o.doc_id""")
    assert {(r["copy"].split("_")[-1], r["canon"].split("_")[-1]) for r in reprints} == {
        ("budget-amendments-pack.pdf", "labour-alt-budget-appx-f.pdf"),
        ("budget-amendments-pack.pdf", "appx-d-3yr-revenue-plan.pdf")}


def test_no_tax_base_column_is_money(parsed):
    assert _rows(parsed, "SELECT count(*) AS n FROM plan_lines WHERE lower(\"column\") LIKE '%taxbase%'")[0]["n"] == 0


def test_the_q3_report_key_service_tables_in_millions_are_read_and_reconcile(parsed):
    rows = _rows(parsed, """
        SELECT t.page_first, t.unit, t.totals_reconcile, t.standing FROM tables t JOIN documents d USING (doc_id)
        WHERE d.source_path = 'pdf/kent_2025-01-30_cabinet_finance-monitoring-q3.pdf' AND t.unit = '£m'""")
    pages = {r["page_first"] for r in rows}
    assert {7, 11, 15, 18, 20, 22, 24, 25, 37} <= pages  # p15 prints no unit: that of p11, same header
    assert all(r["standing"] == "monitoring" for r in rows)
    assert all(r["totals_reconcile"] is not False for r in rows)
    reconciled = {r["page_first"] for r in rows if r["totals_reconcile"]}
    assert {7, 11, 15, 18, 20, 22, 24, 25, 37} <= reconciled


def test_every_q3_key_service_row_is_budget_plus_variance_equals_forecast(parsed):
    """The key-service tables of pp7-22 print no totals beside their prose, but each row checks itself:
    forecast - budget = variance (to the printed £0.1m). Every row of the report that has all three
    does, the letter-wrapped 'Revenu e Forecas t' columns are read, and no sentence is a row."""
    rows = _rows(parsed, """
        SELECT p.table_id, p.row_index, any_value(p.title) AS title, any_value(p.page) AS page,
               max(p.amount_gbp) FILTER (WHERE p.measure = 'budget') AS b,
               max(p.amount_gbp) FILTER (WHERE p.measure = 'forecast') AS f,
               max(p.amount_gbp) FILTER (WHERE p.measure = 'variance') AS v
        FROM plan_lines p JOIN documents d USING (doc_id)
        WHERE d.source_path = 'pdf/kent_2025-01-30_cabinet_finance-monitoring-q3.pdf' GROUP BY ALL""")
    checked = [r for r in rows if None not in (r["b"], r["f"], r["v"])]
    assert len(checked) >= 64  # 47 before amounts in sentences stopped making money columns
    assert all(abs(r["b"] + r["v"] - r["f"]) <= Decimal("100000") for r in checked)
    # the detail tables beside prose, and pages 13-14 that carry page 12's table on with no header
    assert {8, 9, 10, 12, 13, 14, 16, 19} <= {r["page"] for r in checked}
    budgets = {r["table_id"] for r in rows if r["b"] is not None}
    assert not [r["title"] for r in rows if r["table_id"] in budgets and "£" in (r["title"] or "")]  # no sentence a row


def test_the_q3_key_service_statement_is_one_table_over_seven_pages_and_reconciles(parsed):
    """Appendix 1 of the Q3 report prints its header on every page, the '£m' over a column on some
    pages and not others, and page 4 sets its first row too far below the header to be read alone:
    one table of pp1-7 whose Grand Total (£1,432.3m budget) adds up from the directorate totals."""
    (t,) = _rows(parsed, """
        SELECT t.page_first, t.page_last, t.n_rows, t.totals_reconcile FROM tables t JOIN documents d USING (doc_id)
        WHERE d.source_path = 'pdf/kent_2025-01-30_cabinet_finance-monitoring-q3-appx-key-services.pdf'
          AND t.header LIKE 'Directorate, Division & Key Service%'""")
    assert (t["page_first"], t["page_last"], t["totals_reconcile"]) == (1, 7, True)
    assert t["n_rows"] >= 140
    kinds = {r["title"]: r["row_kind"] for r in _rows(parsed, """
        SELECT p.title, p.row_kind FROM plan_lines p JOIN documents d USING (doc_id)
        WHERE d.source_path = 'pdf/kent_2025-01-30_cabinet_finance-monitoring-q3-appx-key-services.pdf'""")}
    assert kinds["Growth, Environment & Transport Total"] == "subtotal"  # not glued to the next heading
    assert kinds["Children, Young People & Education Total (Excluding Schools' Delegated Budgets)"] == "subtotal"
    assert "Technology" in kinds and "Technology Technology" not in kinds


def test_kent_savings_by_directorate_reconcile_to_appendix_e(parsed):
    """Appendix E prints each directorate's 'TOTAL SAVINGS, INCOME & GRANT' for 2025-26; the adopted
    Appendix F lines the savings queries count add up to every one of them (savings print negative)."""
    printed: dict[str, dict[str, Decimal]] = {}
    for r in _rows(parsed, """
            SELECT p."column" AS col, p.measure, p.amount_gbp FROM plan_lines p JOIN documents d USING (doc_id)
            WHERE d.source_path LIKE '%appx-e-budget-by-directorate%' AND p.title = 'TOTAL SAVINGS, INCOME & GRANT'"""):
        directorate = r["col"].rsplit(" ", 2)[0]  # 'CYPE Total £000s' -> CYPE
        printed.setdefault(directorate, {})[r["measure"]] = r["amount_gbp"]
    printed_total = {k: v.get("total", sum(v.values())) for k, v in printed.items() if k != "TOTAL"}
    counted = {r["directorate"]: r["s"] for r in _rows(parsed, """
        SELECT directorate, sum(saving_gbp) AS s FROM counted_savings
        WHERE council = 'Kent' AND fiscal_year = '2025-26' AND directorate <> 'TBC' GROUP BY directorate""")}
    assert counted == {k: -v for k, v in printed_total.items()}
    assert set(counted) == {"ASCH", "CED", "CHB", "CYPE", "DCED", "GET", "NAC", "Public Health"}


def test_pages_carry_the_pdf_page_size(parsed):
    # the corpus manifest: Appendix E is 'a single oversized landscape page (1257x888 pt)'
    rows = _rows(parsed, """SELECT p.page, p.width_pt, p.height_pt FROM pages p JOIN documents d USING (doc_id)
                             WHERE d.source_path LIKE '%appx-e-budget-by-directorate%'""")
    assert [(r["page"], round(r["width_pt"]), round(r["height_pt"])) for r in rows] == [(1, 1257, 888)]


def test_votes_by_member_add_up_to_every_printed_division(parsed):
    """Issue 17 item 3: one row per member per division; per division the named votes match the counts
    the minutes print (Kent's budget meeting: 8 divisions, and Cabinet's procedural motion)."""
    rows = _rows(parsed, """
        SELECT decision_id, any_value(votes_for) AS f, any_value(votes_against) AS a, any_value(abstentions) AS ab,
               count(*) FILTER (WHERE vote = 'for') AS nf, count(*) FILTER (WHERE vote = 'against') AS na,
               count(*) FILTER (WHERE vote = 'abstain') AS nab
        FROM votes GROUP BY decision_id""")
    assert len(rows) == 9
    exact = [r for r in rows if (r["f"], r["a"], r["ab"]) == (r["nf"], r["na"], r["nab"])]
    assert len(exact) == 8  # the procedural motion prints 23 for and names 22
    by_member = {r["member"]: r for r in _rows(parsed, named_queries()["votes_by_member"].sql)}
    assert by_member["Baker"]["divisions"] == 8 and by_member["Baker"]["abstained"] == 1
