"""Partitioned output (issue 16 item 4): `--partition-by council_code,fiscal_year` and `councilpapers compact`.

Money and plan lines as hive folders read back as the one-file tables (by our readers, plain pyarrow,
DuckDB and the scorer), a changed paper re-writes only the partitions it is in, and compact gives the
bytes a run writes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.compact import compact_run
from councilpapers.partition import MANIFEST, NULL, PartitionError, parse, read_any
from councilpapers.query import connect
from councilpapers.review import read_parsed
from councilpapers.runner import RunOptions, run

from .conftest import SHARED, requires_shared

pytestmark = requires_shared()
SEEDS = SHARED / "seeds"
BY = ("council_code", "fiscal_year")
SCORE = SHARED / "tools" / "score.py"


def _files(folder: Path) -> dict[str, bytes]:
    """Every Parquet file of a table folder by its path inside it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def _manifest(folder: Path, fingerprints: bool = True) -> dict:
    parts = json.loads((folder / MANIFEST).read_text())["partitions"]
    return {k: {f: v for f, v in e.items() if fingerprints or f != "fingerprint"} for k, e in parts.items()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("partition")
    plain, split = base / "plain", base / "split"
    run(SEEDS, plain, RunOptions(jobs=1))
    run(SEEDS, split, RunOptions(jobs=2, partition_by=BY))
    return plain, split


def test_the_option_takes_known_columns_only():
    assert parse("council_code, fiscal_year") == BY and parse("") == ()
    for bad in ("council", "fiscal_year,fiscal_year", "doc_id"):
        with pytest.raises(PartitionError):
            parse(bad)
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "-o", "/nonexistent/x", "--partition-by", "year"])
    assert result.exit_code == 2 and "--partition-by takes one or both of council_code, fiscal_year" in result.output


def test_partitioned_tables_read_back_as_the_one_file_tables(runs):
    plain, split = runs
    assert (split / "money").is_dir() and not (split / "money.parquet").exists()
    assert (split / "documents.parquet").is_file()  # only money and plan lines are split
    for table in ("money", "plan_lines"):
        one = pq.read_table(plain / f"{table}.parquet")
        back = read_any(split / table, table)
        assert back.select(one.schema.names).equals(one), table
        assert back.schema.names[-1] == "council_code"  # the document's, from the folder names
        # plain pyarrow reads the hive folder as one table, the null partition as null
        hive = pq.read_table(split / table)
        assert hive.num_rows == one.num_rows
        assert [v is None for v in hive.column("fiscal_year").to_pylist()].count(True) == \
            one.column("fiscal_year").null_count
    folders = {p.relative_to(split / "money").parts[:2] for p in (split / "money").rglob("*.parquet")}
    assert ("council_code=E06000058", f"fiscal_year={NULL}") in folders


def test_queries_the_review_and_the_scorer_read_a_partitioned_run_as_a_plain_one(runs):
    plain, split = runs
    sql = "SELECT fiscal_year, kind, count(*), sum(amount_gbp) FROM money GROUP BY ALL ORDER BY ALL"
    assert connect(split).execute(sql).fetchall() == connect(plain).execute(sql).fetchall()
    sql = "SELECT fiscal_year, count(*), sum(amount_gbp) FROM plan_lines GROUP BY ALL ORDER BY ALL"
    assert connect(split).execute(sql).fetchall() == connect(plain).execute(sql).fetchall()
    r0, r1 = read_parsed(plain), read_parsed(split)
    assert [{k: v for k, v in r.items() if k != "council_code"} for r in r1["money"]] == r0["money"]
    scores = [subprocess.run([sys.executable, str(SCORE), str(out), str(SHARED / "gold" / "seeds")],
                             capture_output=True, text=True, check=True).stdout for out in (plain, split)]
    assert scores[0] == scores[1] and "mean_f1=1.000" in scores[1]


def test_jobs_do_not_change_the_partitions(runs, tmp_path):
    _, split = runs
    again = tmp_path / "again"
    run(SEEDS, again, RunOptions(jobs=1, partition_by=BY))
    for table in ("money", "plan_lines"):
        assert _files(again / table) == _files(split / table)
        assert _manifest(again / table) == _manifest(split / table)


def test_a_changed_paper_rewrites_only_the_partitions_it_is_in(tmp_path):
    papers = tmp_path / "papers"
    shutil.copytree(SEEDS, papers)
    out = tmp_path / "out"
    first = run(papers, out, RunOptions(jobs=1, partition_by=BY))
    assert not first.cached
    before = {p: os.stat(out / "money" / p).st_ino for p in _files(out / "money")}
    # a no-op re-run writes nothing and says so
    assert run(papers, out, RunOptions(jobs=1, partition_by=BY)).tables_rewritten is False
    changed = papers / "004_953c1fd3a18ab6ce.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nThe Council noted the report.\n", encoding="utf-8")
    run(papers, out, RunOptions(jobs=1, partition_by=BY))
    meta = json.loads((out / "run.json").read_text())
    money = json.loads((out / "money" / MANIFEST).read_text())["partitions"]
    # the changed paper is in few partitions; every other partition's file is the same file, linked from the
    # last generation
    touched = [k for k, e in money.items() if os.stat(out / "money" / k).st_ino != before.get(k)]
    assert meta["partitions_written"]["money"] == len(touched) < len(money)
    # and the result is byte for byte a clean run's
    clean = tmp_path / "clean"
    run(papers, clean, RunOptions(jobs=1, partition_by=BY, cache=False))
    for table in ("money", "plan_lines"):
        assert _files(out / table) == _files(clean / table)
        assert _manifest(out / table) == _manifest(clean / table)


def test_compact_lays_a_run_out_anew_with_a_runs_bytes(runs, tmp_path):
    plain, split = runs
    out = tmp_path / "out"
    shutil.copytree(plain, out, symlinks=True)
    written = compact_run(out, BY)
    assert written["money"] == len(_manifest(split / "money"))
    for table in ("money", "plan_lines"):
        assert _files(out / table) == _files(split / table)
        assert _manifest(out / table, fingerprints=False) == _manifest(split / table, fingerprints=False)
        # the parts behind them are not known here: the next run writes these partitions once more
        assert {e["fingerprint"] for e in _manifest(out / table).values()} == {None}
    assert not (out / "money.parquet").exists() and json.loads((out / "run.json").read_text())["outputs_key"] is None
    # a partition holding a second file (rows some other tool appended) is merged back into one
    part = next(p for p in sorted((out / "money").rglob("part-0.parquet")) if pq.read_metadata(p).num_rows > 1)
    rows = pq.read_table(part)
    part.unlink()
    pq.write_table(rows.slice(0, 1), part.with_name("part-0.parquet"))
    pq.write_table(rows.slice(1), part.with_name("extra.parquet"))
    compact_run(out)
    assert _files(out / "money") == _files(split / "money")
    # and back to one file each: the one-file run's bytes
    result = CliRunner().invoke(cli, ["compact", str(out), "--partition-by", ""])
    assert result.exit_code == 0, result.output
    for table in ("money", "plan_lines"):
        assert (out / f"{table}.parquet").read_bytes() == (plain / f"{table}.parquet").read_bytes()
        assert not (out / table).exists()


def test_export_reads_a_partitioned_run(runs, tmp_path):
    import sqlite3
    plain, split = runs
    from councilpapers.export import export_sqlite
    assert export_sqlite(split, tmp_path / "s.db") == export_sqlite(plain, tmp_path / "p.db")
    with sqlite3.connect(tmp_path / "s.db") as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(money)")]
    assert "council_code" not in cols


@pytest.mark.parametrize("name", ["01_what_is_in_a_run", "02_money_by_council_year_kind", "03_plan_tables_vs_totals"])
def test_the_notebooks_print_the_same_on_a_partitioned_run(runs, tmp_path, name):
    from tests.conftest import RAW, ROOT
    from tests.test_notebooks import run_notebook
    plain, split = runs
    outputs = []
    for parsed in (plain, split):
        out = tmp_path / parsed.name
        out.mkdir()
        done = run_notebook(ROOT / "notebooks" / f"{name}.py", parsed, out, RAW)
        assert done.returncode == 0, done.stderr[-3000:]
        outputs.append(done.stdout.replace(str(parsed), "PARSED").replace(str(out), "OUT"))
    assert outputs[0] == outputs[1]


def test_a_dask_cluster_writes_the_same_partitions(runs, tmp_path):
    pytest.importorskip("distributed")
    _, split = runs
    run(SEEDS, tmp_path / "dask", RunOptions(jobs=2, cache=False, executor="dask", partition_by=BY))
    for table in ("money", "plan_lines"):
        assert _files(tmp_path / "dask" / table) == _files(split / table)
        assert _manifest(tmp_path / "dask" / table) == _manifest(split / table)


def test_a_partitioned_table_without_rows_is_an_empty_table(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "minutes.txt").write_text("Minutes of the meeting.\nThe Committee noted the report.\n", encoding="utf-8")
    run(papers, tmp_path / "out", RunOptions(jobs=1, partition_by=BY))
    assert _manifest(tmp_path / "out" / "money") == {}
    assert connect(tmp_path / "out").execute("SELECT count(*) FROM money").fetchall() == [(0,)]
    assert read_any(tmp_path / "out" / "money", "money").num_rows == 0
