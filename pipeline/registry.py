"""Extractor registry.

An extractor is a pure function `(doc, out) -> None` that adds rows to `out`.
It declares which documents it handles with `accepts`. The runner calls every
accepting extractor in `order`, each with its own `Output` buffer, so a failing
extractor loses only its own rows and leaves a `problems` row behind.
Later extractors can read what earlier ones found through `out.found(table)`, and
fill in a column an earlier one left empty with `out.complete(row, ...)` (a vote read
from a division the earlier extractor did not recognise); nothing overwrites a value.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from typing import Callable

from .document import Document


class SpanIndex:
    """Rows with a page and a character span, found by a position they cover without a scan of
    every row (a 50 MB text is one page with tens of thousands of people)."""

    def __init__(self, rows=()):
        self._starts: dict[int, list[int]] = {}  # page -> sorted span starts
        self._rows: dict[tuple[int, int], list[tuple[int, dict]]] = {}  # (page, start) -> (order added, row)
        self._longest: dict[int, int] = {}
        self._added = 0
        for row in rows:
            self.add(row)

    def add(self, row: dict) -> None:
        page, start = row["page"], row["char_start"]
        if (page, start) not in self._rows:
            insort(self._starts.setdefault(page, []), start)
        self._rows.setdefault((page, start), []).append((self._added, row))
        self._added += 1
        self._longest[page] = max(self._longest.get(page, 0), row["char_end"] - start)

    def covering(self, page: int, pos: int) -> dict | None:
        """The first row added whose span on `page` holds `pos` (what a scan in order finds)."""
        starts = self._starts.get(page, [])
        lo = bisect_left(starts, pos - self._longest.get(page, 0))
        hits = [(n, row) for start in starts[lo:bisect_right(starts, pos)] for n, row in self._rows[(page, start)]
                if row["char_start"] <= pos < row["char_end"]]
        return min(hits, key=lambda h: h[0])[1] if hits else None


class Output:
    """Rows one extractor adds, per table, plus read access to earlier results."""

    def __init__(self, earlier: dict[str, list[dict]] | None = None):
        self.rows: dict[str, list[dict]] = {}
        self._earlier = earlier or {}
        self._spans: dict[str, SpanIndex] = {}

    def add(self, table: str, **row) -> dict:
        self.rows.setdefault(table, []).append(row)
        if table in self._spans:
            self._spans[table].add(row)
        return row

    def covering(self, table: str, page: int, pos: int) -> dict | None:
        """A row of `table` (earlier or this extractor's) whose span on `page` holds `pos`."""
        if table not in self._spans:
            self._spans[table] = SpanIndex(self.found(table))
        return self._spans[table].covering(page, pos)

    def found(self, table: str) -> list[dict]:
        """Rows of `table` from extractors that ran before this one (and this one's own)."""
        return list(self._earlier.get(table, [])) + list(self.rows.get(table, []))

    def complete(self, row: dict, **values) -> None:
        """Fill `row`'s empty columns from `values`; columns that already hold a value keep it."""
        for key, value in values.items():
            if row.get(key) is None and value is not None:
                row[key] = value

    def problem(self, code: str, message: str, page: int | None = None, severity: str = "warning") -> None:
        self.add("problems", code=code, message=message, page=page, severity=severity)


@dataclass(frozen=True)
class Extractor:
    name: str
    func: Callable[[Document, Output], None]
    accepts: Callable[[Document], bool]
    order: int = 50
    tables: tuple[str, ...] = field(default=())


REGISTRY: dict[str, Extractor] = {}


def extractor(name: str, *, tables: tuple[str, ...], order: int = 50,
              accepts: Callable[[Document], bool] = lambda doc: True):
    """Register `func(doc, out)` as extractor `name` writing to `tables`."""
    def wrap(func):
        if name in REGISTRY:
            raise ValueError(f"extractor {name!r} registered twice")
        REGISTRY[name] = Extractor(name, func, accepts, order, tables)
        return func
    return wrap


def registered() -> list[Extractor]:
    import councilpapers.extractors  # noqa: F401  (registers the built-in extractors)
    return sorted(REGISTRY.values(), key=lambda e: (e.order, e.name))
