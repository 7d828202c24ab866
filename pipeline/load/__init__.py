"""Loaders: the only code that knows file formats.

`load_file` sniffs a file's real format from its bytes (a `.pdf` that is really
HTML is read as HTML, and says so), and returns a `Document` whose pages are text.
Text is tidied in ways that keep it checkable against the source: CRLF becomes LF
and non-breaking spaces become spaces; nothing else is rewritten.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..document import Document
from ..ids import doc_id_of
from .detect import sniff_format


class LoadError(Exception):
    """A file that cannot be read; `code` is the problems code."""

    def __init__(self, code: str, message: str, severity: str = "error"):
        super().__init__(message)
        self.code = code
        self.message = message
        self.severity = severity


class NeedsOCR(LoadError):
    def __init__(self, message: str, pages: int):
        super().__init__("needs_ocr", message, "warning")
        self.pages = pages


def tidy_text(text: str) -> str:
    """Normalise line ends and non-breaking spaces; both keep meaning, neither matters to a reader."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\u202f", " ")


_FURNITURE = re.compile(
    r"(?i)^(?:page\s*\|?\s*\d+(?:\s*of\s*\d+)?|\d+|direct dial.*|e-?mail:.*|tel(?:ephone)?:.*|ask for:.*|"
    r"date:.*|our ref.*|your ref.*|unrestricted|restricted|official|.*www\.\S+.*|.*\|.*\|.*)$")


# Labelled titles win over the first line: report cover sheets and ModernGov issue pages.
_LABELLED_TITLE = re.compile(
    r"(?im)^[ \t]*(?:Report Title|Subject|Title of Report|Report title)[ \t]*:[ \t]*(?P<a>\S[^\n]{3,250})"
    r"|^[ \t]*Issue - (?:meetings|decisions|history)[ \t]*\n\s*(?P<b>\S[^\n]{3,250})")


def pick_title(text: str) -> str | None:
    """The document's title: a labelled one (Subject:, Report Title:, a ModernGov issue name),
    else the first line that is not page furniture (page numbers, contact lines)."""
    m = _LABELLED_TITLE.search(text[:3000])
    if m:
        return " ".join((m.group("a") or m.group("b")).split())[:300]
    for line in text.splitlines()[:40]:
        line = " ".join(line.split())
        if len(line) > 3 and re.search(r"[A-Za-z]{3}", line) and not _FURNITURE.match(line):
            return line[:300]
    return None


def load_bytes(data: bytes, source_path: str, fmt: str | None = None) -> Document:
    fmt = fmt or sniff_format(data, source_path)
    doc_id = doc_id_of(data)
    if fmt == "txt":
        from .txt import load_txt as loader
    elif fmt == "html":
        from .html import load_html as loader
    elif fmt == "pdf":
        from .pdf import load_pdf as loader
    elif fmt == "broken_pdf":
        raise LoadError("unreadable_pdf", "named .pdf but it is not a PDF (no %PDF- header) nor HTML")
    else:
        raise LoadError("unsupported_format", f"{source_path}: format {fmt!r} is not supported (txt, html, pdf are)")
    doc = loader(data, doc_id=doc_id, source_path=source_path)
    doc.data = data
    return doc


def load_file(path: Path, source_path: str | None = None) -> Document:
    data = Path(path).read_bytes()
    return load_bytes(data, source_path or Path(path).name)
