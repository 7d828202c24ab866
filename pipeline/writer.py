"""Write the tables: one Parquet file per table, atomically, deterministically, and all together.

Each file is written to a temporary name and renamed into place, so nothing is ever
half written. A run's tables are written into a new generation folder
(`OUT/.generations/<id>/`) and switched in with one atomic rename of the `OUT/.current`
link; `OUT/<table>.parquet`, `run.json` and `datapackage.json` are stable links through
`.current`, so every reader that opens them sees one complete run: never new `documents`
beside old `money`, and a run stopped while writing (a kill, a full disk) leaves the
previous generation whole. Rows are sorted by each table's declared sort key; nothing
time-dependent goes into a table.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.parquet as pq

from .schema import TABLES

_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what a plain open() gives: mkstemp makes 0600, and outputs are for sharing
DIR_MODE = 0o777 & ~_UMASK
# a Parquet row group ends at this many rows, or at the end of a part once it holds this much data: the
# most a streamed table holds in memory (a table smaller than both is one row group, as pq.write_table gives)
ROW_GROUP_ROWS = 65536
ROW_GROUP_BYTES = 16 * 2 ** 20


def sort_value(v):
    return (v is None, v if v is not None else 0)


def sort_rows(table: str, rows: list[dict]) -> list[dict]:
    key = TABLES[table].sort_key
    return sorted(rows, key=lambda r: tuple(sort_value(r.get(k)) for k in key))


@contextmanager
def atomic_file(path: Path):
    """A binary file that becomes `path` (synced, in one rename) only when the block ends without error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


_WRITE = {"compression": "zstd", "write_statistics": True}


def sort_table(table: str, arrow: pa.Table) -> pa.Table:
    """An Arrow table in its declared order: `sort_rows` done by Arrow (nulls last under each key; strings by
    code point, which is UTF-8 byte order; a stable sort)."""
    if arrow.num_rows < 2:
        return arrow
    key = TABLES[table].sort_key
    try:  # pyarrow >= 25: null placement per key
        order = pa.compute.sort_indices(arrow, sort_keys=[(k, "ascending", "at_end") for k in key])
    except (TypeError, ValueError, pa.ArrowInvalid):
        order = pa.compute.sort_indices(arrow, sort_keys=[(k, "ascending") for k in key], null_placement="at_end")
    return arrow.take(order)


def write_table(out_dir: Path, table: str, rows: list[dict]) -> Path:
    return write_streamed(out_dir, table, [pa.Table.from_pylist(sort_rows(table, rows), schema=TABLES[table].arrow)])


def _row_groups(parts):
    """The row groups of a table given as parts in order: ROW_GROUP_ROWS rows each, or fewer when a group
    has reached ROW_GROUP_BYTES of data at the end of a part (a table of wide rows, such as page texts)."""
    pending, rows, size = [], 0, 0
    for part in parts:
        while part is not None and part.num_rows:
            take = min(part.num_rows, ROW_GROUP_ROWS - rows)
            piece = part.slice(0, take)
            if len(pending) == 256:  # thousands of small tables cost far more memory than their rows
                pending = [pa.concat_tables(pending).combine_chunks()]
            pending.append(piece)
            rows, size = rows + take, size + piece.nbytes
            part = part.slice(take) if take < part.num_rows else None
            if rows == ROW_GROUP_ROWS or (part is None and size >= ROW_GROUP_BYTES):
                # one chunk per column: the writer's dictionary fallback looks at chunks, so chunked input
                # would encode the same rows differently from one table written at once
                yield pa.concat_tables(pending).combine_chunks()
                pending, rows, size = [], 0, 0
    if pending:
        yield pa.concat_tables(pending).combine_chunks()


def write_streamed(out_dir: Path, table: str, parts, path: Path | None = None, schema: pa.Schema | None = None) -> Path:
    """Write a table from an iterable of Arrow tables already in the table's order (one document's rows
    each), a row group at a time, atomically: memory holds one row group, not the table, and a table of
    one row group has the bytes one `pq.write_table` gives. `path` and `schema` are for a partition's
    file (`partition.py`): its own place, and the declared schema less the partition columns."""
    schema = TABLES[table].arrow if schema is None else schema
    path = Path(out_dir) / f"{table}.parquet" if path is None else Path(path)
    with atomic_file(path) as fh, pq.ParquetWriter(fh, schema, **_WRITE) as writer:
        groups = 0
        for group in _row_groups(parts):
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)
            groups += 1
        if not groups:  # an empty table is written as write_table writes it: one empty row group
            writer.write_table(schema.empty_table(), row_group_size=ROW_GROUP_ROWS)
    return path


def write_json(path: Path, obj) -> None:
    atomic_write_bytes(Path(path), (json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n").encode())


CURRENT = ".current"
GENERATIONS = ".generations"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def current_generation(out_dir: Path) -> Path:
    """The folder holding the complete tables readers see now (the output folder itself for an output
    written before generations)."""
    link = Path(out_dir) / CURRENT
    return link.resolve() if link.is_symlink() else Path(out_dir)


def new_generation(out_dir: Path) -> Path:
    """An empty folder for a run's outputs, beside the current generation."""
    base = Path(out_dir) / GENERATIONS
    base.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=base, prefix="gen-"))


def _replace_with_link(path: Path, target: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def publish(out_dir: Path, gen: Path, names: list[str], stale: list[str] = ()) -> None:
    """Switch the readers to generation `gen` in one atomic rename, give every output a stable link through
    it, remove the links of `stale` names (a table's other layout) and the generations no reader can
    reach any more."""
    out_dir = Path(out_dir)
    for name in names:
        (gen / name).stat()  # every output of the generation is there before anything switches
    _replace_with_link(out_dir / CURRENT, f"{GENERATIONS}/{gen.name}")
    for name in names:
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            _replace_with_link(link, f"{CURRENT}/{name}")
    for name in stale:
        link = out_dir / name
        if link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}":
            link.unlink()
    for old in (out_dir / GENERATIONS).iterdir():
        if old.name != gen.name:
            shutil.rmtree(old, ignore_errors=True)
