"""The structure pass: lines and blocks with offsets, whatever the page's layout."""
from __future__ import annotations

from councilpapers.document import Document, Page
from councilpapers.load import load_bytes
from councilpapers.structure import blocks, clean, doc_lines, split_label


def lines_of(text: str):
    doc = load_bytes(text.encode("utf-8"), "page.txt", "txt")
    return doc, [ln for ln in doc_lines(doc) if ln.clean]


def test_every_line_points_at_its_text():
    doc, lines = lines_of("No. | Item |\n---|---|\nApologies Minutes: None received. |\n|\n(i)\n|\nThat the report be noted.\n")
    for ln in lines:
        raw = doc.pages[0].text[ln.cstart:ln.end]
        assert clean(raw).startswith(ln.clean.split()[0]), (ln.clean, raw)


def test_cell_bars_and_rules_are_not_text():
    _doc, lines = lines_of("No. | Item |\n---|---|\n|\n||||||\nC3 |\n")
    assert [ln.clean for ln in lines] == ["No. | Item", "C3"]


def test_run_in_fields_start_their_own_lines():
    # Brent: a '|' rendered page runs an item's fields into one line
    _doc, lines = lines_of("Minutes of the Previous Meeting To approve the minutes. Additional documents: Decision: Cabinet "
                           "RESOLVED that the minutes be approved. Minutes: RESOLVED that the minutes be approved. |\n")
    assert [ln.field[0] if ln.field else None for ln in lines] == [None, "skip", "decision", "minutes"]
    assert lines[2].clean == "Decision: Cabinet RESOLVED that the minutes be approved."


def test_a_field_label_inside_a_sentence_is_not_cut():
    _doc, lines = lines_of("The reason for the Decision: as set out in the report.\n")
    assert len(lines) == 1


def test_run_in_list_is_split_at_its_labels_in_sequence():
    # Kirklees: '1) That ... 2) That ...' on one line; '(2)' inside the text is no label
    _doc, lines = lines_of("1) That the proposals in section (2) be published. 2) That Cabinet determine the proposals.\n")
    assert [ln.label for ln in lines] == ["1", "2"]


def test_a_lone_label_joins_the_text_it_labels():
    # Gateshead: '(i)' in its own cell, the text two cells later
    _doc, lines = lines_of("(i)\n|\nThat the acceptance of the grant be approved.\n")
    (ln,) = lines
    assert ln.label == "i" and split_label(ln.clean)[1].startswith("That the acceptance")


def test_labels_in_every_printed_style():
    for text, label in (("(a) x", "a"), ("a) x", "a"), ("i. x", "i"), ("1. x", "1"), ("1.1 x", "1.1"), ("(1) x", "1"),
                        ("A: x", "A"), ("(iv) x", "iv"), ("2.1 x", "2.1")):
        assert split_label(text)[0] == label, text


def test_blocks_name_headings_fields_items_paragraphs_and_table_rows():
    doc = load_bytes(("Budget Monitoring\n\nDecision Maker: Cabinet\n\n(a) That the report be noted.\n\n"
                      "The Cabinet considered a report on the\nbudget position.\n\nLine\t£000\n").encode(), "p.txt", "txt")
    got = [(b.kind, b.label) for b in blocks(doc)]
    assert got == [("heading", None), ("field", "Decision Maker"), ("item", "a"), ("paragraph", None), ("table_row", None)]
    para = [b for b in blocks(doc) if b.kind == "paragraph"][0]
    assert para.text == "The Cabinet considered a report on the budget position."


def test_section_headings_are_numbered_capitalised_lines_that_open_a_paragraph():
    from councilpapers.structure import section_headings
    # Sutton Coldfield Amenities Committee minutes (13 March 2018) and Kent's Q3 monitoring report, as read
    page = Page(1, "Committee resolved to note the matters arising.\n6 Community Grant Applications\n"
                   "Committee considered the following applications:\nSt Peters\nFour Oaks\n"
                   "the figures in paragraph\n8.1 Treasury Management\n8.2 Total external debt outstanding in\n"
                   "November was £1.2m.\nIt was noted.\n12 Reduction in fee income 0.4\n")
    doc = Document("0" * 16, "m.pdf", "pdf", [page])
    assert [h[2] for h in section_headings(doc)] == ["Community Grant Applications"]
