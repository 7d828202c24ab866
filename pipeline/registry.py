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

from dataclasses import dataclass, field
from typing import Callable

from .document import Document


class Output:
    """Rows one extractor adds, per table, plus read access to earlier results."""

    def __init__(self, earlier: dict[str, list[dict]] | None = None):
        self.rows: dict[str, list[dict]] = {}
        self._earlier = earlier or {}

    def add(self, table: str, **row) -> dict:
        self.rows.setdefault(table, []).append(row)
        return row

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
