"""The money_text extractor: small strings, the seeds against their keys, provenance exact."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extractors.money_text import extract_money
from pipeline.document import Document, Page
from pipeline.registry import Output
from pipeline.schema import check_row

SEEDS = Path("/work/shared/seeds")
GOLD = Path("/work/shared/gold/seeds")
CORPUS = Path("/work/shared/corpus/pdf")
D = Decimal


def run(text: str, title: str | None = None) -> tuple[list[dict], list[dict]]:
    doc = Document("0" * 16, "t.txt", "txt", [Page(1, text)], title=title)
    out = Output()
    extract_money(doc, out)
    for table in ("money", "quantities"):
        for r in out.rows.get(table, []):
            check_row(table, r)
            assert text[r["char_start"]:r["char_end"]] == r["raw_text"]
    return out.rows.get("money", []), out.rows.get("quantities", [])


def one(text: str, **kw) -> dict:
    money, _ = run(text, **kw)
    assert len(money) == 1, money
    return money[0]


def test_kind_fy_recurrence_from_the_clause():
    text = ("This one-off investment will be in addition to the £14.6m ongoing investment included in the "
            "approved revenue budget for 2023/24, which excluded pay base changes, and the one-off investment "
            "of £1.7m in the Children's Service improvement journey made during 2022/23.")
    money, _ = run(text)
    assert [(m["amount_gbp"], m["kind"], m["fiscal_year"], m["recurrence"]) for m in money] == [
        (D("14600000.00"), "investment", "2023-24", "ongoing"),
        (D("1700000.00"), "investment", "2022-23", "one_off"),
    ]


def test_approximate_saving_per_annum():
    m = one("In turn, this will contribute to the achievement of c. £7m in annual financial savings.")
    assert (m["amount_gbp"], m["approximate"], m["qualifier"], m["kind"], m["recurrence"], m["raw_text"]) == (
        D("7000000.00"), True, "circa", "saving", "per_annum", "c. £7m")


def test_overspend_against_budget_and_year_carried_from_sentence_before():
    money, _ = run("Children's Services is currently forecast to spend approximately £31.5m by the end of "
                   "March 2016. This will result in an overspend of £2.8m against the approved budget of £28.7m")
    assert [(m["kind"], m["fiscal_year"]) for m in money] == [
        ("spend", "2015-16"), ("overspend", "2015-16"), ("budget", "2015-16")]


def test_change_from_earlier_level_takes_the_same_kind():
    money, _ = run("Forecast spend is £2.9m, a reduction from £5m last year and from £7 million in 2021/22.")
    assert [(m["kind"], m["fiscal_year"]) for m in money] == [
        ("spend", None), ("spend", None), ("spend", "2021-22")]


def test_relative_year_needs_the_documents_own_year():
    assert one("We expect to spend £5m next year.")["fiscal_year"] is None
    assert one("We expect to spend £5m next year.", title="Budget monitoring 2024-25")["fiscal_year"] == "2025-26"


def test_list_items_take_kind_from_the_lead_in():
    text = ("It also excludes the following additional one-off allocations approved since the budget for "
            "2023/24 was set.\n\n·       £189k        Children’s commissioning\n\nApproved by Officer Decision.")
    m = one(text)
    assert (m["kind"], m["recurrence"]) == ("funding", "one_off")


def test_range_is_one_row():
    m = one("The scheme will cost £2m-£3m over its life.")
    assert (m["amount_gbp"], m["amount_gbp_high"], m["kind"]) == (D("2000000.00"), D("3000000.00"), "cost")


def test_table_bare_numbers_are_not_money_but_narrative_pounds_are():
    text = ("Ref:\tFinancial Plan proposal\t23/24 (£000's)\t24/25 (£000's)\tTotal (£000's)\tNarrative\n"
            "1\tReduce agency spend\t409\t318\t727\tCurrent expenditure over a full year is £1.7million.\n"
            "\tTOTAL\t2,854\t1,868\t4,722\t\n")
    m = one(text)
    assert (m["amount_gbp"], m["kind"], m["fiscal_year"]) == (D("1700000.00"), "spend", None)


def test_table_column_year_for_pounds_in_a_year_column():
    text = "Item\t2023/24\t2024/25\nPlaces\t£1.2m saving\t£1.5m saving\n"
    money, _ = run(text)
    assert [m["fiscal_year"] for m in money] == ["2023-24", "2024-25"]


def test_figures_side_by_side_are_a_table_row():
    money, _ = run("Limit on principal invested beyond year end £150m £100m £50m £250m")
    assert money == []


def test_quantities():
    _, q = run("Reducing agency staff from 91 (2022/23) to 20. Next year we are targeting an average of "
               "12 agency staff. A reduction of 6 placements; 27 FTE; by 30%; 5 social work posts.")
    got = [(r["value"], r["unit"], r["fiscal_year"]) for r in q]
    assert got == [(D(91), "agency staff", "2022-23"), (D(20), "agency staff", None),
                   (D(12), "agency staff", None), (D(6), "placements", None), (D(27), "FTE", None),
                   (D(30), "percent", None), (D(5), "social work posts", None)]


# Corpus audit: numbers that are not counts (row and heading numbers, ages, school years, rate
# bases) and a percentage range that is not a negative; (text, expected (value, unit) list).
QUANTITY_CASES = [
    ("Improvements 82,116 9,699 8,417\n2 Schools Capital Expenditure funded from grant", []),
    ("3 Total Other Receipts 247 72,448\n4 Staff Costs 72,828 152,360", []),
    ("Committee resolved to note the matters arising.\n6 Community Grant Applications\nCommittee", []),
    ("Sittingbourne and Maidstone faced ongoing demand for\nyear 7 places.", []),
    ("secure high quality school, early years and post 16 education places", []),
    ("The rate per\n10,000 children (aged 0-17) was 32.9", []),
    ("Falcon Lodge has child poverty levels of 40%-50%.", [(D(40), "percent"), (D(50), "percent")]),
    ("since Blackburn Lodge opened there have been\n57 Sheppey residents who have moved in",
     [(D(57), "sheppey residents")]),
    ("At the end of Quarter 3,\n16,872 people had an active care and support plan", [(D(16872), "people")]),
    ("Net Change (%) +9.8% +4.5% -0.1% -4.2%", [(D("9.8"), "percent"), (D("4.5"), "percent"),
                                               (D("-0.1"), "percent"), (D("-4.2"), "percent")]),
]


@pytest.mark.parametrize("text,expected", QUANTITY_CASES, ids=[c[0][:30] for c in QUANTITY_CASES])
def test_quantities_not_counts(text, expected):
    _, q = run(text)
    assert [(r["value"], r["unit"]) for r in q] == expected


def test_unscaled_figure_in_a_millions_report_is_scaled_or_flagged():
    money, _ = run("Drawdowns -£10.6m\n• -£1.8m from budget stabilisation reserve to replace £19.8 one-offs.")
    assert [m["amount_gbp"] for m in money] == [D("-10600000.00"), D("-1800000.00"), D("19800000.00")]
    doc = Document("0" * 16, "t.txt", "txt", [Page(1, "A fee of £19.8 only.")])
    out = Output()
    extract_money(doc, out)
    assert [p["code"] for p in out.rows.get("problems", [])] == ["money_unit_unclear"]


def test_same_amount_twice_is_two_rows():
    money, _ = run("Approves £4.462 million investment. Approved £4.462 million investment.")
    assert len(money) == 2 and len({m["fact_id"] for m in money}) == 2


def _gold_files():
    return sorted(GOLD.glob("*.json")) if GOLD.exists() else []


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not present")
def test_seeds_against_keys():
    from pipeline.load import load_file

    tp = fp = fn = 0
    fy = [0, 0]
    kind = [0, 0]
    for g in _gold_files():
        gold = json.loads(g.read_text())
        doc = load_file(SEEDS / gold["file"])
        out = Output()
        extract_money(doc, out)
        rows = out.rows.get("money", [])
        for r in rows:
            check_row("money", r)
            assert doc.page(r["page"]).text[r["char_start"]:r["char_end"]] == r["raw_text"]
        got: dict[int, list[dict]] = {}
        for r in rows:
            for a in (r["amount_gbp"], r["amount_gbp_high"]):
                if a is not None:
                    got.setdefault(int(a * 100), []).append(r)
        want = {int(D(str(m["amount_gbp"])) * 100): m for m in gold.get("money", [])}
        hit = set(got) & set(want)
        tp, fn, fp = tp + len(hit), fn + len(set(want) - hit), fp + len(set(got) - set(want))
        for a in hit:
            if want[a].get("fiscal_year"):
                fy[0] += any(r["fiscal_year"] == want[a]["fiscal_year"] for r in got[a])
                fy[1] += 1
            kind[0] += any(r["kind"] in want[a]["kinds"] for r in got[a])
            kind[1] += 1
    p, r = tp / (tp + fp), tp / (tp + fn)
    assert 2 * p * r / (p + r) >= 0.95
    assert fy[0] / fy[1] >= 0.90
    assert kind[0] / kind[1] >= 0.85


@pytest.mark.skipif(not (CORPUS / "kent_2025-01-30_cabinet_finance-monitoring-q3.pdf").exists(),
                    reason="corpus not present")
def test_corpus_pdf_provenance_and_no_years_as_money():
    from pipeline.load import load_file

    doc = load_file(CORPUS / "kent_2025-01-30_cabinet_finance-monitoring-q3.pdf")
    out = Output()
    extract_money(doc, out)
    rows = out.rows["money"]
    assert len(rows) > 150
    for r in rows:
        check_row("money", r)
        assert doc.page(r["page"]).text[r["char_start"]:r["char_end"]] == r["raw_text"]
        assert "£" in r["raw_text"] or "pound" in r["raw_text"].lower() or "GBP" in r["raw_text"]
