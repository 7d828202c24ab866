"""PDF: one Page per page, text from PDFium's text layer.

Why PDFium (pypdfium2) and not pdfplumber for text: on the shared corpus it reads
text ~60x faster (835 vs 13 pages/s) with the same words in reading order.
The pages that look like they hold tables (`plans.pdf_tables.TablePages`, on the
text just read) also give their characters and ruling lines while they are open,
for the table pass (plans/pdf_tables.py), which would otherwise load them again. Set
COUNCILPAPERS_PDF_TEXT=pdfplumber to read all text with pdfplumber's layout mode.

Limits (a PDF bomb or a 1,000-page pack must not take the batch down) are in
`PdfLimits`; a PDF whose pages carry no text is reported as needing OCR.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass

from ..document import Document, Page


@dataclass(frozen=True)
class PdfLimits:
    max_pages: int = 2000
    min_chars_per_page: int = 20  # below this on every page: no usable text layer
    max_inflated_mb: int = 512  # one compressed stream may inflate to this much (a 7 MB file to 2 GB is a bomb)
    check_streams_over_kb: int = 256  # only streams this big compressed are inflated ahead of PDFium
    keep_geometry_pages: int = 200  # table pages whose characters and lines are kept from the load (the rest are read again)


LIMITS = PdfLimits()
_STREAM = re.compile(rb"<<(?:(?!<<|>>).){0,400}?/FlateDecode(?:(?!>>).){0,400}?>>\s*stream\r?\n", re.S)


def check_streams(data: bytes, limits: PdfLimits | None = None) -> None:
    """Refuse a PDF whose compressed stream inflates past the limit, before PDFium renders it: inflated in
    bounded chunks, so the check itself never holds more than a chunk."""
    import zlib

    from . import LoadError
    limits = limits or LIMITS
    cap = limits.max_inflated_mb * 1024 * 1024
    for m in _STREAM.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0 or end - m.end() < limits.check_streams_over_kb * 1024:
            continue
        inflater, total = zlib.decompressobj(), 0
        chunk = data[m.end():end]
        try:
            out = inflater.decompress(chunk, 1 << 20)
            while out:
                total += len(out)
                if total > cap:
                    raise LoadError("pdf_stream_too_large",
                                    f"a compressed stream inflates past {limits.max_inflated_mb} MB (a decompression "
                                    f"bomb, or a page no paper needs); not rendered")
                out = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        except zlib.error:
            continue  # a damaged stream: PDFium reports what it can
_TRAILING_WS = re.compile(r"[ \t]+\n")


def _tidy(text: str) -> str:
    from . import tidy_text
    text = tidy_text(text).replace("\ufffe", "").replace("\x02", "-")
    return _TRAILING_WS.sub("\n", text)


def _pdfium_pages(data: bytes) -> tuple[list[tuple[str, float, float]], list[int], dict]:
    """Each page's text (tidied) and size; and, chosen on that text, the pages the table pass will
    open, with their geometry read while the page is open (up to `LIMITS.keep_geometry_pages`)."""
    import pypdfium2 as pdfium

    from ..plans.pdf_tables import TablePages
    from ..plans.pdfium_page import read_geometry
    from . import LoadError
    check_streams(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise LoadError("encrypted_pdf", f"PDF is encrypted and needs a password ({msg})") from exc
        raise LoadError("unreadable_pdf", f"PDF cannot be opened: {msg}") from exc
    try:
        n = len(pdf)
        if n > LIMITS.max_pages:
            raise LoadError("too_many_pages", f"PDF has {n} pages, more than the limit of {LIMITS.max_pages}")
        texts = []
        tables, geometry = TablePages(), {}
        for i in range(n):
            try:
                page = pdf[i]
                textpage = page.get_textpage()
                width, height = page.get_size()
                text = _tidy(textpage.get_text_bounded())
                texts.append((text, width, height))
                if tables.add(i + 1, text) and len(geometry) < LIMITS.keep_geometry_pages:
                    try:
                        geometry[i + 1] = read_geometry(page, textpage, i + 1)
                    except MemoryError:
                        raise
                    except Exception:  # noqa: BLE001  (the table pass reads the page again, and reports)
                        pass
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise LoadError("unreadable_pdf", f"page {i + 1} of {n} cannot be read: {exc}") from exc
        return texts, tables.chosen, geometry
    finally:
        pdf.close()


def _pdfplumber_pages(data: bytes) -> list[tuple[str, float, float]]:
    import pdfplumber

    from . import LoadError
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > LIMITS.max_pages:
                raise LoadError("too_many_pages", f"PDF has {len(pdf.pages)} pages, more than the limit of {LIMITS.max_pages}")
            return [(p.extract_text(layout=True) or "", float(p.width), float(p.height)) for p in pdf.pages]
    except LoadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds
        raise LoadError("unreadable_pdf", f"PDF cannot be opened: {type(exc).__name__}: {exc}") from exc


def load_pdf(data: bytes, *, doc_id: str, source_path: str) -> Document:
    from . import LoadError, NeedsOCR
    if not data.lstrip().startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise LoadError("unreadable_pdf", "file does not start like a PDF")
    engine = os.environ.get("COUNCILPAPERS_PDF_TEXT", "pdfium")
    table_pages, geometry = None, {}
    if engine == "pdfplumber":
        texts = [(_tidy(t), w, h) for t, w, h in _pdfplumber_pages(data)]
    else:
        texts, table_pages, geometry = _pdfium_pages(data)
    pages = [Page(i + 1, t, round(w, 2), round(h, 2)) for i, (t, w, h) in enumerate(texts)]
    if not pages:
        raise LoadError("unreadable_pdf", "PDF has no pages")
    if all(len(p.text.strip()) < LIMITS.min_chars_per_page for p in pages):
        raise NeedsOCR(f"none of the {len(pages)} pages has a text layer; run OCR (e.g. ocrmypdf) first", len(pages))
    from . import pick_title
    return Document(doc_id=doc_id, source_path=source_path, format="pdf", pages=pages,
                    title=pick_title(pages[0].text), table_pages=table_pages, pdf_geometry=geometry)
