"""councilpapers: UK council committee papers -> structured Parquet with provenance.

The Python API (the same work as the command line):

    import councilpapers
    summary = councilpapers.run("raw", "parsed", jobs=2)     # process a folder of papers (or "s3://bucket/prefix")
    councilpapers.run(councilpapers.from_manifest("files.csv"), "parsed")   # ... or the files a CSV lists
    con = councilpapers.open("parsed")                       # DuckDB, every table (and view) registered
    con.execute("SELECT * FROM counted_savings").df()        # ... or any SQL
    frames = councilpapers.tables("parsed")                  # {name: pandas.DataFrame}

In the repository the package is the design card's `pipeline/` folder (and `extractors/`, installed
as `councilpapers.extractors`); installed, it claims only the name `councilpapers`.
"""
from __future__ import annotations

__version__ = "0.1.0"


def run(input, out, **options):
    """Process every paper under `input` into Parquet tables in `out`; returns the run's summary.
    `input` is a folder, an fsspec URL of one ('memory://papers', 's3://bucket/prefix') or
    `from_manifest('files.csv')`. `options` are those of `councilpapers run` by their RunOptions names
    (jobs, timeout_s, max_mb, force, cache, ocr, max_memory_mb, follow_symlinks, log_json, executor,
    partition_by: 'council_code,fiscal_year' or a tuple of those names)."""
    from dataclasses import fields
    from pathlib import Path

    from .runner import RunOptions
    from .runner import run as _run
    known = {f.name for f in fields(RunOptions)}
    unknown = sorted(set(options) - known)
    if unknown:
        raise TypeError(f"unknown option(s) {', '.join(unknown)}; options are {', '.join(sorted(known))}")
    if "partition_by" in options:
        from .partition import parse
        by = options["partition_by"]
        options["partition_by"] = parse(by if isinstance(by, str) else ",".join(by))
    from .inputs import Inputs, is_url
    source = input if isinstance(input, Inputs) or is_url(input) else Path(input)
    return _run(source, Path(out), RunOptions(**options))


def from_manifest(path):
    """The files a CSV lists (a `path` column; see `councilpapers run --help`), for `run`."""
    from .inputs import from_manifest as _from_manifest
    return _from_manifest(path)


def open(out):  # noqa: A001  (councilpapers.open(out), as the issue asks: not the builtin inside this module)
    """A DuckDB connection over the run in `out`: every table a view, and the derived views
    (counted_savings, votes). Money columns are exact DECIMAL(18,2)."""
    from pathlib import Path

    from .query import connect
    return connect(Path(out))


def tables(out, arrow: bool = False) -> dict:
    """Every table of the run in `out`, by name: pandas DataFrames (money as Decimal objects), or
    pyarrow Tables with `arrow=True` (money as decimal128)."""
    from pathlib import Path

    from .partition import read_any
    from .query import check_parsed_dir
    found = check_parsed_dir(Path(out))
    read = {name: read_any(path, name) for name, path in sorted(found.items())}
    return read if arrow else {name: t.to_pandas() for name, t in read.items()}
