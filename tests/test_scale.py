"""Big single files (issue 16 item 7): a whole .txt or web page is one page, read in windows with
exact offsets, and no step does more than linear work in the length of the text.

The work is counted, not timed: the lines of the pipeline's own code that run (a trace limited to
`pipeline/` and `extractors/`) for a text and for the same text twice over. A scan of every row
per row, or of every line per line, shows up as four times the lines for twice the text. Work
inside a single library call (spaCy, a regex, `str.split`) is not seen here; `make bench-big`
times those on files of 1 to 50 MB."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from councilpapers.document import WINDOW_CHARS, Document, Page, text_windows
from councilpapers.ids import doc_id_of
from councilpapers.process import process_document
from councilpapers.manifest import ManifestEntry

from .conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
OWN = (str(ROOT / "pipeline"), str(ROOT / "extractors"))


def _seed_text(copies: int) -> str:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip("../shared/seeds not available")
    one = "\n\n".join(p.read_text(encoding="utf-8").replace("\r\n", "\n") for p in seeds)
    return "\n\n".join([one] * copies)


def _doc(text: str) -> Document:
    data = text.encode()
    return Document(doc_id_of(data), "big.txt", "txt", [Page(1, text)], data)


def _lines_run(text: str) -> int:
    """Lines of the pipeline's own code executed while processing `text` as one page."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(OWN) else None

    doc = _doc(text)
    process_document(doc, ManifestEntry())  # warm: vocabularies, spaCy, caches
    sys.settrace(calls)
    try:
        process_document(doc, ManifestEntry())
    finally:
        sys.settrace(None)
    return count


def test_twice_the_text_is_about_twice_the_work():
    small = _lines_run(_seed_text(6))
    double = _lines_run(_seed_text(12))
    assert 1.6 <= double / small <= 2.4, (small, double)


def test_windows_cover_the_page_once_and_cut_at_paragraphs():
    text = _seed_text(12)
    assert len(text) > 150_000  # several windows of the size below
    cuts = text_windows(text, size=50_000)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    assert all(text[end - 2:end] == "\n\n" for _, end in cuts[:-1])
    assert all(end - start <= 50_000 for start, end in cuts)


def test_a_page_longer_than_a_window_keeps_exact_offsets():
    """Amounts found in the second and later windows point at their own characters of the page, and
    the page gives the same amounts as each of its copies read alone."""
    one = _seed_text(1)
    copies = WINDOW_CHARS // len(one) + 2
    text = "\n\n".join([one] * copies)
    assert len(text) > WINDOW_CHARS
    res = process_document(_doc(text), ManifestEntry())
    money = res.rows["money"]
    assert money and all(text[r["char_start"]:r["char_end"]] == r["raw_text"] for r in money)
    assert max(r["char_start"] for r in money) > WINDOW_CHARS
    alone = process_document(_doc(one), ManifestEntry()).rows["money"]
    assert len(money) == copies * len(alone)
