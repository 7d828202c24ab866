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
