"""Per-document results as Arrow parts, written where the document was read and kept for re-runs.

A document's rows are one Arrow IPC file per table in a folder of their own (`<key>/<table>.arrow`:
the driver opens tens of thousands of them, and an IPC file is read without decoding, where a
Parquet file costs a millisecond and tens of kB of reader state),
beside `result.json`: its status, pages, timings, row counts and problems, and the sha256 of every
part. The worker that read the document writes the folder (under a temporary name, then one
rename), so rows never travel through the driver, which keeps only these small summaries and
assembles the tables from the parts (`assemble.py`): it holds no document's rows.

The folder's key is made of the document's bytes' hash, its path, its manifest entry, the run's
options and the pipeline's version (a hash of the code, rules and register data that produced the
rows), so a second run over an unchanged folder finds every document done, and a run killed half
way resumes where it stopped. An entry is data, never code: `result.json` carries the sha256 of
its own payload on its first line and of every part, checked on every read, so a tampered or
damaged entry is refused (and the document recomputed). Results that depend on the moment (a file
unreadable for a moment, a timeout, an internal error) go to the run's scratch folder, never to
the cache, so a later run tries again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyarrow as pa

from .ids import content_id
from .schema import TABLES
from .writer import DIR_MODE, FILE_MODE, sha256_of, sort_rows

_SUFFIXES = {".py", ".csv", ".json", ".sql", ".txt"}
SUMMARY = "result.json"
PART = ".arrow"


def _versioned() -> tuple[Path, ...]:
    """The folders of the package and its extractors, wherever they are installed (the repository's
    pipeline/ and extractors/ in a checkout, councilpapers/ in site-packages)."""
    import councilpapers.extractors
    return Path(__file__).resolve().parent, Path(councilpapers.extractors.__file__).resolve().parent


def pipeline_version() -> str:
    """Hash of every code and rule file that can change what is extracted (read afresh each
    run: a few milliseconds, and a long-lived process never uses a stale version)."""
    h = hashlib.sha256()
    for top in _versioned():
        for path in sorted(top.rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                h.update(path.relative_to(top.parent).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


# problems that say something about the moment, not the file: never cached
MOMENTARY = frozenset({"unreadable_file", "timeout", "internal_error", "worker_died", "memory_limit"})


@dataclass
class DocSummary:
    """What the driver keeps of one document: enough to order, de-duplicate, report and find its parts."""
    source_path: str
    status: str
    doc_id: str | None
    seconds: float = 0.0
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)       # rows per table
    problems: list[list] = field(default_factory=list)         # [severity, code, message] per problems row
    parts: dict[str, str] = field(default_factory=dict)        # table -> sha256 of its part
    folder: str = ""                                           # where the parts are (set when read or written)

    @property
    def momentary(self) -> bool:
        return any(code in MOMENTARY for _, code, _ in self.problems)


def _momentary(result) -> bool:
    return any(p.get("code") in MOMENTARY for p in result.rows.get("problems", []))


def summary_of(result) -> DocSummary:
    """The summary of a DocResult (no parts yet)."""
    docs = result.rows.get("documents") or []
    return DocSummary(result.source_path, result.status, docs[0]["doc_id"] if docs else None, result.seconds,
                      result.pages, dict(result.timings),
                      {name: len(rows) for name, rows in result.rows.items() if rows},
                      [[p.get("severity"), p.get("code"), p.get("message")] for p in result.rows.get("problems", [])])


def write_parts(result, folder: Path, tmp_dir: Path | None = None) -> DocSummary:
    """Write a DocResult's rows as parts in `folder` (replacing what was there), all or nothing, and
    return its summary. The parts are sorted by each table's key, so the driver concatenates them."""
    folder = Path(folder)
    summary = summary_of(result)
    tmp_root = Path(tmp_dir) if tmp_dir is not None else folder.parent
    tmp_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=tmp_root, prefix=".part-"))
    try:
        for name in TABLES:
            rows = result.rows.get(name)
            if not rows:
                continue
            data = encode_part(name, sort_rows(name, rows))
            path = tmp / f"{name}{PART}"
            path.write_bytes(data)
            os.chmod(path, FILE_MODE)
            summary.parts[name] = hashlib.sha256(data).hexdigest()
        payload = json.dumps({k: v for k, v in asdict(summary).items() if k != "folder"},
                             sort_keys=True, separators=(",", ":")).encode("utf-8")
        (tmp / SUMMARY).write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.chmod(tmp, DIR_MODE)  # mkdtemp makes 0700
        folder.parent.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            shutil.rmtree(folder)
        os.rename(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary.folder = str(folder)
    return summary


def read_summary(folder: Path, verify: bool = True) -> DocSummary:
    """The summary in `folder`; ValueError when its checksum, or with `verify` any part's, does not hold."""
    folder = Path(folder)
    data = (folder / SUMMARY).read_bytes()
    checksum, _, payload = data.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        raise ValueError("checksum does not match")
    try:
        summary = DocSummary(**json.loads(payload))
    except TypeError as exc:
        raise ValueError(f"not a result summary: {exc}") from None
    if verify:
        for name, digest in summary.parts.items():
            if sha256_of(folder / f"{name}{PART}") != digest:
                raise ValueError(f"part {name}{PART} does not match its checksum")
    summary.folder = str(folder)
    return summary


_SCHEMAS: dict[str, tuple[pa.Schema, pa.Schema]] = {}


def _schemas(table: str) -> tuple[pa.Schema, pa.Schema]:
    """The table's declared schema, and the same without its descriptions (what a part stores: parsing
    every column's description costs more than reading a small part's rows)."""
    if table not in _SCHEMAS:
        declared = TABLES[table].arrow
        _SCHEMAS[table] = declared, pa.schema([f.remove_metadata() for f in declared])
    return _SCHEMAS[table]


def encode_part(table: str, rows: list[dict]) -> bytes:
    """Rows (already in order) as an Arrow IPC file, uncompressed: a small part reads in microseconds, where
    decompressing its buffers one by one takes ten times longer."""
    declared, bare = _schemas(table)
    arrow = pa.Table.from_pylist(rows, schema=declared)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, bare) as writer:
        writer.write_table(pa.Table.from_arrays(arrow.columns, schema=bare))
    return sink.getvalue().to_pybytes()


def read_part(summary: DocSummary, table: str) -> pa.Table | None:
    """One document's rows of `table` (None when it has none), in the table's declared schema."""
    if table not in summary.parts:
        return None
    with open(Path(summary.folder) / f"{table}{PART}", "rb") as fh:
        part = pa.ipc.open_file(pa.py_buffer(fh.read())).read_all()
    declared, bare = _schemas(table)
    if not part.schema.equals(bare):
        raise ValueError(f"part {summary.folder}/{table}{PART} is not in the schema of {table}")
    return pa.Table.from_arrays(part.columns, schema=declared)


def part_rows(summary: DocSummary, table: str) -> list[dict]:
    part = read_part(summary, table)
    return part.to_pylist() if part is not None else []


class ResultCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.version = pipeline_version()
        self.rejected: list[str] = []  # entries whose checksum or shape did not hold (recomputed)

    def key(self, doc_id: str, source_path: str, manifest_entry, options_key: str) -> str:
        return content_id(self.version, doc_id, source_path, manifest_entry, options_key)

    def path(self, key: str) -> Path:
        return self.folder / self.version / key[:2] / key

    def has(self, key: str) -> bool:
        """Whether an entry is kept under `key` (not read, not checked: `get` does that)."""
        return (self.path(key) / SUMMARY).is_file()

    def get(self, key: str) -> DocSummary | None:
        folder = self.path(key)
        if not (folder / SUMMARY).is_file():
            return None
        try:
            summary = read_summary(folder)
        except (OSError, ValueError, KeyError) as exc:
            self.rejected.append(f"{key}: {exc}")
            return None
        return None if summary.momentary else summary

    def put(self, key: str, result, tmp_dir: Path | None = None) -> DocSummary | None:
        """Keep a result under `key`; a result of the moment is not kept (None)."""
        if _momentary(result):
            return None
        return write_parts(result, self.path(key), tmp_dir)


def store(result, dest: Path | None, scratch: Path) -> DocSummary:
    """Write a result's parts where they belong: its cache folder `dest`, or the run's scratch folder
    when there is no cache or the result says something about the moment."""
    scratch = Path(scratch)
    if dest is not None and not _momentary(result):
        return write_parts(result, dest, scratch)
    return write_parts(result, scratch / content_id("scratch", result.source_path), scratch)
