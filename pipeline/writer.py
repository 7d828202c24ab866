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
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES

_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what a plain open() gives: mkstemp makes 0600, and outputs are for sharing
DIR_MODE = 0o777 & ~_UMASK
# rows per Parquet row group: a table written in one piece and one streamed from parts get the same bytes,
# and a streamed table never holds more than this many rows in memory
ROW_GROUP_ROWS = 65536


def sort_value(v):
    return (v is None, v if v is not None else 0)


def sort_rows(table: str, rows: list[dict]) -> list[dict]:
    key = TABLES[table].sort_key
    return sorted(rows, key=lambda r: tuple(sort_value(r.get(k)) for k in key))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_WRITE = {"compression": "zstd", "write_statistics": True}


def encode_table(table: str, rows: list[dict]) -> bytes:
    """Rows (already in order) as the bytes of a Parquet file in the table's declared schema."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=TABLES[table].arrow), sink, row_group_size=ROW_GROUP_ROWS, **_WRITE)
    return sink.getvalue().to_pybytes()


def write_table(out_dir: Path, table: str, rows: list[dict]) -> Path:
    path = Path(out_dir) / f"{table}.parquet"
    atomic_write_bytes(path, encode_table(table, sort_rows(table, rows)))
    return path


def write_streamed(out_dir: Path, table: str, parts) -> Path:
    """Write a table from an iterable of Arrow tables already in the table's order (one document's rows
    each), a row group at a time, atomically: memory holds one row group, not the table, and the bytes
    are those `write_table` gives for the same rows."""
    spec = TABLES[table]
    path = Path(out_dir) / f"{table}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            with pq.ParquetWriter(fh, spec.arrow, **_WRITE) as writer:
                pending, held, written = [], 0, False
                for part in parts:
                    while part is not None and part.num_rows:
                        take = min(part.num_rows, ROW_GROUP_ROWS - held)
                        pending.append(part.slice(0, take))
                        held += take
                        part = part.slice(take) if take < part.num_rows else None
                        if held == ROW_GROUP_ROWS:
                            writer.write_table(pa.concat_tables(pending).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
                            pending, held, written = [], 0, True
                if held or not written:  # an empty table is written as write_table writes it
                    empty = spec.arrow.empty_table()
                    writer.write_table(pa.concat_tables(pending or [empty]).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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


def publish(out_dir: Path, gen: Path, names: list[str]) -> None:
    """Switch the readers to generation `gen` in one atomic rename, give every output a stable link through
    it, and remove the generations no reader can reach any more."""
    out_dir = Path(out_dir)
    for name in names:
        (gen / name).stat()  # every output of the generation is there before anything switches
    _replace_with_link(out_dir / CURRENT, f"{GENERATIONS}/{gen.name}")
    for name in names:
        link = out_dir / name
        if not (link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}"):
            _replace_with_link(link, f"{CURRENT}/{name}")
    for old in (out_dir / GENERATIONS).iterdir():
        if old.name != gen.name:
            shutil.rmtree(old, ignore_errors=True)
