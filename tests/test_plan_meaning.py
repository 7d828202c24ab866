"""What a plan line means (issue 13): its measure, its text columns, its service area; non-money columns
never become money; £m tables whose cells print no £; the standing of papers and tables and reprints.

Grids quote the corpus's Kent papers (Appendix F savings, the budget report's Table 6.2, the Q3
monitoring report's key-service tables); the linking tests use composed rows in the shape the
pipeline writes."""
from __future__ import annotations

from decimal import Decimal

from councilpapers.extractors.plan_tables import fingerprint, table_standing
from councilpapers.linking import appendices_named, link_reprints, link_standing
from councilpapers.normalise.services import service_area
from councilpapers.standing import document_standing, group_of
from councilpapers.plans.plan import Grid, read_plan

APPX_F_HEADER = ["MTFP Category", "Directorate", "Cabinet Member", "Headline Description", "Brief Description",
                 "2025-26 £000's", "2026-27 £000's", "2027-28 £000's", "Service Area", "Core or Externally Funded"]
APPX_F_ROWS = [
    ["Transformation - Future Cost Increase Avoidance", "ASCH", "Dan Watkins", "Adult social care service redesign",
     "Full year effect of 2024-25 future cost increase avoidance savings", "-12,868.7", "-488.7", "0.0",
     "Adults and Older People", "Core"],
    ["Efficiency", "CYPE", "Rory Love", "SEN Home to School Transport", "Review of transport policy",
     "-541.0", "0.0", "0.0", "Transport", "Core"],
]


def _appx_f():
    return read_plan(Grid(APPX_F_HEADER, APPX_F_ROWS, [13, 13], "pdf_words",
                          context="APPENDIX F: 2025-28 BUDGET - SAVINGS"))


def test_a_year_column_of_a_savings_table_measures_savings_and_keeps_the_text_columns():
    plan = _appx_f()
    assert {c.measure for c in plan.columns} == {"saving"}
    row = plan.rows[0]
    assert row.attributes == {"category": "Transformation - Future Cost Increase Avoidance", "directorate": "ASCH",
                              "cabinet_member": "Dan Watkins", "service": "Adults and Older People"}
    assert ("Core or Externally Funded", "Core") in row.other_text
    assert row.amounts[5] == Decimal("-12868700.00")


def test_service_area_from_the_title_first_then_service_column_then_directorate():
    plan = _appx_f()
    areas = [service_area(r.title, r.attributes.get("service"), r.attributes.get("directorate")) for r in plan.rows]
    # 'Home to School Transport' under a 'Transport' service area is an education line in the RA form
    assert areas == ["Adult social care", "Education"]
    assert service_area("Future savings under development", "TBC", "TBC") is None


def test_core_external_and_total_columns_each_have_their_measure():
    header = ["", "2025-26 Core £000s", "2025-26 External £000s", "2025-26 Total £000s"]
    plan = read_plan(Grid(header, [["Pay", "21,845.7", "626.9", "22,472.6"], ["Prices", "41,407.1", "1,944.4", "43,351.5"]],
                          [1, 1], "pdf_words"))
    assert [(c.fiscal_year, c.measure) for c in plan.columns] == [("2025-26", "core"), ("2025-26", "external"),
                                                                  ("2025-26", "total")]


def test_a_tax_base_or_percentage_column_never_becomes_money():
    # the budget report's Table 6.2: Band D tax base (property counts) beside the precept in £000s
    header = ["District", "2024-25 Final Band D Equivalent Taxbase", "2025-26 Final Band D Equivalent Taxbase",
              "2025-26 Precept @ £1,691.19 (incl. ASCL) £000s", "% change"]
    rows = [["Ashford", "50,480.29", "51,254.67", "86,680.9", "1.53%"],
            ["Canterbury", "53,166.00", "53,860.89", "91,087.2", "1.31%"]]
    plan = read_plan(Grid(header, rows, [21, 21], "pdf_words", context="Table 6.2 Council Tax base and precept"))
    assert [(c.header, c.measure) for c in plan.columns] == [("2025-26 Precept @ £1,691.19 (incl. ASCL) £000s", "income")]


def test_a_pound_less_table_in_millions_is_read_from_its_measure_columns():
    # Q3 monitoring p7: 'All figures in £m' above 'Revenue Budget | Revenue Forecast | Revenue Variance'
    header = ["Directorate", "Revenue Budget", "Revenue Forecast", "Revenue Variance"]
    rows = [["Adult Social Care & Health Operations", "524.7", "588.4", "63.7"],
            ["Public Health", "0.0", "0.0", "0.0"], ["Total", "524.7", "588.4", "63.7"]]
    plan = read_plan(Grid(header, rows, [7] * 3, "pdf_words", context="All figures in £m"))
    assert [c.measure for c in plan.columns] == ["budget", "forecast", "variance"]
    assert plan.rows[0].amounts[1] == Decimal("524700000.00") and plan.rows[2].row_kind == "total"
    assert table_standing(plan, "", None) == "monitoring"  # a forecast beside a budget
    # the same columns with no unit stated anywhere are not money
    assert read_plan(Grid(header, rows, [7] * 3, "pdf_words")) is None


def test_wrapped_header_words_still_name_their_measure():
    from councilpapers.plans.columns import header_measure
    assert [header_measure(h) for h in ("Revenu e Budget", "Revenu e Forecas t", "Revenu e Varianc e")] == \
        ["budget", "forecast", "variance"]


def test_fingerprint_ignores_labels_and_layout_but_not_figures():
    rows = APPX_F_ROWS + [["Income", "GET", "Neil Baker", f"Charge {i}", "x", f"-{i}.5", f"-{i}.0", "0.0", "Waste", "Core"]
                          for i in range(1, 4)]
    plan = read_plan(Grid(APPX_F_HEADER, rows, [13] * len(rows), "pdf_words", context="APPENDIX F: BUDGET - SAVINGS"))
    # the reprint in the amendments pack: an extra Row ref column, another page, another title
    reprint = read_plan(Grid(["Row ref"] + APPX_F_HEADER, [[str(i + 1)] + r for i, r in enumerate(rows)],
                             [26] * len(rows), "pdf_words",
                             context="APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET - SAVINGS"))
    assert fingerprint(plan) is not None and fingerprint(plan) == fingerprint(reprint)
    reprint.rows[0].amounts[6] += Decimal("100.00")
    assert fingerprint(plan) != fingerprint(reprint)
    # too few figures to tell a reprint from a coincidence
    assert fingerprint(_appx_f()) is None


def test_standing_from_a_papers_own_words():
    assert document_standing("APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET - SPENDING", "") == "alternative"
    assert document_standing("Dear Member", "COUNTY COUNCIL - THURSDAY, 13 FEBRUARY 2025\nEnclosed are the Budget "
                             "amendments that were proposed during the meeting on 13 February\n2025.\nThese amendments "
                             "were considered and debated but not agreed by the Council during the\nmeeting.") == "rejected"
    assert document_standing("Finance Monitoring Report", "") == "monitoring"
    assert document_standing("APPENDIX D - High Level 2025-28 Revenue Plan and Financing", "") is None
    assert group_of("in line with the Labour Group’s Alternative Budget") == {"labour"}
    assert group_of("APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET") == {"labour"}


def test_appendices_a_resolution_names():
    text = ("The directorate revenue budget proposals for 2025-26 and the medium term financial plan as set out in "
            "appendices D (high level county 3 year plan) E (high level 2025-26 plan by directorate), appendix F "
            "(individual spending, savings, income and reserves variations for 2025-26) and G (2025-26 key services) "
            "of the final draft budget report published on 5th February 2025.")
    assert appendices_named(text) == {"D", "E", "F", "G"}
    assert appendices_named("The directorate capital programmes as set out in appendices A & B of the report") == {"A", "B"}
    assert appendices_named("a review of all services") == set()


def _run_tables():
    docs = [
        {"doc_id": "admin", "source_path": "appx-f.pdf", "title": "APPENDIX F: 2025-28 BUDGET - SPENDING",
         "council_code": "E10000016", "standing": None, "pages": 23},
        {"doc_id": "labour", "source_path": "labour-appx-f.pdf", "council_code": "E10000016", "pages": 26,
         "title": "APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET - SPENDING", "standing": "alternative"},
        {"doc_id": "pack", "source_path": "pack.pdf", "title": "Dear Member", "council_code": "E10000016",
         "standing": "rejected", "pages": 48},
        {"doc_id": "minutes", "source_path": "minutes.pdf", "title": "KENT COUNTY COUNCIL", "council_code": "E10000016",
         "standing": None, "pages": 14},
    ]
    tables = [
        {"table_id": "tA", "doc_id": "admin", "page_first": 13, "standing": None, "fingerprint": "fA", "caption": None},
        {"table_id": "tA2", "doc_id": "admin", "page_first": 1, "standing": None, "fingerprint": "fShared", "caption": None},
        {"table_id": "tL", "doc_id": "labour", "page_first": 14, "standing": "alternative", "fingerprint": "fL",
         "caption": "APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET - SAVINGS"},
        {"table_id": "tP", "doc_id": "pack", "page_first": 26, "standing": "alternative", "fingerprint": "fL",
         "caption": "APPENDIX F: 2025-28 LABOUR GROUP ALTERNATIVE BUDGET - SAVINGS"},
        {"table_id": "tP2", "doc_id": "pack", "page_first": 11, "standing": "rejected", "fingerprint": "fShared", "caption": None},
    ]
    decisions = [
        {"decision_id": "d7", "doc_id": "minutes", "kind": "other", "vote": "lost",
         "text": "Proposed Purpose: “To amend the budget proposed by the Administration in line with the Labour "
                 "Group’s Alternative Budget in accordance with sections 8.10 – 14 of the Constitution.”"},
        {"decision_id": "dd", "doc_id": "minutes", "kind": "resolved", "vote": "carried",
         "text": "The directorate revenue budget proposals for 2025-26 as set out in appendices D (high level plan) "
                 "E, appendix F (individual spending, savings) and G (2025-26 key services)."},
    ]
    return {"documents": docs, "tables": tables, "decisions": decisions}


def test_decisions_adopt_an_appendix_and_reject_a_lost_alternative_budget():
    t = _run_tables()
    link_standing(t)
    standing = {d["doc_id"]: d["standing"] for d in t["documents"]}
    assert standing == {"admin": "adopted", "labour": "rejected", "pack": "rejected", "minutes": None}
    assert {x["table_id"]: x["standing"] for x in t["tables"]} == {
        "tA": "adopted", "tA2": "adopted", "tL": "rejected", "tP": "rejected", "tP2": "rejected"}


def test_a_reprint_points_to_the_shorter_papers_table_and_an_unchanged_admin_table_stays_adopted():
    t = _run_tables()
    link_standing(t)
    link_reprints(t)
    by_id = {x["table_id"]: x for x in t["tables"]}
    assert by_id["tP"]["duplicate_of"] == "tL" and by_id["tP"]["standing"] == "reprint"
    assert by_id["tP2"]["duplicate_of"] == "tA2" and by_id["tA2"]["standing"] == "adopted"
    assert by_id["tL"]["duplicate_of"] is None and by_id["tA"]["duplicate_of"] is None


def test_a_lost_amendment_of_another_group_does_not_reject():
    t = _run_tables()
    t["decisions"][0]["text"] = t["decisions"][0]["text"].replace("Labour", "Green")
    link_standing(t)
    assert {d["doc_id"]: d["standing"] for d in t["documents"]}["labour"] == "alternative"


def test_a_money_rows_service_is_the_one_named_nearest_its_amount():
    from councilpapers.normalise.services import service_area_near
    text = ("Overspends are being reported in Adult Social Care & Health (+£35.4m) and Growth Environment & "
            "Transport (+£6.3m). Underspends in Children's Services (-£9.9m).")
    assert service_area_near(text, text.index("+£35.4m")) == "Adult social care"
    assert service_area_near(text, text.index("+£6.3m")) == "Highways and transport"
    assert service_area_near(text, text.index("-£9.9m")) == "Children's social care"
    assert service_area_near("A council-wide saving of £2m.", 20) is None


def test_a_right_aligned_label_column_is_one_column():
    """Kent's Q3 key-service tables print labels flush right against the figures ('Older People -' /
    'Residential Care' / 'Services'): one label column, not one per ragged left edge."""
    from councilpapers.plans.pdf_tables import _columns
    from councilpapers.plans.settings import SETTINGS

    def cell(x0, x1, text):
        return {"x0": x0, "x1": x1, "text": text, "top": 0, "bottom": 1, "words": []}
    body = [[cell(123, 187, "Older People -")], [cell(113, 187, "Residential Care"), cell(232, 251, "97.5")],
            [cell(149, 187, "Services")], [cell(94, 187, "Adult Mental Health -")],
            [cell(105, 187, "Community Based"), cell(232, 251, "21.2")], [cell(149, 187, "Services")],
            [cell(123, 187, "Older People -")], [cell(105, 187, "Community Based"), cell(232, 251, "35.4")],
            [cell(149, 187, "Services")]]
    cols, is_money = _columns(body, [(232.0, 251.0)], SETTINGS)
    assert is_money == [False, True]  # not three label columns at 105, 123 and 149
    assert cols[0][0] <= 94 and cols[0][1] >= 187
