"""Write the tables: one Parquet file per table, atomically, deterministically.

Each file is written to a temporary name in the output folder and renamed into
place, so an interrupted run never leaves a half-written table. Rows are sorted by
each table's declared sort key; nothing time-dependent goes into a table.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES

_UMASK = os.umask(0)
os.umask(_UMASK)


def _sort_value(v):
    return (v is None, v if v is not None else 0)


def sort_rows(table: str, rows: list[dict]) -> list[dict]:
    key = TABLES[table].sort_key
    return sorted(rows, key=lambda r: tuple(_sort_value(r.get(k)) for k in key))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(out_dir: Path, table: str, rows: list[dict]) -> Path:
    spec = TABLES[table]
    arrow = pa.Table.from_pylist(sort_rows(table, rows), schema=spec.arrow)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression="zstd", write_statistics=True)
    path = Path(out_dir) / f"{table}.parquet"
    atomic_write_bytes(path, sink.getvalue().to_pybytes())
    return path


def write_json(path: Path, obj) -> None:
    atomic_write_bytes(Path(path), (json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n").encode())
