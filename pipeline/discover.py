"""Find the files to process: recursively, sorted, safely, and only what is the user's.

The input boundary: a symlink is followed only where it stays inside the input folder
(unless `follow_symlinks`: a link to `/etc/shadow` or to `/etc` is not read); the
output folder, and any folder the pipeline wrote itself (a run's tables, a review
site), is never read as input; manifests describe papers and are not papers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import is_folder_record

GENERATOR = "councilpapers"  # the review site's <meta name="generator"> and run.json's key say who wrote them


@dataclass
class Discovery:
    files: list[tuple[Path, str]] = field(default_factory=list)      # (path, source_path) to process
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (source_path, code, message)


# the files that mark a folder the pipeline wrote, and what their first 4 kB say
OUTPUT_MARKERS = {"run.json": b'"councilpapers_version"', "index.html": b'name="generator" content="' + GENERATOR.encode()}


def _pipeline_output(folder: Path) -> bool:
    """A folder the pipeline wrote: a run's output (run.json by councilpapers) or a review site."""
    for name, marker in OUTPUT_MARKERS.items():
        path = folder / name
        try:
            if path.is_file() and marker in path.read_bytes()[:4096]:
                return True
        except OSError:
            continue
    return False


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def discover_inputs(input_dir: Path, *, follow_symlinks: bool = False, exclude: tuple[Path, ...] = ()) -> Discovery:
    """Every file under input_dir that is the user's, sorted by relative path, and what was left out and why."""
    input_dir = Path(input_dir)
    root_real = os.path.realpath(input_dir)
    excluded = {os.path.realpath(p) for p in exclude}
    out = Discovery()
    seen_dirs: set[str] = set()
    for root, dirs, files in os.walk(input_dir, followlinks=follow_symlinks):
        real = os.path.realpath(root)
        here = Path(root)
        if real in seen_dirs or (here != input_dir and (real in excluded or _pipeline_output(here))):
            dirs[:] = []
            continue
        seen_dirs.add(real)
        kept = []
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            target = os.path.realpath(here / d)
            if (here / d).is_symlink() and not follow_symlinks:
                rel = display_path((here / d).relative_to(input_dir).as_posix())
                if not _inside(target, root_real):
                    out.skipped.append((rel, "symlink_outside_input",
                                        "a link to a folder outside the input folder; not read (use --follow-symlinks)"))
                continue  # a link inside the folder: its files are read where they are
            kept.append(d)
        dirs[:] = kept
        for name in files:
            if name.startswith(".") or is_folder_record(name):  # a manifest describes papers; it is not one
                continue
            path = here / name
            rel = display_path(path.relative_to(input_dir).as_posix())
            if path.is_symlink() and not follow_symlinks and os.path.exists(path) \
                    and not _inside(os.path.realpath(path), root_real):
                out.skipped.append((rel, "symlink_outside_input",
                                    "a link to a file outside the input folder; not read (use --follow-symlinks)"))
                continue
            out.files.append((path, rel))
    out.files.sort(key=lambda item: item[1])
    out.skipped.sort()
    return out


def discover(input_dir: Path, **options) -> list[tuple[Path, str]]:
    """Every file under input_dir to process (see `discover_inputs`), sorted by relative path."""
    return discover_inputs(input_dir, **options).files


def display_path(rel: str) -> str:
    """A source_path that is valid UTF-8 even when the file name's bytes are not."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
