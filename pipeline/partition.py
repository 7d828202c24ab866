"""Hive-partitioned output for the big fact tables: `councilpapers run ... --partition-by council_code,fiscal_year`.

`OUT/money/council_code=E10000016/fiscal_year=2025-26/part-0.parquet`: one file per partition, its rows in the
table's declared order, the partition columns in the folder names only, as hive layout has it, so pyarrow,
DuckDB, pandas and Spark read the folder as one table and skip the partitions a filter rules out. A null
value is the folder `__HIVE_DEFAULT_PARTITION__`, which those readers read back as null. `council_code` is
the document's (money rows and plan lines do not carry it), so a partitioned table read as a folder has that
column too.

`_partitions.json` beside the partitions lists each one's file, sha256 and the documents whose rows it
holds (their parts' hashes and council): a later run writes again only the partitions whose documents
changed and links the others from the previous generation, so one changed paper costs the partitions it
touches, not the table. `compact` rebuilds a partitioned table whose folders hold more than the one file
each that a run writes (files added by other tools, a layout written by hand) into that canonical form.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc

from .schema import TABLES

PARTITIONED = ("money", "plan_lines")      # the tables big enough to split: the facts analysts filter
KEYS = ("council_code", "fiscal_year")     # what they filter them by
NULL = "__HIVE_DEFAULT_PARTITION__"
MANIFEST = "_partitions.json"              # '_' first: the readers of a hive folder skip it
FILE = "part-0.parquet"
LAYOUT_VERSION = "1"                       # changes when what a partition's bytes depend on changes


class PartitionError(ValueError):
    """A --partition-by a run cannot write."""


def parse(spec: str | None) -> tuple[str, ...]:
    """'council_code,fiscal_year' -> ('council_code', 'fiscal_year'); the columns in the order given."""
    cols = tuple(c.strip() for c in (spec or "").split(",") if c.strip())
    bad = [c for c in cols if c not in KEYS]
    if bad or len(set(cols)) != len(cols):
        raise PartitionError(f"--partition-by takes one or both of {', '.join(KEYS)} (got {spec!r})")
    return cols


def folder_name(col: str, value) -> str:
    return f"{col}={NULL if value is None else quote(str(value), safe='')}"


def file_schema(table: str, by: tuple[str, ...]) -> pa.Schema:
    """The schema of a partition's file: the declared one less the partition columns the table has."""
    schema = TABLES[table].arrow
    for col in by:
        if col in schema.names:
            schema = schema.remove(schema.get_field_index(col))
    return schema


def _keys_of(part: pa.Table, council: str | None, by: tuple[str, ...]) -> list[tuple]:
    """The partitions a document's part has rows in, sorted."""
    columns = [[council] * part.num_rows if col == "council_code" and col not in part.schema.names
               else part.column(col).to_pylist() for col in by]
    return sorted(set(zip(*columns)), key=_order)


def _order(key: tuple) -> tuple:
    return tuple((v is None, "" if v is None else str(v)) for v in key)


def _rows_in(part: pa.Table, key: tuple, council: str | None, by: tuple[str, ...], schema: pa.Schema) -> pa.Table:
    mask = None
    for col, value in zip(by, key):
        if col == "council_code" and col not in part.schema.names:
            if value != council:
                return schema.empty_table()
            continue
        column = part.column(col)
        m = pc.is_null(column) if value is None else pc.fill_null(pc.equal(column, value), False)
        mask = m if mask is None else pc.and_(mask, m)
    rows = part if mask is None else part.filter(mask)
    return rows.select(schema.names)


def _fingerprint(table: str, by: tuple[str, ...], key: tuple, docs: list[tuple]) -> str:
    from .writer import ROW_GROUP_BYTES, ROW_GROUP_ROWS
    # the writer's version too: another pyarrow may write the same rows as other bytes
    text = json.dumps([LAYOUT_VERSION, pa.__version__, table, by, key, docs, ROW_GROUP_ROWS, ROW_GROUP_BYTES])
    return hashlib.sha256(text.encode()).hexdigest()


def _reusable(previous: Path | None, entry: dict | None, fingerprint: str) -> Path | None:
    """The previous generation's file for a partition with the same documents, when it is still whole."""
    from .writer import sha256_of
    if previous is None or entry is None or entry.get("fingerprint") != fingerprint:
        return None
    path = previous / entry["file"]
    try:
        return path if sha256_of(path) == entry["sha256"] else None
    except OSError:
        return None


def link_or_copy(src: Path, dst: Path) -> None:
    """`dst` as a hard link to `src` (a file a new generation shares with the last), else a copy."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def write_partitioned(gen: Path, table: str, by: tuple[str, ...], docs, read, previous: Path | None,
                      fingerprints: bool = True) -> tuple[str, int]:
    """Write `table` into `gen/<table>/` partitioned by `by`. `docs` are (doc_id, part sha256, council) in
    doc_id order and `read(i)` gives the i-th one's part (or None). Partitions whose documents are those of
    `previous/<table>/` are linked from it, not written. Without `fingerprints` (parts not known: `compact`)
    the manifest holds none, and the next run writes these partitions once more. Returns the table's sha256
    (of its manifest, which holds every file's) and the number of partitions written."""
    from .writer import sha256_of, write_json, write_streamed
    schema = file_schema(table, by)
    members: dict[tuple, list[int]] = {}
    for i, (_doc, _sha, council) in enumerate(docs):
        part = read(i)
        if part is None or not part.num_rows:
            continue
        for key in _keys_of(part, council, by):
            members.setdefault(key, []).append(i)
    old = {}
    if previous is not None:
        try:
            old = read_manifest(previous)["partitions"]
        except (OSError, ValueError, KeyError):
            old = {}
    folder = gen / table
    folder.mkdir(parents=True, exist_ok=True)
    manifest, written = {}, 0
    for key in sorted(members, key=_order):
        rel = "/".join(folder_name(c, v) for c, v in zip(by, key)) + "/" + FILE
        inputs = [list(docs[i]) for i in members[key]]
        fingerprint = _fingerprint(table, by, key, inputs) if fingerprints else None
        reuse = _reusable(previous, old.get(rel), fingerprint) if fingerprints else None
        if reuse is not None:
            link_or_copy(reuse, folder / rel)
            sha = old[rel]["sha256"]
        else:
            parts = (_rows_in(read(i), key, docs[i][2], by, schema) for i in members[key])
            path = write_streamed(folder, table, parts, path=folder / rel, schema=schema)
            sha, written = sha256_of(path), written + 1
        manifest[rel] = {"file": rel, "sha256": sha, "fingerprint": fingerprint, "documents": len(inputs),
                         **{c: v for c, v in zip(by, key)}}
    write_json(folder / MANIFEST, {"table": table, "partition_by": list(by), "layout_version": LAYOUT_VERSION,
                                   "partitions": manifest})
    return sha256_of(folder / MANIFEST), written


def read_manifest(path: Path) -> dict:
    """A partitioned table's `_partitions.json`."""
    return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))


def is_partitioned(path: Path) -> bool:
    return Path(path).is_dir() and (Path(path) / MANIFEST).is_file()


def table_path(folder: Path, table: str) -> Path | None:
    """Where `table` is in a run's folder: a partitioned folder or a Parquet file (None: neither)."""
    folder = Path(folder)
    if is_partitioned(folder / table):
        return folder / table
    path = folder / f"{table}.parquet"
    return path if path.is_file() else None


def table_sha256(path: Path) -> str:
    """A table's hash: its file's, or a partitioned table's manifest's (which holds every file's)."""
    from .writer import sha256_of
    return sha256_of(path / MANIFEST if Path(path).is_dir() else path)


def table_bytes(path: Path) -> int:
    path = Path(path)
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def whole(path: Path, sha256: str | None) -> bool:
    """The table at `path` is the one recorded as `sha256`, and a partitioned one's files are those its
    manifest lists, byte for byte."""
    from .writer import sha256_of
    try:
        if table_sha256(path) != sha256:
            return False
        if Path(path).is_dir():
            listed = read_manifest(path)["partitions"]
            return all(sha256_of(Path(path) / e["file"]) == e["sha256"] for e in listed.values())
        return True
    except (OSError, ValueError, KeyError):
        return False


def files_of(path: Path) -> list[str]:
    """A partitioned table's files, relative to its folder, in order."""
    return sorted(e["file"] for e in read_manifest(path)["partitions"].values())


def _leaves(folder: Path, by: tuple[str, ...]) -> list[tuple[tuple, list[Path]]]:
    """(partition values, its Parquet files) for every partition folder under `folder`, in order."""
    from urllib.parse import unquote
    out = []
    for leaf in sorted({p.parent for p in folder.rglob("*.parquet") if not p.name.startswith((".", "_"))}):
        names = leaf.relative_to(folder).parts
        if len(names) != len(by) or any(not n.startswith(f"{c}=") for n, c in zip(names, by)):
            raise PartitionError(f"{leaf} is not a partition of {folder} (partitioned by {', '.join(by)})")
        values = tuple(None if n.split("=", 1)[1] == NULL else unquote(n.split("=", 1)[1]) for n in names)
        out.append((values, sorted(p for p in leaf.glob("*.parquet") if not p.name.startswith((".", "_")))))
    return sorted(out, key=lambda e: _order(e[0]))


def read_partitioned(path: Path, table: str) -> pa.Table:
    """A partitioned table as one Arrow table in the declared order and types: every file of every partition
    folder, the partition columns restored (`council_code` after the declared columns where the table does
    not declare it)."""
    import pyarrow.parquet as pq
    from .writer import sort_table
    by = tuple(read_manifest(path)["partition_by"])
    declared = TABLES[table].arrow
    full = pa.schema(list(declared) + [pa.field(c, pa.string()) for c in by if c not in declared.names])
    pieces = [full.empty_table()]
    for key, files in _leaves(Path(path), by):
        for f in files:
            t = pq.read_table(f, schema=file_schema(table, by))
            for col, value in zip(by, key):
                t = t.append_column(full.field(col), pa.array([value] * t.num_rows, type=full.field(col).type))
            pieces.append(t.select(full.names))
    return sort_table(table, pa.concat_tables(pieces).combine_chunks())


def read_any(path: Path, table: str) -> pa.Table:
    """A table as written by a run, whether one Parquet file or a partitioned folder."""
    import pyarrow.parquet as pq
    return read_partitioned(path, table) if Path(path).is_dir() else pq.read_table(path)


def write_from_table(gen: Path, table: str, by: tuple[str, ...], arrow: pa.Table,
                     councils: dict[str, str | None]) -> tuple[str, int]:
    """Write a whole Arrow table (`compact`) partitioned by `by` into `gen/<table>/`, one file per partition,
    handed to the writer a document at a time as a run hands it (the same bytes); `councils` gives each
    document's council. Returns the table's sha256 and its number of partitions."""
    from .writer import sort_table
    pieces = list(by_document(sort_table(table, arrow.select(TABLES[table].arrow.names))))
    docs = [(p.column("doc_id")[0].as_py(), None, councils.get(p.column("doc_id")[0].as_py())) for p in pieces]
    return write_partitioned(gen, table, by, docs, pieces.__getitem__, None, fingerprints=False)


def by_document(piece: pa.Table):
    """A partition's rows a document at a time, as a run hands them to the writer: the same row groups, so the
    same bytes."""
    ids = piece.column("doc_id").to_pylist()
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[start]:
            yield piece.slice(start, i - start)
            start = i


def other_layouts(gen: Path) -> list[str]:
    """The names a table has in the layout generation `gen` does not use (`money.parquet` beside a
    partitioned `money/`, or the other way round): their links are removed when it is published."""
    return [f"{name}.parquet" if table_path(gen, name).is_dir() else name for name in TABLES]
