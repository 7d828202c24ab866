"""The array-based character and word reading in pipeline.plans.pdfium_page, and its ruling lines
read through plain-pointer bindings, against the per-character loop and typed calls they replaced
(kept here as the reference), on the corpus's PDF pages and on random characters: the same
characters, boxes, words and edges, float for float."""
from __future__ import annotations

import ctypes
from operator import itemgetter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilpapers.plans import pdfium_page
from councilpapers.plans.pdfium_page import Chars

from .conftest import SHARED

CORPUS_PDFS = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))


# ---------------------------------------------------------------- the reference (the loop it replaced)

def reference_chars(raw, textpage, height: float) -> list[tuple]:
    """(text, x0, top, x1, bottom, space_before) for every printed upright character."""
    textpage = getattr(textpage, "raw", textpage)
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    text = pdfium_page._page_text(raw, textpage, n)
    if text is None:
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    rect = raw.FS_RECTF()
    box = ctypes.byref(rect)
    out = []
    gap = False
    for i, ch in enumerate(text):
        if ch == "\x02":
            ch = "-"
        if ch <= " " or ch.isspace() or ch in "\ufffe\ufeff" or not raw.FPDFText_GetLooseCharBox(textpage, i, box):
            gap = True
            continue
        left, right, top, bottom = rect.left, rect.right, rect.top, rect.bottom
        if right - left > (top - bottom) * 0.9 and \
                pdfium_page._UPRIGHT < raw.FPDFText_GetCharAngle(textpage, i) < pdfium_page._FULL_TURN - pdfium_page._UPRIGHT:
            gap = True
            continue
        out.append((ch, left, height - top, right, height - bottom, gap))
        gap = False
    return out


def reference_words(chars: list[tuple], x_tolerance: float, line_tolerance: float) -> list[dict]:
    words: list[dict] = []

    def flush(line):
        parts = None
        for text, x0, top, x1, bottom, gap in sorted(line, key=itemgetter(1)):
            if parts is not None and not gap and x0 - w_x1 <= x_tolerance and x1 > w_x0:
                parts.append(text)
                w_x1, w_top, w_bottom = max(w_x1, x1), min(w_top, top), max(w_bottom, bottom)
            else:
                if parts is not None:
                    words.append({"text": "".join(parts), "x0": w_x0, "x1": w_x1, "top": w_top, "bottom": w_bottom,
                                  "width": w_x1 - w_x0, "height": w_bottom - w_top})
                parts, w_x0, w_x1, w_top, w_bottom = [text], x0, x1, top, bottom
        if parts is not None:
            words.append({"text": "".join(parts), "x0": w_x0, "x1": w_x1, "top": w_top, "bottom": w_bottom,
                          "width": w_x1 - w_x0, "height": w_bottom - w_top})

    line, last_top = [], None
    for ch in sorted(chars, key=itemgetter(2, 1)):
        if line and ch[2] - last_top > line_tolerance:
            flush(line)
            line = []
        line.append(ch)
        last_top = ch[2]
    if line:
        flush(line)
    return words


def reference_edges(raw, page, height: float) -> list[dict]:
    """Ruling lines through pypdfium2's typed bindings."""
    out: list[dict] = []
    m = raw.FS_MATRIX()

    def path_edges(obj, matrix):
        fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
        if raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
            return
        a, b, c, d, e, f = matrix
        x, y = ctypes.c_float(0), ctypes.c_float(0)
        start = prev = None
        for i in range(raw.FPDFPath_CountSegments(obj)):
            seg = raw.FPDFPath_GetPathSegment(obj, i)
            if not seg or not raw.FPDFPathSegment_GetPoint(seg, x, y):
                continue
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = raw.FPDFPathSegment_GetType(seg)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = prev = point
                continue
            if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
                edge = pdfium_page._edge(*prev, *point, height)
                if edge:
                    out.append(edge)
            prev = point
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                edge = pdfium_page._edge(*point, *start, height)
                if edge:
                    out.append(edge)
                prev = start

    def walk(parent, in_form, outer, depth):
        count = (raw.FPDFFormObj_CountObjects if in_form else raw.FPDFPage_CountObjects)(parent)
        get = raw.FPDFFormObj_GetObject if in_form else raw.FPDFPage_GetObject
        for i in range(max(count, 0)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
                continue
            own = (1, 0, 0, 1, 0, 0)
            if raw.FPDFPageObj_GetMatrix(obj, m):
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
            matrix = pdfium_page._mul(own, outer)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                path_edges(obj, matrix)
            elif depth < 8:
                walk(obj, True, matrix, depth + 1)

    walk(page.raw, False, (1, 0, 0, 1, 0, 0), 0)
    return out


def _as_chars(tuples: list[tuple]) -> Chars:
    return Chars(np.array([ord(t[0]) for t in tuples], dtype=np.uint32),
                 np.array([t[1:5] for t in tuples], dtype=np.float64).reshape(-1, 4),
                 np.array([t[5] for t in tuples], dtype=bool))


def _same(a: list[dict], b: list[dict]) -> bool:
    """Equal, and every number the same Python type (a numpy scalar would print differently)."""
    return a == b and all(type(x[k]) is type(y[k]) for x, y in zip(a, b) for k in x)


# ---------------------------------------------------------------- tests

@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus not present")
def test_chars_words_and_edges_are_the_per_character_loops_on_every_corpus_page():
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw
    pages = chars_seen = edges_seen = 0
    for path in CORPUS_PDFS:
        pdf = pdfium.PdfDocument(path.read_bytes())
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                height = page.get_height()
                want = reference_chars(raw, textpage, height)
                got = pdfium_page._chars(raw, textpage, height)
                textpage.close()
                assert _same(pdfium_page._edges(raw, page, height), reference_edges(raw, page, height)), \
                    (path.name, i + 1)
                edges_seen += len(reference_edges(raw, page, height))
                page.close()
                assert got.tuples() == want, (path.name, i + 1)
                for x_tol, line_tol in ((1.5, 3.0), (3.0, 1.0)):
                    assert _same(pdfium_page._words(got, x_tol, line_tol), reference_words(want, x_tol, line_tol)), \
                        (path.name, i + 1)
                pages += 1
                chars_seen += len(want)
        finally:
            pdf.close()
    assert pages >= 400 and chars_seen > 100_000 and edges_seen > 10_000


_coord = st.floats(0, 600, allow_nan=False, width=32).map(float)
_char = st.tuples(st.sampled_from("ab1,.(£-"), _coord, st.sampled_from([10.0, 10.5, 12.0, 13.2, 30.0]),
                  st.floats(0, 8, width=32).map(float), st.floats(6, 12, width=32).map(float), st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(_char, max_size=60))
def test_words_are_the_reference_words_on_random_characters(raw_chars):
    """Overlapping, touching and out-of-order characters, tops within and beyond a line's tolerance."""
    tuples = [(t, x, top, x + w, top + h, gap) for t, x, top, w, h, gap in raw_chars]
    assert _same(pdfium_page._words(_as_chars(tuples), 1.5, 3.0), reference_words(tuples, 1.5, 3.0))


@pytest.mark.skipif(not CORPUS_PDFS, reason="../shared/corpus not present")
def test_the_loader_keeps_the_table_pages_geometry_and_the_tables_do_not_depend_on_it():
    """The PDF loader chooses the table pages on the text it read (as the table extractor would) and
    keeps their geometry; the tables are the same, row for row, when the table pass reads them again."""
    from councilpapers.extractors.plan_tables import extract_plan_tables
    from councilpapers.load import LoadError, load_bytes
    from councilpapers.plans.pdf_tables import TablePages
    from councilpapers.registry import Output
    kept = 0
    for path in CORPUS_PDFS:
        try:
            doc = load_bytes(path.read_bytes(), path.name)
        except LoadError:  # a scan without a text layer
            continue
        chooser = TablePages()
        for p in doc.pages:
            chooser.add(p.number, p.text)
        assert doc.table_pages == chooser.chosen, path.name
        assert sorted(doc.pdf_geometry) == doc.table_pages[:200], path.name
        kept += len(doc.pdf_geometry)
        with_geometry, again = Output(), Output()
        extract_plan_tables(doc, with_geometry)
        assert not doc.pdf_geometry  # the table pass let go of each page as it read it
        doc.table_pages = None
        extract_plan_tables(doc, again)
        assert with_geometry.rows == again.rows, path.name
    assert kept >= 150


def test_table_pages_past_the_loaders_limit_are_read_again(monkeypatch):
    from councilpapers.load import pdf as pdf_loader
    from councilpapers.load import load_bytes
    from .test_plan_tables import _landscape_plan
    data = _landscape_plan()
    doc = load_bytes(data, "t.pdf")
    assert doc.table_pages == [1] and sorted(doc.pdf_geometry) == [1]
    monkeypatch.setattr(pdf_loader, "LIMITS", pdf_loader.PdfLimits(keep_geometry_pages=0))
    bare = load_bytes(data, "t.pdf")
    assert bare.table_pages == [1] and not bare.pdf_geometry
    from councilpapers.extractors.plan_tables import extract_plan_tables
    from councilpapers.registry import Output
    a, b = Output(), Output()
    extract_plan_tables(doc, a)
    extract_plan_tables(bare, b)
    assert a.rows == b.rows and a.rows["plan_lines"]
