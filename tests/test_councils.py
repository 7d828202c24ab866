"""Council register and per-document council resolution (issue 5)."""
from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pytest

from councilpapers.councils.register import load, registrable_domain
from councilpapers.councils.resolve import check_string, resolve_council
from councilpapers.document import Document, Page

from .conftest import SHARED

D = date.fromisoformat
ROOT = Path(__file__).resolve().parents[1]
SEED_DIRS = [SHARED / "seeds", ROOT / "raw"]
CORPUS = SHARED / "corpus"
MIDDLESBROUGH_URL = "https://moderngov.middlesbrough.gov.uk/ieIssueDetails.aspx?IId=15253&Opt=3"

# (string as written, date of the paper or None, expected GSS code or None)
CASES = [
    # names, aliases, abbreviations
    ("Middlesbrough Council", None, "E06000002"),
    ("Middlesbrough Borough Council", None, "E06000002"),
    ("Torbay Council", None, "E06000027"),
    ("Southampton City Council", None, "E06000045"),
    ("Report to Cabinet of Southampton City Council", None, "E06000045"),
    ("Kent County Council", None, "E10000016"),
    ("KENT COUNTY COUNCIL", None, "E10000016"),
    ("KCC", None, "E10000016"),
    ("BCP", None, "E06000058"),
    ("BCP Council", None, "E06000058"),
    ("Bournemouth, Christchurch and Poole Council", None, "E06000058"),
    ("RBWM", None, "E06000040"),
    ("Royal Borough of Windsor and Maidenhead", None, "E06000040"),
    ("B&NES", None, "E06000022"),
    ("Bath and North East Somerset Council", None, "E06000022"),
    ("LB Merton", None, "E09000024"),
    ("London Borough of Merton", None, "E09000024"),
    ("London Borough of Merton Audit Committee", None, "E09000024"),
    ("Merton Council", None, "E09000024"),
    ("Kirklees Council", None, "E08000034"),
    ("Newcastle City Council", None, "E08000021"),
    ("Newcastle-under-Lyme Borough Council", None, "E07000195"),
    ("Birmingham City Council", None, "E08000025"),
    ("City of York Council", None, "E06000014"),
    ("Hull City Council", None, "E06000010"),
    ("Kingston upon Hull City Council", None, "E06000010"),
    ("Royal Borough of Kingston upon Thames", None, "E09000021"),
    ("City of Edinburgh Council", None, "S12000036"),
    ("Glasgow City Council", None, "S12000049"),
    ("Cardiff Council", None, "W06000015"),
    ("City and County of Swansea Council", None, "W06000011"),
    ("Belfast City Council", None, "N09000003"),
    ("Isle of Anglesey County Council", None, "W06000001"),
    ("Rhondda Cynon Taf County Borough Council", None, "W06000016"),
    ("Greater London Authority", None, "E61000001"),
    ("Wokingham Borough Council", None, "E06000041"),
    ("Woking Borough Council", None, "E07000217"),
    ("St Helens Council", None, "E08000013"),
    ("St. Helens Council", None, "E08000013"),
    ("Stoke-on-Trent City Council", None, "E06000021"),
    ("Brighton & Hove City Council", None, "E06000043"),
    ("Durham County Council", None, "E06000047"),
    # typos
    ("Middlesbroug council", None, "E06000002"),
    ("middlesbroug council", None, "E06000002"),
    ("Hertfordshir County Council", None, "E10000015"),
    ("Nottinghamshre County Council", None, "E10000024"),
    # domains, URLs, emails
    ("robert.henderson@southampton.gov.uk", None, "E06000045"),
    ("julien.parrott@torbay.gov.uk", None, "E06000027"),
    (MIDDLESBROUGH_URL, None, "E06000002"),
    ("http://www.torbay.gov.uk/DemocraticServices/ieListDocuments.aspx?CId=163&MId=5586&Ver=4", None, "E06000027"),
    ("democracy.kent.gov.uk", None, "E10000016"),
    ("https://www.kent.gov.uk/about-the-council", None, "E10000016"),
    ("someone@kent.gov.uk", None, "E10000016"),
    ("https://democracy.bcpcouncil.gov.uk/mgAi.aspx?ID=1", None, "E06000058"),
    ("rbwm.moderngov.co.uk", None, "E06000040"),
    ("https://lbbd.moderngov.co.uk/ieListMeetings.aspx", None, "E09000002"),
    ("www.merton.gov.uk", None, "E09000024"),
    ("committees.aberdeencity.gov.uk", None, "S12000033"),
    ("kirklees.gov.uk", None, "E08000034"),
    ("democracy.carmarthenshire.gov.wales", None, "W06000010"),
    # GSS codes, current and former
    ("E06000002", None, "E06000002"),
    ("E06000048", None, "E06000057"),
    ("e10000016", None, "E10000016"),
    # former councils and dates
    ("Harrogate Borough Council", "2016-06-01", "E07000165"),
    ("Harrogate Borough Council", None, "E07000165"),
    ("North Yorkshire County Council", "2016-06-01", "E10000023"),
    ("North Yorkshire", "2016-06-01", "E10000023"),
    ("North Yorkshire", "2024-06-01", "E06000065"),
    ("North Yorkshire", None, "E06000065"),
    ("Somerset", "2023-03-31", "E10000027"),
    ("Somerset", "2023-04-01", "E06000066"),
    ("somerset.gov.uk", "2020-01-01", "E10000027"),
    ("somerset.gov.uk", "2024-01-01", "E06000066"),
    ("Taunton Deane Borough Council", "2016-01-01", "E07000190"),
    ("Somerset West and Taunton Council", "2020-01-01", "E07000246"),
    ("Bournemouth Borough Council", "2016-01-01", "E06000028"),
    ("Bournemouth Borough Council", "2019-03-31", "E06000028"),
    ("Borough of Poole", "2018-01-01", "E06000029"),
    ("Christchurch Borough Council", "2017-01-01", "E07000048"),
    ("Aylesbury Vale District Council", "2018-01-01", "E07000004"),
    ("Buckinghamshire County Council", "2018-01-01", "E10000002"),
    ("Buckinghamshire Council", "2021-01-01", "E06000060"),
    ("Kettering Borough Council", "2020-05-01", "E07000153"),
    ("Northamptonshire County Council", "2019-01-01", "E10000021"),
    ("North Northamptonshire Council", "2022-01-01", "E06000061"),
    ("Cumbria County Council", "2023-03-31", "E10000006"),
    ("Cumberland Council", "2023-04-01", "E06000063"),
    ("Carlisle City Council", "2016-01-01", "E07000028"),
    ("Allerdale Borough Council", "2022-01-01", "E07000026"),
    ("Forest Heath District Council", "2018-01-01", "E07000201"),
    ("West Suffolk Council", "2020-01-01", "E07000245"),
    ("Waveney District Council", "2017-01-01", "E07000206"),
    ("East Suffolk Council", "2020-01-01", "E07000244"),
    ("Dorset County Council", "2018-01-01", "E10000009"),
    ("Dorset Council", "2020-01-01", "E06000059"),
    # must not resolve: parish-tier, shared domains, ambiguous typos, wrong dates, unknown
    ("Royal Sutton Coldfield Town Council", None, None),
    ("Sutton Coldfield Town Council", None, None),
    ("democracy.adur-worthing.gov.uk", None, None),
    ("Eest Sussex County Council", None, None),
    ("West Kent Council", None, None),
    ("gmail.com", None, None),
    ("someone@nhs.net", None, None),
    ("the Council", None, None),
    ("Buckinghamshire", "2018-01-01", None),
    ("Dorset Council", "2016-01-01", None),
    ("Bournemouth Borough Council", "2020-01-01", None),
    ("Anytown Council", None, None),
]


@pytest.mark.parametrize("text,on,expected", CASES)
def test_strings_resolve(text, on, expected):
    r = check_string(text, D(on) if on else None)
    assert r.code == expected, r.reason


def test_table_is_big_enough():
    assert len(CASES) >= 60
    assert sum(1 for _, on, code in CASES if on and code) >= 20


def test_fuzzy_never_matches_short_words():
    assert check_string("Bery Council").code is None  # Bury: too short to fuzz
    assert check_string("Hrat District Council").code is None  # Hart


# GSS prefix per register type; NI districts abolished in 2015 have no GSS code.
GSS_PREFIX = {"UA": "E06", "NMD": "E07", "MD": "E08", "LBO": "E09", "CC": "E09", "CTY": "E10",
              "COMB": "E47", "SRA": "E61", "SCO": "S12", "WPA": "W06", "NID": "N09"}
NATION_LETTER = {"England": "E", "Scotland": "S", "Wales": "W", "Northern Ireland": "N"}


def test_gss_shape_per_country_and_type():
    reg = load()
    assert len(reg.councils) == 470
    for c in reg.councils.values():
        if c.code is None:
            assert c.nation == "Northern Ireland" and c.last_day == D("2015-03-31"), c
            continue
        assert re.fullmatch(r"[ENSW]\d{8}", c.code), c
        assert c.code.startswith(GSS_PREFIX[c.type]), (c.key, c.type, c.code)
        assert c.code[0] == NATION_LETTER[c.nation], c
    for code, key in reg.by_gss.items():
        assert re.fullmatch(r"[ENSW]\d{8}", code) and key in reg.councils


def _live_pairs(index):
    reg = load()
    for k, keys in index.items():
        cs = [reg.councils[x] for x in keys]
        for i, a in enumerate(cs):
            for b in cs[i + 1:]:
                yield k, a, b


def test_no_two_live_councils_share_an_alias_or_domain():
    reg = load()
    for index in (reg.names, reg.abbreviations, reg.domains):
        for key, a, b in _live_pairs(index):
            assert not a.overlaps(b), (key, a.key, b.key)
    # and every council is still findable by its own name
    for c in reg.councils.values():
        assert c.key in reg.names.get(c.aliases[0], ()) or any(c.key in reg.names.get(a, ()) for a in c.aliases)


def test_end_dates_inclusive_only_without_same_day_successor():
    reg = load()
    bmh, cma, cbd = reg.councils["BMH"], reg.councils["CMA"], reg.councils["CBD"]
    assert bmh.end == D("2019-03-31") and bmh.live_on(D("2019-03-31")) and not bmh.live_on(D("2019-04-01"))
    assert cma.end == D("2023-04-01") and cma.live_on(D("2023-03-31")) and not cma.live_on(D("2023-04-01"))
    assert cbd.live_on(D("2023-04-01")) and not cbd.live_on(D("2023-03-31"))
    # register start dates that are not reorganisations (2005-06-18) do not bound validity
    assert reg.councils["MDB"].live_on(D("1999-01-01"))


def test_supplement_rows_have_sources_and_right_codes():
    import csv
    from councilpapers.councils.register import DATA
    reg = load()
    rows = list(csv.DictReader(open(DATA / "supplement.csv", encoding="utf-8")))
    assert rows
    for r in rows:
        assert r["source"].strip(), r
        assert r["kind"] in ("abbreviation", "domain"), r
        assert reg.councils[r["council"]].code == r["gss_code"], r


def test_registrable_domain():
    assert registrable_domain("democracy.kent.gov.uk") == "kent.gov.uk"
    assert registrable_domain("www.southampton.gov.uk") == "southampton.gov.uk"
    assert registrable_domain("rbwm.moderngov.co.uk") == "rbwm.moderngov.co.uk"
    assert registrable_domain("democracy.carmarthenshire.gov.wales") == "carmarthenshire.gov.wales"
    assert registrable_domain("www.gov.uk") is None


# ---------------------------------------------------------------- documents

def _seed(prefix: str) -> str:
    for d in SEED_DIRS:
        hits = sorted(d.glob(f"{prefix}_*.txt")) if d.exists() else []
        if hits:
            return hits[0].read_text(encoding="utf-8").replace("\r\n", "\n").replace("\xa0", " ")
    pytest.skip(f"seed {prefix} not available")


def _doc(prefix: str, url: str | None = None, manifest: str | None = None) -> Document:
    return Document(doc_id=f"seed{prefix}", source_path=f"{prefix}.txt", format="txt",
                    pages=[Page(1, _seed(prefix))], source_url=url, manifest_council=manifest)


@pytest.mark.parametrize("prefix,url,code,evidence", [
    ("000", MIDDLESBROUGH_URL, "E06000002", "url"),
    ("001", MIDDLESBROUGH_URL, "E06000002", "url"),
    ("002", None, "E06000058", "text"),
    ("003", None, "E06000045", "email_domain"),
    ("004", None, "E06000027", "email_domain"),
])
def test_seeds_resolve(prefix, url, code, evidence):
    r = resolve_council(_doc(prefix, url), [])
    assert (r.code, r.evidence) == (code, evidence), r.reason
    assert r.confidence is not None and 0 < r.confidence <= 1
    assert not [p for p in r.problems if p["code"] == "council_unknown"]


def test_seed_001_author_beats_council_mentioned():
    doc = _doc("001")
    r = resolve_council(doc, [D("2023-02-14")])
    assert r.code == "E06000002" and r.evidence == "text", r.reason
    codes = {m["council_code"] for m in r.mentions}
    assert {"E08000021", "E06000002"} <= codes  # Newcastle recorded as a mention
    raws = {m["raw_text"] for m in r.mentions}
    assert "Newcastle City council" in raws and "Middlesbroug council" in raws


def test_mention_spans_are_exact():
    for prefix in ("001", "002"):
        doc = _doc(prefix)
        r = resolve_council(doc, [])
        for m in r.mentions:
            assert doc.page(m["page"]).text[m["char_start"]:m["char_end"]] == m["raw_text"]
            assert m["doc_id"] == doc.doc_id and m["mention_id"]
        assert len({m["mention_id"] for m in r.mentions}) == len(r.mentions)


def test_manifest_wins_and_unknown_is_reported():
    r = resolve_council(_doc("003", manifest="Kent County Council"), [])
    assert (r.code, r.evidence, r.confidence) == ("E10000016", "manifest", 1.0)
    r = resolve_council(_doc("000"), [])
    assert r.code is None and r.evidence is None
    assert [p["code"] for p in r.problems] == ["council_unknown"]


def test_dated_predecessor_in_text():
    text = "Harrogate Borough Council\nReport to Cabinet\n12 July 2016\nHarrogate Borough Council has agreed the plan."
    doc = Document("d1", "x.txt", "txt", [Page(1, text)])
    assert resolve_council(doc, []).code == "E07000165"
    text = "North Yorkshire County Council\nExecutive, 5 May 2016\nThe report of North Yorkshire County Council."
    doc = Document("d2", "y.txt", "txt", [Page(1, text)])
    r = resolve_council(doc, [])
    assert r.code == "E10000023" and r.on == D("2016-05-05")


def test_parish_council_is_not_turned_into_its_principal_council():
    text = ("Royal Sutton Coldfield Town Council\nAmenities Committee minutes 13 March 2018\n"
            "The Town Clerk reported. The Chairman advised that Birmingham City Council is responsible for this service.")
    doc = Document("d3", "z.txt", "txt", [Page(1, text)])
    r = resolve_council(doc, [])
    assert r.code is None and "parish-tier" in r.reason
    assert [m["council_code"] for m in r.mentions] == ["E08000025"]


def test_scan_is_fast_on_long_documents():
    page = _seed("001")
    doc = Document("long", "long.txt", "txt", [Page(i, page) for i in range(1, 301)])
    t = time.perf_counter()
    r = resolve_council(doc, [])
    assert r.code == "E06000002"
    assert time.perf_counter() - t < 5.0


def _corpus_text(path: Path) -> list[str]:
    if path.suffix == ".html":
        return [re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8", errors="replace"))]
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(path) as pdf:
        return [(p.extract_text() or "") for p in pdf.pages[:3]]


@pytest.mark.skipif(not CORPUS.exists(), reason="corpus absent")
@pytest.mark.parametrize("name,expected", [
    ("pdf/kent_2025-01-30_cabinet_agenda-frontsheet.pdf", "E10000016"),
    ("pdf/kent_2025-03-04_cabinet_scrutiny-call-in-family-hubs.pdf", "E10000016"),
    ("pdf/merton_2009-10-22_audit-committee_agenda-and-minutes.pdf", "E09000024"),
    ("pdf/suttoncoldfield_2017-02-21_town-council_item166-summer-events-report.pdf", None),
    ("pdf/suttoncoldfield_2018-03-13_amenities-committee_minutes.pdf", None),
    ("html/lgsf_modgov_decision_detail.html", None),
])
def test_corpus(name, expected):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("file absent")
    pages = [Page(i + 1, t) for i, t in enumerate(_corpus_text(path))]
    r = resolve_council(Document("c", name, path.suffix[1:], pages), [])
    assert r.code == expected, r.reason


@pytest.mark.parametrize("url,code", [
    ("http://committeemeetings.flintshire.gov.uk/mgDelegatedDecisions.aspx", "W06000005"),   # a host the register lacks
    ("https://democracy.gwynedd.llyw.cymru/ieListDocuments.aspx?CId=130", "W06000002"),     # the Welsh public suffix
    ("https://birmingham.cmis.uk.com/birmingham/Decisions/tabid/67/Default.aspx", "E08000025"),  # a CMIS platform host
    ("https://moderngov.sometown.gov.uk/x", None),                                          # no council is called that
    # a label spelling the name the councils' own way (data/domain_words.csv)
    ("http://www.northlincs.gov.uk/your-council/minutes", "E06000013"),                        # short county form
    ("https://www.cityofworcester.gov.uk/council/minutes", "E07000237"),                       # 'cityof' affix
    ("https://democracy.north-herts.gov.uk/ieDecisionDetails.aspx?Id=6606", "E07000099"),      # compass + short form
    ("https://www.westberks.gov.uk/x", "E06000037"),
    ("https://www.beds.gov.uk/x", None),                                                     # a bare county form names no council
])
def test_a_government_or_platform_domain_label_names_its_council(url, code):
    assert check_string(url).code == code


def test_a_name_with_a_comma_in_it_is_one_council():
    # Armagh City, Banbridge and Craigavon summons, as republished (no council domain to go on)
    text = ("«You are hereby requested to attend the MONTHLY MEETING of ARMAGH CITY, BANBRIDGE AND CRAIGAVON BOROUGH "
            "COUNCIL which will be held as follows:")
    r = resolve_council(Document("c", "a.txt", "txt", [Page(1, text)]), [])
    assert (r.code, r.evidence) == ("N09000002", "text")
    # ... and a list by commas still finds the name that ends it
    r = resolve_council(Document("c", "a.txt", "txt", [Page(1, "Report to Kent, Medway Council and partners.")]), [])
    assert r.code == "E06000035"
