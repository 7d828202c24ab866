"""Meetings and decisions from ModernGov pages, printed minutes and cover sheets (hand-written fixtures)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from councilpapers.load import load_file
from councilpapers.normalise.bodies import body_kind, tidy_body
from councilpapers.normalise.dates import parse_uk_date
from councilpapers.normalise.phones import normalise_phone
from councilpapers.normalise.vote import vote_of
from councilpapers.registry import Output, registered

from .conftest import CORPUS, requires_corpus

FIX = Path(__file__).parent / "fixtures" / "decisions"
MINE = ("moderngov_pages", "moderngov_decision_lists", "minutes", "cover_sheet")


def extract(doc) -> dict[str, list[dict]]:
    """Run this family's extractors on a Document, in registry order, as the runner does."""
    found: dict[str, list[dict]] = {}
    for ex in registered():
        if ex.name in MINE and ex.accepts(doc):
            out = Output(found)
            ex.func(doc, out)
            for table, rows in out.rows.items():
                found.setdefault(table, []).extend(rows)
    return found


def run(name: str, source_url: str | None = None) -> tuple[object, dict]:
    doc = load_file(FIX / name)
    if source_url:
        doc.source_url = source_url
    found = extract(doc)
    for table in ("meetings", "decisions", "people"):
        for row in found.get(table, []):
            assert doc.page(row["page"]).text[row["char_start"]:row["char_end"]] == row["raw_text"], row
    return doc, found


@pytest.mark.parametrize("text,want", [
    ("14/02/2023", date(2023, 2, 14)), ("14/2/23", date(2023, 2, 14)), ("25 JANUARY 2024", date(2024, 1, 25)),
    ("27 January 2016", date(2016, 1, 27)), ("Tuesday, 27 July 2021", date(2021, 7, 27)),
    ("Tuesday 13th March 2018", date(2018, 3, 13)), ("no date here", None), ("31/02/2023", None),
])
def test_uk_dates(text, want):
    assert parse_uk_date(text) == want


def test_phone_international():
    assert normalise_phone("023 8083 4899") == "+44 23 8083 4899"
    assert normalise_phone("12") is None


@pytest.mark.parametrize("raw,body,kind", [
    ("CHILDREN AND FAMILIES SCRUTINY PANEL", "Children and Families Scrutiny Panel", "scrutiny"),
    ("Meeting of the Executive", "Executive", "executive"),
    ("Council (Item 28)", "Council", "full_council"),
    ("Cabinet Meeting", "Cabinet", "executive"),
    ("City Mayor (Individual Decision)", "City Mayor (Individual Decision)", "individual_decision"),
    ("Service Director - Homes & Neighbourhoods", "Service Director - Homes & Neighbourhoods", "individual_decision"),
    ("Planning Committee", "Planning Committee", "regulatory"),
    ("CORPORATE PARENTING PANEL", "Corporate Parenting Panel", "committee"),
    ("Royal Sutton Coldfield Town Council", "Royal Sutton Coldfield Town Council", "full_council"),
])
def test_body_tidy_and_kind(raw, body, kind):
    assert tidy_body(raw) == body
    assert body_kind(body) == kind


@pytest.mark.parametrize("text,vote,counts", [
    ("Voting: Unanimous", "unanimous", (None, None, None)),
    ("Voting: Nem.Con", "nem_con", (None, None, None)),
    ("agreed without dissent", "nem_con", (None, None, None)),
    ("Amendment lost.", "lost", (None, None, None)),
    ("carried by a majority", "majority", (None, None, None)),
    ("For: 12 Against: 3 Abstain: 1", "carried", (12, 3, 1)),
    # Slough: the counts printed with a comma after each 'votes'
    ("the Minutes were declared as an accurate record by 24 votes, to 10 votes, with 1 abstention.", "majority",
     (24, 10, 1)),
])
def test_votes(text, vote, counts):
    v = vote_of(text)
    assert v["vote"] == vote
    assert (v["votes_for"], v["votes_against"], v["abstentions"]) == counts


def test_issue_meetings_page_two_meetings_deduped_decisions():
    _doc, found = run("issue_meetings.txt")
    meetings = {(m["body"], m["meeting_date"], m["item_number"]) for m in found["meetings"]}
    assert meetings == {("Full Council", date(2024, 10, 3), "41"), ("Cabinet", date(2024, 9, 18), "22")}
    by_id = {m["meeting_id"]: m["body"] for m in found["meetings"]}
    got = sorted((by_id[d["meeting_id"]], d["kind"], d["label"], d["vote"]) for d in found["decisions"])
    # the council's own recommendation is the proposal it resolved; cabinet's is kept, printed twice -> once
    assert got == [("Cabinet", "recommended", "a", "nem_con"), ("Cabinet", "resolved", "b", "nem_con"),
                   ("Full Council", "resolved", "a", "carried")]
    council = next(d for d in found["decisions"] if by_id[d["meeting_id"]] == "Full Council")
    assert (council["votes_for"], council["votes_against"], council["abstentions"]) == (30, 12, 2)
    assert [p["code"] for p in found["problems"]] == ["minutes_truncated"]


def test_decision_details_officer_decision():
    """An officer deciding alone holds no meeting: the decision records its maker and date instead."""
    _doc, found = run("decision_details.html")
    assert found.get("meetings", []) == []
    (d,) = found["decisions"]
    assert d["text"].startswith("The contract for grounds maintenance") and d["label"] == ""
    assert d["meeting_id"] is None and d["decision_date"] == date(2024, 3, 4)
    assert body_kind(d["decision_maker"]) == "individual_decision"


def test_printed_minutes_resolutions_and_recorded_vote():
    _doc, found = run("printed_minutes.txt")
    (m,) = found["meetings"]
    assert (m["body"], m["meeting_date"], m["body_kind"]) == ("Cabinet", date(2025, 3, 6), "executive")
    labels = [(d["label"], d["text"][:20]) for d in found["decisions"]]
    assert len(labels) == 4
    b = next(d for d in found["decisions"] if d["label"] == "b")
    assert b["text"].endswith("resurfacing contracts.")          # wrapped line joined, page number skipped
    assert (b["vote"], b["votes_for"], b["votes_against"], b["abstentions"]) == ("carried", 5, 1, 0)
    last = found["decisions"][-1]
    assert last["text"] == "that the work programme be noted."


def test_cover_sheet_meeting_and_recommendations():
    _doc, found = run("cover_sheet.txt")
    (m,) = found["meetings"]
    assert (m["body"], m["meeting_date"], m["body_kind"]) == ("Environment Scrutiny Panel", date(2024, 3, 12), "scrutiny")
    assert [(d["label"], d["kind"]) for d in found["decisions"]] == [("i", "recommended"), ("ii", "recommended")]


def test_numbered_recommendation_keeps_its_sub_items():
    _doc, found = run("torbay_style.txt")
    (d,) = found["decisions"]
    assert d["label"] == "2.1" and "b) the risks" in d["text"]
    assert found["meetings"][0]["body"] == "Audit Committee"


def test_decision_list_rows_are_decisions_but_not_issue_histories():
    _doc, found = run("decisions_list.html")
    got = [(d["kind"], d["text"], d["meeting_id"]) for d in found["decisions"]]
    assert got == [("decided", "Lease of the old library, Market Street", None),
                   ("decided", "Grant to the food bank", None)]
    assert not found.get("meetings")


def test_lost_amendment_is_a_decision_with_its_recorded_vote():
    _doc, found = run("recorded_amendment.txt")
    other = [d for d in found["decisions"] if d["kind"] == "other"]
    (amend,) = other
    assert amend["label"] == "2" and amend["vote"] == "lost"   # 'seconded the following' / 'amendment:' wrapped
    assert (amend["votes_for"], amend["votes_against"], amend["abstentions"]) == (2, 3, 0)
    assert "£50k to the parks budget" in amend["text"]
    resolved = {d["label"]: d for d in found["decisions"] if d["kind"] == "resolved"}
    assert sorted(resolved) == ["a", "b", "c", "d"]
    assert all((d["vote"], d["votes_for"], d["votes_against"]) == ("carried", 3, 2) for d in resolved.values())
    movers = {(p["name"], p["role"]) for p in found["people"] if p["mention"] == "other"}
    assert movers == {("Hall", "proposer"), ("Irving", "seconder")}


def test_item_keeps_its_later_paragraphs_and_drops_sub_headings():
    _doc, found = run("recorded_amendment.txt")
    by = {d["label"]: d["text"] for d in found["decisions"] if d["kind"] == "resolved"}
    assert by["a"].endswith("published on 12th February 2025")           # not '... Council Tax'
    assert by["c"].endswith("together with the reasons for them.")        # second paragraph of (c)


def test_amendment_form_in_a_pack():
    _doc, found = run("amendment_form.txt")
    (m,) = found["meetings"]
    assert (m["body"], m["meeting_date"], m["body_kind"]) == ("County Council", date(2025, 3, 13), "full_council")
    (d,) = found["decisions"]
    assert (d["kind"], d["label"], d["vote"]) == ("other", "3", None)
    assert d["text"] == "Restore Saturday opening at the four branch libraries for the whole of 2025-26."
    assert {(p["name"], p["role"]) for p in found["people"] if p["mention"] == "other"} == {
        ("Tom Webb", "proposer"), ("Ann Cole", "seconder")}
    assert [(p["name"], p["mention"]) for p in found["people"] if p["mention"] != "other"] == [("Sam Reed", "contact")]


def test_agenda_frontsheet_gives_its_meeting_and_no_decisions():
    _doc, found = run("agenda_frontsheet.txt")
    (m,) = found["meetings"]
    assert (m["body"], m["meeting_date"]) == ("Planning Committee", date(2025, 3, 4))
    assert not found.get("decisions")


def test_agenda_frontsheet_ask_for_contact_with_phone_and_broken_email():
    _doc, found = run("agenda_frontsheet.txt")
    (p,) = found["people"]
    assert (p["name"], p["mention"], p["role"]) == ("Sam Reed", "contact", None)
    assert p["phone"] == "+44 1234 567890"
    assert p["email"] == "sam.reed@example.gov.uk"   # 'sam.reed@example' / '.gov.uk' / '.' joined


# --- decision_date and source_ref ---------------------------------------------------

def test_decision_details_date_of_decision_and_id_from_address():
    _doc, found = run("decision_details.html",
                      source_url="https://democracy.example.gov.uk/ieDecisionDetails.aspx?ID=13567")
    (d,) = found["decisions"]
    assert (d["decision_date"], d["source_ref"]) == (date(2024, 3, 4), "13567")


def test_decision_details_without_address_cites_a_minute_number():
    _doc, found = run("decision_details_minute.html")
    (m,) = found["meetings"]
    assert (m["body"], m["meeting_date"]) == ("Cabinet", date(2024, 3, 11))
    (d,) = found["decisions"]
    # the page prints its date of decision (here the meeting's day): kept as printed
    assert (d["decision_date"], d["source_ref"]) == (date(2024, 3, 11), "Minute 10")


def test_decision_list_rows_carry_their_date_and_decision_id():
    _doc, found = run("decisions_list.html")
    got = [(d["text"], d["decision_date"], d["source_ref"]) for d in found["decisions"]]
    assert got == [("Lease of the old library, Market Street", date(2024, 5, 2), "501"),
                   ("Grant to the food bank", date(2024, 5, 7), "502")]


def test_minute_headed_by_a_decision_number_gives_it_to_its_decisions():
    _doc, found = run("minutes_decision_numbers.txt")
    got = [(d["label"], d["text"][:23], d["source_ref"], d["decision_date"]) for d in found["decisions"]]
    assert got == [("", "that the minutes of the", None, None),
                   ("a", "Adopt the Highways Main", "25/00012", None),
                   ("b", "Note the risks set out ", "25/00012", None),
                   ("2", "that the quarterly perf", None, None)]   # minute 14 has no number of its own


def test_report_about_a_numbered_decision_and_cross_references_trimmed():
    _doc, found = run("report_decision_ref.txt")
    got = [(d["label"], d["text"], d["source_ref"]) for d in found["decisions"]]
    assert got == [
        ("2.1", "Note the forecast revenue overspend of £12.5m (excluding Schools)", "24/00321"),
        ("2.2", "Note the forecast capital underspend of £4.2m", "24/00321"),
        ("2.3", "Note the Reserves Monitoring, Treasury Management and Prudential Indicators Monitoring", "24/00321"),
    ]
    assert all("refer" not in d["raw_text"] for d in found["decisions"])   # the span is trimmed too


# --- leftovers from real papers ---------------------------------------------------------

def test_presenter_role_keeps_its_commas():
    _doc, found = run("minutes_decision_numbers.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "presenter"}
    assert roles == {"Frost": "Deputy Leader and Cabinet Member for Finance, Property and Traded Services",
                     "Dale": "Cabinet Member for Communities"}


def test_bare_noted_under_a_minute_heading_is_a_noted_decision():
    _doc, found = run("minutes_bare_noted.txt")
    got = [(d["kind"], d["text"], d["raw_text"]) for d in found["decisions"]]
    assert got == [
        ("resolved", "That the minutes of the meeting held on 23 June are agreed as a correct record.",
         "That the minutes of the meeting held on 23 June are agreed as a correct record."),
        ("noted", "WORK PROGRAMME", "NOTED"),
        # 'RESOLVED:' alone with its 'That ...' on the next line
        ("resolved", "That the corporate risk register be approved.", "That the corporate risk register be approved."),
    ]


def test_report_items_stop_at_explanatory_paragraphs():
    _doc, found = run("report_explained_items.txt")
    by = {d["label"]: d["text"] for d in found["decisions"]}
    assert sorted(by) == ["a", "b", "c", "d"]
    assert by["a"] == "That the Town Band be commissioned to perform an open-air concert in the park on Saturday 1 July 2017."
    assert by["b"] == "That the Clerk be delegated to apply for formal permission to use the park for the event."
    assert by["c"] == "That the Council engages an event management company to deliver the event."
    assert by["d"].startswith("That the Council approves a contribution of £10,000")


def test_parish_s137_resolution():
    _doc, found = run("parish_minutes.txt")
    texts = [d["text"] for d in found["decisions"]]
    assert any(t.startswith("in accordance with its powers under section 137") for t in texts)


def test_repeated_mid_page_line_is_content_not_furniture():
    from councilpapers.document import Document, Page
    from councilpapers.structure import doc_lines
    body = "Council Minutes | 2025\n" + "\n".join(f"Line {i} of running text." for i in range(12))
    pages = [Page(n, body.replace("Line 6 of running text.", "Amendment lost.")) for n in range(1, 5)]
    lines = doc_lines(Document("x", "x.pdf", "pdf", pages))
    flags = {ln.clean: ln.furniture for ln in lines if ln.clean}
    assert flags["Council Minutes | 2025"] is True and flags["Amendment lost."] is False


def test_long_inputs_stay_fast():
    """Hostile lengths for the new patterns: a 2,000-name presenter-like list, items separated by
    a screenful of explanatory lines, a 'Please refer to' tail on a long item, an 'Ask for:' amid noise."""
    import time

    from councilpapers.document import Document, Page
    names = ", ".join(f"Mr Aaron Bbbb{i % 10}, Cabinet Member for Things and Stuff" for i in range(2000))
    explain = "\n".join("The programme would be drawn from the repertoire, and it is likely to be popular"
                        for _ in range(25))
    text = ("AGENDA\nCABINET\nThursday, 30th January, 2025, at 10.00 am Ask for: Sam Reed\n"
            + "Email: " + "x" * 5000 + "\n"
            + "MINUTES of a meeting of the Cabinet held at County Hall on Thursday, 30 January 2025.\n"
            + "PRESENT: Mr A Bright\n1. " + names + ", introduced the report.\n"
            + "2 WORK PROGRAMME (Agenda item 7)\nNOTED\n"
            + "3. RESOLVED that Cabinet agree to:\n(a) Note the report " + "and the figures " * 3000
            + "Please refer to Section 3\n" + explain + "\n(b) Agree the plan.\n")
    doc = Document("long", "long.txt", "text", [Page(1, text)])
    t0 = time.perf_counter()
    found = extract(doc)
    elapsed = time.perf_counter() - t0
    assert elapsed < 3.0, elapsed
    by = {d["label"]: d for d in found["decisions"]}
    assert by["a"]["text"].endswith("and the figures") and by["b"]["text"] == "Agree the plan."
    assert ("noted", "WORK PROGRAMME") in {(d["kind"], d["text"]) for d in found["decisions"]}


@requires_corpus()
def test_every_named_vote_of_kent_council_belongs_to_its_division():
    """Kent's budget meeting: 8 recorded divisions (6 lost amendments, the section 25 report, the budget); each named voter carries the decision it voted on, and the
    names on each side add up to the counts the minutes print."""
    from collections import Counter

    from councilpapers.manifest import ManifestEntry
    from councilpapers.process import process_file

    path = CORPUS / "pdf" / "kent_2025-02-13_county-council_printed-minutes.pdf"
    rows = process_file(path, path.name, ManifestEntry()).rows
    voters = [p for p in rows["people"] if p["vote_cast"]]
    assert len(voters) >= 465 and all(p["decision_id"] for p in voters)
    named = Counter((p["decision_id"], p["vote_cast"]) for p in voters)
    divided = [d for d in rows["decisions"] if any(k[0] == d["decision_id"] for k in named)]
    assert len(divided) == 8
    for d in divided:
        assert (named[(d["decision_id"], "for")], named[(d["decision_id"], "against")],
                named[(d["decision_id"], "abstain")]) == (d["votes_for"], d["votes_against"], d["abstentions"] or 0)
    assert {"Mr Wright", "Ms Wright", "Mr Meade", "Ms Meade"} <= {p["name"] for p in voters}
