"""Loaders turn every format into the same Document of pages."""
from __future__ import annotations

import io

import pytest

from councilpapers.load import LoadError, NeedsOCR, load_bytes
from councilpapers.load.detect import sniff_format


def make_pdf(pages: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for text in pages:
        y = 800
        for line in text.splitlines():
            c.drawString(72, y, line)
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def test_txt_is_one_page_with_tidied_spaces():
    doc = load_bytes("Meeting:\xa014/02/2023\r\nline two\n".encode(), "a.txt")
    assert [p.number for p in doc.pages] == [1]
    assert doc.pages[0].text == "Meeting: 14/02/2023\nline two\n"
    assert doc.format == "txt" and len(doc.doc_id) == 16


def test_txt_in_cp1252_and_with_bom():
    doc = load_bytes("Cost \u00a3520k \u2013 agreed".encode("cp1252"), "a.txt")
    assert "\u00a3520k" in doc.pages[0].text
    doc = load_bytes(b"\xef\xbb\xbfHello", "b.txt")
    assert doc.pages[0].text == "Hello"


def test_html_keeps_blocks_as_lines_and_links():
    html = (b"<html><head><title>Issue - meetings</title><style>p{}</style></head><body>"
            b"<h1>Issue - meetings</h1><h2>Children's Services MTFP</h2><p><span class='mgLabel'>Decision status: </span>Approved</p>"
            b"<ul><li>one</li><li>two &amp; three</li></ul><ol><li>first</li><li>second</li></ol><ol type='a'><li>x</li></ol>"
            b"<table><tr><td>Ref</td><td>23/24</td></tr></table>"
            b"<a href='https://democracy.kent.gov.uk/x'>link</a></body></html>")
    doc = load_bytes(html, "page.html")
    lines = doc.pages[0].text.splitlines()
    assert "Decision status: Approved" in lines
    assert "• one" in lines and "• two & three" in lines  # list items as a browser shows them
    assert "1. first" in lines and "2. second" in lines and "(a) x" in lines
    assert "Ref\t23/24" in lines
    assert doc.title == "Children's Services MTFP"  # the generic ModernGov heading is skipped
    assert doc.links == ["https://democracy.kent.gov.uk/x"]


def test_pdf_is_one_page_per_page():
    doc = load_bytes(make_pdf(["Minutes of the meeting page one of the papers", "Second page RESOLVED that it be noted"]), "m.pdf")
    assert [p.number for p in doc.pages] == [1, 2]
    assert "Second page" in doc.pages[1].text


def test_pdf_without_text_needs_ocr():
    with pytest.raises(NeedsOCR):
        load_bytes(make_pdf(["", ""]), "scan.pdf")


def test_format_is_sniffed_from_bytes():
    assert sniff_format(b"<!DOCTYPE html><html>", "x.pdf") == "html"
    assert sniff_format(b"%PDF-1.4 ...", "x.txt") == "pdf"
    assert sniff_format(b"", "x.pdf") == "empty"
    assert sniff_format(b"PK\x03\x04...", "x.docx") == "docx"
    assert sniff_format(b"garbage", "x.pdf") == "broken_pdf"


def test_truncated_pdf_is_a_load_error():
    data = make_pdf(["Some text on a page that is long enough"])
    with pytest.raises(LoadError):
        load_bytes(data[: len(data) // 3], "cut.pdf")
