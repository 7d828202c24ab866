"""Assemble a run's tables from its documents' parts, in bounded memory.

Most tables are per document and sorted by `doc_id` first (money, plan lines, pages ...): they are
streamed, each document's part (already sorted) appended in `doc_id` order a row group at a time, so
the driver never holds them. The tables the cross-document links read and change (`linking.py`:
documents, meetings, decisions, tables; and problems, which the run adds to) are small, a few rows
per document: they are read whole, linked and sorted. Either way the bytes are those of sorting every
row of the run at once, so the output does not depend on how documents were run or cached.
"""
from __future__ import annotations

from pathlib import Path

from .cache import DocSummary, part_rows, read_part
from .linking import link_decisions, link_reprints, link_standing
from .schema import TABLES
from .writer import sort_value, write_streamed, write_table

HELD = ("documents", "meetings", "decisions", "tables", "problems")
# every other table sorts by doc_id first (tests/test_assemble.py), so documents in doc_id order are its order
STREAMED = tuple(name for name in TABLES if name not in HELD)


def assemble(gen: Path, summaries: list[DocSummary], extra: dict[str, list[dict]] | None = None) -> dict[str, int]:
    """Write every table of the run into folder `gen` from the documents' parts plus `extra` rows (problems the
    run itself found); return the row count of each table."""
    held: dict[str, list[dict]] = {name: [] for name in HELD}
    for s in summaries:
        for name in HELD:
            held[name].extend(part_rows(s, name))
    for name, rows in (extra or {}).items():
        held[name].extend(rows)
    link_decisions(held)
    link_standing(held)
    link_reprints(held)
    counts = {}
    by_doc = sorted(summaries, key=lambda s: (sort_value(s.doc_id), s.source_path))
    for name in TABLES:
        if name in held:
            write_table(gen, name, held[name])
            counts[name] = len(held[name])
        else:
            write_streamed(gen, name, (read_part(s, name) for s in by_doc))
            counts[name] = sum(s.counts.get(name, 0) for s in summaries)
    return counts
