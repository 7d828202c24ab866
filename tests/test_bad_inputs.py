"""Hostile inputs: every bad file gives exactly its problems row(s) and the batch goes on.

Every input is generated here in tmp_path (never copied from the corpus). A folder of
bad files is run once beside good files; the good files' rows must be the same as when
they are processed alone. Limits (page count, file size) are tested by lowering the
limit, not by writing huge files.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import councilpapers.load.pdf as pdf_loader
from councilpapers.manifest import ManifestEntry
from councilpapers.registry import REGISTRY, Extractor
from councilpapers.runner import RunOptions, process_file, run
from councilpapers.schema import ID_COLUMN, STATUSES, TABLES

from .conftest import RAW, ROOT
from .test_loaders import make_pdf

GOOD_PDF_PAGES = ["Minutes of the Cabinet meeting held on 26 July 2023",
                  "RESOLVED that the report be noted.\nThe cost of the scheme is \u00a3125,000 in 2023/24."]
REPORT = "003_9e679c4aa4205e30.txt"   # a seed with money, people and decisions rows
HAS_TIMEOUT = "timeout_s" in {f.name for f in dataclasses.fields(RunOptions)}


def read(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def encrypted_pdf(user_password: str, owner_password: str = "owner") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    enc = StandardEncryption(user_password, ownerPassword=owner_password, canPrint=1, canModify=0, canCopy=0)
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, encrypt=enc)
    c.drawString(72, 800, "Minutes of the Audit Committee held on 3 March 2024")
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_without_text() -> bytes:
    """A 'scan': a drawn rectangle and a raster image, no text layer."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.rect(72, 400, 300, 200, fill=1)
    c.showPage()
    c.drawImage(ImageReader(Image.new("L", (40, 20), color=128)), 72, 500, width=400, height=200)
    c.showPage()
    c.save()
    return buf.getvalue()


def good_files(folder: Path) -> None:
    """The good inputs, at the same relative paths in every folder they are put in."""
    (folder / "sub dir").mkdir(parents=True, exist_ok=True)
    shutil.copy(RAW / REPORT, folder / "sub dir" / "report.txt")
    (folder / "good.pdf").write_bytes(make_pdf(GOOD_PDF_PAGES))


# source_path -> (status, format, load-stage problem codes)
EXPECTED_FAILURES = {
    "empty.pdf": ("failed", "empty", ["empty_file"]),
    "truncated.pdf": ("failed", "pdf", ["unreadable_pdf"]),
    "encrypted.pdf": ("failed", "pdf", ["encrypted_pdf"]),
    "scan.pdf": ("needs_ocr", "pdf", ["needs_ocr"]),
    "letter.docx": ("failed", "docx", ["unsupported_format"]),
}
EXPECTED_READ = {   # read normally; load-stage problem codes
    "owner_only.pdf": ("pdf", []),
    "really_html.pdf": ("html", ["extension_mismatch"]),
    "really_pdf.txt": ("pdf", ["extension_mismatch"]),
    "cp1252.html": ("html", []),
    "bom.html": ("html", []),
    "D\u00e9cision \u2013 caf\u00e9 \u00a3 2023.txt": ("txt", []),
    "\u540d\u524d with spaces/\u00fcber uns.html": ("html", []),
    "x.pdf/inside.txt": ("txt", []),
}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad_inputs")
    folder = base / "in"
    folder.mkdir()
    good_files(folder)
    (folder / "empty.pdf").write_bytes(b"")
    pdf = make_pdf(["A page with enough text to be read by anyone"])
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (folder / "encrypted.pdf").write_bytes(encrypted_pdf("secret"))
    (folder / "owner_only.pdf").write_bytes(encrypted_pdf(""))
    (folder / "scan.pdf").write_bytes(pdf_without_text())
    (folder / "letter.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    (folder / "really_html.pdf").write_bytes(
        b"<!DOCTYPE html><html><body><p>Meeting: 14/02/2023 - Executive (Item 91)</p></body></html>")
    (folder / "really_pdf.txt").write_bytes(make_pdf(["Agenda for the Planning Committee on 5 May 2024"]))
    (folder / "cp1252.html").write_bytes(
        "<html><body><p>The grant of \u00a31,250 was agreed \u2013 nem con.</p></body></html>".encode("cp1252"))
    (folder / "bom.html").write_bytes(
        "\ufeff<!DOCTYPE html><html><body><p>Budget \u00a34.5m for 2024/25</p></body></html>".encode("utf-8"))
    (folder / "D\u00e9cision \u2013 caf\u00e9 \u00a3 2023.txt").write_text("Caf\u00e9 lease renewed for \u00a3900.\n", encoding="utf-8")
    (folder / "\u540d\u524d with spaces").mkdir()
    (folder / "\u540d\u524d with spaces" / "\u00fcber uns.html").write_text("<p>\u00dcber uns</p>", encoding="utf-8")
    (folder / "x.pdf").mkdir()                                  # a directory named like a file
    (folder / "x.pdf" / "inside.txt").write_text("Text inside a folder called x.pdf\n")
    os.symlink(folder, folder / "loop", target_is_directory=True)  # a symlink loop
    out = base / "out"
    started = time.perf_counter()
    summary = run(folder, out, RunOptions(jobs=1))
    seconds = time.perf_counter() - started
    alone = base / "alone"
    alone.mkdir()
    good_files(alone)
    run(alone, base / "alone_out", RunOptions(jobs=1))
    return {"folder": folder, "out": out, "alone_out": base / "alone_out", "summary": summary, "seconds": seconds}


@pytest.fixture(scope="module")
def docs(bad_run):
    return {d["source_path"]: d for d in read(bad_run["out"], "documents")}


@pytest.fixture(scope="module")
def problems(bad_run):
    return read(bad_run["out"], "problems")


def load_codes(problems, source_path):
    """Problems the loading stage raised for one file (extractors may add warnings of their own)."""
    return sorted(p["code"] for p in problems if p["source_path"] == source_path and p["extractor"] == "load")


def test_every_file_has_exactly_one_documents_row_and_nothing_else(bad_run, docs):
    expected = set(EXPECTED_FAILURES) | set(EXPECTED_READ) | {"sub dir/report.txt", "good.pdf"}
    rows = read(bad_run["out"], "documents")
    assert sorted(d["source_path"] for d in rows) == sorted(expected)   # no loop/..., no 'x.pdf' row
    assert len({d["doc_id"] for d in rows}) == len(rows)
    assert all(d["status"] in STATUSES for d in rows)


@pytest.mark.parametrize("source_path", sorted(EXPECTED_FAILURES))
def test_bad_file_gives_exactly_its_problem(source_path, docs, problems):
    status, fmt, codes = EXPECTED_FAILURES[source_path]
    doc = docs[source_path]
    assert doc["status"] == status
    assert doc["format"] == fmt
    assert doc["error"]
    mine = [p for p in problems if p["source_path"] == source_path]
    assert sorted(p["code"] for p in mine) == codes          # nothing else: no extractor ran
    assert all(p["doc_id"] == doc["doc_id"] for p in mine)
    expected_severity = "warning" if status == "needs_ocr" else "error"
    assert [p["severity"] for p in mine] == [expected_severity]


def test_scan_reports_its_page_count(docs):
    assert docs["scan.pdf"]["pages"] == 2


@pytest.mark.parametrize("source_path", sorted(EXPECTED_READ))
def test_readable_file_is_read(source_path, docs, problems):
    fmt, codes = EXPECTED_READ[source_path]
    doc = docs[source_path]
    assert doc["status"] in ("ok", "partial")
    assert doc["format"] == fmt
    assert load_codes(problems, source_path) == codes
    assert not [p for p in problems if p["source_path"] == source_path and p["code"] == "internal_error"]


def test_encrypted_pdf_with_empty_user_password_is_read_normally():
    from councilpapers.load import load_bytes
    doc = load_bytes(encrypted_pdf(""), "owner_only.pdf")
    assert "Audit Committee held on 3 March 2024" in doc.pages[0].text


def test_html_encodings_decode_right():
    from councilpapers.load import load_bytes
    cp = load_bytes("<html><body><p>The grant of \u00a31,250 was agreed \u2013 nem con.</p></body></html>"
                    .encode("cp1252"), "cp1252.html")
    assert "The grant of \u00a31,250 was agreed \u2013 nem con." in cp.pages[0].text
    bom = load_bytes("\ufeff<!DOCTYPE html><html><body><p>Budget \u00a34.5m for 2024/25</p></body></html>"
                     .encode("utf-8"), "bom.html")
    assert bom.pages[0].text == "Budget \u00a34.5m for 2024/25\n"
    assert "\ufeff" not in bom.pages[0].text
    u16 = load_bytes("<html><body><p>Cost \u00a35</p></body></html>".encode("utf-16"), "u16.html")
    assert u16.pages[0].text == "Cost \u00a35\n"
    lying = load_bytes(b'<html><head><meta charset="utf-8"></head><body><p>Cost \xa310</p></body></html>', "lie.html")
    assert "Cost \u00a310" in lying.pages[0].text


def test_good_files_keep_all_their_rows(bad_run, docs):
    alone_docs = {d["source_path"]: d for d in read(bad_run["alone_out"], "documents")}
    for source_path in ("sub dir/report.txt", "good.pdf"):
        assert docs[source_path] == alone_docs[source_path]
        doc_id = docs[source_path]["doc_id"]
        for table in TABLES:
            if table == "documents":
                continue
            mine = [r for r in read(bad_run["out"], table) if r["doc_id"] == doc_id]
            theirs = [r for r in read(bad_run["alone_out"], table) if r["doc_id"] == doc_id]
            assert mine == theirs, (source_path, table)
    assert docs["good.pdf"]["pages"] == 2


def test_symlink_loop_finishes_quickly(bad_run):
    assert bad_run["seconds"] < 120
    assert bad_run["summary"].files == len(read(bad_run["out"], "documents"))


def test_file_over_max_mb_is_refused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.pdf").write_bytes(make_pdf(["x" * 80] * 3))            # a few KB > 0.001 MB
    (folder / "small.txt").write_text("Short note.\n")                      # well under 1048 bytes
    run(folder, tmp_path / "out", RunOptions(jobs=1, max_mb=0.001))
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    problems = read(tmp_path / "out", "problems")
    assert docs["big.pdf"]["status"] == "failed"
    assert docs["big.pdf"]["bytes"] == (folder / "big.pdf").stat().st_size
    assert load_codes(problems, "big.pdf") == ["file_too_large"]
    assert [p["code"] for p in problems if p["source_path"] == "big.pdf"] == ["file_too_large"]
    assert docs["small.txt"]["status"] in ("ok", "partial")
    assert load_codes(problems, "small.txt") == []


def test_file_over_max_mb_keeps_its_claimed_format(tmp_path):
    """A refused PDF is still a pdf, not 'empty' (the runner sniffs b'' for it)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.pdf").write_bytes(make_pdf(["x" * 80] * 3))
    run(folder, tmp_path / "out", RunOptions(jobs=1, max_mb=0.001))
    assert read(tmp_path / "out", "documents")[0]["format"] == "pdf"


def test_pdf_over_the_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_loader, "LIMITS", pdf_loader.PdfLimits(max_pages=3))
    five = tmp_path / "five.pdf"
    five.write_bytes(make_pdf([f"Page {i} of a long agenda pack with enough text" for i in range(1, 6)]))
    three = tmp_path / "three.pdf"
    three.write_bytes(make_pdf([f"Page {i} of a short agenda pack with enough text" for i in range(1, 4)]))
    res = process_file(five, "five.pdf", ManifestEntry())
    assert res.status == "failed"
    assert [p["code"] for p in res.rows["problems"]] == ["too_many_pages"]
    assert res.rows["documents"][0]["status"] == "failed"
    ok = process_file(three, "three.pdf", ManifestEntry())
    assert ok.status in ("ok", "partial") and ok.pages == 3


def test_same_bytes_under_two_names_do_not_duplicate_doc_ids(tmp_path):
    """doc_id is the hash of the bytes, so a file saved twice must not give two documents rows with one id."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW / REPORT, folder / "a.txt")
    shutil.copy(RAW / REPORT, folder / "copy of a.txt")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    for table in TABLES:
        ids = [r[ID_COLUMN[table]] for r in read(tmp_path / "out", table)]
        assert len(ids) == len(set(ids)), f"{table}: duplicate {ID_COLUMN[table]}"
    mentioned = {r["source_path"] for r in read(tmp_path / "out", "documents")} | \
                {r["source_path"] for r in read(tmp_path / "out", "problems")}
    assert {"a.txt", "copy of a.txt"} <= mentioned


def test_dangling_symlink_is_a_problem_not_an_internal_error(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink(folder / "gone.pdf", folder / "dangling.pdf")
    (folder / "ok.txt").write_text("Fine.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    assert docs["dangling.pdf"]["status"] == "failed"
    codes = [p["code"] for p in read(tmp_path / "out", "problems") if p["source_path"] == "dangling.pdf"]
    assert len(codes) == 1 and codes[0] != "internal_error"


def test_file_name_that_is_not_utf8_does_not_stop_the_batch(tmp_path):
    """Linux allows any bytes in a name; os.walk gives them back as lone surrogates."""
    folder = tmp_path / "in"
    folder.mkdir()
    fd = os.open(os.fsencode(folder) + b"/minutes \xff\xfe.txt", os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, b"Minutes of the meeting.\n")
    os.close(fd)
    (folder / "ok.txt").write_text("Fine.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    docs = read(tmp_path / "out", "documents")
    assert len(docs) == 2
    assert all(d["status"] != "failed" or d["error"] for d in docs)


def test_named_pipe_in_the_input_folder_does_not_hang_the_batch(tmp_path):
    """A FIFO (or socket, device) is listed by os.walk; reading it blocks forever."""
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")
    (folder / "ok.txt").write_text("Fine.\n")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from councilpapers.runner import RunOptions, run
        s = run(Path({str(folder)!r}), Path({str(tmp_path / 'out')!r}), RunOptions(jobs=1))
        print(s.files)
    """)
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("the run hung reading a named pipe")
    assert proc.returncode == 0, proc.stderr[-2000:]
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    assert docs["ok.txt"]["status"] in ("ok", "partial")


def test_upper_case_manifest_is_not_a_document(tmp_path):
    """The shared corpus ships MANIFEST.csv; it is metadata, not a failed input."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "MANIFEST.csv").write_text("file,source_url,council\nok.txt,https://example.gov.uk/x,Kent County Council\n")
    (folder / "ok.txt").write_text("Fine.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    assert set(docs) == {"ok.txt"}
    assert docs["ok.txt"]["source_url"] == "https://example.gov.uk/x"


@pytest.mark.xfail(not HAS_TIMEOUT, strict=False, reason="per-document timeout being added by the lead")
def test_hanging_extractor_is_stopped_by_the_document_timeout(tmp_path, monkeypatch):
    def hang(doc, out):
        if "hang" in doc.source_path:
            for _ in range(300):
                time.sleep(0.1)

    monkeypatch.setitem(REGISTRY, "zz_hang", Extractor("zz_hang", hang, lambda d: True, 99, ()))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "hang.txt").write_text("This one hangs.\n")
    (folder / "ok.txt").write_text("This one is fine.\n")
    options = RunOptions(jobs=1, **({"timeout_s": 2} if HAS_TIMEOUT else {}))
    if not HAS_TIMEOUT:
        pytest.xfail("RunOptions has no timeout_s yet")
    started = time.perf_counter()
    run(folder, tmp_path / "out", options)
    assert time.perf_counter() - started < 20
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    assert set(docs) == {"hang.txt", "ok.txt"}
    assert docs["hang.txt"]["status"] in ("failed", "partial")
    codes = [p["code"] for p in read(tmp_path / "out", "problems") if p["source_path"] == "hang.txt"]
    assert any("timeout" in c for c in codes), codes
    assert docs["ok.txt"]["status"] in ("ok", "partial")


def test_long_attendance_list_is_read_in_reasonable_time(tmp_path):
    """A minutes page listing members ('Mr A B, Mr C D, ... and Mr E F') must not make a regex backtrack
    for minutes: the corpus's 14-page Kent printed minutes took 7 s in extractors/moderngov_pages.py
    (_PRESENTER3), and time grows with the list (2.6 KB -> 24 s)."""
    names = "Mr Alan Marsh, Mr Paul Bartlett, Mrs Rosalind Binks, Mr Tony Hills and Mr Jim Kite,\n"
    head = ("COUNTY COUNCIL\n\nMINUTES of a meeting of the County Council held in the Council Chamber,\n"
            "County Hall, Maidstone on Thursday, 13 February 2025.\nPRESENT: ")
    tail = ("\nIN ATTENDANCE: Mr J Cook (Democratic Services Manager)\n286. Apologies for Absence\n(Item 1)\n"
            "RESOLVED that the minutes be approved.\n")
    path = tmp_path / "minutes.txt"
    path.write_text(head + names * 16 + tail)
    started = time.perf_counter()
    res = process_file(path, "minutes.txt", ManifestEntry(), RunOptions(jobs=1))
    assert res.status in ("ok", "partial")
    assert time.perf_counter() - started < 3, {k: round(v, 2) for k, v in res.timings.items()}


def test_links_out_of_the_input_folder_are_reported_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("RESOLVED that the minutes be approved.\n")
    os.symlink("/etc/passwd", folder / "passwd.txt")
    os.symlink("/etc", folder / "etc", target_is_directory=True)
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    docs = {d["source_path"]: d for d in read(tmp_path / "out", "documents")}
    assert set(docs) == {"ok.txt", "passwd.txt", "etc"}          # 806 files of /etc are not ingested
    assert docs["passwd.txt"]["title"] is None and docs["passwd.txt"]["status"] == "failed"
    codes = {p["source_path"]: p["code"] for p in read(tmp_path / "out", "problems")}
    assert codes["passwd.txt"] == codes["etc"] == "symlink_outside_input"
    assert "root:" not in json.dumps(read(tmp_path / "out", "documents"))


def test_the_pipelines_own_output_is_never_read_as_papers(tmp_path):
    from click.testing import CliRunner

    from councilpapers.cli import cli
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "ok.txt").write_text("RESOLVED that the minutes be approved.\n")
    runner = CliRunner()
    for _ in range(2):  # 'councilpapers run .' twice, writing parsed/ and review/ inside the folder
        assert runner.invoke(cli, ["run", str(folder), "-o", str(folder / "parsed"), "-q"]).exit_code == 0
        assert runner.invoke(cli, ["review", str(folder / "parsed"), "-o", str(folder / "review"),
                                   "--raw", str(folder)]).exit_code == 0
    # a second output folder elsewhere in the tree is a run's output too
    assert runner.invoke(cli, ["run", str(folder), "-o", str(folder / "other"), "-q"]).exit_code == 0
    docs = [d["source_path"] for d in read(folder / "other", "documents")]
    assert docs == ["ok.txt"]


def test_duplicate_bytes_keep_the_plainer_supported_name(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_report.txt.bak").write_text("RESOLVED that the minutes be approved.\n")
    (folder / "b_report.txt").write_text("RESOLVED that the minutes be approved.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    assert [d["source_path"] for d in read(tmp_path / "out", "documents")] == ["b_report.txt"]
    (p,) = [p for p in read(tmp_path / "out", "problems") if p["code"] == "duplicate_file"]
    assert p["source_path"] == "a_report.txt.bak"


def test_random_bytes_named_as_text_are_not_text(tmp_path):
    import random
    rnd = random.Random(7)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "junk.html").write_bytes(bytes(rnd.getrandbits(8) for _ in range(512 * 1024)))
    (folder / "junk.txt").write_bytes(bytes(rnd.getrandbits(8) for _ in range(4096)))
    (folder / "ok.txt").write_text("RESOLVED that the minutes be approved.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    docs = {d["source_path"]: d["status"] for d in read(tmp_path / "out", "documents")}
    assert docs == {"junk.html": "failed", "junk.txt": "failed", "ok.txt": "ok"}
    codes = {p["source_path"]: p["code"] for p in read(tmp_path / "out", "problems")}
    assert codes["junk.html"] == codes["junk.txt"] == "not_text"
    junk_ids = {d["doc_id"] for d in read(tmp_path / "out", "documents") if d["source_path"].startswith("junk")}
    assert not [m for m in read(tmp_path / "out", "money") if m["doc_id"] in junk_ids]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_encodings_without_a_byte_order_mark_are_decoded(tmp_path, encoding):
    from councilpapers.load import load_bytes
    text = "Minutes of the Cabinet\nRESOLVED that the saving of £2.4m be approved.\n"
    doc = load_bytes(text.encode(encoding), "minutes.txt", "txt")
    assert doc.pages[0].text == text
