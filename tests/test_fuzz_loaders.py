"""Fuzzing: mutated PDFs, HTML and text never crash a run.

`process_file` must never raise and always return one documents row with a valid status
(an `internal_error` problem means a bug was caught by the last line of defence, so it
fails here too). `load_bytes` may only raise `LoadError` (or a subclass): any other
exception type is a loader bug. Bounded: ~150 examples each, no deadline.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councilpapers.load import LoadError, load_bytes
from councilpapers.manifest import ManifestEntry
from councilpapers.runner import RunOptions, process_file
from councilpapers.schema import STATUSES

from .test_loaders import make_pdf

BASE_PDF = make_pdf(["Minutes of the Cabinet meeting held on 26 July 2023",
                     "RESOLVED that \u00a3125,000 be approved for 2023/24.",
                     # a page that looks like a money table, so pdfplumber's table reader runs too
                     "Savings plan \u00a3000\nRef   Title            2024-25   2025-26   2026-27\n"
                     "S1    Libraries        100       200       300\nS2    Roads            50        60        70\n"
                     "      Total            150       260       370"])
BASE_HTML = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Decision</title></head><body>"
             "<h1>Decision details</h1><p>Decision maker: Cabinet</p><p>Decision status: Approved</p>"
             "<table><tr><th>Item</th><th>\u00a3000</th></tr><tr><td>Roads</td><td>1,250</td></tr></table>"
             "<a href='https://democracy.kent.gov.uk/x'>link</a></body></html>").encode("utf-8")
BASE_TXT = "Meeting: 14/02/2023 - Executive (Item 91)\r\nRESOLVED that \u00a35m be spent.\n".encode("utf-8")
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# the alarm-based per-document timeout (when the runner has one) bounds a pathological example
OPTIONS = RunOptions(jobs=1, cache=False) if "cache" in RunOptions.__dataclass_fields__ else RunOptions(jobs=1)

_edit = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**6), st.integers(0, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 10**6), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.integers(0, 10**6), st.integers(1, 512)),
    st.tuples(st.just("dup"), st.integers(0, 10**6), st.integers(1, 512)),
)


def mutate(data: bytes, edits) -> bytes:
    buf = bytearray(data)
    for op, pos, arg in edits:
        if not buf:
            break
        pos %= len(buf)
        if op == "flip":
            buf[pos] = arg
        elif op == "truncate":
            del buf[pos:]
        elif op == "insert":
            buf[pos:pos] = arg
        elif op == "delete":
            del buf[pos:pos + arg]
        elif op == "dup":
            buf[pos:pos] = buf[pos:pos + arg]
    return bytes(buf)


mutated_pdf = st.lists(_edit, min_size=1, max_size=6).map(lambda edits: mutate(BASE_PDF, edits))
mutated_html = st.one_of(
    st.lists(_edit, min_size=1, max_size=6).map(lambda edits: mutate(BASE_HTML, edits)),
    st.text(alphabet=st.sampled_from(list("<>/='\"&;#!- \n\tpdivtablehrbscript\u00a3\u00a0\ufeff\x00")),
            max_size=400).map(lambda s: ("<html>" + s).encode("utf-8", "surrogatepass")),
    st.binary(max_size=400).map(lambda b: b"<!DOCTYPE html>" + b),
)
mutated_text = st.one_of(
    st.lists(_edit, min_size=1, max_size=6).map(lambda edits: mutate(BASE_TXT, edits)),
    st.binary(max_size=400),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.text(max_size=300).map(lambda s: s.encode("utf-16")),
)


def check_process_file(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        res = process_file(path, name, ManifestEntry(), OPTIONS)   # must not raise
    docs = res.rows["documents"]
    assert len(docs) == 1
    assert docs[0]["status"] in STATUSES and docs[0]["status"] == res.status
    assert docs[0]["source_path"] == name
    internal = [p["message"] for p in res.rows.get("problems", []) if p["code"] == "internal_error"]
    assert not internal, internal
    for p in res.rows.get("problems", []):
        assert p["doc_id"] == docs[0]["doc_id"]


def check_load_bytes(data: bytes, name: str) -> None:
    try:
        doc = load_bytes(data, name)
    except LoadError:
        return
    assert doc.pages and all(isinstance(p.text, str) for p in doc.pages)
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))


def test_base_inputs_are_read():
    assert len(load_bytes(BASE_PDF, "a.pdf").pages) == 3
    assert "Decision status: Approved" in load_bytes(BASE_HTML, "a.html").pages[0].text
    assert load_bytes(BASE_TXT, "a.txt").pages[0].text.startswith("Meeting: 14/02/2023")


@FUZZ
@given(mutated_pdf)
def test_mutated_pdf_never_crashes_process_file(data):
    check_process_file(data, "fuzz.pdf")


@FUZZ
@given(mutated_pdf)
def test_mutated_pdf_load_bytes_raises_only_load_errors(data):
    check_load_bytes(data, "fuzz.pdf")


@settings(FUZZ, max_examples=100)
@given(mutated_html, st.sampled_from(["fuzz.html", "fuzz.pdf", "fuzz.htm"]))
def test_mutated_html_never_crashes_process_file(data, name):
    check_process_file(data, name)


@settings(FUZZ, max_examples=100)
@given(mutated_text, st.sampled_from(["fuzz.txt", "fuzz.html", "fuzz.pdf", "fuzz.md"]))
def test_garbage_text_never_crashes_process_file(data, name):
    check_process_file(data, name)


@FUZZ
@given(st.one_of(mutated_html, mutated_text), st.sampled_from(["fuzz.txt", "fuzz.html", "fuzz.pdf"]))
def test_garbage_load_bytes_raises_only_load_errors(data, name):
    check_load_bytes(data, name)


def test_pdf_whose_page_pdfium_cannot_load_is_a_load_error():
    """Found by the fuzzer: a damaged page object makes pdf[i] raise PdfiumError('Failed to load page.')."""
    damaged = mutate(BASE_PDF, [("delete", 96, 99)])
    check_load_bytes(damaged, "damaged.pdf")
    check_process_file(damaged, "damaged.pdf")
