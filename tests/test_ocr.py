"""--ocr: scans get a text layer through ocrmypdf where installed, and a clear hint where not."""
from __future__ import annotations

import os
import stat
import sys

import pyarrow.parquet as pq

from councilpapers.runner import RunOptions, run

from .test_loaders import make_pdf


def scan_pdf() -> bytes:
    from io import BytesIO

    from reportlab.pdfgen import canvas
    buf = BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.rect(100, 100, 300, 300, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def docs_and_problems(out):
    docs = pq.read_table(out / "documents.parquet").to_pylist()
    problems = pq.read_table(out / "problems.parquet").to_pylist()
    return docs, problems


def test_scan_without_ocr_says_how_to_get_text(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan_pdf())
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    for ocr in (False, True):
        out = tmp_path / f"out{ocr}"
        run(tmp_path / "in", out, RunOptions(ocr=ocr, cache=False))
        docs, problems = docs_and_problems(out)
        assert docs[0]["status"] == "needs_ocr" and docs[0]["pages"] == 1
        assert "ocrmypdf" in problems[0]["message"] and problems[0]["code"] == "needs_ocr"


def test_scan_with_ocr_is_read_and_keeps_its_doc_id(tmp_path, monkeypatch):
    """A stand-in ocrmypdf (copies a text PDF to the output) proves the wiring without tesseract."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    text_pdf = tmp_path / "text.pdf"
    text_pdf.write_bytes(make_pdf(["Minutes of the Cabinet meeting", "RESOLVED that the budget of £2.9m be noted."]))
    fake = bin_dir / "ocrmypdf"
    fake.write_text(f"#!{sys.executable}\nimport shutil, sys\nshutil.copy({str(text_pdf)!r}, sys.argv[-1])\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan_pdf())
    run(tmp_path / "in", tmp_path / "out", RunOptions(ocr=True, cache=False))
    docs, problems = docs_and_problems(tmp_path / "out")
    from councilpapers.ids import doc_id_of
    assert docs[0]["status"] == "ok" and docs[0]["pages"] == 2
    assert docs[0]["doc_id"] == doc_id_of(scan_pdf())
    assert [p["code"] for p in problems if p["code"] == "ocr_text"] == ["ocr_text"]
    money = pq.read_table(tmp_path / "out" / "money.parquet").to_pylist()
    assert [str(m["amount_gbp"]) for m in money] == ["2900000.00"]


# --- real OCR: ocrmypdf + Tesseract (Debian packages; .ci/run installs them) ----------------------------

def _real_ocr():
    import shutil

    import pytest
    if shutil.which("ocrmypdf") is None or shutil.which("tesseract") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs ocrmypdf and tesseract (.ci/run); they are missing")
        pytest.skip("ocrmypdf/tesseract are not installed (apt-get install ocrmypdf tesseract-ocr)")


def scanned_accounts_pdf() -> bytes:
    """A page typeset with reportlab, rendered to a 200 dpi image and saved as an image-only PDF:
    what a scanner gives, with no text layer. An accounts table with a total that adds up."""
    from io import BytesIO

    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 790, "Budget Comparison for the year ended 31 March 2017")
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "RESOLVED that the budget of £2.9m be noted.")
    c.drawRightString(360, 720, "2017 £")
    c.drawRightString(480, 720, "2017 £")
    c.drawRightString(360, 705, "Budget")
    c.drawRightString(480, 705, "Net Expenditure")
    rows = [("Economic Development", "145,000", "3,000"), ("Christmas Lights", "50,000", "29,201"),
            ("Community Grants", "103,850", "88,677"), ("Planning and Highways", "270,000", "500"),
            ("Total", "568,850", "121,378")]
    for k, (label, budget, spent) in enumerate(rows):
        y = 680 - 18 * k
        c.drawString(72, y, label)
        c.drawRightString(360, y, budget)
        c.drawRightString(480, y, spent)
    c.showPage()
    c.save()
    page = pdfium.PdfDocument(buf.getvalue())[0]
    image = page.render(scale=200 / 72).to_pil().convert("L")
    out = BytesIO()
    image.save(out, format="PDF", resolution=200.0)
    return out.getvalue()


def test_a_scanned_page_is_read_by_real_ocr(tmp_path):
    _real_ocr()
    from councilpapers.load import NeedsOCR, load_bytes
    scan = scanned_accounts_pdf()
    try:
        load_bytes(scan, "scan.pdf", "pdf")
        raise AssertionError("the made scan has a text layer")
    except NeedsOCR:
        pass
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "scan.pdf").write_bytes(scan)
    run(tmp_path / "in", tmp_path / "out", RunOptions(ocr=True, cache=False))
    docs, problems = docs_and_problems(tmp_path / "out")
    assert docs[0]["status"] == "ok" and "ocr_text" in {p["code"] for p in problems}
    money = pq.read_table(tmp_path / "out" / "money.parquet").to_pylist()
    assert [str(m["amount_gbp"]) for m in money] == ["2900000.00"]
    tables = pq.read_table(tmp_path / "out" / "tables.parquet").to_pylist()
    assert len(tables) == 1 and tables[0]["totals_reconcile"] is True
    lines = pq.read_table(tmp_path / "out" / "plan_lines.parquet").to_pylist()
    got = {(r["title"], r["measure"]): str(r["amount_gbp"]) for r in lines}
    assert got[("Community Grants", "budget")] == "103850.00"
    assert got[("Community Grants", "actual")] == "88677.00"


def test_the_corpus_scanned_accounts_are_read_and_their_tables_found(tmp_path):
    """Sutton Coldfield's 2016-17 statement of accounts, a scan of 11 pages with no text layer."""
    import pytest

    from .conftest import SHARED
    src = SHARED / "corpus" / "pdf" / "suttoncoldfield_2016-17_statement-of-accounts_SCANNED.pdf"
    if not src.exists():
        pytest.skip("../shared/corpus is not here")
    _real_ocr()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / src.name).write_bytes(src.read_bytes())
    run(tmp_path / "in", tmp_path / "out", RunOptions(ocr=True, cache=False))
    docs, _ = docs_and_problems(tmp_path / "out")
    assert docs[0]["status"] == "ok" and docs[0]["pages"] == 11
    pages = {p["page"]: p["text"] for p in pq.read_table(tmp_path / "out" / "pages.parquet").to_pylist()}
    assert "Statement of Accounts" in pages[1] and "Income and Expenditure Account" in pages[5]
    tables = {t["page_first"]: t for t in pq.read_table(tmp_path / "out" / "tables.parquet").to_pylist()}
    # the Income and Expenditure Account (p5) adds up to its printed total; the budget comparison
    # of central and civic costs (p9) is found
    assert tables[5]["totals_reconcile"] is True and 9 in tables
    lines = pq.read_table(tmp_path / "out" / "plan_lines.parquet").to_pylist()
    got = {(r["page"], r["title"], r["measure"]): str(r["amount_gbp"]) for r in lines}
    assert got[(5, "Community Grants", "gross")] == "-88677.00"
    assert got[(9, "Salaries", "budget")] == "140000.00"
