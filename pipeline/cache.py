"""Per-document result cache: re-runs over an unchanged folder do almost nothing.

A document's rows are stored under a key made of its bytes' hash, its path, its
manifest entry and the pipeline's version (a hash of the code, rules and register
data that produced them). Each entry is written atomically as soon as the document
is done, so a run killed half way resumes where it stopped, and the final tables
equal those of one clean run.

An entry is data, never code: JSON with exact types tagged (Decimal, date), and the
sha256 of its bytes on the first line, checked on every read. A tampered or damaged
entry is refused (and the document recomputed); it cannot run anything or change a
figure unnoticed. Results that depend on the moment (a file unreadable for a moment,
a timeout, an internal error) are not cached, so a later run tries again.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .ids import content_id
from .writer import atomic_write_bytes

_SUFFIXES = {".py", ".csv", ".json", ".sql", ".txt"}


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


def _encode(value):
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1:
        (tag, text), = obj.items()
        if tag == "$decimal":
            return Decimal(text)
        if tag == "$date":
            return date.fromisoformat(text)
        if tag == "$datetime":
            return datetime.fromisoformat(text)
    return obj


class ResultCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.version = pipeline_version()
        self.rejected: list[str] = []  # entries whose checksum or shape did not hold (recomputed)

    def key(self, doc_id: str, source_path: str, manifest_entry, options_key: str) -> str:
        return content_id(self.version, doc_id, source_path, manifest_entry, options_key)

    def _path(self, key: str) -> Path:
        return self.folder / self.version / key[:2] / f"{key}.json"

    def get(self, key: str):
        from .process import DocResult
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        checksum, _, payload = data.partition(b"\n")
        try:
            if hashlib.sha256(payload).hexdigest().encode() != checksum:
                raise ValueError("checksum does not match")
            return DocResult(**json.loads(payload, object_hook=_decode))
        except (ValueError, TypeError, KeyError) as exc:
            self.rejected.append(f"{path.name}: {exc}")
            return None

    def put(self, key: str, result) -> None:
        if any(p.get("code") in MOMENTARY for p in result.rows.get("problems", [])):
            return
        payload = json.dumps(asdict(result), default=_encode, sort_keys=True, separators=(",", ":")).encode("utf-8")
        atomic_write_bytes(self._path(key), hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
