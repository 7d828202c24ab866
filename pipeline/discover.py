"""Find the files to process: recursively, sorted, safely (symlink loops, odd names)."""
from __future__ import annotations

import os
from pathlib import Path

from .manifest import is_manifest_name


def discover(input_dir: Path) -> list[tuple[Path, str]]:
    """Every file under input_dir (recursively, symlink loops avoided), sorted by relative path."""
    input_dir = Path(input_dir)
    found: list[tuple[Path, str]] = []
    seen_dirs: set[str] = set()
    for root, dirs, files in os.walk(input_dir, followlinks=True):
        real = os.path.realpath(root)
        if real in seen_dirs:
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or is_manifest_name(name):  # a manifest describes papers; it is not one
                continue
            path = Path(root) / name
            found.append((path, display_path(path.relative_to(input_dir).as_posix())))
    return sorted(found, key=lambda item: item[1])


def display_path(rel: str) -> str:
    """A source_path that is valid UTF-8 even when the file name's bytes are not."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
