"""The family-independent reader of decisions, meetings, votes and people, on lines from real papers.

A fixture whose comment names a council quotes that council's page as printed; the others are
composed in forms councils share (the issue's own examples, common minute, report and register
layouts) and say so. Each rule is general: other councils' pages share the form.
"""
from __future__ import annotations

from datetime import date

from councilpapers.load import load_bytes
from councilpapers.manifest import ManifestEntry
from councilpapers.process import process_document


def read(text: str, name: str = "page.txt") -> dict[str, list[dict]]:
    """Run the whole extraction on one text page as the runner does; check every span."""
    doc = load_bytes(text.encode("utf-8"), name, "txt")
    rows = process_document(doc, ManifestEntry()).rows
    for table in ("meetings", "decisions", "people"):
        for row in rows[table]:
            assert doc.page(row["page"]).text[row["char_start"]:row["char_end"]] == row["raw_text"], row
    return rows


def decisions(rows):
    return [(d["label"], d["kind"], d["text"][:30]) for d in rows["decisions"]]


def names(rows):
    return {p["name"] for p in rows["people"]}


def test_run_in_list_after_decision_field_and_cut_last_item():
    # Kirklees: the list printed on one line; the excerpt stops inside the next resolution
    rows = read("Decision: Cabinet noted the submission of exempt information, as set out at Agenda Item 14. |\n"
                "Decision: No questions were asked.\n"
                "Decision: RESOLVED –\n"
                "1) That authority be delegated to the Strategic Director to publish proposals. 2) That Cabinet "
                "consider and determine the proposals at the end of the representation period.\n"
                "Contact: Sarah Thistlethwaite, Service Development Manager Additional documents: Decision: RESOLVED –\n"
                "1) That actions identified as ongoing be reported less frequently and that Cabinet acknowledge the progress made is")
    assert decisions(rows) == [
        ("", "noted", "Cabinet noted the submission o"),
        ("1", "resolved", "That authority be delegated to"),
        ("2", "resolved", "That Cabinet consider and dete"),
    ]
    person = next(p for p in rows["people"] if p["name"] == "Sarah Thistlethwaite")
    assert person["mention"] == "contact" and person["role"] == "Service Development Manager"


def test_cut_item_keeps_its_complete_sentences():
    # Barnet: the page stops in the second sentence of a resolution
    rows = read("It was RESOLVED:\n\n1.    That Cabinet approved increasing the value of the JCT contract by £1.1m so "
                "that total contract value is £10.1m. This is to include ")
    (d,) = rows["decisions"]
    assert d["text"].endswith("£10.1m.") and d["raw_text"].endswith("£10.1m.")


def test_named_division_gives_counts_and_each_voter_the_decision():
    # Aberdeen City: 'Declined to vote' counts as an abstention, 'Absent' casts no vote, offices are no people
    rows = read("Councillor Yuill moved as a procedural motion, seconded by Councillor McLellan:-\n\n"
                "That agenda items 9.4 and 9.5 be referred to the Finance and Resources Committee.\n\n"
                "On a division, there voted:-\n\n"
                "For the procedural motion  (3)  -  Lord Provost; and Councillors Al-Samarai, Allard and van Sweeden.\n\n"
                "Against the procedural motion  (2)  -  Councillors Ali and Blake.\n\n"
                "Declined to vote  (1)  -  Councillor Boulton.\n\n"
                "Absent from the division  (1)  -  Depute Provost; and Councillor Graham.\n\n"
                "The Council resolved:-\n\nto adopt the procedural motion.")
    (d,) = rows["decisions"]
    assert (d["kind"], d["text"], d["vote"]) == ("resolved", "to adopt the procedural motion.", "carried")
    assert (d["votes_for"], d["votes_against"], d["abstentions"]) == (3, 2, 1)
    voters = {p["name"]: p["vote_cast"] for p in rows["people"] if p["mention"] == "voter"}
    assert voters == {"Al-Samarai": "for", "Allard": "for", "van Sweeden": "for", "Ali": "against",
                      "Blake": "against", "Boulton": "abstain"}
    assert all(p["decision_id"] == d["decision_id"] for p in rows["people"] if p["mention"] == "voter")
    assert "Graham" in names(rows) and not any("Provost" in n for n in names(rows))


def test_vote_line_before_and_voting_record_after_a_resolution():
    # Denbighshire prints the vote before the resolution; Cotswold after it
    before = read("Decision:\n\nVote taken: 8 in favour, 0 against, 0 abstentions\n\n"
                  "RESOLVED that the minutes of the meeting held on 20 October 2020 be received.\n")
    (d,) = before["decisions"]
    assert (d["votes_for"], d["votes_against"], d["abstentions"], d["vote"]) == (8, 0, 0, "carried")
    after = read("RESOLVED that the minutes of the Cabinet meeting held on 5 September 2024 be approved.\n\n"
                 "Voting Record\n\n5 For, 0 Against, 1 Abstention\n")
    (d,) = after["decisions"]
    assert (d["votes_for"], d["votes_against"], d["abstentions"]) == (5, 0, 1)


def test_decision_summary_is_not_a_second_decision_when_the_minutes_resolve():
    # Huntingdonshire: 'Decision:' restates resolutions (a) and (b) printed under 'Minutes:'
    rows = read("33 IMPLEMENTING ELECTRONIC GOVERNMENT STATEMENT 2005\nDecision:\n"
                "Approved the contents of the 2005 Statement; and authorised the Director to make minor amendments.\n"
                "Minutes:\nHaving been reminded of the objective of the statement, the Cabinet\nRESOLVED\n"
                "(a) that the 2005 Statement be approved for submission; and\n"
                "(b) that the Director be authorised to make minor amendments.\n")
    assert [d["label"] for d in rows["decisions"]] == ["a", "b"]
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", None)]


def test_list_whose_resolved_heading_was_lost():
    # Bromsgrove: lowercase 'that' items after the discussion are the resolution
    rows = read("Cabinet - Wednesday 19th January 2011 3.00 p.m.\n\n"
                "The Cabinet considered a report on the Draft Core Strategy 2.\n\n"
                "(a)       that the Draft Core Strategy 2 be approved for the purposes of public consultation;\n\n"
                "(b)       that the public consultation period be from 21st January to 4th March 2011; and\n\n"
                "(c)        that delegated authority be approved to make any further essential revisions.\n")
    assert [(d["label"], d["kind"]) for d in rows["decisions"]] == [("a", "resolved"), ("b", "resolved"), ("c", "resolved")]
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2011, 1, 19))]


def test_reasons_list_after_the_decisions_is_not_decisions():
    # Guildford: two lists numbered 1-3, the decisions then the reasons
    rows = read("Decision Maker: Executive\n\n"
                "1.        To approve the procurement procedures listed in Appendix 1.\n\n"
                "2.        To delegate authority to the Strategic Director of Finance.\n\n"
                "1.        Executive authority is required to approve all key decisions of £200,000 or more.\n\n"
                "2.        Planning procurement activity ensures value for money.\n")
    assert [d["label"] for d in rows["decisions"]] == ["1", "2"]
    assert rows["documents"][0]["doc_kind"] == "minutes"


def test_proposal_followed_by_its_outcome():
    # Great Yarmouth (CMIS): the resolution is quoted, then 'This was agreed.'
    rows = read("The Chair confirmed that the following resolution will be moved:-\n"
                "\"That under Section 100(A)(4) of the Local Government Act 1972, the public be excluded from the meeting.\"\n"
                "This was agreed.\n")
    (d,) = rows["decisions"]
    assert d["kind"] == "agreed" and d["text"].startswith("That under Section 100(A)(4)")


def test_stacked_heading_and_attendance_with_roles():
    # Fife: the minute's heading is a body line over a date line, then PRESENT and ATTENDING lists
    rows = read("THE FIFE COUNCIL - CENTRAL AND WEST PLANNING COMMITTEE – REMOTE MEETING\n\n"
                "12th May, 2021 2.00 p.m. – 6.00 p.m.\n\n"
                "PRESENT: Councillors Alice McGarry (Convener), David Alexander and Alistair Bain.\n\n"
                "ATTENDING: Alistair Hamilton, Service Manager - Development Management, Katherine Pollock, Planner "
                "and Mark Barrett, Lead Officer Transportation.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [
        ("Central and West Planning Committee", date(2021, 5, 12))]
    roles = {p["name"]: p["role"] for p in rows["people"]}
    assert roles["Alice McGarry"] == "Convener"
    assert roles["Alistair Hamilton"] == "Service Manager - Development Management"
    assert {"David Alexander", "Alistair Bain", "Katherine Pollock", "Mark Barrett"} <= set(roles)


def test_body_from_the_resolution_and_date_from_the_decision_title():
    # Barking and Dagenham: an issue-decisions page names neither body nor date in a header
    rows = read("Issue - decisions\n\nLondon Housing Zone Proposals\n\n06/08/2014 - London Housing Zone Proposal\n\n"
                "Cabinet resolved:\n\n\n(i)  To agree to the development of a London Housing Zone bid; and\n\n\n"
                "(ii)  To delegate authority to the Chief Executive to approve the final bid.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2014, 8, 6))]
    assert [(d["label"], d["kind"]) for d in rows["decisions"]] == [("i", "resolved"), ("ii", "resolved")]


def test_label_inside_the_that_sentence():
    # East Hertfordshire: 'That (A) ... and (B) ...'
    rows = read("Decision:\n\nThat (A) the updated Risk Management Strategy be approved; and\n\n"
                "(B) recommendations that could enhance risk management be noted.\n\nLead officer: Isabel Brittain\n")
    assert [d["label"] for d in rows["decisions"]] == ["A", "B"]
    assert "Isabel Brittain" in names(rows)


def test_report_asks_cabinet_to_recommend():
    # Gloucester (the issue's example): a cabinet report's numbered recommendation lead-in
    rows = read("2.1 Cabinet is asked to RECOMMEND that:\n\n(1) the Council adopts the revised Local Plan; and\n\n"
                "(2) delegated authority be given to the Head of Place to make minor changes.\n")
    assert [(d["label"], d["kind"]) for d in rows["decisions"]] == [("1", "recommended"), ("2", "recommended")]


def test_welsh_community_council_unanimously_agreed():
    # a Welsh community council (the issue's example): mover and seconder, then 'unanimously agreed to'
    rows = read("The Clerk presented the quotations. It was proposed by Cllr. H. Gwynne, seconded by Cllr. K. Davies "
                "and unanimously agreed to accept the quotation from the local contractor.\n")
    (d,) = rows["decisions"]
    assert (d["kind"], d["vote"]) == ("agreed", "unanimous") and d["text"].startswith("to accept the quotation")
    assert {"H. Gwynne", "K. Davies"} <= names(rows)


def test_contact_officer_with_role_and_email():
    # the issue's example: 'Contact Officer: Karen Haile, Service Delivery Manager ... Email: ...'
    rows = read("Contact Officer: Karen Haile, Service Delivery Manager Tel: 01452 396 000 Email: "
                "karen.haile@gloucester.gov.uk\n")
    (p,) = rows["people"]
    assert (p["name"], p["role"], p["email"], p["mention"]) == (
        "Karen Haile", "Service Delivery Manager", "karen.haile@gloucester.gov.uk", "contact")


def test_two_contacts_on_one_line_get_their_own_emails():
    # Coventry
    rows = read("Contact: Lara Knight / Michelle Salmon, Governance Services,  Tel: 024 7683 3237 / 3065, Email:  "
                "lara.knight@coventry.gov.uk /  michelle.salmon@coventry.gov.uk\n")
    emails = {p["name"]: p["email"] for p in rows["people"]}
    assert emails == {"Lara Knight": "lara.knight@coventry.gov.uk", "Michelle Salmon": "michelle.salmon@coventry.gov.uk"}


def test_held_their_meeting_form():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Llanfair Community Council held their meeting at 7.30pm on the 11th December 2019 in the Village Hall.\n\n"
                "RESOLVED that the minutes be signed.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Llanfair Community Council", date(2019, 12, 11))]


def test_stacked_bodies_and_dates_of_a_report():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Meeting: Cabinet / Council\nDate: 10 December 2025 / 29 January 2026\n\nSubject: Council Tax Base\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [
        ("Cabinet", date(2025, 12, 10)), ("Council", date(2026, 1, 29))]


def test_members_sharing_a_surname_keep_their_titles():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Councillors present: Mr Wright, Ms Wright and Mrs Carter.\n\nApologies were received from Mr Wright.\n")
    assert {"Mr Wright", "Ms Wright", "Carter"} <= names(rows)
    assert "Wright" not in names(rows)


def test_pipe_rendered_resolution_with_lone_label():
    # Gateshead: a '|' table splits the formula, the label and the text into cells
    rows = read("C4 |\nAcceptance of Funding\nMinutes:\nConsideration has been given to the receipt of grant funding.\n|\n|\n"
                "RESOLVED -\n|\n(i)\n|\nThat the acceptance of Family Hubs grant funding be approved.\n|\n|\n"
                "(ii)\n|\nThat the Strategic Director be authorised to enter into such funding agreements ")
    assert decisions(rows) == [("i", "resolved", "That the acceptance of Family ")]


def test_typo_resolution_and_repeated_approvals_are_each_read():
    # Blaenau Gwent 'RESOVLED accordingly.'; Carmarthenshire three approvals differing only in their dates
    rows = read("RESOVLED accordingly.\n\n"
                "UNANIMOUSLY RESOLVED that the minutes of the meeting of the Executive Board held on the 5th February, 2018 be signed.\n\n"
                "UNANIMOUSLY RESOLVED that the minutes of the meeting of the Executive Board held on the 30th April, 2018 be signed.\n")
    assert [(d["text"][:12], d["vote"]) for d in rows["decisions"]] == [
        ("accordingly.", None), ("that the min", "unanimous"), ("that the min", "unanimous")]


def test_glued_text_of_a_republished_pdf():
    # Hammersmith and Fulham, re-published with its line breaks lost
    rows = read("Councillor Greg Smith, Deputy Leader161. MINUTES OF THE CABINET MEETING HELD ON 11 FEBRUARY 2013"
                "RESOLVED:That the minutes of the meeting be confirmed and signed as an accurate record.162. APOLOGIES "
                "FOR ABSENCEThere were no apologies for absence.")
    (d,) = rows["decisions"]
    assert d["text"] == "That the minutes of the meeting be confirmed and signed as an accurate record."
    assert "Greg Smith" in names(rows)


def test_officer_decision_records_its_maker_not_a_meeting():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Decision details\n\nDecision Maker: Service Director - Homes & Neighbourhoods\n\n"
                "Decision:\n\nTo approve the award of the repairs contract.\n\nDate of decision: 27/07/2021\n")
    assert rows["meetings"] == []
    (d,) = rows["decisions"]
    assert rows["documents"][0]["doc_kind"] == "decision"


def test_vote_reported_in_a_sentence():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("RESOLVED that the revised Local Plan be adopted.\n\n"
                "On being put to the vote, 10 voted for and 2 against, with 1 abstention, and the motion was carried.\n")
    (d,) = rows["decisions"]
    assert (d["votes_for"], d["votes_against"], d["abstentions"], d["vote"]) == (10, 2, 1, "carried")


def test_scottish_committee_agreed_list_and_northern_irish_moved_seconded():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Decision\n\nThe Committee agreed:-\n\n(1) to note the report; and\n\n(2) to ask for a further report "
                "in six months.\n\nMoved by Alderman Smith,\nSeconded by Councillor Jones and\n\n"
                "Resolved – That the Committee agrees to exclude the press.\n")
    assert [(d["label"], d["kind"]) for d in rows["decisions"]] == [("1", "agreed"), ("2", "agreed"), ("", "resolved")]
    assert {"Smith", "Jones"} <= names(rows)


def test_meeting_and_date_fields_on_one_line():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Meeting: Cabinet Date: 11 March 2026\n\nRESOLVED that the report be noted.\n\nThe motion was carried (29-0-0).\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2026, 3, 11))]
    (d,) = rows["decisions"]
    assert (d["votes_for"], d["votes_against"], d["abstentions"]) == (29, 0, 0)


def test_district_minutes_with_the_body_over_the_minutes_line():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("CABINET\n\nMINUTES of the meeting held on Tuesday 5 March 2024 at 6.00 pm\n\n"
                "PRESENT: Councillor J Smith (Chairman); Councillors A Brown, C Green and D White.\n\n"
                "45. APOLOGIES FOR ABSENCE\n\nApologies were received from Councillor E Black.\n\n"
                "46. MINUTES\n\nRESOLVED: That the minutes of the meeting held on 6 February 2024 be approved.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2024, 3, 5))]
    assert {"J Smith", "A Brown", "C Green", "D White", "E Black"} <= names(rows)
    (d,) = rows["decisions"]
    assert d["text"].startswith("That the minutes of the meeting held on 6 February 2024")


def test_scottish_minute_of_meeting_title():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Minute of Meeting of the Policy and Resources Committee held in the Council Chambers\n"
                "on Thursday, 4 July 2024 at 10.00 am.\n\nThe Committee agreed:-\n\n(1) to approve the report.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [
        ("Policy and Resources Committee", date(2024, 7, 4))]


def test_community_council_minutes_in_the_forms_the_issue_quotes():
    # composed around the Welsh community council line quoted in issue 12 (each title on each name)
    rows = read("LLANFAIR COMMUNITY COUNCIL\nMinutes of the meeting held on Monday 11th December 2023 at 7.00pm\n\n"
                "Present: Cllr. H. Gwynne (Chair), Cllr. K. Davies, Cllr. M. Jones\n"
                "In attendance: Mrs S. Evans (Clerk)\n\n4. Playground repairs\nThree quotations were received. It was "
                "proposed by Cllr. H. Gwynne, seconded by Cllr. K. Davies and unanimously agreed to accept the quotation "
                "from ABC Play Ltd for £2,450.\n\n5. Planning\nIt was resolved to make no objection to application 23/1234.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Llanfair Community Council", date(2023, 12, 11))]
    assert [(d["kind"], d["vote"]) for d in rows["decisions"]] == [("agreed", "unanimous"), ("resolved", None)]
    present = {p["name"]: p["role"] for p in rows["people"] if p["mention"] == "attendee"}
    assert present == {"H. Gwynne": "Chair", "K. Davies": "Councillor", "M. Jones": "Councillor", "S. Evans": "Clerk"}


def test_issue_history_vote_goes_to_the_councils_resolution_not_cabinets_recommendation():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    # an issue page prints Cabinet's recommendation and Council's resolution in the same words
    rows = read("Issue - meetings\n\nMeeting: 12/02/2024 - Cabinet (Item 7)\n\nDecision:\n\nRECOMMENDED to Council that:\n\n"
                "(a) the revenue budget for 2024/25 of £245.6m be approved; and\n\n(b) the council tax for Band D be set at "
                "£1,876.40.\n\nMeeting: 22/02/2024 - Council (Item 9)\n\nMinutes:\n\nIt was moved by Councillor Smith, "
                "seconded by Councillor Jones, and\n\nRESOLVED that:\n\n(a) the revenue budget for 2024/25 of £245.6m be "
                "approved; and\n\n(b) the council tax for Band D be set at £1,876.40.\n\n(For 30, Against 12, Abstain 2)\n")
    votes = [(d["kind"], d["label"], d["votes_for"]) for d in rows["decisions"]]
    assert votes == [("recommended", "a", None), ("recommended", "b", None), ("resolved", "a", 30), ("resolved", "b", 30)]


def test_record_of_a_members_decision():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("RECORD OF DECISION\n\nDecision taken by: Cabinet Member for Highways\n\nDate of decision: 14 March 2024\n\n"
                "Decision:\n\nTo approve the introduction of a 40mph speed limit on the A123.\n\n"
                "Contact officer: Peter Green, Traffic Engineer, peter.green@example.gov.uk\n")
    (d,) = rows["decisions"]
    assert (d["decision_maker"], d["decision_date"], d["meeting_id"]) == ("Cabinet Member for Highways", date(2024, 3, 14), None)
    assert rows["documents"][0]["doc_kind"] == "decision"
    (p,) = rows["people"]
    assert (p["name"], p["role"], p["email"]) == ("Peter Green", "Traffic Engineer", "peter.green@example.gov.uk")


def test_recorded_vote_naming_each_side_without_counts():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("RESOLVED that the application be refused.\n\n(Recorded vote)\n\nFor: Councillors Adams, Baker and Clarke\n"
                "Against: Councillors Davies and Evans\nAbstain: Councillor Fox\n")
    (d,) = rows["decisions"]
    assert (d["votes_for"], d["votes_against"], d["abstentions"], d["vote"]) == (3, 2, 1, "carried")
    voters = {p["name"]: p["vote_cast"] for p in rows["people"] if p["vote_cast"]}
    assert voters == {"Adams": "for", "Baker": "for", "Clarke": "for", "Davies": "against", "Evans": "against", "Fox": "abstain"}


def test_front_page_body_over_its_date_field_and_a_bracketed_outcome():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Planning Committee\n\nDate: Tuesday, 5 March 2024\nTime: 7.00 pm\n\n"
                "RESOLVED that the minutes be approved.\n\n(Unanimous)\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Planning Committee", date(2024, 3, 5))]
    assert rows["decisions"][0]["vote"] == "unanimous"


def _minutes_pdf(paragraphs: list[str]) -> bytes:
    """A two-column-free A4 PDF of wrapped paragraphs with a running header and page numbers, as councils print."""
    import io
    import textwrap

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    page, y = 1, height - 60

    def furniture():
        c.setFont("Helvetica", 8)
        c.drawString(50, height - 30, "Cabinet - 5 March 2024")
        c.drawString(width - 100, 30, f"Page {page}")
        c.setFont("Helvetica", 10)

    furniture()
    for para in paragraphs:
        for line in textwrap.wrap(para, 95) or [""]:
            if y < 60:
                c.showPage()
                page, y = page + 1, height - 60
                furniture()
            c.drawString(50, y, line)
            y -= 13
        y -= 13
    c.save()
    return buf.getvalue()


def test_printed_minutes_pdf_with_lists_under_that_and_the_vote_before_its_resolution():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    data = _minutes_pdf([
        "CABINET", "MINUTES of the meeting held on Tuesday 5 March 2024 at 6.00 pm",
        "PRESENT: Councillor J Smith (Chairman); Councillors A Brown, C Green and D White.",
        "47. REVENUE BUDGET 2024/25",
        "The Leader of the Council, Councillor J Smith, introduced the report which set out the proposed revenue "
        "budget for 2024/25 and the medium term financial strategy for the period to 2027/28. " * 3,
        "RECOMMENDED TO COUNCIL: That", "(1) the revenue budget for 2024/25 of £18.6m be approved;",
        "(2) a Band D council tax of £212.45 be set for 2024/25; and",
        "(3) the Capital Programme as set out in Appendix C be approved.",
        "48. WASTE COLLECTION CONTRACT",
        "It was moved by Councillor Green and seconded by Councillor White that the recommendations be approved.",
        "On being put to the vote, there voted 4 for, 1 against and 0 abstentions.",
        "RESOLVED: That", "(a) the award of the waste collection contract to CleanCo Ltd be approved; and",
        "(b) authority be delegated to the Head of Environment to finalise the contract terms.",
    ])
    doc = load_bytes(data, "minutes.pdf", "pdf")
    rows = process_document(doc, ManifestEntry()).rows
    got = [(d["label"], d["kind"], d["votes_for"]) for d in rows["decisions"]]
    assert got == [("1", "recommended", None), ("2", "recommended", None), ("3", "recommended", None),
                   ("a", "resolved", 4), ("b", "resolved", 4)]
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2024, 3, 5))]
    assert {"J Smith", "A Brown", "C Green", "D White"} <= names(rows)
    assert rows["documents"][0]["doc_kind"] == "minutes"


def test_html_ordered_list_under_a_resolution():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    html = ("<html><body><h2>Cabinet - Tuesday, 9th April, 2024 6.30 pm</h2><p>Decision:</p><p>RESOLVED that Cabinet:</p>"
            "<ol><li>approves the refurbishment of the leisure centre at a cost of £3.2m;</li>"
            "<li>delegates authority to the Director of Place to award the contract.</li></ol></body></html>")
    doc = load_bytes(html.encode(), "page.html", "html")
    rows = process_document(doc, ManifestEntry()).rows
    assert [(d["label"], d["text"][:20]) for d in rows["decisions"]] == [("1", "approves the refurbi"), ("2", "delegates authority ")]


def test_bulleted_resolution_is_one_decision_a_bullet():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("RESOLVED:\n\n• that the annual report be noted;\n\n• that the work programme for 2024/25 be approved.\n")
    assert [(d["label"], d["text"]) for d in rows["decisions"]] == [
        ("", "that the annual report be noted;"), ("", "that the work programme for 2024/25 be approved.")]


def test_scottish_sederunt():
    # composed in a form councils share (the issue's examples, common minute and register layouts)
    rows = read("Sederunt:- Depute Provost Smith; and Councillors Adams, Baker and Clarke.\n\nThe Committee resolved:-\n\n"
                "to approve the report.\n")
    assert {"Adams", "Baker", "Clarke"} <= {p["name"] for p in rows["people"] if p["mention"] == "attendee"}
    assert not any("Provost" in p["name"] for p in rows["people"])


# --- lists and fields whose lead-in was lost (unseen councils) -------------------------------------------

def test_issue_decisions_page_list_with_no_lead_in():
    # Bromley: an 'Issue - decisions' page, the date-title line then the numbered decisions, no RESOLVED
    rows = read("Issue - decisions\n\nAdditional Highways Maintenance Works\n\n"
                "27/11/2014 - Additional Highways Maintenance Works\n\n"
                "(1) The £1.515m works at Table 2 within Report ES14084 be included in the Council’s programme of "
                "planned highway maintenance for 2014/15.\n\n \n\n"
                "(2) The remaining £200k of additional resources be allocated to the budget for emergency and "
                "reactive highway repairs.")
    assert decisions(rows) == [("1", "resolved", "The £1.515m works at Table 2 w"),
                               ("2", "resolved", "The remaining £200k of additio")]


def test_parallel_to_items_are_one_list():
    # South Oxfordshire: 'To award ...' x2, 'To transfer ...', 'To delegate ...' - every item opens with 'To'
    rows = read("Issue - decisions\n\nCapital grants\n\n12/04/2022 - Capital grants\n\n"
                "1. To award capital grants for 2022, listed in appendix one, totalling £320,000 as recommended by the "
                "council’s Community Grants Panel.\n\n"
                "2. To award these grants subject to the conditions laid out in appendix two and three.\n\n"
                "3. To transfer £320,000 from the provisional 2021/22 capital grant budget to the approved 2021/22 "
                "capital grant budget (A339) to fund these awards.\n\n"
                "4. To delegate authority to the Head of Policy and Programmes to make changes to the policy and "
                "scoring criteria, prior to opening the scheme in 2022/23.")
    assert [d[0] for d in decisions(rows)] == ["1", "2", "3", "4"]
    assert {d["kind"] for d in rows["decisions"]} == {"resolved"}


def test_item_broken_over_a_blank_line_with_wide_padding():
    # Newcastle-under-Lyme: a register entry's '(i)' item runs on over a hard line break and a blank line
    rows = read("Decisions published\n\n"
                "23/04/2024 - ASSET DISPOSAL - APEDALE BUSINESS PARK ref: 1317    Recommendations Approved\n\n"
                "Decision Maker: Cabinet\n\nMade at meeting: 23/04/2024 - Cabinet\n\n"
                "Decision published: 23/04/2024\n\n\n"
                "(i)                         That the disposal of the land at Apedale Business Park, Watermills Road,\n\n"
                "                  Chesterton for Industrial development purposes, be approved.\n\n\n"
                "(ii)                        That the Interim Chief Executive, in consultation with the Portfolio Holder\n\n"
                "for Finance, Town Centres and Growth, be authorised to complete the disposal of the land at "
                "Watermills Road, Chesterton.\n\n\n"
                "23/04/2024 - WALLEYS QUARRY - ODOUR ISSUES ref: 1314    Recommendations Approved\n\n"
                "Decision Maker: Cabinet\n")
    got = {d["label"]: d["text"] for d in rows["decisions"]}
    assert got["i"].endswith("Chesterton for Industrial development purposes, be approved.")
    assert got["ii"].startswith("That the Interim Chief Executive") and got["ii"].endswith("Chesterton.")


def test_next_item_after_formula_word_items():
    # Melton: '1) APPROVED ...', '2) APPROVED ...' then '3) DELEGATED authority ...' under the same 'Cabinet'
    rows = read("Decision Maker: Cabinet\nDecision status: Recommendations Approved\nCabinet\n"
                "1) APPROVED the award of Community Grants, subject to the approval of the 2021/22 budget;\n"
                "2) APPROVED the use of the remaining £3,186 from 2020/21 budget;\n"
                "3) DELEGATED authority to the Director for Housing and Communities to approve in-year small grants "
                "awards, in consultation with the Portfolio Holder, for the remaining budget during 2021/22.\n"
                "Report author: Andrew Cotton\nDecided at meeting: 09/02/2021 - Cabinet\n")
    assert [d[:2] for d in decisions(rows)] == [("1", "approved"), ("2", "approved"), ("3", "resolved")]


def test_decision_field_bullets_are_one_decision_each():
    # Sheffield: an officer decision's 'Decision:' part is two '•' bullets
    rows = read("Decision details\n\nDecision Maker: Executive Director, Place\n\nDecision:\n\n"
                "  • That the Grant Approval Scheme for grant offers that are not more than £100,000, detailed in the "
                "report, be approved; and\n\n \n\n"
                "  • that the Heads of Service within the Place Portfolio be designated to have delegated authority to "
                "approve the acceptance of grant offers, under the Grant Approval Scheme\n\n\n"
                "Reasons for the decision:\n\nTo enable a more efficient approval process.\n")
    assert [d[2] for d in decisions(rows)] == ["That the Grant Approval Scheme", "that the Heads of Service with"]


def test_decision_field_names_its_kind_by_its_verb():
    # Argyll and Bute: 'Decision' then 'The Policy and Resources Committee agreed not to ...'
    rows = read("Issue - meetings\n\nMeeting: 16/05/2019 - Policy and Resources Committee (Item 7)\n\nDecision\n\n"
                "The Policy and Resources Committee agreed not to change the grant criteria for financial year "
                "2019/20.\n\n(Reference: Report by Executive Director, dated 8 May 2019, submitted)\n")
    assert [d[:2] for d in decisions(rows)] == [("", "agreed")]


def test_moved_and_seconded_then_resolution_on_a_later_line():
    # Surrey Heath: '(a) It was moved by ..., seconded by ... and' / 'Resolved that ...': the resolution is (a)'s
    rows = read("Minutes:\n\n \n\n(a)          It was moved by the Mayor, seconded by the Deputy Mayor and\n\n \n\n"
                "            Resolved that the exempt minutes of the meeting of the Council held on 25 February 2015 be "
                "approved as a correct record.\n\n \n\n"
                "(b)          It was moved by Councillor Moira Gibson, seconded by Councillor Richard Brooks and\n\n \n\n"
                "Resolved that the exempt minutes of the meetings of the Executive, held on 17 March and 7 April 2015, "
                "be received.")
    assert decisions(rows) == [("a", "resolved", "that the exempt minutes of the"),
                               ("b", "resolved", "that the exempt minutes of the")]


def test_moved_and_seconded_with_the_resolved_heading_lost():
    # North West Leicestershire: the RESOLVED heading between the motion and the resolution was lost
    rows = read("Issue - meetings\n\nMeeting: 04/03/2014 - Cabinet (Item 116)\n\n"
                "It was moved by Councillor A V Smith, seconded by Councillor T J Pendleton and\n\n\n\n\n"
                "Cabinet approves the recommendations made by the Grants Review Working Party as detailed within the "
                "minutes attached at appendix 1.\n\n\n"
                "Reason for decision: To enable community and voluntary organisations to receive financial assistance.")
    assert decisions(rows) == [("", "resolved", "Cabinet approves the recommend")]


def test_listed_objects_of_a_resolution_are_part_of_it():
    # Swansea: '1)' numbers a meeting whose minutes are approved, not a decision of its own
    rows = read("Minutes. pdf icon PDF 139 KB\n\nTo approve & sign the Minutes of the previous meeting(s) as a correct "
                "record.\n\nAdditional documents:\n\n\nResolved that the Minutes of the meeting(s) listed below be "
                "approved and signed as a correct record:\n\n\n1)             Cabinet held on 12 January 2024.\n\n\n"
                "Leader of the Council's Report(s).\n")
    (d,) = rows["decisions"]
    assert (d["label"], d["kind"]) == ("", "resolved")
    assert d["text"] == ("that the Minutes of the meeting(s) listed below be approved and signed as a correct record: "
                         "Cabinet held on 12 January 2024.")


def test_asked_to_verb_with_listed_changes_is_one_recommendation():
    # Perth and Kinross: 'Council is asked to homologate the following changes:' with '•' changes under it;
    # 'Council is asked to:' with numbered items is one recommendation an item
    rows = read("5 Twinning Agreement between Perth and Nikopol, Ukraine\n\nCouncil is asked to:\n\n"
                "1. Approve the establishment of a formal twinning relationship between Perth and Nikopol.\n\n"
                "2. Agree that Councillor Steven Carr be appointed as the Council representative.\n\n"
                "9 UK General Election - 4 July 2024 - Designation of Polling Places\n\n"
                "Council is asked to homologate the following changes:\n\n• Amulree Hall to Dunkeld Guide Hall\n"
                "• Upper Springlands to the Gannochy Community Centre\n\n\n10 Revisions to Scheme of Administration\n\n"
                "Council is asked to approve the following changes to the Scheme of Administration:\n\n"
                "Section 47 - Strategic Lead - Economy, Development and Planning\n\n"
                "The Council has resolved that the Chief Planning Officer of the Council will be the Planning and "
                "Housing Strategy manager.\n")
    assert decisions(rows) == [("1", "recommended", "Approve the establishment of a"),
                               ("2", "recommended", "Agree that Councillor Steven C"),
                               ("", "recommended", "homologate the following chang"),
                               ("", "recommended", "approve the following changes ")]


def test_resolved_that_body_then_bullets():
    # West Berkshire: 'Resolved that Executive:' then '·' bullets, one decision each
    rows = read("Decision:\n\nResolved that Executive:\n\n \n\n·         Delegate authority to Procurement Board as "
                "stated in main report.\n\n \n\nThis decision is eligible to be ‘called-in’.\n")
    assert decisions(rows) == [("", "resolved", "Delegate authority to Procurem")]


# --- meetings printed in a heading (unseen councils) -----------------------------------------------------

def meetings(rows):
    return [(m["body"], m["meeting_date"]) for m in rows["meetings"]]


def test_minutes_of_the_proceedings_heading_names_the_meeting():
    # Antrim and Newtownabbey: the heading in capitals, 'PROCEEDINGS OF THE MEETING OF THE COUNCIL'
    rows = read("MINUTES OF THE PROCEEDINGS OF THE MEETING OF THE COUNCIL HELD AT MOSSLEY MILL ON MONDAY 26 OCTOBER "
                "2020 AT 6.30 PM\n\nIn the Chair : Mayor (Councillor J Montgomery)\n")
    assert meetings(rows) == [("Council", date(2020, 10, 26))]


def test_minutes_of_monthly_meeting_heading():
    # Derry City and Strabane: 'Minutes of Monthly Meeting of <council> held in ... on <date>'
    rows = read("Derry City and Strabane District Council\n\nMinutes of Monthly Meeting of Derry City and Strabane "
                "District Council held in the Chamber, Guildhall, Derry on Thursday 13 December 2018 at 4.00pm.\n")
    assert meetings(rows) == [("Derry City and Strabane District Council", date(2018, 12, 13))]


def test_cmis_meeting_summary_body_over_its_times():
    # Perth and Kinross (CMIS): the body's line over 'date - start to end'
    rows = read("Meeting Details\n\nMeeting Summary\nPerth and Kinross Council\n26 Jun 2024 - 10:30 to 15:30\n"
                "Documents\n\nCouncil is asked to:\n\n1. Approve the establishment of a formal twinning relationship.\n")
    assert meetings(rows) == [("Perth and Kinross Council", date(2024, 6, 26))]


def test_moderngov_heading_with_the_meetings_status():
    # Dover: ModernGov prints a meeting's status after its time (', NEW', ', CANCELLED')
    rows = read("Agenda and minutes\n\nPlanning Committee - Thursday, 2nd July, 2020 6.00 pm, NEW\n\n"
                "Venue: Remote Meeting - Teams Live Event. View directions\n")
    assert meetings(rows) == [("Planning Committee", date(2020, 7, 2))]


def test_coins_agenda_heading_names_body_and_date():
    # Falkirk (CoInS): '<body> Agenda - <date>, <time>' with the site's 'Help' link run on
    rows = read("Falkirk Council Agenda - 27 June 2018, 09:30 Help\n\nA meeting to be held at Council Chambers, "
                "Municipal Buildings, Falkirk at 09:30 on 27 June 2018.\n")
    assert meetings(rows) == [("Falkirk Council", date(2018, 6, 27))]


def test_committee_of_a_board_resolving_is_the_meeting():
    # City of London: 'RESOLVED – That the Grants Committee of the BHE Board:' - the committee meets
    rows = read("Agenda item\n\nGrants Committee - Officer Delegations\n\nMinutes:\n\nRESOLVED – That the Grants "
                "Committee of the BHE Board:\n\ni)              Agree to implement the officer delegations on a "
                "permanent basis.\n")
    assert meetings(rows) == [("Grants Committee", None)]


def test_minutes_of_the_proceedings_of_the_body_approved_name_the_body():
    # Slough: the Council approves the minutes of its own earlier meetings
    rows = read("Agenda item\n\nMinutes:\n\nResolved  -  That the Minutes of the proceedings of the Council at its "
                "meetings held on 19th May, 2011 and 23rd June, 2011 be  approved as a correct record and signed by "
                "the Mayor.\n")
    assert meetings(rows) == [("Council", None)]


# --- votes (unseen councils) -----------------------------------------------------------------------------

def test_vote_before_named_lists_reaches_the_resolution_after_them():
    # Slough: the count, three named lists (blank lines between), then the resolution it decided
    rows = read("Minutes:\n\nThe Mayor put the Minutes to the Council and following a vote the Minutes were declared as an "
                "accurate record by 24 votes, to 10 votes, with 1 abstention.\n\n \n\n"
                "There voted for the Minutes being a correct record:\n\n \n\nCouncillors Anderson, Bains, Carter ..... 24\n"
                "\n \n\nThere voted against the Minutes being  a correct record:\n\n \n\nCouncillors Basharat, Buchanan "
                "..... 10\n\n \n\nThere abstained from voting:\n\n \n\nCouncillor Long ..... 1\n\n \n\n"
                "Resolved  -  That the Minutes of the proceedings of the Council at its meetings held on 19th May, 2011 "
                "be  approved as a correct record and signed by the Mayor.\n")
    (d,) = rows["decisions"]
    assert (d["vote"], d["votes_for"], d["votes_against"], d["abstentions"]) == ("majority", 24, 10, 1)


def test_amendment_carried_on_a_division_is_the_decision():
    # Dundee: motion, amendment, 'On a division, there voted for the motion - ... (10); and for the amendment -
    # ... (16) - ... whereupon the amendment was declared carried.'
    rows = read("MOTION FOR POSTPONEMENT OF POLICY AND RESOURCES COMMITTEE\n\n \n\n"
                "Bailie Keenan, seconded by Councillor Marra, moved that the business be deferred to the next meeting "
                "of this Committee.\n\n \n\nAs an amendment, the Convener, seconded by Bailie Sawers, moved not to "
                "defer.\n\n \n\nOn a division, there voted for the motion - Bailies Keenan and Scott, and Councillors "
                "Cruickshank, McIrvine, Malone, Marra, Richardson, Hay, Scott and Murray (10); and for the amendment - "
                "the Convener, Depute Lord Provost Campbell, Bailies Roberts, Sawers and Macpherson, and Councillors "
                "Cordell, Dawson, Flynn, Hunter, Lynn, Rendall, Rome, Ross, Short, Smith and Duncan (16) - the Lord "
                "Provost and Councillor McCready being absent when the vote was taken - whereupon the amendment was "
                "declared carried.\n\n \n\nI DECLARATIONS OF INTEREST\n")
    (d,) = rows["decisions"]
    assert (d["text"], d["vote"], d["votes_for"], d["votes_against"]) == ("not to defer.", "carried", 16, 10)


# --- read on a third set of councils' pages (how structure is read, not one council's phrase) ---

def test_vote_in_brackets_after_the_formula_word_is_every_items_vote():
    # Bath and North East Somerset, 'Issue - decisions' page: the outcome printed in brackets after RESOLVED
    rows = read("Issue - decisions\n"
                "13/02/2020 - Revenue and Capital Budget Monitoring, Cash Limits and Virements - April 2019 to December 2019\n"
                "RESOLVED (unanimously) that the Cabinet agreed:\n"
                "2.1 To note the 2019/20 on budget position (as at the end of December 2019).\n"
                "2.2 To approve the revenue virements listed for approval in Appendix 3(i) and to note those virements "
                "listed for information only.\n")
    got = {d["label"]: d for d in rows["decisions"]}
    assert set(got) == {"2.1", "2.2"}
    assert all(d["vote"] == "unanimous" for d in got.values())
    assert got["2.1"]["text"].startswith("To note the 2019/20")


def test_bare_that_line_leads_into_the_numbered_list():
    # Maidstone, decision details: 'Decision:' / 'That' alone on its line / '1. ...' '2. ...'
    rows = read("Decision details\nMedium Term Financial Strategy\nDecision Maker: Executive\n"
                "Decision status: Recommendations Approved\n"
                "Purpose:\n"
                "1.1  To approve the initial scoping and assumptions associated with development of an updated Medium "
                "Term Financial Strategy for the period 2023/4 – 2027/28 and budget for 2023/24.\n"
                "Decision:\nThat\n"
                "1.  The issues and risks associated with updating the Medium-Term Financial Strategy be noted;\n"
                "2.  The proposed approach outlined to development of an updated Medium Term Financial Strategy for "
                "2023/24 – 2027/28 and a budget for 2023/24 be approved.\n"
                "Reasons for the decision:\n"
                "2.1  The Medium-Term Financial Strategy (MTFS) sets out in financial terms how the Council will deliver.\n")
    got = [(d["label"], d["text"][:30]) for d in rows["decisions"]]
    # the 'Purpose:' field's numbered paragraph is what the report is for, not a decision
    assert got == [("1", "The issues and risks associate"), ("2", "The proposed approach outlined")]


def test_upper_case_that_colon_leads_into_the_list():
    # Gedling, 'Decisions published' register: 'Decision:' / 'THAT:' / '1) ...' '2) ...'
    rows = read("Decisions published\n"
                "25/01/2021 - Local Restrictions Support Grants for Businesses (Scheme 3) ref: 1118    Recommendations Approved\n"
                "Decision Maker: Leader of the Council\nDecision published: 25/01/2021\n"
                "Decision:\nTHAT:\n"
                "1)         the grant schemes detailed in appendices 1 and 2 to this report are implemented in accordance "
                "with the latest Government guidance;\n"
                "2)         a delegation is provided to the Director of Corporate Resources, for the determination of "
                "grant eligibility and payment award, in accordance with the Government’s guidance\n"
                "Wards affected: (All Wards);\n")
    assert [d["label"] for d in rows["decisions"]] == ["1", "2"]
    assert rows["meetings"] == []  # the Leader of the Council deciding alone holds no meeting


def test_resolved_comma_then_a_condition_then_the_list():
    # Oxford, 'Issue - decisions': 'Resolved, subject to ..., to:-' over (1) (2) (3)
    rows = read("Issue - decisions\n"
                "13/02/2014 - Community and Voluntary Organisations - Grant Allocations 2014/15\n"
                "Resolved, subject to Council agreeing the grants budget on 19th February 2014, to:-\n"
                "(1)  Approve the recommendations for the commissioning programme as listed in Appendix 1 to the report;\n"
                "(2) Approve the recommendations as amended and listed in Appendix 2 to the report for the Arts and "
                "Culture commissioning theme;\n")
    assert [(d["label"], d["text"][:20]) for d in rows["decisions"]] == [("1", "Approve the recommen"), ("2", "Approve the recommen")]


def test_item_number_alone_over_its_title_is_no_decision():
    # Caerphilly, 'Agenda and draft minutes': the item's number on its own line, its title, then 'Minutes:'
    rows = read("Agenda and draft minutes\nItems\nNo. Item\n1.\nTo receive apologies for absence.\nMinutes:\n"
                "An apology for absence was received from Councillor K. Etheridge.\n4.\nTo appoint the Deputy Chief Executive.\n"
                "Minutes:\nRESOLVED that Mr D. Street be appointed to the post of Deputy Chief Executive.\n")
    assert [d["text"][:20] for d in rows["decisions"]] == ["that Mr D. Street be"]


def test_meeting_heading_over_a_date_line_with_its_venue():
    # Pembrokeshire, ModernGov 'Agenda and minutes': body over date, then 'Venue:'
    rows = read("Agenda and minutes\nCabinet\nMonday, 4th November, 2013 10.00a.m.\n"
                "Venue: Committee Room 2, County Hall, Haverfordwest\nItems\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2013, 11, 4))]
    # Conwy, Cabinet minutes: the venue printed on the date line, the attendance after
    rows = read("CABINET\nTuesday, 11 October 2016 at 2.00 pm Council Chamber, Bodlondeb,\n"
                "Present: Councillor Dilwyn Roberts (Leader)\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2016, 10, 11))]


def test_meeting_named_in_labelled_fields():
    # Fermanagh and Omagh, Council minutes: 'Minutes of Meeting of: Council' / 'Date and Time: ...'
    rows = read("Minutes of Meeting of: Council\nDate and Time: Thursday 28 July 2016 at 7.03 pm\n"
                "Location: Council Chamber, The Townhall, Enniskillen\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Council", date(2016, 7, 28))]


def test_minutes_of_meeting_without_an_article_dates_the_heading_over_it():
    # South Lanarkshire, area committee minutes: 'Minutes of meeting held in ... on 4 December 2018'
    rows = read("CLYDESDALE AREA COMMITTEE\nMinutes of meeting held in the Jerviswood Room, Memorial Hall, "
                "21 St Leonard Street, Lanark on 4 December 2018\nChair: Councillor Richard Lockhart\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Clydesdale Area Committee", date(2018, 12, 4))]


def test_a_resolution_about_earlier_minutes_names_no_meeting():
    # Epping Forest, ModernGov 'Agenda, decisions and minutes': the earlier minutes confirmed are not this meeting
    rows = read("Agenda, decisions and minutes\nCabinet - Thursday 11th February 2021 7.00 pm\n"
                "Venue: Virtual Meeting on Zoom. View directions\n141.\nMinutes\n"
                "To confirm the minutes of the meeting of the Cabinet held on 22 December 2020.\nDecision:\n"
                "The minutes of the Cabinet meeting held on 22 December 2020 be taken as read and would be signed by "
                "the Leader as a correct record.\n")
    assert [(m["body"], m["meeting_date"]) for m in rows["meetings"]] == [("Cabinet", date(2021, 2, 11))]


def test_recorded_vote_sides_headed_by_who_voted_with_totals_under_the_names():
    # Tonbridge and Malling, 'Issue - meetings': each side a heading, the names, then 'Total: N'
    rows = read("Meeting: 20/02/2024 - Council (Item 8)\n\nMinutes:\n\n"
                "It was proposed by Councillor Tanner and seconded by Councillor Boughton that the recommendations at "
                "Minute CB 24/23 be adopted.  In accordance with Council Procedure Rule No 8.5 voting was recorded as follows:\n\n"
                "Members voting for the motion:\n\nCllrs Athwal, Banks, Barton, Bell, Tanner, Tatton, Taylor and Williams.\n\n"
                "Total: 43\n\nMembers voting against the motion: 0\n\nTotal: 0\n\nMembers abstaining: 0\n\nTotal: 0\n\n"
                "(Total number of Members eligible to vote = 43)\n\n"
                "RESOLVED:  That the recommendations at Minute CB 24/23 be approved and the Council Tax Resolution "
                "2024/25, as set out as an Annex to these Minutes, be adopted.\n")
    (d,) = rows["decisions"]
    assert (d["vote"], d["votes_for"], d["votes_against"], d["abstentions"]) == ("carried", 43, 0, 0)


# --- second unseen round (councils A-L outside the dev set) -------------------------------------------------

def test_attendance_names_with_accents_and_double_particles():
    # Cambridgeshire: 'E Kadiĉ' and 'S van de Ven' inside a wrapped 'Councillors:' list
    rows = read("Present:              Councillor L J Oliver (Chairman)\n\n"
                "                      Councillors: J Jenkins, S Johnstone, E Kadiĉ, G Kenney,\n"
                "                      T Stone, S Tierney, J Tuck, S van de Ven, R West and F Yeulett\n")
    got = names(rows)
    assert {"E Kadiĉ", "G Kenney", "S van de Ven", "R West", "F Yeulett"} <= set(got)


def test_whole_names_in_capitals_after_a_plural_title():
    # Angus: 'Present: Councillors SANDY WEST, GEORGE ALLAN, ... Provost Mrs FRANCES DUNCAN, ...'
    rows = read("Present: Councillors SANDY WEST, GEORGE ALLAN, WILLIAM CROWE, Provost Mrs FRANCES DUNCAN, "
                "FRANK ELLIS and RICHARD SPEIRS.\n")
    assert {"Sandy West", "George Allan", "Frances Duncan", "Richard Speirs"} <= set(names(rows))


def test_titles_in_capitals_govern_their_list():
    # Luton: 'THE MAYOR - Councillor Shaw THE DEPUTY MAYOR - Councillor Farooq COUNCILLORS - Akbar, Ashraf, ...'
    rows = read("PRESENT:\n\nTHE MAYOR - Councillor Shaw THE DEPUTY MAYOR - Councillor Farooq COUNCILLORS - Akbar, "
                "Ashraf, M. Ayub, N. Ayub, Bailey MBE, Burnett and Zia.\n")
    got = names(rows)
    assert "Farooq" in got and "Farooq Councillors" not in got
    assert {"Akbar", "Ashraf", "M. Ayub", "Burnett", "Zia"} <= set(got)


def test_short_titles_in_capitals_are_not_titles():
    # Blaenau Gwent: 'Venue: Via MS Teams' names no one
    assert "Teams" not in names(read("Venue: Via MS Teams\n\nPresent: Councillor J Smith\n"))


def test_members_field_one_a_line_with_wards_after_the_names():
    # Dumfries and Galloway: 'Members:' over 'Name (role)-Ward' and 'Name-Ward' lines
    rows = read("Attendance Details\n\nMembers:\nElaine Murray (Leader)-Nith\nRob Davidson (Depute Leader)-Abbey\n"
                "Graham Bell-North West Dumfries\nIan Blake-Abbey\nRichard Brodie-Annandale South\nApologies:\n"
                "Ian Carruthers - Annandale South\n")
    got = names(rows)
    assert {"Elaine Murray", "Rob Davidson", "Graham Bell", "Ian Blake", "Richard Brodie"} <= set(got)
    assert not any("North West" in n or "Annandale" in n for n in got)


def test_minutes_title_dated_by_the_first_date_under_it():
    # Luton: the title names the body, a later line of the heading the date
    rows = read("MINUTES OF THE COUNCIL\n\nAT THE ANNUAL MEETING OF THE COUNCIL OF THE BOROUGH OF HELD AT THE TOWN "
                "HALL, LUTON ON\n\nTUESDAY, 17TH MAY 2011 AT 6.00 P.M.\n\nPRESENT:\n")
    assert meetings(rows) == [("Council", date(2011, 5, 17))]
    # Dumfries and Galloway: '<body> Minutes' over a 'Date:' field whose value is on the next line
    rows = read("Dumfries and Galloway Council Minutes\n\nDate:\nThursday 29 March 2018\nTime:\n10.30am\n")
    assert meetings(rows) == [("Dumfries and Galloway Council", date(2018, 3, 29))]


def test_invitation_to_a_meeting_which_will_be_held():
    # Ards and North Down: 'a meeting of the ... Council which will be held in ... on Wednesday, 28 June 2017'
    rows = read("ARDS AND NORTH DOWN BOROUGH COUNCIL 21 June 2017 Dear Sir/Madam You are hereby invited to attend a "
                "meeting of the Ards and North Down Borough Council which will be held in the Council Chamber, Town "
                "Hall, The Castle, Bangor on Wednesday, 28 June 2017 commencing at 7.00pm.\n")
    assert meetings(rows) == [("Ards and North Down Borough Council", date(2017, 6, 28))]


def test_acting_body_dated_by_the_cmis_times_line():
    # Essex (CMIS): 'Meeting Summary' / '20 Jun 2017 - 10:00 to 12:00'; the Cabinet approves its own minutes
    rows = read("Meeting Details\n\nMeeting Summary\n20 Jun 2017 - 10:00 to 12:00\n  • Documents\n\nStandard Items\n"
                "1 Apologies for Absence\nThe minutes of the meeting of the Cabinet held on 23 May 2017 were agreed as "
                "a correct record and signed by the Chairman.\n")
    assert meetings(rows) == [("Cabinet", date(2017, 6, 20))]


_REGISTER = ("Decisions published\n\n17/12/2020 - Decision to purchase 22 Sedbergh Crescent, Newbold under Acquisitions "
             "Policy ref: 1468    Recommendations Approved\n\nThe Council's valuer viewed the property.\n\n"
             "Decision Maker: Assistant Director - Housing\n\nDecision published: 17/12/2020\n\nDecision:\n\n"
             "To purchase 22 Sedbergh Crescent, Newbold for £130,000 under the Right-of-First refusal\n\n"
             "Lead officer: Liz Cook\n\n15/12/2020 - Outdoor Leisure Fees and Charges 2021/22 ref: 1460    "
             "Recommendations Approved\n\nDecision Maker: Cabinet\n\nMade at meeting: 15/12/2020 - Cabinet\n\n"
             "Decision:\n\n*RESOLVED –\n\n1.    That an increase of 3% be introduced from 1 April 2021.\n\n"
             "2.    That the arrangements for the hire of bowling greens be reviewed.\n")


def test_register_decision_field_is_the_decision_whatever_its_opening_words():
    # Chesterfield: an officer's record ('To purchase ...') beside a Cabinet record that resolves
    got = decisions(read(_REGISTER))
    assert [t[:30] for _l, _k, t in got] == ["To purchase 22 Sedbergh Cresce", "That an increase of 3% be intr",
                                             "That the arrangements for the "]


def test_register_decision_field_that_narrates_or_precedes_a_resolution_is_not_one():
    # Barnet: the field opens with the minute's narrative; Cardiff: a preamble over 'AGREED: that ...'
    rows = read("Decision Maker: Cabinet\n\nDecision:\n\nCouncillor Ross Houston Cabinet Member for Homes & "
                "Regeneration introduced the report.\n\nDecision Maker: Corporate Director of People and Communities\n"
                "Decision:\nAppendices A, B, C, D, E, F, and G are not for publication as they contain information of "
                "the kind described in paragraphs 14 & 21.\nAGREED: that the final terms be noted.\n")
    assert [t[:20] for _l, _k, t in decisions(rows)] == ["that the final terms"]


def test_verb_in_capitals_marks_the_decision_of_a_narrated_minute():
    # Bolton: 'The Executive Cabinet Member NOTED the report.'; a lower-case 'noted' is narrative
    rows = read("67. MONITORING OF EXECUTIVE MEMBER DECISIONS\n\nThe Borough Solicitor submitted a report which "
                "provided an update on decisions taken.\n\nThe Executive Cabinet Member NOTED the report.\n\n"
                "68. PARTNERSHIP MIPIM 2018\n\nMembers noted that the event would be held in March.\n")
    assert decisions(rows) == [("", "noted", "The Executive Cabinet Member N")]


def test_acting_body_is_named_on_one_line_and_never_runs_into_the_next():
    # Cambridge: 'Scrutiny' / 'Considerations The Committee received a report' names no body
    rows = read("Any Alternative Options Considered and Rejected Not applicable. Scrutiny\nConsiderations The "
                "Committee received a report from the Asset Manager.\n")
    assert meetings(rows) == []


def test_body_whose_earlier_minutes_are_approved_in_other_wordings():
    # Leeds: 'the minutes of the Annual Meeting of Council held on ...'; Bridgend: 'of an ordinary meeting of Council'
    rows = read("2.\n\nMinutes\n\nTo confirm the minutes of the Council Meeting held on 27th May 2010\n\nMinutes:\n\n"
                "RESOLVED – That the minutes of the Annual Meeting of Council held on 27th May 2010 be approved.\n")
    assert meetings(rows) == [("Council", None)]
    rows = read("Approval of Minutes\n\nRESOLVED:     That the minutes of an ordinary meeting of Council held on the "
                "30th April 2014 were approved as a true and accurate record.\n")
    assert meetings(rows) == [("Council", None)]


def test_agenda_item_titled_by_a_title_word_is_no_person():
    # Harrow: 'Councillor Questions pdf icon PDF 125 KB' is an agenda item
    rows = read("Councillor Questions pdf icon PDF 125 KB\n\nTo receive any Councillor questions.\n\n"
                "Present: Councillor Jane Smith\n")
    assert names(rows) == {"Jane Smith"}


def test_that_body_approves_and_recommends_to_council_over_a_list():
    # Hambleton: 'THE DECISION:' / 'That Cabinet approves and recommends to Council:' / '(1) ...' '(2) ...'
    rows = read("THE DECISION:\nThat Cabinet approves and recommends to Council:\n(1) the budget decrease at paragraph "
                "3.2 by £227,821 to £7,241,329; and\n(2) the allocation from the one-off fund at paragraph 6.6 of "
                "£302,129.\n")
    assert [(l, k) for l, k, _t in decisions(rows)] == [("1", "recommended"), ("2", "recommended")]


def test_lead_in_alone_over_one_paragraph_that_decides():
    # Welwyn Hatfield: 'Decision taken' / 'Cabinet agreed the recommendations set out in the report.'
    rows = read("Decision taken\nCabinet agreed the recommendations set out in the report.\nReason for decision\n"
                "On 20th November 2024, the Overview and Scrutiny Committee recommended to Cabinet the "
                "recommendations of the Task & Finish Group.\n")
    assert [t for _l, _k, t in decisions(rows)] == ["Cabinet agreed the recommendati"[:30]]


def test_there_was_a_meeting_of_the_parish_council_on():
    # Chawleigh Parish Council: the minutes open with the sentence that names the meeting
    rows = read("There was a remote meeting of Chawleigh Parish Council on Thursday 21st January 2021 at 7.30pm held "
                "on ZOOM\nMembers Present: Parish Councillors Steve Godley (Chairman); Daphne Cockram.\n")
    assert meetings(rows) == [("Chawleigh Parish Council", date(2021, 1, 21))]


def test_body_then_minutes_of_meeting_in_a_venue_on_one_line():
    # South Ayrshire: 'SOUTH AYRSHIRE COUNCIL. Minutes of meeting in County Buildings, ..., on 18th May 2017'
    rows = read("27\nSOUTH AYRSHIRE COUNCIL. Minutes of meeting in County Buildings, Wellington Square, Ayr, on 18th "
                "May 2017 at 10.00 a.m. Present: Councillors Helen Moonie (Provost), Siobhian Brown.\n")
    assert meetings(rows) == [("South Ayrshire Council", date(2017, 5, 18))]
