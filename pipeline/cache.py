"""Per-document result cache: re-runs over an unchanged folder do almost nothing.

A document's rows are stored under a key made of its bytes' hash, its path, its
manifest entry and the pipeline's version (a hash of the code, rules and register
data that produced them). Each entry is written atomically as soon as the document
is done, so a run killed half way resumes where it stopped, and the final tables
equal those of one clean run.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from .ids import content_id
from .writer import atomic_write_bytes

ROOT = Path(__file__).resolve().parent.parent
_VERSIONED = ("pipeline", "extractors")
_SUFFIXES = {".py", ".csv", ".json", ".sql", ".txt"}


def pipeline_version() -> str:
    """Hash of every code and rule file that can change what is extracted (read afresh each
    run: a few milliseconds, and a long-lived process never uses a stale version)."""
    h = hashlib.sha256()
    for top in _VERSIONED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                h.update(path.relative_to(ROOT).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


class ResultCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.version = pipeline_version()

    def key(self, doc_id: str, source_path: str, manifest_entry, options_key: str) -> str:
        return content_id(self.version, doc_id, source_path, manifest_entry, options_key)

    def _path(self, key: str) -> Path:
        return self.folder / self.version / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        path = self._path(key)
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError):
            return None

    def put(self, key: str, result) -> None:
        atomic_write_bytes(self._path(key), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
