"""Assemble a run's tables from its documents' parts, in bounded memory.

Most tables are per document and sorted by `doc_id` first (money, plan lines, pages ...): they are
streamed, each document's part (already sorted) appended in `doc_id` order a row group at a time, so
the driver never holds them. The tables the cross-document links read and change (`linking.py`:
documents, meetings, decisions, tables; and problems, which the run adds to) are small, a few rows
per document: they are held as Arrow tables, and only the columns the links read become Python rows.
Either way the rows and their order are those of sorting every row of the run at once, so the output
depends neither on how documents were run or cached nor on the corpus fitting in memory.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from .cache import DocSummary, read_part
from .linking import link_decisions, link_reprints, link_standing
from .partition import PARTITIONED, is_partitioned, write_partitioned
from .schema import TABLES
from .writer import sort_table, sort_value, write_streamed

HELD = ("documents", "meetings", "decisions", "tables", "problems")
# every other table sorts by doc_id first (tests/test_assemble.py), so documents in doc_id order are its order
STREAMED = tuple(name for name in TABLES if name not in HELD)
# what the links read of each held table, and (second) the columns they set
LINKED = {
    "documents": (("doc_id", "council_code", "standing", "title", "pages", "source_path"), ("standing",)),
    "meetings": (("meeting_id", "meeting_date", "body"), ()),
    "decisions": (("decision_id", "doc_id", "meeting_id", "label", "text", "vote", "kind"), ("decision_key",)),
    "tables": (("table_id", "doc_id", "standing", "caption", "fingerprint", "page_first"), ("standing", "duplicate_of")),
}


def _held(summaries: list[DocSummary], name: str, extra: list[dict]) -> pa.Table:
    """One held table from every document's part: combined a few hundred parts at a time, since thousands
    of small Arrow tables cost far more memory than their rows."""
    schema = TABLES[name].arrow
    table, parts = schema.empty_table(), []
    for s in summaries:
        part = read_part(s, name)
        if part is not None:
            parts.append(part)
        if len(parts) == 256:
            table, parts = pa.concat_tables([table, *parts]).combine_chunks(), []
    if extra:
        parts.append(pa.Table.from_pylist(extra, schema=schema))
    return pa.concat_tables([table, *parts]).combine_chunks()


def _link(held: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The held tables with the columns the cross-document links set."""
    rows = {name: held[name].select(list(read)).to_pylist() for name, (read, _) in LINKED.items()}
    link_decisions(rows)
    link_standing(rows)
    link_reprints(rows)
    out = dict(held)
    for name, (_, sets) in LINKED.items():
        for column in sets:
            table = out[name]
            field = table.schema.field(column)
            values = pa.array([r.get(column) for r in rows[name]], type=field.type)
            out[name] = table.set_column(table.schema.get_field_index(column), field, values)
    return out


def assemble(gen: Path, summaries: list[DocSummary], extra: dict[str, list[dict]] | None = None,
             partition_by: tuple[str, ...] = (), previous: Path | None = None,
             written: dict[str, int] | None = None) -> dict[str, int]:
    """Write every table of the run into folder `gen` from the documents' parts plus `extra` rows (problems the
    run itself found); return the row count of each table. With `partition_by`, the partitioned tables
    (`partition.PARTITIONED`) are hive folders, and the partitions whose documents are unchanged since the
    `previous` generation are linked from it rather than written (`written` gets, per such table, how many
    partitions were written)."""
    # the system allocator gives freed memory back: with the default (mimalloc) the thousands of small parts read
    # here left the driver 25-40 MB bigger per few thousand documents (measured in benchmarks/bench_scale.py)
    pa.set_memory_pool(pa.system_memory_pool())
    extra = extra or {}
    held = _link({name: _held(summaries, name, extra.get(name, [])) for name in HELD})
    councils = dict(zip(held["documents"].column("doc_id").to_pylist(),
                        held["documents"].column("council_code").to_pylist())) if partition_by else {}
    counts = {}
    by_doc = sorted(summaries, key=lambda s: (sort_value(s.doc_id), s.source_path))
    for name in TABLES:
        if name in held:
            write_streamed(gen, name, [sort_table(name, held.pop(name))])
            counts[name] = sum(s.counts.get(name, 0) for s in summaries) + len(extra.get(name, []))
        elif partition_by and name in PARTITIONED:
            docs = [(s.doc_id, s.parts.get(name), councils.get(s.doc_id)) for s in by_doc]
            before = previous / name if previous is not None and is_partitioned(previous / name) else None
            _, n_written = write_partitioned(gen, name, partition_by, docs, lambda i, n=name: read_part(by_doc[i], n),
                                             before)
            if written is not None:
                written[name] = n_written
            counts[name] = sum(s.counts.get(name, 0) for s in summaries)
        else:
            write_streamed(gen, name, (read_part(s, name) for s in by_doc))
            counts[name] = sum(s.counts.get(name, 0) for s in summaries)
    return counts
