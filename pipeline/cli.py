"""The `councilpapers` command: a thin click layer over library functions.

Errors a user can cause (a missing folder, a bad option) are turned into one-line
messages with click.ClickException; tracebacks are for bugs.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="councilpapers")
def cli():
    """Turn UK council committee papers into structured Parquet tables.

    \b
    Example:
      councilpapers run raw/ -o parsed/
      councilpapers schema
    """


@cli.command()
@click.argument("input_dir", required=False, metavar="[INPUT_DIR]")
@click.option("--from-manifest", "manifest", default=None, metavar="FILES.csv",
              help="Process the files this CSV lists (a 'path' column: relative to the CSV, absolute, or a URL) "
                   "instead of walking INPUT_DIR.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("parsed"),
              show_default=True, help="Folder to write the Parquet tables and run.json into.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Documents processed in parallel (default: number of cores).")
@click.option("--max-mb", type=click.FloatRange(min=0, min_open=True), default=200.0, show_default=True,
              help="Refuse files larger than this many MB.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0), default=300.0, show_default=True,
              help="Give up on a document after this many seconds, and as many again for every further "
                   "10 MB of file (0: never).")
@click.option("--force", is_flag=True, help="Re-do every document, ignoring results cached by earlier runs.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the per-document cache (OUT/.cache).")
@click.option("--log-json", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append one JSON line per document to this file.")
@click.option("--ocr", is_flag=True, help="Run ocrmypdf (tesseract) on PDFs without a text layer, where installed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("--strict", is_flag=True, help="Exit 1 when any file failed (unreadable, needs OCR, timed out).")
@click.option("--max-memory-mb", type=click.FloatRange(min=0), default=1536.0, show_default=True,
              help="Memory one worker may take for a document, beyond what it starts with (0: no cap); a document over it gets a problems row.")
@click.option("--follow-symlinks", is_flag=True,
              help="Read links that lead out of INPUT_DIR (by default such a link is reported, not read).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where documents run: worker processes here, or a dask.distributed cluster (pip install "
                   "'councilpapers[dask]'); the tables are the same.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --executor dask: the scheduler to use (tcp://host:8786); default a LocalCluster of --jobs workers.")
@click.option("--partition-by", "partition_by", default="", metavar="COLUMNS",
              help="Write money and plan_lines as hive folders partitioned by these columns (council_code, "
                   "fiscal_year, comma-separated): OUT/money/council_code=.../fiscal_year=.../part-0.parquet.")
def run(input_dir: str | None, manifest: str | None, out_dir: Path, jobs: int | None, max_mb: float, timeout_s: float,
        force: bool, no_cache: bool, log_json: Path | None, ocr: bool, quiet: bool, strict: bool, max_memory_mb: float,
        follow_symlinks: bool, executor: str, scheduler: str | None, partition_by: str):
    """Process every paper under INPUT_DIR (recursively), or the papers a list names, into OUT_DIR.

    INPUT_DIR is a folder or an fsspec URL (memory://, s3://bucket/prefix, gs://...;
    s3fs or gcsfs installed), whose files are fetched into OUT_DIR for the run. With
    --from-manifest FILES.csv, the files are those the CSV's `path` column lists
    (relative to the CSV's folder, absolute, or URLs); an optional `source_path` column
    names them in the tables (by default their path relative to the CSV's folder), and
    the manifest.csv columns below may describe them. A listed file that is not there
    is a `missing_file` problem.

    Reads .txt, .html/.htm and .pdf files (by their bytes, not their names). A
    manifest.csv (file,source_url,council; from `councilpapers fetch` also committee,
    meeting_date, meeting_id, agenda_item) describes the files of its own folder and
    the folders under it, the nearest one winning; it is never read as a paper. Writes
    one Parquet file per table, run.json (what ran, when, with which options) and
    datapackage.json (a Frictionless Data Package of the tables, from the schema). A
    bad file becomes a `problems` row; the batch always finishes.

    \b
    Exit codes:
      0  at least one file was read (with --strict: and none failed)
      1  --strict, and some file failed
      3  every file failed
      4  no papers found under INPUT_DIR (or listed)
      5  OUT_DIR cannot be written (checked before any work)

    \b
    Example:
      councilpapers run raw/ -o parsed/ --jobs 2
      councilpapers run --from-manifest files.csv -o parsed/
    """
    from .inputs import InputError, from_folder, from_manifest
    from .partition import PartitionError, parse
    from .progress import Progress
    from .runner import Interrupted, OutputNotWritable, PartsNotShared, RunOptions
    from .runner import run as run_pipeline
    from .summary import format_summary

    if (input_dir is None) == (manifest is None):
        raise click.UsageError("give INPUT_DIR or --from-manifest FILES.csv (one of them)")
    try:
        inputs = from_manifest(manifest) if manifest is not None else \
            from_folder(input_dir, follow_symlinks=follow_symlinks, exclude=(out_dir,))
    except InputError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        by = parse(partition_by)
    except PartitionError as exc:
        raise click.UsageError(str(exc)) from None
    jobs = jobs or os.cpu_count() or 1
    options = RunOptions(jobs=jobs, max_mb=max_mb, timeout_s=timeout_s, force=force, cache=not no_cache,
                         log_json=log_json, ocr=ocr, follow_symlinks=follow_symlinks, max_memory_mb=max_memory_mb,
                         executor=executor, scheduler=scheduler, partition_by=by)
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler needs --executor dask")
    with Progress(enabled=not quiet) as progress:
        try:
            summary = run_pipeline(inputs, out_dir, options, progress=progress.update)
        except (Interrupted, PartsNotShared) as exc:
            raise click.ClickException(str(exc))
        except OutputNotWritable as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_UNWRITABLE)
        except OSError as exc:  # a full disk or a folder turned read-only while the tables were written
            click.echo(f"Error: could not write the tables to {out_dir}: {exc.strerror or exc}; the previous "
                       "output, if any, is intact and finished documents are cached", err=True)
            sys.exit(EXIT_UNWRITABLE)
    if not quiet:
        click.echo(format_summary(summary))
    if summary.cache_rejected:
        click.echo(f"warning: {len(summary.cache_rejected)} cached result(s) failed their checksum and were "
                   f"recomputed (first: {summary.cache_rejected[0]})", err=True)
    code = exit_code(summary.statuses, strict)
    if code == EXIT_EMPTY:
        where = f"listed in {manifest}" if manifest else f"found under {input_dir}"
        click.echo(f"Error: no papers {where}", err=True)
    elif code == EXIT_ALL_FAILED:
        click.echo(f"Error: every one of the {summary.files} files failed; see problems.parquet", err=True)
    sys.exit(code)


EXIT_STRICT, EXIT_ALL_FAILED, EXIT_EMPTY, EXIT_UNWRITABLE = 1, 3, 4, 5
FAILED_STATUSES = ("failed", "needs_ocr")


def exit_code(statuses: dict[str, int], strict: bool = False) -> int:
    """The run's exit code from its documents' statuses (see `councilpapers run --help`)."""
    total = sum(statuses.values())
    failed = sum(statuses.get(s, 0) for s in FAILED_STATUSES)
    if total == 0:
        return EXIT_EMPTY
    if failed == total:
        return EXIT_ALL_FAILED
    return EXIT_STRICT if strict and failed else 0


@cli.command()
@click.option("--table", "table_name", default=None, help="Show one table only.")
def schema(table_name: str | None):
    """Print every output table and column with its type and meaning.

    \b
    Example:
      councilpapers schema --table money
    """
    from .schema import TABLES, describe
    if table_name:
        if table_name not in TABLES:
            raise click.ClickException(f"no table {table_name!r}; tables are: {', '.join(TABLES)}")
        text = describe()
        block = text.split(f"\n{table_name}: ", 1)[1].split("\n\n", 1)[0]
        click.echo(f"{table_name}: {block}")
    else:
        click.echo(describe())


@cli.command()
@click.argument("parsed", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--sqlite", "sqlite_path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="SQLite file to write (replaced atomically): every table with its keys, full-text search on "
                   "decisions, money sentences and page text.")
def export(parsed: Path, sqlite_path: Path):
    """Export a parsed/ folder as one SQLite file for Datasette.

    Money stays exact: each money column as text ('4462000.00') beside an integer
    <column>_pence. Foreign keys link rows to their documents, decisions and tables.

    \b
    Example:
      councilpapers export parsed --sqlite papers.db && datasette papers.db
    """
    from .export import export_sqlite
    from .query import ParsedFolderError, check_parsed_dir
    try:
        check_parsed_dir(parsed)
    except ParsedFolderError as exc:
        raise click.ClickException(str(exc)) from None
    counts = export_sqlite(parsed, sqlite_path)
    click.echo(f"{sum(counts.values())} rows in {len(counts)} tables -> {sqlite_path}", err=True)


@cli.command()
@click.argument("parsed", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--partition-by", "partition_by", default=None, metavar="COLUMNS",
              help="Lay money and plan_lines out by these columns (council_code, fiscal_year); '' for one file "
                   "each; default: as they are.")
def compact(parsed: Path, partition_by: str | None):
    """Rewrite a run's partitioned tables as one sorted file per partition, or lay them out anew.

    Partitions that hold more than the one file a run writes (files added by other tools) are merged, in the
    table's declared order; with --partition-by the tables are re-partitioned (or made one file each) without
    running the pipeline again. The new layout is switched in atomically, like a run's.

    \b
    Example:
      councilpapers compact parsed --partition-by council_code,fiscal_year
    """
    from .compact import compact_run
    from .partition import PartitionError, parse
    from .query import ParsedFolderError
    try:
        by = parse(partition_by) if partition_by is not None else None
        written = compact_run(parsed, by)
    except (PartitionError, ParsedFolderError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(", ".join(f"{name}: {n} partitions" if n else f"{name}: one file" for name, n in written.items())
               or "nothing partitioned", err=True)


def _attach_optional_commands():
    """Commands that live beside their library code."""
    from .councils.cli import councils
    from .fetch.cli import fetch
    from .query import query
    from .review import review
    for command in (councils, fetch, query, review):
        cli.add_command(command)


_attach_optional_commands()


def main():
    cli(prog_name="councilpapers")


if __name__ == "__main__":
    sys.exit(main())
