"""Incremental and resumable runs: the cache, a kill half way, the per-document timeout."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from councilpapers.registry import REGISTRY, Extractor
from councilpapers.runner import RunOptions, run
from councilpapers.schema import TABLES

from .conftest import RAW, ROOT, SHARED


def make_folder(folder: Path, copies: int) -> None:
    folder.mkdir(parents=True)
    seeds = sorted(RAW.glob("*.txt"))
    for i in range(copies):
        seed = seeds[i % len(seeds)]
        (folder / f"{i:03d}_{seed.name}").write_bytes(seed.read_bytes() + f"\nCopy {i}\n".encode())


def table_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def test_second_run_reads_the_cache_and_writes_the_same_bytes(tmp_path):
    make_folder(tmp_path / "in", 6)
    first = run(tmp_path / "in", tmp_path / "out")
    before = table_bytes(tmp_path / "out")
    second = run(tmp_path / "in", tmp_path / "out")
    assert first.cached == 0 and second.cached == 6
    assert first.tables_rewritten and not second.tables_rewritten
    assert table_bytes(tmp_path / "out") == before
    (tmp_path / "out" / "money.parquet").unlink()  # a table gone: written again
    third = run(tmp_path / "in", tmp_path / "out")
    assert third.tables_rewritten and table_bytes(tmp_path / "out") == before
    forced = run(tmp_path / "in", tmp_path / "out", RunOptions(force=True))
    assert forced.cached == 0 and table_bytes(tmp_path / "out") == before


def test_a_changed_file_is_redone_and_only_it(tmp_path):
    make_folder(tmp_path / "in", 4)
    run(tmp_path / "in", tmp_path / "out")
    changed = sorted((tmp_path / "in").iterdir())[0]
    changed.write_text(changed.read_text() + "\nThe budget is £2.9m.\n")
    again = run(tmp_path / "in", tmp_path / "out")
    assert again.cached == 3


def test_killed_run_resumes_and_equals_a_clean_run(tmp_path):
    make_folder(tmp_path / "in", 60)
    run(tmp_path / "in", tmp_path / "clean", RunOptions(cache=False))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "councilpapers.cli", "run", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "-q"]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    cache = out / ".cache"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if cache.is_dir() and sum(1 for _ in cache.rglob("*.json")) >= 5:
            break
        time.sleep(0.01)
    was_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = sum(1 for _ in cache.rglob("*.json"))
    if was_running:
        assert 0 < done_before < 60
        assert not (out / "documents.parquet").exists()
    resumed = run(tmp_path / "in", out)
    assert resumed.cached == done_before
    assert table_bytes(out) == table_bytes(tmp_path / "clean")


def test_a_hanging_extractor_is_stopped_by_the_timeout(tmp_path, monkeypatch):
    def hang(doc, out):
        if "slow" in doc.source_path:
            time.sleep(30)

    monkeypatch.setitem(REGISTRY, "zz_hang", Extractor("zz_hang", hang, lambda d: True, 99, ()))
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(RAW / "003_9e679c4aa4205e30.txt", folder / "slow.txt")
    shutil.copy(RAW / "004_953c1fd3a18ab6ce.txt", folder / "fine.txt")
    start = time.time()
    summary = run(folder, tmp_path / "out", RunOptions(timeout_s=1, cache=False))
    assert time.time() - start < 20
    docs = {d["source_path"]: d for d in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()}
    assert docs["slow.txt"]["status"] == "failed" and "gave up after 1s" in docs["slow.txt"]["error"]
    assert docs["fine.txt"]["status"] in ("ok", "partial")
    codes = {p["code"] for p in pq.read_table(tmp_path / "out" / "problems.parquet").to_pylist()
             if p["source_path"] == "slow.txt"}
    assert "timeout" in codes


def test_a_tampered_cache_entry_is_refused_and_recomputed(tmp_path):
    """The cache is data with checksums: a money part rewritten as a valid Arrow file with one figure
    changed (£3,290 -> £9,290) cannot pass unnoticed into the tables."""
    import pyarrow as pa
    from councilpapers.cache import encode_part
    shutil.copytree(RAW, tmp_path / "in")
    first = run(tmp_path / "in", tmp_path / "out", RunOptions(jobs=1))
    parts = sorted((tmp_path / "out" / ".cache").rglob("money.arrow"))
    assert parts and all(p.read_bytes().startswith(b"ARROW1") for p in parts)  # data, not a pickle
    rows = pa.ipc.open_file(pa.BufferReader(parts[0].read_bytes())).read_all().to_pylist()
    rows[0]["amount_gbp"] = rows[0]["amount_gbp"] * 3 + 1
    parts[0].write_bytes(encode_part("money", rows))
    new = tmp_path / "in" / "added.txt"  # something changed, so the tables are assembled from the parts
    new.write_bytes(sorted(RAW.glob("*.txt"))[0].read_bytes() + b"\nAdded\n")
    second = run(tmp_path / "in", tmp_path / "out", RunOptions(jobs=1))
    assert len(second.cache_rejected) == 1 and "money.arrow" in second.cache_rejected[0]
    assert second.cached == first.files - 1
    run(tmp_path / "in", tmp_path / "clean", RunOptions(jobs=1, cache=False))
    assert table_bytes(tmp_path / "out") == table_bytes(tmp_path / "clean")


def test_results_of_the_moment_are_not_cached(tmp_path):
    from councilpapers.cache import ResultCache
    from councilpapers.process import DocResult
    cache = ResultCache(tmp_path / "cache")
    doc = {"doc_id": "x", "source_path": "b.txt", "format": "txt", "status": "ok"}
    timed_out = DocResult("a.pdf", "failed", {"problems": [{"code": "timeout", "severity": "error", "message": "m"}],
                                              "documents": [dict(doc, source_path="a.pdf", status="failed")]})
    assert cache.put("k1", timed_out) is None and cache.get("k1") is None
    fine = DocResult("b.txt", "ok", {"problems": [], "documents": [doc]}, pages=1)
    kept = cache.put("k2", fine)
    again = cache.get("k2")
    assert again == kept and (again.source_path, again.status, again.doc_id, again.pages) == ("b.txt", "ok", "x", 1)
    assert again.counts == {"documents": 1} and list(again.parts) == ["documents"]


def test_a_run_that_cannot_finish_writing_leaves_the_previous_tables_whole(tmp_path, monkeypatch):
    """Disk full while rewriting: never new documents beside old money; one clear line; the next run finishes."""
    import errno

    from click.testing import CliRunner

    import councilpapers.assemble as assemble_module
    from councilpapers.cli import cli
    make_folder(tmp_path / "in", 3)
    run(tmp_path / "in", tmp_path / "out")
    before = table_bytes(tmp_path / "out")
    seed = sorted(RAW.glob("*.txt"))[3]
    (tmp_path / "in" / f"003_{seed.name}").write_bytes(seed.read_bytes() + b"\nCopy 3\n")  # a new paper
    written = []

    def full_disk(out_dir, table, parts):
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(table)
        return write_streamed(out_dir, table, parts)

    from councilpapers.writer import write_streamed
    monkeypatch.setattr(assemble_module, "write_streamed", full_disk)
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 5 and "No space left on device" in result.output and "Traceback" not in result.output
    assert table_bytes(tmp_path / "out") == before          # all old, none new
    assert len(list((tmp_path / "out" / ".generations").iterdir())) == 1
    monkeypatch.undo()
    after = run(tmp_path / "in", tmp_path / "out")
    assert after.files == 4 and table_bytes(tmp_path / "out") != before


def test_a_damaged_table_of_the_same_size_is_noticed_and_rewritten(tmp_path):
    make_folder(tmp_path / "in", 3)
    run(tmp_path / "in", tmp_path / "out")
    before = table_bytes(tmp_path / "out")
    target = (tmp_path / "out" / "money.parquet").resolve()
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    again = run(tmp_path / "in", tmp_path / "out")
    assert again.cached == 3 and again.tables_rewritten
    assert table_bytes(tmp_path / "out") == before


def test_a_kill_while_rewriting_the_tables_leaves_the_previous_run_whole(tmp_path):
    """SIGKILL after three of the new tables are written: readers still see every table of the last run."""
    import signal
    import subprocess
    import sys
    make_folder(tmp_path / "in", 3)
    run(tmp_path / "in", tmp_path / "out")
    before = table_bytes(tmp_path / "out")
    seed = sorted(RAW.glob("*.txt"))[3]
    (tmp_path / "in" / f"003_{seed.name}").write_bytes(seed.read_bytes() + b"\nCopy 3\n")
    script = (
        "import os, signal, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import councilpapers.runner as r\n"
        "import councilpapers.assemble as a\n"
        "from councilpapers.writer import write_streamed\n"
        "done = []\n"
        "def dying(out_dir, table, parts):\n"
        "    if len(done) == 3:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    done.append(table)\n"
        "    return write_streamed(out_dir, table, parts)\n"
        "a.write_streamed = dying\n"
        f"r.run({str(tmp_path / 'in')!r}, {str(tmp_path / 'out')!r}, r.RunOptions(jobs=1))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert table_bytes(tmp_path / "out") == before


def test_a_killed_runs_scratch_folder_is_removed_by_the_next_run(tmp_path):
    import socket
    from councilpapers.runner import SCRATCH_OWNER
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    for name, owner in ((".parts-killed", f"{host} {dead.pid}"), (".parts-running", f"{host} {os.getpid()}"),
                        (".parts-elsewhere", f"another-host {dead.pid}"), (".parts-unowned", None)):
        (out / name).mkdir()
        (out / name / "money.arrow").write_bytes(b"x" * 10)
        if owner:
            (out / name / SCRATCH_OWNER).write_text(owner + "\n")
    run(SHARED / "seeds", out, RunOptions(jobs=1))
    assert sorted(p.name for p in out.glob(".parts-*")) == [".parts-elsewhere", ".parts-running", ".parts-unowned"]
