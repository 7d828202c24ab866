"""`manifest.csv` in the input folder: per-file facts the text cannot give.

Columns `file,source_url,council`, any may be empty. `file` is matched against the
path relative to the input folder, then against the base name.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"


@dataclass(frozen=True)
class ManifestEntry:
    source_url: str | None = None
    council: str | None = None


class Manifest:
    def __init__(self, entries: dict[str, ManifestEntry]):
        self.entries = entries

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = Path(folder) / MANIFEST_NAME
        entries: dict[str, ManifestEntry] = {}
        if path.is_file():
            with path.open(newline="", encoding="utf-8-sig") as fh:
                for row in csv.DictReader(fh):
                    name = (row.get("file") or "").strip()
                    if name:
                        entries[name] = ManifestEntry(
                            (row.get("source_url") or "").strip() or None,
                            (row.get("council") or "").strip() or None)
        return cls(entries)

    def lookup(self, rel_path: str) -> ManifestEntry:
        if rel_path in self.entries:
            return self.entries[rel_path]
        return self.entries.get(rel_path.rsplit("/", 1)[-1], ManifestEntry())
