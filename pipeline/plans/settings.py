"""Tuned settings for reading tables from PDFs: the one place they live.

`TableReading` follows pdfplumber's own `TableSettings`: a dataclass checked in
`__post_init__` with plain messages. `ruled` gives the dict handed to pdfplumber's
`TableFinder` (`unruled`, its text-alignment strategy, is kept for experiments; the
pipeline no longer runs it); the rest tune PDFium word building, the word-position
reader and the text pre-filter that decides which pages are worth opening at all.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableReading:
    # pdfplumber table finder
    snap_tolerance: float = 3
    join_tolerance: float = 3
    intersection_tolerance: float = 3
    edge_min_length: float = 3
    min_words_vertical: int = 3
    min_words_horizontal: int = 1
    text_x_tolerance: float = 1.5  # words split at gaps wider than this (pt)
    # word-position fallback
    line_tolerance: float = 3.0  # words whose tops differ by less are one printed line (pt)
    cell_gap: float = 7.0  # a horizontal gap wider than this splits two cells (pt)
    column_tolerance: float = 6.0  # figures whose right edges are this close share a column (pt)
    min_figure_rows: int = 2  # a money column needs figures on at least this many rows
    header_reach: float = 60.0  # how tall a header block may be (pt)
    header_gap: float = 24.0  # a wider blank band above a header line ends the header (pt)
    ocr_cell_spaces: float = 2.0  # on an OCR text layer, a cell gap is this many of the page's usual word spaces
    # page pre-filter (on the loader's text)
    dense_lines: int = 4  # lines with >= dense_figures figures that make a page look tabular
    dense_figures: int = 3

    def __post_init__(self):
        for name in ("snap_tolerance", "join_tolerance", "intersection_tolerance", "edge_min_length",
                     "text_x_tolerance", "line_tolerance", "cell_gap", "column_tolerance", "header_reach", "header_gap", "ocr_cell_spaces"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)):
                raise ValueError(f"Table setting '{name}' must be a number, not {type(value).__name__}")
            if value < 0:
                raise ValueError(f"Table setting '{name}' cannot be negative")
        for name in ("min_words_vertical", "min_words_horizontal", "min_figure_rows", "dense_lines", "dense_figures"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"Table setting '{name}' must be a whole number")
            if value < 1:
                raise ValueError(f"Table setting '{name}' must be at least 1")
        if self.cell_gap <= self.text_x_tolerance:
            raise ValueError("Table setting 'cell_gap' must be wider than 'text_x_tolerance'")

    def _common(self) -> dict:
        return {
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
            "edge_min_length": self.edge_min_length,
            "text_x_tolerance": self.text_x_tolerance,
        }

    @property
    def ruled(self) -> dict:
        """pdfplumber settings for tables drawn with lines or cell rectangles."""
        return {"vertical_strategy": "lines", "horizontal_strategy": "lines", **self._common()}

    @property
    def unruled(self) -> dict:
        """pdfplumber settings for tables with no ruling, columns found from word alignment."""
        return {"vertical_strategy": "text", "horizontal_strategy": "text",
                "min_words_vertical": self.min_words_vertical,
                "min_words_horizontal": self.min_words_horizontal, **self._common()}


SETTINGS = TableReading()
