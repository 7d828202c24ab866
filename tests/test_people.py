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


# --- attendance lists under plural titles, role headings and printed capitals (NI and Scottish minutes) -----

def _whole(fixture):
    """The whole extraction of a people fixture (tests/fixtures/people), as the runner does."""
    from pathlib import Path

    from .test_proceedings import read
    return read((Path(__file__).parent / "fixtures" / "people" / fixture).read_text(encoding="utf-8"), fixture)


def _titled(text):
    from councilpapers.extractors._people import titled_people
    return [(n, r) for _s, _e, n, r, _t in titled_people(text)]


def test_plural_title_over_a_dash_and_names_run_together():
    # Antrim and Newtownabbey: 'Councillors – J Archibald, ...' (a dash after the plural title); 'J Gilmour M Goodman'
    # printed without a comma is two people
    text = ("Councillors – J Archibald, A Bennington, M Cooper, R Foster, J Gilmour M Goodman, P Hamill, "
            "A M Logue, B Webb and R Wilson")
    assert [n for n, _r in _titled(text)] == ["J Archibald", "A Bennington", "M Cooper", "R Foster", "J Gilmour",
                                              "M Goodman", "P Hamill", "A M Logue", "B Webb", "R Wilson"]
    assert {r for _n, r in _titled(text)} == {"Councillor"}
    assert _titled("Mr – Smith") == []  # only a plural title governs a list over a dash


def test_a_title_inside_a_list_gives_the_names_after_it_its_role():
    # Derry City and Strabane: 'Aldermen Devenney, ... and Warke; Councillors Campbell, Carlin, ...'
    text = ("Present:- Councillor Boyle (Mayor)(In the Chair); Aldermen Devenney, M Hamilton, R Hamilton, Hussey "
            "and Warke; Councillors Campbell, Carlin, D Kelly, Mc Knight and Tierney")
    got = dict(_titled(text))
    assert got["Devenney"] == "Alderman" and got["R Hamilton"] == "Alderman" and got["Warke"] == "Alderman"
    assert got["Campbell"] == "Councillor" and got["Tierney"] == "Councillor"


def test_present_list_reads_past_two_brackets():
    # Derry City and Strabane: 'Councillor Boyle (Mayor)(In the Chair); Aldermen Devenney, ...'
    found = _whole("derry_present.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert roles["Boyle"] == "Mayor" and roles["Devenney"] == "Alderman" and roles["Donnelly"] == "Councillor"
    # 'Lead Human Resources Officer ( Mrs P Donnelly)': the role printed before the name
    assert roles["J Kelpie"] == "Chief Executive" and roles["P Donnelly"] == "Lead Human Resources Officer"


def test_role_printed_before_the_name_in_an_attendance_field():
    # Antrim and Newtownabbey: 'Officers Present : Chief Executive - J Dixon Director of ... – M McAlister ...'
    found = _whole("antrim_officers.txt")
    roles = {p["name"]: p["role"] for p in found["people"] if p["mention"] == "attendee"}
    assert len(roles) == 10 and roles.items() >= {
        "J Dixon": "Chief Executive", "M McAlister": "Director of Economic Development and Planning",
        "G Girvan": "Director of Operations", "P Casey": "Borough Lawyer and Head of Legal Services",
        "A Cole": "ICT Change Officer", "V Lisk": "Member Services Manager"}.items()


def test_count_in_brackets_is_not_a_role():
    # Dundee: 'there voted for the motion - Bailies Keenan and Scott, and Councillors ... Scott and Murray (10)'
    got = dict(_titled("Bailies Keenan and Scott, and Councillors Cruickshank, Hay and Murray (10); and for"))
    assert got == {"Keenan": "Bailie", "Scott": "Bailie", "Cruickshank": "Councillor", "Hay": "Councillor",
                   "Murray": "Councillor"}


def test_surname_in_capitals_after_a_first_name():
    # Dundee sederunt: 'Lord Provost Ian BORTHWICK', 'Councillor John ALEXANDER, Convener, in the Chair.'
    assert _titled("Lord Provost Ian BORTHWICK\n") == [("Ian Borthwick", "Lord Provost")]
    assert _titled("Councillor John ALEXANDER, Convener, in the Chair.") == [("John Alexander", "Convener")]
    assert _titled("Councillor George McIRVINE\n") == [("George McIrvine", "Councillor")]
    # a word in capitals that does not end the entry, or an honour, is no surname
    assert _titled("Councillor Smith AGREED that the report be noted") == [("Smith", "Councillor")]
    assert _titled("Mr John Smith OBE, said") == [("John Smith", None)]
    assert _titled("Councillor J Smith UKIP, said") == [("J Smith", "Councillor")]
    # an office alone, or with a bare surname, is still no person
    assert _titled("Depute Lord Provost Campbell moved") == []


def test_plural_title_heading_over_one_name_a_line():
    # Dundee: 'BAILIES' then one name a line (blank lines between groups), then 'COUNCILLORS'
    found = _whole("dundee_sederunt.txt")
    roles = {p["name"]: p["role"] for p in found["people"]}
    assert roles["Ian Borthwick"] == "Lord Provost" and roles["Bill Campbell"] == "Depute Lord Provost"
    assert roles["Willie Sawers"] == roles["Derek J Scott"] == roles["Fraser Macpherson"] == "Bailie"
    assert roles["Steven Rome"] == "Councillor" and roles["Gregor Murray"] == "Councillor"
    # 'seconded by Councillor Marra' later is the same person as 'Michael MARRA' in the sederunt
    assert "Marra" not in roles and "Michael Marra" in roles
    # a heading over a sentence is no list ('Councillors' / 'Gareth Davies and Keith Henson declared ...')
    from councilpapers.extractors._people import roster_people
    assert roster_people("Councillors\nGareth Davies and Keith Henson declared a personal interest\n") == []


def test_plural_title_over_a_colon_and_surnames_in_capitals_after_initials_or_a_title():
    # composed in forms councils share (a plural title with a colon; surnames printed in capitals)
    assert _titled("Councillors: J Smith and K Brown") == [("J Smith", "Councillor"), ("K Brown", "Councillor")]
    assert _titled("Cllr J SMITH\n") == [("J Smith", "Councillor")]
    assert _titled("Councillor SMITH (Chair) said") == [("Smith", "Chair")]
    assert _titled("Councillor RESOLVED that") == []


def test_attendance_label_alone_over_one_name_a_line():
    # composed in a form councils share: 'PRESENT:' alone, then a name a line, each with its title or role
    rows = _read("PRESENT:\n\nCouncillor A Smith (Chair)\nJohn Brown, Service Manager\n\nJane Doe\n\n"
                 "1. Minutes\n\nRESOLVED that the minutes be approved.\n")
    got = {p["name"]: p["role"] for p in rows["people"] if p["mention"] == "attendee"}
    assert got == {"A Smith": "Chair", "John Brown": "Service Manager", "Jane Doe": None}


def _read(text):
    from .test_proceedings import read
    return read(text)


def test_honours_and_titles_printed_one_after_another_do_not_end_a_list():
    from councilpapers.extractors._people import name_list
    # Fermanagh and Omagh council minutes, 28 July 2016: honours after a name in a list by semicolons
    t = "Councillors: Barry McNally; Thomas O’Reilly; Allan Rainey MBE; Paul Robinson; Rosemarie Shields."
    assert [n for _, _, n, _ in name_list(t, t.index("Barry"), titled=False)] == [
        "Barry McNally", "Thomas O’Reilly", "Allan Rainey", "Paul Robinson", "Rosemarie Shields"]
    # Mid and East Antrim council minutes, 9 January 2017: titled entries run together, 'Ald' for Alderman
    t = "Present: Ald Mrs M Beattie Ald R Cherry, MBE Ald S Hanna Cllr B Ashe Cllr Ms D Anderson"
    got = name_list(t, t.index("Ald"), titled=True)
    assert [n for _, _, n, _ in got] == ["M Beattie", "R Cherry", "S Hanna", "B Ashe", "D Anderson"]
    assert got[1][3] == "Alderman" and got[3][3] == "Councillor"
