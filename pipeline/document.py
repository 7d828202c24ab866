"""The one shape every loader produces and every extractor reads.

A `Document` is a list of pages of text (1-based), plus what the batch knows about
the file (manifest fields). Extractors never look at file formats; the PDF table
extractor is the one exception and reads `data` through `pdf_pages()` only when a
page looks like it holds a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class Page:
    number: int  # 1-based
    text: str
    width: float | None = None   # PDF page size in points (1/72 inch); None for text and HTML
    height: float | None = None


@dataclass
class Document:
    doc_id: str
    source_path: str
    format: str  # pdf / html / txt
    pages: list[Page]
    data: bytes = b""  # the file's bytes, for extractors that need the original (PDF tables)
    source_url: str | None = None
    manifest_council: str | None = None
    manifest_meeting: dict | None = None  # committee, meeting_date, meeting_id, agenda_item from fetch's manifest
    title: str | None = None
    links: list[str] = field(default_factory=list)  # hrefs found in HTML
    ocr: bool = False  # the text layer was made by OCR (`--ocr`): `data` is the OCR'd PDF
    # PDF only, from the loader: the pages the table pass opens (chosen on their text as it was read;
    # None: not chosen, the table extractor chooses) and, by page number, their PDFium geometry read
    # while each page was open (plans.pdfium_page.PageGeometry), so the table pass loads them once
    table_pages: list[int] | None = None
    pdf_geometry: dict = field(default_factory=dict, repr=False)

    @property
    def text(self) -> str:
        """All pages joined by form feeds (offsets are per page, never into this)."""
        return "\f".join(p.text for p in self.pages)

    def iter_pages(self) -> Iterator[Page]:
        return iter(self.pages)

    def page(self, number: int) -> Page:
        return self.pages[number - 1]


def span_row(page: Page, start: int, end: int) -> dict:
    """Provenance columns for a span of a page: page, char_start, char_end, raw_text."""
    return {"page": page.number, "char_start": start, "char_end": end, "raw_text": page.text[start:end]}


WINDOW_CHARS = 200_000  # a page longer than this (a whole .txt, a long web page) is read in windows


def text_windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, each at most about `size` characters, cut at a paragraph break
    (else a line break) so no sentence is split; together they cover the text exactly once, so an
    offset inside a piece plus its start is the offset in the page."""
    out, start, n = [], 0, len(text)
    while n - start > size:
        cut = text.rfind("\n\n", start + size // 2, start + size - 1)
        end = cut + 2 if cut >= 0 else text.rfind("\n", start + size // 2, start + size) + 1
        if end <= start:
            end = start + size  # one line longer than half a window: cut inside it
        out.append((start, end))
        start = end
    out.append((start, n))
    return out
