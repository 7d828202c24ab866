"""`manifest.csv` files in the input folder: per-file facts the text cannot give.

Columns `file,source_url,council`, any may be empty; a folder written by `councilpapers fetch`
also has `committee,meeting_date,meeting_id,agenda_item` (the meeting a paper was published for),
which `extractors/fetched_meeting.py` uses as evidence of the paper's meeting. A manifest describes the files of
its own folder and the folders under it: `file` is matched against the path relative to
the manifest's folder, then against the base name. The nearest manifest wins, so a
`pages/MANIFEST.csv` describes `pages/*` even when the run starts one folder up. A
manifest is never read as a paper.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST_NAME = "manifest.csv"
FETCH_PROBLEMS_NAME = "fetch_problems.csv"  # what `councilpapers fetch` could not get: a record, not a paper


def is_manifest_name(name: str) -> bool:
    """manifest.csv, in any case (the shared corpus ships MANIFEST.csv)."""
    return name.lower() == MANIFEST_NAME


def is_folder_record(name: str) -> bool:
    """A file that describes the folder's papers (manifest.csv, fetch_problems.csv) and is not one."""
    return name.lower() in (MANIFEST_NAME, FETCH_PROBLEMS_NAME)


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
    committee: str | None = None
    meeting_date: str | None = None  # ISO date, as fetch writes it
    meeting_id: str | None = None    # the publisher's meeting id (ModernGov MId)
    agenda_item: str | None = None


ENTRY_FIELDS = ("source_url", "council", "committee", "meeting_date", "meeting_id", "agenda_item")


def entry_of(row: dict) -> ManifestEntry:
    """The ManifestEntry of one CSV row (a manifest.csv row, or a row of a `--from-manifest` list)."""
    return ManifestEntry(*((row.get(k) or "").strip() or None for k in ENTRY_FIELDS))


def read_entries(fh) -> dict[str, ManifestEntry]:
    """A manifest's entries by `file`, from an open text file (local, or on any fsspec filesystem)."""
    entries: dict[str, ManifestEntry] = {}
    for row in csv.DictReader(fh):
        name = (row.get("file") or "").strip()
        if name:
            entries[name] = entry_of(row)
    return entries


def _read_one(path: Path) -> dict[str, ManifestEntry]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return read_entries(fh)


class Manifest:
    def __init__(self, entries: dict[str, ManifestEntry], folders: dict[str, dict[str, ManifestEntry]] | None = None):
        self.entries = entries          # the top folder's manifest
        self.folders = folders or {}    # sub-folder (relative, '/' separated) -> its manifest's entries

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        folder = Path(folder)
        top = find_manifest(folder)
        entries = _read_one(top) if top is not None else {}
        folders: dict[str, dict[str, ManifestEntry]] = {}
        if folder.is_dir():
            for root, dirs, _files in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                here = Path(root)
                if here == folder:
                    continue
                found = find_manifest(here)
                if found is not None:
                    folders[here.relative_to(folder).as_posix()] = _read_one(found)
        return cls(entries, folders)

    def lookup(self, rel_path: str) -> ManifestEntry:
        parts = rel_path.split("/")
        for depth in range(len(parts) - 1, 0, -1):  # the nearest folder's manifest first
            sub = "/".join(parts[:depth])
            entries = self.folders.get(sub)
            if entries is None:
                continue
            inner = "/".join(parts[depth:])
            hit = entries.get(inner) or entries.get(parts[-1])
            if hit:
                return hit
        if rel_path in self.entries:
            return self.entries[rel_path]
        return self.entries.get(parts[-1], ManifestEntry())
