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


def _sort_value(v):
    return (v is None, v if v is not None else 0)


def sort_rows(table: str, rows: list[dict]) -> list[dict]:
    key = TABLES[table].sort_key
    return sorted(rows, key=lambda r: tuple(_sort_value(r.get(k)) for k in key))


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


CURRENT = ".current"
GENERATIONS = ".generations"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


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
