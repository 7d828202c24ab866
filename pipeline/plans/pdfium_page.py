"""Page geometry for table reading from PDFium (pypdfium2): words and ruling lines.

Why not pdfplumber: its cost is pdfminer's layout analysis of every character
(~2-3 pages/s on dense £000 tables); PDFium gives the same character boxes about
15x faster. pdfplumber's table finder is pure geometry once it has edges and
words, so `PdfiumPage` offers exactly what it reads (`edges`, `bbox`,
`extract_words`) and the finder runs on PDFium's data without pdfminer.

Coordinates follow pdfplumber: points from the top-left corner, `top` < `bottom`.
Words: characters on one line (tops within `line_tolerance`) joined while the gap
to the next is at most `x_tolerance` and no space was printed between them; a
character's box is PDFium's loose box (font ascent to descent, advance width):
x0, x1 and bottom match pdfminer's, the top sits a little higher.
Edges: every straight, axis-parallel segment of a painted path (lines and the
sides of rectangles, also inside form XObjects), as pdfplumber's `page.edges`.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from itertools import repeat
from typing import Iterator

_AXIS = 0.1
_UPRIGHT = 0.01  # radians
_FULL_TURN = 6.283185307179586  # a segment this close to parallel with an axis is a ruling line (pt)


@dataclass
class PdfiumPage:
    number: int
    width: float
    height: float
    words: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    # what turns the words' coordinates (PDF user space, y measured down from `height`) into
    # points from the top-left of the page as shown (its crop box may not start at 0, 0)
    dx: float = 0.0
    dy: float = 0.0

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0, 0, self.width, self.height)

    def extract_words(self, **_kwargs) -> list[dict]:
        """The page's words (pdfplumber's table finder asks for them with the text strategy)."""
        return self.words

    @property
    def has_ruling(self) -> bool:
        return len(self.edges) >= 4


def _page_text(raw, textpage, n: int) -> str | None:
    """All n characters in one call, or None when they do not map one to one (non-BMP text)."""
    buf = ctypes.create_string_buffer((n + 1) * 2)
    got = raw.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
    text = buf.raw[:max(got - 1, 0) * 2].decode("utf-16-le", errors="replace")
    return text if len(text) == n else None


@dataclass
class Chars:
    """A page's printed upright characters, in PDFium's order, as arrays (one row per character):
    `codes` (code points), `boxes` (x0, top, x1, bottom; float64 of PDFium's float32 loose box, top
    and bottom from the top of the page) and `gap` (a space, or a character left out, came before)."""
    codes: "np.ndarray"
    boxes: "np.ndarray"
    gap: "np.ndarray"

    def __len__(self) -> int:
        return len(self.codes)

    def tuples(self) -> list[tuple]:
        """(text, x0, top, x1, bottom, space_before) per character (for tests and debugging)."""
        return [(chr(c), *box, g) for c, box, g in zip(self.codes.tolist(), self.boxes.tolist(), self.gap.tolist())]


class _Calls:
    """PDFium functions called once per character or path segment, bound again with plain pointer
    arguments: pypdfium2's typed bindings convert a handle object on each call, about half the cost
    of the per-character loop."""

    def __init__(self, raw):
        def bind(func, restype, *argtypes):
            return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, ctypes.c_void_p).value)

        vp, i = ctypes.c_void_p, ctypes.c_int
        self.loose_box = bind(raw.FPDFText_GetLooseCharBox, i, vp, i, vp)
        self.char_angle = bind(raw.FPDFText_GetCharAngle, ctypes.c_float, vp, i)
        self.page_count_objects = bind(raw.FPDFPage_CountObjects, i, vp)
        self.page_get_object = bind(raw.FPDFPage_GetObject, vp, vp, i)
        self.form_count_objects = bind(raw.FPDFFormObj_CountObjects, i, vp)
        self.form_get_object = bind(raw.FPDFFormObj_GetObject, vp, vp, ctypes.c_ulong)
        self.object_type = bind(raw.FPDFPageObj_GetType, i, vp)
        self.object_matrix = bind(raw.FPDFPageObj_GetMatrix, i, vp, vp)
        self.draw_mode = bind(raw.FPDFPath_GetDrawMode, i, vp, vp, vp)
        self.count_segments = bind(raw.FPDFPath_CountSegments, i, vp)
        self.get_segment = bind(raw.FPDFPath_GetPathSegment, vp, vp, i)
        self.segment_point = bind(raw.FPDFPathSegment_GetPoint, i, vp, vp, vp)
        self.segment_type = bind(raw.FPDFPathSegment_GetType, i, vp)
        self.segment_close = bind(raw.FPDFPathSegment_GetClose, i, vp)


_CALLS: _Calls | None = None
_SPACE_TABLE = None  # per BMP code point: what the word builder treats as a space


def _calls(raw) -> _Calls:
    global _CALLS
    if _CALLS is None:
        _CALLS = _Calls(raw)
    return _CALLS


def _spaces(codes):
    """Which characters are spaces: a control character, a blank, a Unicode space, U+FFFE or U+FEFF."""
    import numpy as np
    global _SPACE_TABLE
    if _SPACE_TABLE is None:
        _SPACE_TABLE = np.array([c <= 32 or chr(c).isspace() or c in (0xFFFE, 0xFEFF) for c in range(0x10000)])
    wide = codes >= 0x10000
    out = _SPACE_TABLE[np.where(wide, 0, codes)]
    if wide.any():
        out[wide] = [chr(c).isspace() for c in codes[wide].tolist()]
    return out


def _chars(raw, textpage, height: float) -> Chars:
    """Every printed upright character: its code, loose box and whether a space came before it."""
    import numpy as np
    # the bare FPDF_TEXTPAGE handle: ctypes converts a wrapper object on each of the per-character calls
    textpage = getattr(textpage, "raw", textpage)
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return Chars(np.zeros(0, np.uint32), np.zeros((0, 4)), np.zeros(0, bool))
    text = _page_text(raw, textpage, n)
    if text is None:
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    # PDFium's mark for a hyphen that ends a line is a hyphen (the text loader does the same)
    codes = np.frombuffer(text.replace("\x02", "-").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    calls = _calls(raw)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    rects = np.zeros((n, 4), dtype=np.float32)  # FS_RECTF: left, top, right, bottom
    base, step = rects.ctypes.data, rects.strides[0]
    asked = np.flatnonzero(~_spaces(codes))
    ok = np.zeros(n, dtype=bool)
    ok[asked] = list(map(calls.loose_box, repeat(handle, len(asked)), asked.tolist(), (base + step * asked).tolist()))
    left, top, right, bottom = rects.astype(np.float64).T
    ok &= np.isfinite(left) & np.isfinite(top) & np.isfinite(right) & np.isfinite(bottom)
    # a loose box wider than tall may be a turned glyph (a page label up the margin): ask its angle
    for k in np.flatnonzero(ok & (right - left > (top - bottom) * 0.9)).tolist():
        if _UPRIGHT < calls.char_angle(handle, k) < _FULL_TURN - _UPRIGHT:
            ok[k] = False
    gap = np.empty(n, dtype=bool)
    gap[0] = False
    gap[1:] = ~ok[:-1]
    boxes = np.stack([left, height - top, right, height - bottom], axis=1)[ok]
    return Chars(codes[ok], boxes, gap[ok])


def _word_starts(x0: list, x1: list, hard: list, x_tolerance: float) -> list[bool]:
    """Which characters of one line start a word, one by one (the word's right edge so far is the
    largest x1 of its characters)."""
    out = []
    w_x0 = w_x1 = 0.0
    for a, b, h in zip(x0, x1, hard):
        if h or not a - w_x1 <= x_tolerance or not b > w_x0:
            out.append(True)
            w_x0, w_x1 = a, b
        else:
            out.append(False)
            if b > w_x1:
                w_x1 = b
    return out


def _words(chars: Chars, x_tolerance: float, line_tolerance: float) -> list[dict]:
    """Characters joined into words, line by line: sorted by top then x0, a new line where a top is
    more than `line_tolerance` below the one before, each line sorted by x0, and a character joins
    the word before unless a space came before it, it starts more than `x_tolerance` right of the
    word's right edge or it does not reach past the word's left edge. Array sorts are stable, as
    Python's. Where every character of a line is wider than nothing and ends right of the one before
    (all but a few lines), the word's right edge is the last character's and its left edge is left
    of every later start, so the test needs only the character before; other lines go one by one."""
    import numpy as np
    if not len(chars):
        return []
    x0, top, x1, bottom = chars.boxes.T
    order = np.lexsort((x0, top))
    new_line = np.empty(len(order), dtype=bool)
    new_line[0] = True
    new_line[1:] = np.diff(top[order]) > line_tolerance
    line = np.cumsum(new_line)
    order = order[np.lexsort((x0[order], line))]  # line ids are sorted already: lines keep their places
    x0, top, x1, bottom = x0[order], top[order], x1[order], bottom[order]
    hard = new_line | chars.gap[order]
    start = hard.copy()
    start[1:] |= ~(x0[1:] - x1[:-1] <= x_tolerance)
    odd = x1 <= x0
    odd[1:] |= ~hard[1:] & (x1[1:] < x1[:-1])
    for n in np.unique(line[odd]).tolist():
        a, b = np.searchsorted(line, [n, n + 1]).tolist()
        start[a:b] = _word_starts(x0[a:b].tolist(), x1[a:b].tolist(), hard[a:b].tolist(), x_tolerance)
    cut = np.flatnonzero(start)
    text = chars.codes[order].tobytes().decode("utf-32-le", "surrogatepass")
    w_x0, w_x1 = x0[cut], np.maximum.reduceat(x1, cut)
    w_top, w_bottom = np.minimum.reduceat(top, cut), np.maximum.reduceat(bottom, cut)
    starts = cut.tolist()
    return [{"text": text[a:b], "x0": l, "x1": r, "top": t, "bottom": bt, "width": w, "height": h}
            for a, b, l, r, t, bt, w, h in zip(starts, starts[1:] + [len(order)], w_x0.tolist(), w_x1.tolist(),
                                               w_top.tolist(), w_bottom.tolist(), (w_x1 - w_x0).tolist(),
                                               (w_bottom - w_top).tolist())]


def _mul(a: tuple, b: tuple) -> tuple:
    """PDF matrix product a x b (apply a, then b); matrices are (a, b, c, d, e, f)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _edge(x0: float, y0: float, x1: float, y1: float, height: float) -> dict | None:
    if abs(x0 - x1) <= _AXIS and abs(y0 - y1) <= _AXIS:
        return None  # a point, not a line
    if abs(y0 - y1) <= _AXIS:
        left, right = min(x0, x1), max(x0, x1)
        top = height - (y0 + y1) / 2
        return {"x0": left, "x1": right, "top": top, "bottom": top, "width": right - left, "height": 0,
                "orientation": "h", "object_type": "line"}
    if abs(x0 - x1) <= _AXIS:
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        x = (x0 + x1) / 2
        return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top,
                "orientation": "v", "object_type": "line"}
    return None


def _path_edges(raw, calls: _Calls, obj: int, matrix: tuple, height: float, out: list[dict]) -> None:
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if calls.draw_mode(obj, ctypes.addressof(fill), ctypes.addressof(stroke)) and not fill.value and not stroke.value:
        return  # a clipping path paints nothing
    a, b, c, d, e, f = matrix
    x = ctypes.c_float(0)
    y = ctypes.c_float(0)
    x_at, y_at = ctypes.addressof(x), ctypes.addressof(y)
    get_segment, get_point, get_type, get_close = calls.get_segment, calls.segment_point, calls.segment_type, \
        calls.segment_close
    moveto, lineto = raw.FPDF_SEGMENT_MOVETO, raw.FPDF_SEGMENT_LINETO
    start = prev = None
    for i in range(calls.count_segments(obj)):
        seg = get_segment(obj, i)
        if not seg or not get_point(seg, x_at, y_at):
            continue
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = get_type(seg)
        if kind == moveto:
            start = prev = point
            continue
        if kind == lineto and prev is not None:
            edge = _edge(*prev, *point, height)
            if edge:
                out.append(edge)
        prev = point
        if get_close(seg) and start is not None:
            edge = _edge(*point, *start, height)
            if edge:
                out.append(edge)
            prev = start


def _edges(raw, page, height: float) -> list[dict]:
    out: list[dict] = []
    calls = _calls(raw)
    m = raw.FS_MATRIX()
    m_at = ctypes.addressof(m)
    path, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM

    def walk(parent: int, in_form: bool, outer: tuple, depth: int) -> None:
        count = (calls.form_count_objects if in_form else calls.page_count_objects)(parent)
        get = calls.form_get_object if in_form else calls.page_get_object
        for i in range(max(count, 0)):
            obj = get(parent, i)
            if not obj:
                continue
            kind = calls.object_type(obj)
            if kind != path and kind != form:
                continue
            own = (1, 0, 0, 1, 0, 0)
            if calls.object_matrix(obj, m_at):
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
            matrix = _mul(own, outer)
            if kind == path:
                _path_edges(raw, calls, obj, matrix, height, out)
            elif depth < 8:
                walk(obj, True, matrix, depth + 1)

    handle = getattr(page, "raw", page)
    walk(ctypes.cast(handle, ctypes.c_void_p).value, False, (1, 0, 0, 1, 0, 0), 0)
    return out


@dataclass
class PageGeometry:
    """What the table reader takes from one page, read while PDFium has it open: the PDF loader
    reads it for the pages the table pass will open (`councilpapers.load.pdf`), so they are not
    loaded twice; words are built from `chars` with the reader's own tolerances."""
    number: int
    width: float
    height: float
    chars: Chars
    edges: list[dict]
    dx: float
    dy: float

    def page(self, x_tolerance: float = 1.5, line_tolerance: float = 3.0) -> PdfiumPage:
        return PdfiumPage(self.number, self.width, self.height, _words(self.chars, x_tolerance, line_tolerance),
                          self.edges, dx=self.dx, dy=self.dy)


def read_geometry(page, textpage, number: int) -> PageGeometry:
    """Characters and ruling lines of an open pypdfium2 page (and its text page)."""
    import pypdfium2.raw as raw

    width, height = page.get_width(), page.get_height()
    chars = _chars(raw, textpage, height)
    edges = _edges(raw, page, height)
    left, _bottom, _right, top = page.get_cropbox()
    return PageGeometry(number, width, height, chars, edges, dx=-left, dy=top - height)


def read_pages(data: bytes, numbers: list[int], *, x_tolerance: float = 1.5, line_tolerance: float = 3.0,
               ready: dict[int, PageGeometry] | None = None) -> Iterator[PdfiumPage]:
    """Words and edges of the given 1-based pages (pages out of range are skipped); a page in
    `ready` (read by the loader) is taken from there, and dropped from it once used."""
    import pypdfium2 as pdfium

    ready = ready if ready is not None else {}
    pdf = None
    try:
        for n in numbers:
            geometry = ready.pop(n, None)
            if geometry is None:
                if pdf is None:
                    pdf = pdfium.PdfDocument(data)
                if not 1 <= n <= len(pdf):
                    continue
                page = pdf[n - 1]
                try:
                    textpage = page.get_textpage()
                    try:
                        geometry = read_geometry(page, textpage, n)
                    finally:
                        textpage.close()
                finally:
                    page.close()
            yield geometry.page(x_tolerance, line_tolerance)
    finally:
        if pdf is not None:
            pdf.close()
