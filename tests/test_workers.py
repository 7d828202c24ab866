"""Documents run in worker processes under limits that hold inside C code (issue 14, item 1).

Each probe is made here: an extractor that kills its own worker (what the OOM killer does), one that
blocks inside C for longer than --timeout, one that allocates past the memory cap, and a parent killed
while its workers run.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import textwrap
import time

import pyarrow.parquet as pq
import pytest

from councilpapers.registry import REGISTRY, Extractor
from councilpapers.runner import RunOptions, run


def _folder(tmp_path, names):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(f"RESOLVED that the {name} report be noted.\n")
    return folder


def _with_extractor(monkeypatch, func):
    monkeypatch.setitem(REGISTRY, "probe", Extractor("probe", func, lambda doc: "bad" in doc.source_path, order=99))


def _docs(out):
    return {d["source_path"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}


def _codes(out):
    codes: dict[str, set[str]] = {}
    for p in pq.read_table(out / "problems.parquet").to_pylist():
        codes.setdefault(p["source_path"], set()).add(p["code"])
    return codes


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_worker_killed_mid_run_costs_only_its_document(tmp_path, monkeypatch, jobs):
    _with_extractor(monkeypatch, lambda doc, out: os.kill(os.getpid(), signal.SIGKILL))
    folder = _folder(tmp_path, ["a.txt", "bad.txt", "c.txt", "d.txt"])
    summary = run(folder, tmp_path / "out", RunOptions(jobs=jobs))
    docs = _docs(tmp_path / "out")
    assert {k: v["status"] for k, v in docs.items()} == {"a.txt": "ok", "bad.txt": "failed", "c.txt": "ok", "d.txt": "ok"}
    assert _codes(tmp_path / "out")["bad.txt"] == {"worker_died"} and "SIGKILL" in docs["bad.txt"]["error"]
    assert summary.files == 4
    again = run(folder, tmp_path / "out", RunOptions(jobs=jobs))  # not cached: the next run tries again
    assert again.cached == 3


def test_timeout_is_enforced_by_the_parent_even_inside_c_code(tmp_path, monkeypatch):
    libc = ctypes.CDLL("libc.so.6")
    _with_extractor(monkeypatch, lambda doc, out: libc.sleep(60))  # SIGALRM's handler cannot run in here
    folder = _folder(tmp_path, ["a.txt", "bad.txt"])
    started = time.monotonic()
    run(folder, tmp_path / "out", RunOptions(jobs=2, timeout_s=1.0))
    assert time.monotonic() - started < 20
    assert _codes(tmp_path / "out")["bad.txt"] == {"timeout"}
    assert _docs(tmp_path / "out")["a.txt"]["status"] == "ok"


def test_a_document_over_the_memory_cap_gets_a_problems_row(tmp_path, monkeypatch):
    def hog(doc, out):
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, far over the cap
        out.add("money", amount_gbp=len(blocks))

    _with_extractor(monkeypatch, hog)
    folder = _folder(tmp_path, ["a.txt", "bad.txt"])
    run(folder, tmp_path / "out", RunOptions(jobs=2, max_memory_mb=300))
    assert _codes(tmp_path / "out")["bad.txt"] & {"memory_limit", "worker_died"}
    assert _docs(tmp_path / "out")["bad.txt"]["status"] == "failed"
    assert _docs(tmp_path / "out")["a.txt"]["status"] == "ok"


def test_workers_die_with_their_parent(tmp_path):
    """The main process killed (SIGKILL): its workers do not run on as orphans."""
    script = tmp_path / "parent.py"
    script.write_text(textwrap.dedent(f"""
        import ctypes, os, sys, time
        sys.path.insert(0, {str(os.getcwd())!r})
        from councilpapers.pool import run_tasks
        def task(t):
            # one write of one line: print() writes the number and its newline separately, and two
            # workers sharing the pipe can interleave them ('123456' '234567\\n' '\\n')
            os.write(1, (str(os.getpid()) + "\\n").encode())
            ctypes.CDLL("libc.so.6").sleep(120)
        run_tasks([1, 2], 2, func=task, on_done=lambda i, r: None, on_lost=lambda i, c, m: None)
    """))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    pids = [int(proc.stdout.readline()) for _ in range(2)]
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") and _alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "State:\tZ" not in fh.read()
    except OSError:
        return False


def _bomb_pdf(inflated_mb: int) -> bytes:
    """A valid one-page PDF whose content stream inflates to `inflated_mb` MB."""
    import zlib
    comp = zlib.compressobj(9)
    block = b"0 0 m 1 1 l S\n" * 74898  # about 1 MB of drawing operators
    stream = b"".join(comp.compress(block) for _ in range(inflated_mb)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_the_issues_folder_two_seeds_a_bomb_a_link_out_and_junk(tmp_path, monkeypatch):
    """Issue 14's done-when, scaled down: the bomb (here 300 MB against a 64 MB stream limit) is refused
    before PDFium renders it, the junk is not text, the link is not read, the seeds' rows are all there."""
    import dataclasses
    import shutil

    import councilpapers.load.pdf as pdf_loader
    from tests.conftest import RAW
    monkeypatch.setattr(pdf_loader, "LIMITS", dataclasses.replace(pdf_loader.LIMITS, max_inflated_mb=64))
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = sorted(RAW.glob("*.txt"))[:2]
    for seed in seeds:
        shutil.copy(seed, folder / seed.name)
    (folder / "bomb.pdf").write_bytes(_bomb_pdf(300))
    (folder / "junk.html").write_bytes(os.urandom(512 * 1024))
    os.symlink("/etc/passwd", folder / "passwd.txt")
    started = time.monotonic()
    run(folder, tmp_path / "out", RunOptions(jobs=2, timeout_s=20))
    assert time.monotonic() - started < 30
    docs = _docs(tmp_path / "out")
    assert all(docs[s.name]["status"] == "ok" for s in seeds)
    codes = _codes(tmp_path / "out")
    assert "pdf_stream_too_large" in codes["bomb.pdf"] and "not_text" in codes["junk.html"]
    assert codes["passwd.txt"] == {"symlink_outside_input"}


def _nap(seconds):
    ctypes.CDLL("libc.so.6").sleep(int(seconds))  # inside C: only the parent's clock can stop it
    return seconds


def test_each_task_has_its_own_time_limit():
    """A big file's longer budget is its own: the same nap is lost under a 1 s limit and done under 5 s."""
    from councilpapers.pool import run_tasks

    done, lost = {}, {}
    run_tasks([2, 2], 2, func=_nap, on_done=lambda i, r: done.__setitem__(i, r),
              on_lost=lambda i, code, m: lost.__setitem__(i, code), timeout_s=[1.0, 5.0])
    assert done == {1: 2} and lost == {0: "timeout"}


def test_the_time_limit_grows_with_the_file():
    from councilpapers.process import TIMEOUT_STEP_MB, time_limit

    step = TIMEOUT_STEP_MB * 2 ** 20
    assert time_limit(RunOptions(timeout_s=300), 10_000) == 300
    assert time_limit(RunOptions(timeout_s=300), step) == 300
    assert time_limit(RunOptions(timeout_s=300), 5 * step) == 1500  # a 50 MB text: five times a report's
    assert time_limit(RunOptions(timeout_s=300), 5 * step + 1) == 1800
    assert time_limit(RunOptions(timeout_s=0), 5 * step) == 0
