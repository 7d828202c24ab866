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
from operator import itemgetter
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


def _chars(raw, textpage, height: float) -> list[tuple]:
    """(text, x0, top, x1, bottom, space_before) for every printed upright character."""
    # the bare FPDF_TEXTPAGE handle: ctypes converts a wrapper object on each of the per-character calls
    textpage = getattr(textpage, "raw", textpage)
    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    text = _page_text(raw, textpage, n)
    if text is None:
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i)) for i in range(n))
    rect = raw.FS_RECTF()
    box = ctypes.byref(rect)
    get_box, get_angle = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetCharAngle
    out = []
    gap = False
    for i, ch in enumerate(text):
        if ch == "\x02":
            ch = "-"  # PDFium's mark for a hyphen that ends a line (the text loader does the same)
        if ch <= " " or ch.isspace() or ch in "\ufffe\ufeff" or not get_box(textpage, i, box):
            gap = True
            continue
        left, right, top, bottom = rect.left, rect.right, rect.top, rect.bottom
        # a loose box wider than tall may be a turned glyph (a page label up the margin): ask its angle
        if right - left > (top - bottom) * 0.9 and _UPRIGHT < get_angle(textpage, i) < _FULL_TURN - _UPRIGHT:
            gap = True
            continue
        out.append((ch, left, height - top, right, height - bottom, gap))
        gap = False
    return out


_BY_TOP_X0 = itemgetter(2, 1)
_BY_X0 = itemgetter(1)


def _words(chars: list[tuple], x_tolerance: float, line_tolerance: float) -> list[dict]:
    """Characters joined into words, line by line (a word is built in locals and becomes a dict
    once: this runs for every character of every page the table reader opens)."""
    words: list[dict] = []
    append = words.append

    def flush(line: list[tuple]) -> None:
        parts = None
        for text, x0, top, x1, bottom, gap in sorted(line, key=_BY_X0):
            if parts is not None and not gap and x0 - w_x1 <= x_tolerance and x1 > w_x0:
                parts.append(text)
                if x1 > w_x1:
                    w_x1 = x1
                if top < w_top:
                    w_top = top
                if bottom > w_bottom:
                    w_bottom = bottom
            else:
                if parts is not None:
                    append({"text": "".join(parts), "x0": w_x0, "x1": w_x1, "top": w_top, "bottom": w_bottom,
                            "width": w_x1 - w_x0, "height": w_bottom - w_top})
                parts, w_x0, w_x1, w_top, w_bottom = [text], x0, x1, top, bottom
        if parts is not None:
            append({"text": "".join(parts), "x0": w_x0, "x1": w_x1, "top": w_top, "bottom": w_bottom,
                    "width": w_x1 - w_x0, "height": w_bottom - w_top})

    line: list[tuple] = []
    last_top = None
    for ch in sorted(chars, key=_BY_TOP_X0):
        if line and ch[2] - last_top > line_tolerance:
            flush(line)
            line = []
        line.append(ch)
        last_top = ch[2]
    if line:
        flush(line)
    return words


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


def _path_edges(raw, obj, matrix: tuple, height: float, out: list[dict]) -> None:
    fill, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if raw.FPDFPath_GetDrawMode(obj, fill, stroke) and not fill.value and not stroke.value:
        return  # a clipping path paints nothing
    a, b, c, d, e, f = matrix
    x = ctypes.c_float(0)
    y = ctypes.c_float(0)
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
            edge = _edge(*prev, *point, height)
            if edge:
                out.append(edge)
        prev = point
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            edge = _edge(*point, *start, height)
            if edge:
                out.append(edge)
            prev = start


def _edges(raw, page, height: float) -> list[dict]:
    out: list[dict] = []
    m = raw.FS_MATRIX()

    def walk(parent, in_form: bool, outer: tuple, depth: int) -> None:
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
            matrix = _mul(own, outer)
            if kind == raw.FPDF_PAGEOBJ_PATH:
                _path_edges(raw, obj, matrix, height, out)
            elif depth < 8:
                walk(obj, True, matrix, depth + 1)

    walk(page, False, (1, 0, 0, 1, 0, 0), 0)
    return out


def read_pages(data: bytes, numbers: list[int], *, x_tolerance: float = 1.5,
               line_tolerance: float = 3.0) -> Iterator[PdfiumPage]:
    """Words and edges of the given 1-based pages (pages out of range are skipped)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(data)
    try:
        for n in numbers:
            if not 1 <= n <= len(pdf):
                continue
            page = pdf[n - 1]
            try:
                width, height = page.get_width(), page.get_height()
                textpage = page.get_textpage()
                try:
                    chars = _chars(raw, textpage, height)
                finally:
                    textpage.close()
                edges = _edges(raw, page, height)
                left, _bottom, _right, top = page.get_cropbox()
            finally:
                page.close()
            yield PdfiumPage(n, width, height, _words(chars, x_tolerance, line_tolerance), edges,
                             dx=-left, dy=top - height)
    finally:
        pdf.close()
