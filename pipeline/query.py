"""SQL over a parsed/ folder: every table a DuckDB view, plus a few named queries.

DuckDB reads the Parquet files in place, so `amount_gbp` stays DECIMAL(18,2) all the
way to the answer (sums come back as exact DECIMALs, never floats). The folder is
checked first, because the errors people actually meet are a wrong or empty folder
and one written by an older schema version; each becomes a one-line message.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path

import click

from .schema import SCHEMA_VERSION, TABLES

FORMATS = ("table", "csv", "json", "parquet")


class ParsedFolderError(Exception):
    """The parsed/ folder cannot be queried (missing, empty, or another schema version)."""


class QueryError(Exception):
    """DuckDB refused the SQL; the message is DuckDB's own."""


# --------------------------------------------------------------------------- the folder

def schema_version_of(parsed: Path) -> tuple[str | None, str]:
    """The schema version a parsed folder was written with, and where that was read."""
    for name in ("run.json", "datapackage.json"):
        path = parsed / name
        if path.is_file():
            try:
                meta = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ParsedFolderError(f"{path} is not readable JSON ({exc}); re-run `councilpapers run`") from exc
            version = meta.get("schema_version") if isinstance(meta, dict) else None
            return (str(version) if version is not None else None), name
    import pyarrow.parquet as pq
    for path in sorted(parsed.glob("*.parquet")):
        meta = pq.read_schema(path).metadata or {}
        version = meta.get(b"schema_version")
        return (version.decode() if version else None), path.name
    return None, ""


def check_parsed_dir(parsed: Path) -> dict[str, Path]:
    """Return {table: parquet path} for a usable parsed folder, or raise ParsedFolderError."""
    parsed = Path(parsed)
    hint = f"run `councilpapers run raw/ -o {parsed}` first"
    if not parsed.exists():
        raise ParsedFolderError(f"parsed folder {parsed} does not exist; {hint}")
    if not parsed.is_dir():
        raise ParsedFolderError(f"{parsed} is a file, not a parsed folder")
    from .writer import current_generation
    base = current_generation(parsed)  # one complete run, resolved once: never tables of two runs
    files = {p.stem: p for p in sorted(base.glob("*.parquet"))}
    from .partition import is_partitioned
    files.update({p.name: p for p in sorted(base.iterdir()) if p.name in TABLES and is_partitioned(p)})
    if not files:
        raise ParsedFolderError(f"{parsed} holds no tables (no *.parquet files); {hint}")
    version, source = schema_version_of(parsed)
    if version is None:
        raise ParsedFolderError(f"{parsed} does not say which schema version wrote it ({source or 'no run.json'}); "
                                f"re-run `councilpapers run` to rebuild it")
    if version != SCHEMA_VERSION:
        raise ParsedFolderError(f"{parsed} was written with schema version {version} but this councilpapers "
                                f"reads version {SCHEMA_VERSION}; re-run `councilpapers run` to rebuild it")
    return files


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _views():
    """The derived views (pipeline/queries/views/NAME.sql), by name."""
    folder = resources.files("councilpapers") / "queries" / "views"
    return sorted((e.name[:-4], e.read_text(encoding="utf-8")) for e in folder.iterdir() if e.name.endswith(".sql"))


def _partitioned_sql(name: str, folder: Path) -> str:
    """A partitioned table (partition.py) as DuckDB reads it: the hive folders, their columns typed as text (not
    guessed: '2025-26' is no date), in the declared column order, `council_code` after them where undeclared."""
    from .partition import read_manifest
    by = read_manifest(folder)["partition_by"]
    literal = str((folder / "**" / "*.parquet").resolve()).replace("'", "''")
    types = ", ".join(f"'{c}': VARCHAR" for c in by)
    declared = list(TABLES[name].arrow.names)
    columns = ", ".join(_quote(c) for c in declared + [c for c in by if c not in declared])
    return f"SELECT {columns} FROM read_parquet('{literal}', hive_partitioning = true, hive_types = {{{types}}})"


def connect(parsed: Path):
    """A DuckDB connection with one view per table of the folder.

    Declared tables whose file is missing become empty views of the right types, so
    a named query never fails only because a table was not written.
    """
    import duckdb
    files = check_parsed_dir(parsed)
    con = duckdb.connect(":memory:")
    for name, path in files.items():
        if path.is_dir():
            from .partition import files_of, read_partitioned
            if not files_of(path):  # no partition at all: DuckDB's glob would find no file to read
                con.register(f"_empty_{name}", read_partitioned(path, name))
                con.execute(f"CREATE VIEW {_quote(name)} AS SELECT * FROM {_quote('_empty_' + name)}")
            else:
                con.execute(f"CREATE VIEW {_quote(name)} AS {_partitioned_sql(name, path)}")
            continue
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"CREATE VIEW {_quote(name)} AS SELECT * FROM read_parquet('{literal}')")
    for name, spec in TABLES.items():
        if name not in files:
            con.register(f"_empty_{name}", spec.arrow.empty_table())
            con.execute(f"CREATE VIEW {_quote(name)} AS SELECT * FROM {_quote('_empty_' + name)}")
    for name, sql in _views():
        # derived views over the tables ('counted_savings'): what several named queries count the same way
        con.execute(f"CREATE VIEW {_quote(name)} AS {sql}")
    return con


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]
    arrow: object = None  # pyarrow.Table, when asked for


def run_query(parsed: Path, sql: str, *, arrow: bool = False) -> Result:
    """Run one SQL statement over the folder; DuckDB's errors become QueryError."""
    import duckdb
    con = connect(parsed)
    try:
        if arrow:
            rel = con.sql(sql)
            if rel is None:
                return Result([], [])
            fetch = getattr(rel, "to_arrow_table", None) or rel.arrow  # renamed in duckdb 2
            table = fetch()
            return Result(list(table.column_names), [tuple(r.values()) for r in table.to_pylist()], table)
        cur = con.execute(sql)
        if cur.description is None:
            return Result([], [])
        columns = [d[0] for d in cur.description]
        return Result(columns, cur.fetchall())
    except duckdb.Error as exc:
        message = str(exc).strip()
        if isinstance(exc, duckdb.CatalogException):
            names = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE NOT starts_with(table_name, '_empty_') "
                "ORDER BY table_name").fetchall()]
            message += f"\n(tables here: {', '.join(names)})"
        raise QueryError(message) from None
    finally:
        con.close()


# --------------------------------------------------------------------------- named queries

@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    sql: str
    origin: str


def _description(sql: str) -> str:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(x for x in lines if x)


def named_queries(extra_dir: Path | None = None) -> dict[str, NamedQuery]:
    """The packaged queries, overridden by same-named .sql files in extra_dir (default ./queries)."""
    found: dict[str, NamedQuery] = {}
    for entry in sorted((resources.files("councilpapers") / "queries").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql"):
            sql = entry.read_text(encoding="utf-8")
            found[entry.name[:-4]] = NamedQuery(entry.name[:-4], _description(sql), sql, "packaged")
    extra = Path("queries") if extra_dir is None else Path(extra_dir)
    if extra.is_dir():
        for path in sorted(extra.glob("*.sql")):
            sql = path.read_text(encoding="utf-8")
            if found.get(path.stem) and found[path.stem].sql == sql:
                continue
            found[path.stem] = NamedQuery(path.stem, _description(sql), sql, str(path))
    return dict(sorted(found.items()))


# --------------------------------------------------------------------------- output

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _numeric(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def format_table(columns: list[str], rows: list[tuple], max_width: int = 48) -> str:
    """A plain-text table: numbers right-aligned, long cells cut with '…', row count below."""
    def cut(text: str) -> str:
        text = " ".join(text.split()) if ("\n" in text or "\t" in text) else text
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cut(_cell(v)) for v in row] for row in rows]
    right = [any(_numeric(row[i]) for row in rows) and all(row[i] is None or _numeric(row[i]) for row in rows)
             for i in range(len(columns))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def to_csv(columns: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _json_value(value):
    # Decimals go out as strings: a JSON number would be read back as a float.
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return _cell(value)


def to_json(columns: list[str], rows: list[tuple]) -> str:
    records = [{c: _json_value(v) for c, v in zip(columns, row)} for row in rows]
    return json.dumps(records, indent=2, ensure_ascii=False) + "\n"


def to_parquet_bytes(table) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------- command

@click.command("query")
@click.argument("sql", required=False)
@click.option("--parsed", "parsed", type=click.Path(path_type=Path), default=Path("parsed"), show_default=True,
              help="The parsed/ folder written by `councilpapers run`.")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="table (default on screen), csv, json or parquet (parquet needs -o).")
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the result to this file (format from --format, else from the file's extension).")
@click.option("-n", "--named", "named", default=None, help="Run a named query (see --list) instead of SQL.")
@click.option("--list", "list_named", is_flag=True, help="List the named queries and the tables, then stop.")
@click.option("--max-width", type=int, default=48, show_default=True, help="Cut table cells wider than this.")
def query(sql, parsed, fmt, out_file, named, list_named, max_width):
    """Run SQL over a parsed/ folder with DuckDB; every table is a view.

    Tables: documents, meetings, decisions, money, quantities, tables,
    plan_lines, people, mentions, pages, problems (see `councilpapers
    schema`), and the view counted_savings (each saving plan line that
    counts, once). Money columns stay exact DECIMAL(18,2). Named queries live in
    pipeline/queries/*.sql; a ./queries/NAME.sql of your own is found too.
    JSON output writes decimals as strings so they stay exact.

    \b
    Example:
      councilpapers query "SELECT kind, count(*) n, sum(amount_gbp) total FROM money GROUP BY kind ORDER BY total DESC"
      councilpapers query --named savings_by_council_year
      councilpapers query --named largest_overspends --format csv -o overspends.csv
      councilpapers query --list
    """
    queries = named_queries()
    if list_named:
        width = max((len(n) for n in queries), default=0)
        for q in queries.values():
            click.echo(f"{q.name.ljust(width)}  {q.description}")
        click.echo(f"\ntables: {', '.join(TABLES)}")
        return
    if named and sql:
        raise click.ClickException("give either SQL or --named NAME, not both")
    if named:
        if named not in queries:
            raise click.ClickException(f"no named query {named!r}; named queries are: {', '.join(queries)}")
        sql = queries[named].sql
    if not sql or not sql.strip():
        raise click.ClickException('no SQL given: councilpapers query "SELECT ..." (or --named NAME, --list)')
    if fmt is None:
        suffix = out_file.suffix.lower().lstrip(".") if out_file else ""
        if out_file is not None and suffix not in FORMATS + ("txt",):
            # 'x.xlsx' would get the screen table under a name that promises a spreadsheet
            raise click.ClickException(f"cannot tell the format from {out_file.name!r}: use .csv, .json, .parquet or "
                                       ".txt (the screen table), or --format")
        fmt = {"txt": "table"}.get(suffix, suffix) or "table"
    if fmt == "parquet" and out_file is None:
        raise click.ClickException("--format parquet needs -o FILE")
    try:
        result = run_query(parsed, sql, arrow=(fmt == "parquet"))
    except (ParsedFolderError, QueryError) as exc:
        raise click.ClickException(str(exc)) from None
    if fmt == "parquet":
        data = to_parquet_bytes(result.arrow)
    elif fmt == "csv":
        data = to_csv(result.columns, result.rows).encode()
    elif fmt == "json":
        data = to_json(result.columns, result.rows).encode()
    else:
        data = format_table(result.columns, result.rows, max_width).encode()
    if out_file is None:
        click.echo(data.decode(), nl=False)
    else:
        from .writer import atomic_write_bytes
        atomic_write_bytes(out_file, data)
        click.echo(f"{len(result.rows)} rows -> {out_file}", err=True)
