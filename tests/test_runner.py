"""The batch: every file gets a documents row, bad files become problems, output is deterministic."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from councilpapers.registry import REGISTRY, Extractor
from councilpapers.runner import RunOptions, run
from councilpapers.schema import TABLES

from .conftest import RAW
from .test_loaders import make_pdf


def read(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def test_every_table_is_written_with_its_full_schema(tmp_path):
    (tmp_path / "in").mkdir()
    run(tmp_path / "in", tmp_path / "out")
    for name, spec in TABLES.items():
        table = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        assert table.num_rows == 0
        assert table.schema.names == spec.columns
    meta = json.loads((tmp_path / "out" / "run.json").read_text())
    assert meta["files"] == 0 and set(meta["counts"]) == set(TABLES)


@pytest.fixture
def messy_folder(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub dir").mkdir(parents=True)
    shutil.copy(RAW / "002_198a8d6cb17fe816.txt", folder / "sub dir" / "bcp minutes é.txt")
    shutil.copy(RAW / "003_9e679c4aa4205e30.txt", folder / "report.txt")
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "really_html.pdf").write_bytes(b"<!DOCTYPE html><html><body><p>Meeting: 14/02/2023 - Executive (Item 91)</p></body></html>")
    (folder / "letter.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    (folder / "not_a_pdf.pdf").write_bytes(b"this is not a pdf at all")
    (folder / "cut.pdf").write_bytes(make_pdf(["A page with enough text to be read"])[:300])
    (folder / "good.pdf").write_bytes(make_pdf(["Minutes of the Cabinet meeting held on 26 July 2023",
                                                "RESOLVED that the report be noted."]))
    return folder


def test_bad_files_become_problems_and_good_files_keep_their_rows(messy_folder, tmp_path):
    out = tmp_path / "out"
    summary = run(messy_folder, out)
    docs = {d["source_path"]: d for d in read(out, "documents")}
    assert len(docs) == 8
    problems = read(out, "problems")
    codes = {(p["source_path"], p["code"]) for p in problems}
    assert ("empty.pdf", "empty_file") in codes
    assert ("letter.docx", "unsupported_format") in codes
    assert ("not_a_pdf.pdf", "unreadable_pdf") in codes
    assert ("cut.pdf", "unreadable_pdf") in codes
    assert ("really_html.pdf", "extension_mismatch") in codes
    for bad in ("empty.pdf", "letter.docx", "not_a_pdf.pdf", "cut.pdf"):
        assert docs[bad]["status"] == "failed" and docs[bad]["error"]
    assert docs["really_html.pdf"]["format"] == "html"
    assert docs["good.pdf"]["format"] == "pdf" and docs["good.pdf"]["pages"] == 2
    assert docs["sub dir/bcp minutes é.txt"]["status"] in ("ok", "partial")
    # the good files' rows are all there: same as processing them alone
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(RAW / "003_9e679c4aa4205e30.txt", alone / "report.txt")
    run(alone, tmp_path / "alone_out")
    report_id = docs["report.txt"]["doc_id"]
    for table in ("money", "people", "decisions", "meetings"):
        mine = [r for r in read(out, table) if r["doc_id"] == report_id]
        assert mine == read(tmp_path / "alone_out", table)
    assert summary.statuses.get("failed") == 4


def test_two_runs_are_byte_identical_and_jobs_do_not_matter(messy_folder, tmp_path):
    run(messy_folder, tmp_path / "a", RunOptions(jobs=1))
    run(messy_folder, tmp_path / "b", RunOptions(jobs=1))
    run(messy_folder, tmp_path / "c", RunOptions(jobs=2))
    for name in TABLES:
        a = (tmp_path / "a" / f"{name}.parquet").read_bytes()
        assert a == (tmp_path / "b" / f"{name}.parquet").read_bytes(), name
        assert a == (tmp_path / "c" / f"{name}.parquet").read_bytes(), name


def test_writes_leave_no_temporary_files(messy_folder, tmp_path):
    run(messy_folder, tmp_path / "out")
    out = tmp_path / "out"
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") and p.name not in (".cache", ".current", ".generations")]
    assert leftovers == []
    gens = list((out / ".generations").iterdir())
    assert len(gens) == 1 and not [p for p in gens[0].iterdir() if p.name.startswith(".")]


def test_a_failing_extractor_costs_only_its_own_rows(tmp_path, monkeypatch):
    def boom(doc, out):
        out.add("money", amount_gbp=None)  # would be invalid, but is discarded with the failure
        raise RuntimeError("boom")

    monkeypatch.setitem(REGISTRY, "zz_boom", Extractor("zz_boom", boom, lambda d: True, 99, ("money",)))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW / "002_198a8d6cb17fe816.txt", folder / "a.txt")
    run(folder, tmp_path / "out")
    docs = read(tmp_path / "out", "documents")
    assert docs[0]["status"] == "partial" and "zz_boom failed: RuntimeError: boom" in docs[0]["error"]
    problem = [p for p in read(tmp_path / "out", "problems") if p["extractor"] == "zz_boom"]
    assert [p["code"] for p in problem] == ["extractor_failed"]
    assert all(m["amount_gbp"] is not None for m in read(tmp_path / "out", "money"))


def test_manifest_source_url_is_carried(seed_tables):
    by_name = {d["source_path"]: d for d in seed_tables["documents"]}
    assert by_name["000_0fe07f5f0eb2ab81.txt"]["source_url"].startswith("https://moderngov.middlesbrough.gov.uk/")
    assert by_name["002_198a8d6cb17fe816.txt"]["source_url"] is None


def test_run_json_counts_match_tables(seed_run, seed_tables):
    out, _ = seed_run
    meta = json.loads((out / "run.json").read_text())
    assert meta["counts"] == {name: len(seed_tables[name]) for name in TABLES}
    assert meta["statuses"] and meta["versions"]["pyarrow"]


def _cli_run(*args):
    from click.testing import CliRunner

    from councilpapers.cli import cli
    return CliRunner().invoke(cli, ["run", *map(str, args), "-q"])


def test_exit_codes_tell_an_empty_folder_and_a_run_where_every_file_failed(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _cli_run(empty, "-o", tmp_path / "o1").exit_code == 4
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "a.pdf").write_bytes(b"")
    (bad / "b.docx").write_bytes(b"PK\x03\x04not a paper")
    assert _cli_run(bad, "-o", tmp_path / "o2").exit_code == 3
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.pdf").write_bytes(b"")
    (mixed / "ok.txt").write_text("RESOLVED that the minutes be approved.\n")
    assert _cli_run(mixed, "-o", tmp_path / "o3").exit_code == 0
    assert _cli_run(mixed, "-o", tmp_path / "o4", "--strict").exit_code == 1


def test_an_output_folder_that_cannot_be_written_is_one_line_before_any_work(tmp_path):
    import os
    if os.geteuid() == 0:
        target = Path("/proc/councilpapers-out")  # root may write anywhere a mode allows: use a folder no one can create
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "out"
    src = tmp_path / "in"
    src.mkdir()
    (src / "ok.txt").write_text("RESOLVED that the minutes be approved.\n")
    result = _cli_run(src, "-o", target)
    assert result.exit_code == 5
    assert "cannot write to output folder" in result.output and "Traceback" not in result.output


def test_timeout_counts_from_the_document_not_the_one_time_set_up(tmp_path):
    from councilpapers.runner import RunOptions, run
    summary = run(RAW, tmp_path / "out", RunOptions(jobs=1, timeout_s=0.5, cache=False))  # the probe: 0.5 s
    assert summary.statuses == {"ok": 5}


def test_the_same_decision_printed_in_two_papers_shares_its_key(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "issue.txt").write_text("Issue - meetings\n\nMeeting: 12/02/2024 - Cabinet (Item 7)\n\nDecision:\n\n"
                                      "RESOLVED that the revenue budget for 2024/25 be approved.\n")
    (folder / "minutes.txt").write_text("Cabinet - Monday, 12th February, 2024 6.00 pm\n\n7. Revenue Budget\n\n"
                                        "RESOLVED: That the revenue budget for 2024/25 be approved.\n\n"
                                        "RESOLVED that the capital strategy be approved.\n")
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    rows = pq.read_table(tmp_path / "out" / "decisions.parquet").to_pylist()
    budget = [d for d in rows if "revenue budget" in d["text"]]
    assert len(budget) == 2 and len({d["doc_id"] for d in budget}) == 2
    assert budget[0]["decision_key"] == budget[1]["decision_key"]
    capital = next(d for d in rows if "capital" in d["text"])
    assert capital["decision_key"] != budget[0]["decision_key"]
