"""The money normaliser on real-world strings, plus property tests and never-money strings.

Strings are as printed in the seeds (Middlesbrough, BCP, Southampton, Torbay) and in
corpus papers (Kent finance monitoring and budget reports, Sutton Coldfield grants),
with the pounds a careful reader takes from them.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilpapers.normalise.fiscal_year import find_fiscal_years, find_year_mentions, normalise_fiscal_year
from councilpapers.normalise.money import apply_context_scale, find_money, normalise_money, parse_cell, unit_scale

D = Decimal

# (printed, low pounds, high pounds or None, qualifier or None)
REAL = [
    # seeds
    ("£9.8million", "9800000", None, None),
    ("£1.7million", "1700000", None, None),
    ("£21m", "21000000", None, None),
    ("£4.462 million", "4462000", None, None),
    ("£4.462m", "4462000", None, None),
    ("£14.6m", "14600000", None, None),
    ("£1.7m", "1700000", None, None),
    ("£189k", "189000", None, None),
    ("£784k", "784000", None, None),
    ("c. £7m", "7000000", None, "circa"),
    ("£2.9m", "2900000", None, None),
    ("£5m", "5000000", None, None),
    ("£7 million", "7000000", None, None),
    ("£2.5m", "2500000", None, None),
    ("approximately £3m", "3000000", None, "approximately"),
    ("£29.0m", "29000000", None, None),
    ("approximately £31.5m", "31500000", None, "approximately"),
    ("£2.8m", "2800000", None, None),
    ("£28.7m", "28700000", None, None),
    ("£3.1m", "3100000", None, None),
    ("£1.5m", "1500000", None, None),
    ("£1.6m", "1600000", None, None),
    ("£11.5m", "11500000", None, None),
    ("£520k", "520000", None, None),
    # issue examples
    ("£2.9 m", "2900000", None, None),
    ("£3.5million", "3500000", None, None),
    ("£1.2bn", "1200000000", None, None),
    ("£1,234k", "1234000", None, None),
    ("£0.472m", "472000", None, None),
    ("2.9 million pounds", "2900000", None, None),
    ("£2,854,000", "2854000", None, None),
    ("GBP 5m", "5000000", None, None),
    ("£2m-£3m", "2000000", "3000000", None),
    ("£2-3m", "2000000", "3000000", None),
    ("(£1.2m)", "-1200000", None, None),
    ("-£500k", "-500000", None, None),
    ("circa £5m", "5000000", None, "circa"),
    ("around £4m", "4000000", None, "around"),
    ("up to £3m", "3000000", None, "up_to"),
    ("over £80m", "80000000", None, "over"),
    ("at least £1m", "1000000", None, "at_least"),
    ("under £1m", "1000000", None, "under"),
    # Kent Q3 2024-25 finance monitoring
    ("£23.3m", "23300000", None, None),
    ("£30.4m", "30400000", None, None),
    ("£111.2m", "111200000", None, None),
    ("£80.3m", "80300000", None, None),
    ("-£124.5m", "-124500000", None, None),
    ("£111.6m", "111600000", None, None),
    ("+£35.4m", "35400000", None, None),
    ("(-£9.9m)", "-9900000", None, None),
    ("- £5m", "-5000000", None, None),
    ("£0.75m", "750000", None, None),
    ("£1,769.6m", "1769600000", None, None),
    ("an estimated £227m", "227000000", None, "approximately"),
    ("approximately £400k", "400000", None, "approximately"),
    ("-£965.0k", "-965000", None, None),
    ("£339.2k", "339200", None, None),
    ("£34.9k", "34900", None, None),
    ("-£692.9k", "-692900", None, None),
    ("£427.065m", "427065000", None, None),
    ("-£0.462m", "-462000", None, None),
    ("-£0.126m", "-126000", None, None),
    ("-£8.151m", "-8151000", None, None),
    ("£746.67m", "746670000", None, None),
    ("£25.22m", "25220000", None, None),
    ("£130.90m", "130900000", None, None),
    ("£20,629", "20629", None, None),
    # Kent budget report 2025-26
    ("£1.54", "1.54", None, None),
    ("£80.37", "80.37", None, None),
    ("£1,610.82", "1610.82", None, None),
    ("£12.71", "12.71", None, None),
    ("approx. £156m", "156000000", None, "approximately"),
    ("over £232m", "232000000", None, "over"),
    ("£1.5bn", "1500000000", None, None),
    ("£101.4m", "101400000", None, None),
    # Sutton Coldfield grants, Merton audit
    ("£3,098.50", "3098.50", None, None),
    ("£ 4,000", "4000", None, None),
    ("£868.23", "868.23", None, None),
    ("£6000", "6000", None, None),
    # other printed styles
    ("£2m to £3m", "2000000", "3000000", None),
    ("£1.2 billion", "1200000000", None, None),
    ("£7.5 mn", "7500000", None, None),
    ("£45K", "45000", None, None),
    ("£.5m", "500000", None, None),
    ("5 million pounds", "5000000", None, None),
    ("£2 - £3 million", "2000000", "3000000", None),
    ("in excess of £10m", "10000000", None, "over"),
    ("more than £2bn", "2000000000", None, "over"),
    ("less than £50k", "50000", None, "under"),
    ("nearly £1m", "1000000", None, "under"),
    ("some £3.2m", "3200000", None, "approximately"),
    # corpus audit (Kent budget report p32, finance monitoring p49)
    ("c. +£10m", "10000000", None, "circa"),
    ("c.+£10m", "10000000", None, "circa"),
    ("£265,77m", "265770000", None, None),
]


def test_real_table_is_big_enough():
    assert len(REAL) >= 80


@pytest.mark.parametrize("printed,low,high,qualifier", REAL, ids=[r[0] for r in REAL])
def test_real_world_strings(printed, low, high, qualifier):
    v = normalise_money(printed)
    assert v is not None, printed
    assert v.amount == D(low).quantize(D("0.01"))
    assert v.high == (D(high).quantize(D("0.01")) if high else None)
    assert v.qualifier == qualifier
    assert v.approximate == (qualifier is not None)


@pytest.mark.parametrize("printed,scale,expected", [
    ("409", D(1000), "409000"), ("1,061", D(1000), "1061000"), ("(409)", D(1000), "-409000"),
    ("2,854", D(1000), "2854000"), ("0.5", D(1000000), "500000"), ("-12.3", D(1000000), "-12300000"),
])
def test_bare_figures_under_a_unit_heading(printed, scale, expected):
    assert normalise_money(printed, scale=scale).amount == D(expected)
    assert normalise_money(printed) is None  # without the heading a bare figure is no amount


def test_list_carry_over():
    found = find_money("savings of £2m and 3.5 million over two years")
    assert [m.amount for m in found] == [D("2000000.00"), D("3500000.00")]
    assert found[1].carried


def test_change_is_not_a_range():
    found = find_money("reduced from £5m to £3m")
    assert [(m.amount, m.high) for m in found] == [(D("5000000.00"), None), (D("3000000.00"), None)]


def test_parenthesis_in_prose_is_not_negative():
    text = "a pressure on both residential care (£2.2m) and semi-independent\n(£2.3m)."
    assert [m.amount for m in find_money(text)] == [D("2200000.00"), D("2300000.00")]


def test_side_by_side_negatives_are_not_a_range():
    found = find_money("impact of a 1% fall in interest -£2.56m -£10m")
    assert [(m.amount, m.high) for m in found] == [(D("-2560000.00"), None), (D("-10000000.00"), None)]


def test_stable_cell_api():
    assert parse_cell("1,061", D(1000)) == D("1061000.00")
    assert parse_cell("(409)", D(1000)) == D("-409000.00")
    assert parse_cell("-") is None
    assert unit_scale("23/24 (£000's)") == ("£000's", D(1000))
    assert unit_scale("£m")[1] == D(1000000)


NEVER_MONEY = [
    "Meeting: 14/02/2023 - Executive (Item 91)",
    "91 Children's Services Financial Improvement Plan pdf icon PDF 182 KB",
    "Tel: 023 8083 4899",
    "Section 114 notice",
    "Category 3 of paragraph 10.4 of the Council's Access to Information Procedure Rules",
    "Children Act 1989 and 2004",
    "The 2022-2030 Corporate Plan",
    "a reduction of 11 ASWs to 27 whole time equivalent ASWs",
    "increasing our frontline resource by 30%",
    "a ratio of 1 business support officer to 3 social workers",
    "Page 17 of 54",
    "as outlined in 3.2",
    "Calculations based on a 30% sign up on spend and a rebate of 1%",
    "23/24 (£000's)\t24/25 (£000's)\tTotal (£000's)",
    "Total\t2,854\t1,868\t4,722",
    "spend per head of 1,234 compared with 1,100 nationally",
    "There are 409 children looked after",
    "Reducing agency staff from 91 (2022/23) to 20",
    "Figures in £'000 and £m",
    "Meeting reconvened 21:18",
    "12 FTE posts",
    "see paragraphs 23-24",
    "25 JANUARY 2024",
]


@pytest.mark.parametrize("text", NEVER_MONEY)
def test_never_money(text):
    assert find_money(text) == []


def test_never_money_gives_no_money_row():
    from councilpapers.document import Document, Page
    from councilpapers.registry import Output
    from councilpapers.extractors.money_text import extract_money

    doc = Document("x" * 16, "never.txt", "txt", [Page(1, "\n\n".join(NEVER_MONEY))])
    out = Output()
    extract_money(doc, out)
    assert out.rows.get("money", []) == []
    assert out.rows.get("quantities")  # the %, FTE and counts are kept as quantities


# --- property tests: format a Decimal in the common styles and read it back -------------------

def _commas(n: int) -> str:
    return f"{n:,}"


pounds = st.integers(min_value=1, max_value=10**12)
pence = st.integers(min_value=0, max_value=99)
millions = st.decimals(min_value=D("0.001"), max_value=D("99999.999"), places=3)
thousands = st.decimals(min_value=D("0.1"), max_value=D("99999.9"), places=1)


@settings(max_examples=300, deadline=None)
@given(pounds, pence)
def test_property_full_pounds(p, pp):
    assert normalise_money(f"£{_commas(p)}").amount == D(p)
    assert normalise_money(f"£{_commas(p)}.{pp:02d}").amount == D(p) + D(pp) / 100


@settings(max_examples=300, deadline=None)
@given(millions, st.sampled_from(["£{}m", "£{} m", "£{}million", "£{} million", "£{}M", "{} million pounds",
                                  "GBP {}m", "£{}mn"]))
def test_property_millions(x, style):
    text = style.format(format(x.normalize(), "f") if x == x.to_integral() else x)
    assert normalise_money(text).amount == (x * 1000000).quantize(D("0.01")), text


@settings(max_examples=300, deadline=None)
@given(thousands, st.sampled_from(["£{}k", "£{}K", "£{} thousand", "£{}k"]))
def test_property_thousands(x, style):
    text = style.format(x)
    assert normalise_money(text).amount == (x * 1000).quantize(D("0.01")), text


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=D("0.01"), max_value=D("999.99"), places=2))
def test_property_billions_and_negatives(x):
    assert normalise_money(f"£{x}bn").amount == (x * 10**9).quantize(D("0.01"))
    assert normalise_money(f"-£{x}m").amount == -(x * 10**6).quantize(D("0.01"))
    assert normalise_money(f"(£{x}m)").amount == -(x * 10**6).quantize(D("0.01"))


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=999))
def test_property_ranges(a, b):
    lo, hi = min(a, b), max(a, b)
    if lo == hi:
        return
    v = normalise_money(f"£{lo}m-£{hi}m")
    assert (v.amount, v.high) == (D(lo) * 10**6, D(hi) * 10**6)
    v = normalise_money(f"£{lo}-{hi}m")
    assert (v.amount, v.high) == (D(lo) * 10**6, D(hi) * 10**6)


# --- fiscal years ------------------------------------------------------------------------------

@pytest.mark.parametrize("text,fy", [
    ("2023/24", "2023-24"), ("23/24", "2023-24"), ("2023-24", "2023-24"), ("2023-2024", "2023-24"),
    ("2023–24", "2023-24"), ("FY23/24", "2023-24"), ("FY2023/24", "2023-24"), ("FY24", "2023-24"),
    ("FY 2025", "2024-25"), ("financial year 2024 to 2025", "2024-25"),
    ("the 2024 to 2025 financial year", "2024-25"), ("1999/00", "1999-00"), ("budget for 2016/2017", "2016-17"),
    ("24-25", "2024-25"),
])
def test_fiscal_year_forms(text, fy):
    assert normalise_fiscal_year(text) == fy


@pytest.mark.parametrize("text", [
    "14/02/2023", "14/2/23", "2022-2030 Corporate Plan", "pages 23-24", "23-24 May 2024", "Tel 023 8083",
    "50/50 split", "paragraphs 10-11",
])
def test_not_fiscal_years(text):
    assert find_fiscal_years(text) == []


def test_year_end_and_relative_years():
    m = find_year_mentions("forecast to spend £31.5m by the end of March 2016")
    assert [(x.fy, x.how) for x in m] == [("2015-16", "year_end")]
    assert [x.fy for x in find_year_mentions("£5m last year")] == [None]  # unplaceable without doc year
    assert [x.fy for x in find_year_mentions("£5m next year", doc_year="2024-25")] == ["2025-26"]


# A '£' figure that dropped its unit (one or three decimals: never pounds and pence) takes the unit
# the text around it is written in, only when that context states exactly one unit.
# (text, raw, pounds, doubtful) - strings from the Kent budget report and Q3 finance monitoring.
CONTEXT_SCALE = [
    ("High Needs Provision 22-24 0.391 -10.824\nPreviously Reported -£10.921.\nRephasing is due to:\n"
     "-£1.455m Nexus Satellite - school is not yet identified.", "-£10.921", "-10921000", False),
    ("• -£1.8m from budget stabilisation reserve to smooth timing of delivery of policy savings\n"
     "to replace £19.8 one-offs to balance 2024-25 budget.", "£19.8", "19800000", False),
    ("Financing Savings\n-£1.0 (net growth)\n£9.5m saving from flexible use of capital receipts",
     "-£1.0", "-1000000", False),
    ("All figures in £000s\nSavings Target\nA saving of £3.5 is expected", "£3.5", "3500", False),
    ("Increase the minimum rate for grade KSA to £12.71 per hour, a total of £2.1m", "£12.71", "12.71", False),
    ("£10 per Adult, £5 per Child; the event costs £0.1m", "£10", "10", False),
    ("A fee of £19.8 only.", "£19.8", "19.80", True),
    ("Costs of £1.5m and £200k; a further £19.8 one-offs", "£19.8", "19.80", True),
]


@pytest.mark.parametrize("text,raw,pounds,doubtful", CONTEXT_SCALE, ids=[c[1] for c in CONTEXT_SCALE])
def test_unit_from_context(text, raw, pounds, doubtful):
    found, unclear = apply_context_scale(text, find_money(text))
    got = [m for m in found if m.raw(text) == raw]
    assert len(got) == 1 and got[0].amount == D(pounds).quantize(D("0.01"))
    assert (raw in [m.raw(text) for m in unclear]) == doubtful


def test_parse_cell_reads_unit_labels_as_no_figure_and_accepts_a_plus():
    from councilpapers.normalise.money import parse_cell
    assert parse_cell("£000", Decimal(1000)) is None
    assert parse_cell("£'000", Decimal(1000)) is None
    assert parse_cell("+£55.1m") == Decimal("55100000.00")
    assert parse_cell("-£55.1m") == Decimal("-55100000.00")
    assert parse_cell("£0", Decimal(1000)) == Decimal("0.00")


@pytest.mark.parametrize("text,hows,fys", [
    ("The draft capital programme for 2025-26 to 2034-35 is £1,419m", ["range"], [None]),
    ("£1,530.9m (an increase of £101.4m, 7.1%, on 2024-25)", ["base"], ["2024-25"]),
    ("increased by £22.8m (7%) on the comparable figure for 2024-25", ["base"], ["2024-25"]),
    ("Since 2013-14 the grant has been reduced", ["base"], ["2013-14"]),
    ("allocations approved since the budget for 2023/24 was set", ["explicit"], ["2023-24"]),
    ("a reduction of £33.8m (-8.6%) on the previous year", ["base"], ["2024-25"]),
    ("savings of £5m in 2024-25", ["explicit"], ["2024-25"]),
    # Kent Q3 monitoring: 'later years' spans them; 'to future years' is where a rephasing goes, not a span
    ("There is a forecast gap in later years of £24.4m", ["range"], [None]),
    ("-£6.0m rephasing reflects budget rephased to future years", [], []),
])
def test_year_mentions_spans_and_comparison_bases(text, hows, fys):
    ms = find_year_mentions(text, doc_year="2025-26")
    assert [m.how for m in ms] == hows and [m.fy for m in ms] == fys
