"""councilpapers: UK council committee papers -> structured Parquet with provenance.

    from pipeline import run
    run("raw", "parsed")
"""
from __future__ import annotations

__version__ = "0.1.0"


def run(input_dir, out_dir, jobs: int = 1):
    """Process every paper under input_dir into Parquet tables in out_dir."""
    from pathlib import Path

    from .runner import RunOptions
    from .runner import run as _run
    return _run(Path(input_dir), Path(out_dir), RunOptions(jobs=jobs))
