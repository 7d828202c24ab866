"""`manifest.csv` in the input folder: per-file facts the text cannot give.

Columns `file,source_url,council`, any may be empty. `file` is matched against the
path relative to the input folder, then against the base name.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"


def is_manifest_name(name: str) -> bool:
    """manifest.csv, in any case (the shared corpus ships MANIFEST.csv)."""
    return name.lower() == MANIFEST_NAME


def find_manifest(folder: Path) -> Path | None:
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if is_manifest_name(path.name) and path.is_file():
            return path
    return None


@dataclass(frozen=True)
class ManifestEntry:
    source_url: str | None = None
    council: str | None = None


class Manifest:
    def __init__(self, entries: dict[str, ManifestEntry]):
        self.entries = entries

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        path = find_manifest(Path(folder))
        entries: dict[str, ManifestEntry] = {}
        if path is not None:
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
