"""Tables assembled from per-document parts (issue 16 items 1 and 2): the same bytes as sorting every row
at once, row group by row group; an unchanged re-run reads no document's result."""
from __future__ import annotations

import io
import random
import shutil

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import councilpapers.cache as cache_module
import councilpapers.writer as writer
from councilpapers.assemble import HELD, STREAMED
from councilpapers.runner import RunOptions, run
from councilpapers.schema import TABLES

from .conftest import RAW, requires_corpus
from .test_resume import make_folder, table_bytes


def _part(table, rows):
    """Rows as the driver reads them back from a worker's part."""
    return pa.ipc.open_file(pa.BufferReader(cache_module.encode_part(table, rows))).read_all()


def test_every_streamed_table_sorts_by_doc_id_first():
    """Documents appended in doc_id order are a streamed table's order only if its key starts with doc_id."""
    assert set(HELD) | set(STREAMED) == set(TABLES)
    assert all(TABLES[name].sort_key[0] == "doc_id" for name in STREAMED)
    assert {"money", "plan_lines", "pages", "people"} <= set(STREAMED)


@pytest.mark.parametrize("group_rows", [7, 65536])
def test_a_streamed_table_has_the_bytes_of_one_written_at_once(seed_tables, tmp_path, monkeypatch, group_rows):
    """Parts of random sizes, across row-group boundaries (7 rows a group), give write_table's bytes."""
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", group_rows)
    rows = writer.sort_rows("money", seed_tables["money"])
    assert len(rows) > 3 * 7
    rng, parts, i = random.Random(1), [], 0
    while i < len(rows):
        n = rng.randint(1, 12)
        parts.append(_part("money", rows[i:i + n]))
        i += n
    writer.write_streamed(tmp_path / "streamed", "money", iter(parts))
    writer.write_table(tmp_path / "whole", "money", rows)
    streamed = (tmp_path / "streamed" / "money.parquet").read_bytes()
    assert streamed == (tmp_path / "whole" / "money.parquet").read_bytes()
    groups = pq.ParquetFile(io.BytesIO(streamed)).num_row_groups
    assert groups == -(-len(rows) // group_rows)
    writer.write_streamed(tmp_path / "empty", "money", iter([]))
    writer.write_table(tmp_path / "empty-whole", "money", [])
    assert (tmp_path / "empty" / "money.parquet").read_bytes() == (tmp_path / "empty-whole" / "money.parquet").read_bytes()


def test_the_driver_keeps_summaries_not_rows(tmp_path):
    summary = run(RAW, tmp_path / "out", RunOptions(jobs=2))
    assert summary.results and all(isinstance(r, cache_module.DocSummary) for r in summary.results)
    assert not any(hasattr(r, "rows") for r in summary.results)
    money = pq.read_table(tmp_path / "out" / "money.parquet")
    assert money.num_rows == sum(r.counts.get("money", 0) for r in summary.results) > 0


def test_an_unchanged_rerun_reads_no_document_result(tmp_path, monkeypatch):
    make_folder(tmp_path / "in", 4)
    run(tmp_path / "in", tmp_path / "out")
    before = table_bytes(tmp_path / "out")

    def untouchable(*args, **kwargs):
        raise AssertionError("a per-document result was read")

    monkeypatch.setattr(cache_module, "read_summary", untouchable)
    monkeypatch.setattr(cache_module, "read_part", untouchable)
    again = run(tmp_path / "in", tmp_path / "out")
    assert again.cached == 4 and not again.tables_rewritten and table_bytes(tmp_path / "out") == before
    assert [r.source_path for r in again.results] == sorted(p.name for p in (tmp_path / "in").iterdir())


def test_one_changed_file_is_the_only_document_read_again(tmp_path):
    make_folder(tmp_path / "in", 4)
    run(tmp_path / "in", tmp_path / "out")
    changed = sorted((tmp_path / "in").iterdir())[1]
    changed.write_bytes(changed.read_bytes() + b"\nThe budget is \xc2\xa32.9m.\n")
    again = run(tmp_path / "in", tmp_path / "out")
    assert again.cached == 3 and again.tables_rewritten
    run(tmp_path / "in", tmp_path / "clean", RunOptions(cache=False))
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "clean")
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".parts-")]  # scratch removed


def test_a_document_of_the_moment_is_tried_again_next_run(tmp_path):
    """A timed-out document's parts live only in the run's scratch folder: the next run is no no-op."""
    from councilpapers.process import DocResult
    shutil.copytree(RAW, tmp_path / "in")
    cache = cache_module.ResultCache(tmp_path / "cache")
    moment = DocResult("a.txt", "failed", {"documents": [{"doc_id": "a", "source_path": "a.txt", "format": "txt",
                                                           "status": "failed"}],
                                           "problems": [{"problem_id": "p", "doc_id": "a", "source_path": "a.txt",
                                                         "severity": "error", "code": "timeout", "message": "late"}]})
    kept = cache_module.store(moment, cache.path("k"), tmp_path / "scratch")
    assert kept.folder.startswith(str(tmp_path / "scratch")) and cache.get("k") is None
    assert cache_module.read_summary(kept.folder).momentary


def test_wide_rows_close_a_row_group_by_bytes_at_a_part_end(seed_tables, tmp_path, monkeypatch):
    """Page texts are wide: a group ends at the end of the part that takes it past ROW_GROUP_BYTES."""
    rows = writer.sort_rows("pages", seed_tables["pages"])
    parts = [_part("pages", [r]) for r in rows]
    limit = sum(p.nbytes for p in parts[:3]) - 1  # the third part crosses it
    monkeypatch.setattr(writer, "ROW_GROUP_BYTES", limit)
    path = writer.write_streamed(tmp_path, "pages", iter(parts))
    meta = pq.ParquetFile(path).metadata
    assert meta.row_group(0).num_rows == 3 and meta.num_rows == len(rows)
    assert pq.read_table(path).to_pylist() == rows


@requires_corpus()
def test_corpus_tables_have_the_bytes_of_every_row_sorted_and_written_at_once(corpus_run, tmp_path):
    """Streamed from 68 documents' parts, each table equals the one write of all its rows (page texts too,
    whose dictionary encoding falls back to plain mid-column: chunked input would encode it otherwise)."""
    out, _ = corpus_run
    for name in TABLES:
        rows = pq.read_table(out / f"{name}.parquet").to_pylist()
        writer.write_table(tmp_path, name, rows)
        assert (tmp_path / f"{name}.parquet").read_bytes() == (out / f"{name}.parquet").read_bytes(), name
