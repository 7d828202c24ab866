"""People: names without titles, roles kept apart from names, emails and phones normalised."""
from __future__ import annotations

import pytest

from councilpapers.normalise.bodies import body_kind
from councilpapers.normalise.people import is_name, split_names, strip_titles

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


# --- recorded votes and attendance on real minutes layouts --------------------------------

def test_title_left_at_line_end_is_carried_to_the_surname():
    """Kent printed minutes: 'Mr Bond, Mr\\nBooth, Mr Brady' - the 'Mr' at the line end titles 'Booth'."""
    from councilpapers.normalise.people import split_names
    assert [n for _s, _e, n in split_names("Booth, Mr Brady", first_titled=True)] == ["Booth", "Brady"]
    assert [n for _s, _e, n in split_names("Booth, Mr Brady")] == ["Brady"]


def test_initials_make_a_role_word_a_surname():
    """'Mrs C Head (Head of Finance Operations)': a titled, initialled 'Head' is a name, a bare one is not."""
    text = "Mr B Watts (General Counsel), Mrs C Head (Head of Finance Operations), Head of Finance"
    assert [n for _s, _e, n in split_names(text)] == ["B Watts", "C Head"]


def test_vote_list_split_over_lines_and_pages():
    _doc, found = run("../people/vote_over_lines.txt")
    voters = [(p["name"], p["vote_cast"]) for p in found["people"] if p["mention"] == "voter"]
    assert voters == [("Baker", "for"), ("Booth", "for"), ("Meade", "for"), ("Wright", "for"),
                      ("Ross", "against"), ("Chandler", "against")]


def test_attendee_role_after_a_dash():
    _doc, found = run("parish_minutes.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert roles["Jane O’Neill"] == "Town Clerk" and roles["Sam Reed"] == "Assistant Town Clerk"


# --- body kinds: real body strings from council papers ------------------------------------

@pytest.mark.parametrize("body,kind", [
    ("Cabinet", "executive"),
    ("Executive", "executive"),
    ("Mayor and Cabinet", "executive"),
    ("Executive Board", "executive"),
    ("Policy Committee", "committee"),                      # Reading: committee system, no executive
    ("Policy and Resources Committee", "committee"),         # Brighton & Hove / Sutton style
    ("Amenities, Leisure and Community Services", "committee"),  # town council committee, 'Committee' lost
    ("Amenities, Leisure and Community Services Committee", "committee"),
    ("Finance and General Purposes", "committee"),
    ("Royal Sutton Coldfield Town Council", "full_council"),
    ("County Council", "full_council"),
    ("Council", "full_council"),
    ("Full Council", "full_council"),
    ("Budget Council", "full_council"),
    ("Annual Council", "full_council"),
    ("Overview and Scrutiny Board", "scrutiny"),
    ("Children and Families Scrutiny Panel", "scrutiny"),
    ("Scrutiny Committee", "scrutiny"),
    ("Audit Committee", "committee"),
    ("Audit Committee and General Purposes Committee (Joint Session)", "committee"),
    ("Corporate Parenting Panel", "committee"),
    ("Health and Wellbeing Board", "committee"),
    ("Standards Committee", "committee"),
    ("Planning Committee", "regulatory"),
    ("Licensing Sub-Committee", "regulatory"),
    ("Development Management Committee", "regulatory"),
    ("Service Director - Homes & Neighbourhoods", "individual_decision"),
    ("Cabinet Member for Finance", "individual_decision"),
    ("City Mayor (Individual Decision)", "individual_decision"),
    ("Strategic Director of Place", "individual_decision"),
])
def test_body_kind_table(body, kind):
    assert body_kind(body) == kind


def test_titled_initialled_head_is_an_attendee():
    _doc, found = run("../people/vote_over_lines.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert roles["C Head"] == "Head of Finance Operations"


def test_attendee_role_after_a_comma_ending_the_list():
    """'ALSO PRESENT: Sue Chandler, Cabinet Member for Integrated Children's\\nServices.'"""
    _doc, found = run("../people/vote_over_lines.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert roles["S Chandler"] == "Cabinet Member for Integrated Children’s Services"
    assert roles["T Booth"] is None


# --- contact rows and untitled surnames (layouts from Kent reports and minutes) -----------

def test_contact_rows_phone_after_email_and_role_over_lines():
    """'anna.taylor@kent.gov.uk 03000 416478': the number follows the address; 'Head of Finance Policy,
    Planning and' / 'Strategy' / 'Dave Shipton 03000 ...': the role is wrapped above the name."""
    _doc, found = run("../people/contact_rows.txt")
    got = {p["name"]: (p["role"], p["phone"], p["email"]) for p in found["people"] if p["mention"] == "contact"}
    assert got == {
        "Mary Ellis": ("Corporate Director Finance", "+44 1632 960111", "mary.ellis@example.gov.uk"),
        "Tom Pryce": ("Head of Finance Policy, Planning and Strategy", "+44 1632 960222", "tom.pryce@example.gov.uk"),
        "Priya Nair": ("Policy Research Officer", "+44 1632 960333", "priya.nair@example.gov.uk"),
    }


def test_untitled_surname_with_a_role_in_a_list_of_names():
    """'Ms C McInnes (Director of Education) and McKay (Acting Chief Accountant)': a bare surname beside
    names and with a bracketed role is a person; 'Maidstone (Host Venue)' opening a list is not."""
    _doc, found = run("../people/untitled_surname.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert roles["McKay"] == "Acting Chief Accountant"
    assert "Maidstone" not in roles and roles["S Jones"] == "Corporate Director"


def test_bare_surname_needs_a_role_and_names_beside_it():
    def names(text):
        return [n for _s, _e, n in split_names(text)]

    assert names("Mr A Baker, McKay (Accountant) and Ms C Lee") == ["A Baker", "McKay", "C Lee"]
    assert names("Mr A Baker, McKay and Ms C Lee") == ["A Baker", "C Lee"]            # no role
    assert names("Finance (Item 4), Mr A Baker") == ["A Baker"]                       # a role word
    assert names("Room 3, Kendal (Host) and Mr A Baker") == ["A Baker"]               # beside a non-name
    assert names("Smith (Chair) and Jones (Clerk)") == []                             # no name beside either
