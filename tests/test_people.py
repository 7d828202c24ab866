"""People: names without titles, roles kept apart from names, emails and phones normalised."""
from __future__ import annotations

from pipeline.normalise.people import is_name, split_names, strip_titles

from .test_meetings_decisions import run


def test_titles_and_roles():
    assert strip_titles("Councillor Richard Burton") == "Richard Burton"
    assert strip_titles("Mr R C Love, OBE") == "R C Love"
    assert not is_name("Chief Financial Officer")
    assert is_name("H Allen")


def test_name_list_offsets():
    text = "Councillors H Allen, M Cox, A Filer and V Ricketts"
    got = split_names(text)
    assert [n for _s, _e, n in got] == ["H Allen", "M Cox", "A Filer", "V Ricketts"]
    assert all(text[s:e] == n for s, e, n in got)


def test_issue_page_presenter_and_leavers():
    _doc, found = run("issue_meetings.txt")
    people = {(p["name"], p["mention"], p["role"]) for p in found["people"]}
    assert ("Jane Okafor", "presenter", "Cabinet Member for Culture") in people
    assert {n for n, m, _r in people if m == "attendee"} == {"P Lee", "R Shah"}


def test_cover_sheet_contact_table():
    _doc, found = run("cover_sheet.txt")
    (p,) = found["people"]
    assert (p["name"], p["role"], p["email"], p["phone"]) == (
        "Priya Shah", "Director of Environment", "priya.shah@example.gov.uk", "+44 23 8083 1234")


def test_contact_details_line():
    _doc, found = run("torbay_style.txt")
    (p,) = found["people"]
    assert (p["name"], p["email"], p["mention"]) == ("Alan Moss", "alan.moss@example.gov.uk", "contact")


def test_minutes_attendees_and_voters():
    _doc, found = run("printed_minutes.txt")
    attendees = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert attendees["A Brown"] == "Chairman" and attendees["J King"] == "Chief Executive"
    assert {p["name"] for p in found["people"] if p["mention"] == "voter"} == {"Brown", "Davis", "Frost", "Hill", "Ives", "Jones"}


def test_plural_title_covers_bare_surnames_and_dash_roles():
    _doc, found = run("parish_minutes.txt")
    names = [p["name"] for p in found["people"] if p["mention"] == "attendee"]
    assert names == ["Patel", "Hewitt", "Moss", "Wood", "Jane O’Neill", "Sam Reed"]


def test_list_entries_end_at_bracket_or_full_stop_before_a_new_line():
    text = "Colin Millar (Democratic Services)\nSuresh Patel, Dan Roe. Councillors Ann Cole and\nMartin Whelton.\nCaroline Holland (Director)"
    assert [n for _s, _e, n in split_names(text)] == [
        "Colin Millar", "Suresh Patel", "Dan Roe", "Ann Cole", "Martin Whelton", "Caroline Holland"]


def test_name_role_presented_sentence():
    _doc, found = run("recorded_amendment.txt")
    (p,) = [p for p in found["people"] if p["mention"] == "presenter"]
    assert (p["name"], p["role"]) == ("Ruth Mason", "Director of Finance")
