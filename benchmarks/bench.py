"""Throughput of the whole pipeline beside the libraries it is built on, in one run.

Every figure is measured over the same PDF pages (the corpus's pdf/ folder) in a fresh
Python process, so peak RSS is per measurement (the child's own ru_maxrss and that of
its own children, e.g. the jobs=2 pool). Measured:

  pipeline jobs=1 / jobs=2   pipeline.runner.run into a temporary folder
  second run                 run again into the same out folder (a cache makes it fast)
  pdfplumber text / tables   page.extract_text() / page.extract_tables() with defaults
  pypdfium2 text             textpage.get_text_bounded()
  largest file               the pipeline on the corpus's largest PDF alone (peak RSS)

Prints a table and writes benchmarks/results.json (sorted keys; timings vary run to run).

    .venv/bin/python benchmarks/bench.py [--corpus ../shared/corpus] [--skip-second-run]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "benchmarks" / "results.json"


# ---------------------------------------------------------------- measurements (child side)

def _pdfplumber(files: list[Path], what: str, every: int) -> int:
    import pdfplumber
    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for i, page in enumerate(pdf.pages):
                if i % every:
                    continue
                if what == "text":
                    page.extract_text()
                else:
                    page.extract_tables()
                page.close()   # drop the page's cached objects, as a long batch would
                pages += 1
    return pages


def _pypdfium2(files: list[Path]) -> int:
    import pypdfium2 as pdfium
    pages = 0
    for path in files:
        pdf = pdfium.PdfDocument(path)
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                textpage = page.get_textpage()
                textpage.get_text_bounded()
                textpage.close()
                page.close()
                pages += 1
        finally:
            pdf.close()
    return pages


def _pipeline(input_dir: Path, out_dir: Path, jobs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from councilpapers.runner import RunOptions, run
    summary = run(input_dir, out_dir, RunOptions(jobs=jobs))
    extra = {"pipeline_pages": summary.pages, "statuses": dict(sorted(summary.statuses.items())),
             "cached_docs": getattr(summary, "cached", None)}
    try:   # the cache is keyed on a hash of the code: edits between run 1 and run 2 mean no hits
        from councilpapers.cache import pipeline_version
        extra["pipeline_version"] = pipeline_version()
    except ImportError:
        pass
    return extra


def measure(kind: str, input_dir: Path, out_dir: Path | None, jobs: int, every: int = 1) -> dict:
    """Run one measurement in this process and return its figures."""
    files = sorted(input_dir.glob("*.pdf"))
    extra: dict = {}
    start = time.perf_counter()
    if kind == "pipeline":
        extra = _pipeline(input_dir, out_dir, jobs)
    elif kind == "pdfplumber_text":
        extra = {"pages_read": _pdfplumber(files, "text", every)}
    elif kind == "pdfplumber_tables":
        extra = {"pages_read": _pdfplumber(files, "tables", every)}
    elif kind == "pypdfium2_text":
        extra = {"pages_read": _pypdfium2(files)}
    else:
        raise SystemExit(f"unknown measurement {kind!r}")
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "peak_rss_mb": max(own, children) / 1024, **extra}


# ---------------------------------------------------------------- orchestration (parent side)

def in_child(kind: str, input_dir: Path, out_dir: Path | None = None, jobs: int = 1, every: int = 1) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", kind, "--input", str(input_dir),
           "--jobs", str(jobs), "--every", str(every)]
    if out_dir is not None:
        cmd += ["--out", str(out_dir)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"measurement {kind} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def count_pages(files: list[Path]) -> dict[str, int]:
    import pypdfium2 as pdfium
    out = {}
    for path in files:
        pdf = pdfium.PdfDocument(path)
        out[path.name] = len(pdf)
        pdf.close()
    return out


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for pkg in ("pdfplumber", "pdfminer.six", "pypdfium2", "pyarrow"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def _rate(pages: int, size: int, m: dict) -> dict:
    """Rates over the pages actually read (a sampled measurement reads a share of the bytes too)."""
    s = m["seconds"]
    if m.get("pages_read") is not None and m["pages_read"] != pages:
        size = size * m["pages_read"] / pages
        pages = m["pages_read"]
    return {**m, "seconds": round(s, 2), "peak_rss_mb": round(m["peak_rss_mb"], 1), "pages": pages,
            "pages_per_s": round(pages / s, 2) if s else None,
            "mb_per_s": round(size / 1048576 / s, 3) if s else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder (its pdf/ is measured)")
    ap.add_argument("--skip-second-run", action="store_true", help="do not time a second run into the same folder")
    ap.add_argument("--skip-tables", action="store_true", help="do not time pdfplumber extract_tables (slowest)")
    ap.add_argument("--pdfplumber-every", type=int, default=2, metavar="N",
                    help="pdfplumber baselines read every Nth page of each file (1 = all; default 2 keeps the "
                         "bench under ~5 minutes; rates are per page read)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    ap.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--jobs", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--every", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure, args.input, args.out, args.jobs, args.every)))
        return 0

    pdf_dir = args.corpus / "pdf"
    files = sorted(pdf_dir.glob("*.pdf")) if pdf_dir.is_dir() else []
    if not files:
        print(f"bench: skipped: no corpus PDFs in {pdf_dir} (pass --corpus PATH)")
        return 0
    page_counts = count_pages(files)
    pages = sum(page_counts.values())
    size = sum(f.stat().st_size for f in files)
    largest = max(files, key=lambda f: (f.stat().st_size, f.name))
    longest = max(files, key=lambda f: (page_counts[f.name], f.name))
    print(f"bench: {len(files)} PDFs, {pages} pages, {size / 1048576:.1f} MB from {pdf_dir}", flush=True)

    results: dict[str, dict] = {}
    tmp = Path(tempfile.mkdtemp(prefix="councilpapers_bench_"))
    try:
        def step(name, kind, input_dir=pdf_dir, out_dir=None, jobs=1, n_pages=pages, n_bytes=size, every=1):
            started = time.perf_counter()
            print(f"  {name} ...", end="", flush=True)
            results[name] = _rate(n_pages, n_bytes, in_child(kind, input_dir, out_dir, jobs, every))
            print(f" {time.perf_counter() - started:.1f}s", flush=True)

        step("pypdfium2 text", "pypdfium2_text")
        step("pipeline jobs=1", "pipeline", out_dir=tmp / "j1", jobs=1)
        step("pipeline jobs=2", "pipeline", out_dir=tmp / "j2", jobs=2)
        if not args.skip_second_run:   # run 1 is "pipeline jobs=2"; run 2 goes into the same folder
            step("pipeline jobs=2 second run", "pipeline", out_dir=tmp / "j2", jobs=2)
        every = max(1, args.pdfplumber_every)
        step("pdfplumber text", "pdfplumber_text", every=every)
        if not args.skip_tables:
            step("pdfplumber tables", "pdfplumber_tables", every=every)
        for label, path in (("largest file", largest), ("most pages file", longest)):
            alone = tmp / f"{label.replace(' ', '_')}_in"
            alone.mkdir()
            os.symlink(path, alone / path.name)
            step(f"pipeline {label}", "pipeline", input_dir=alone, out_dir=tmp / f"{label.replace(' ', '_')}_out",
                 jobs=1, n_pages=page_counts[path.name], n_bytes=path.stat().st_size)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def ratio(a, b):
        """How many times more pages per second `a` reads than `b`."""
        if a in results and b in results and results[b]["pages_per_s"]:
            return round(results[a]["pages_per_s"] / results[b]["pages_per_s"], 2)
        return None

    ratios = {
        "pipeline_j1_vs_pdfplumber_text": ratio("pipeline jobs=1", "pdfplumber text"),
        "pipeline_j1_vs_pdfplumber_tables": ratio("pipeline jobs=1", "pdfplumber tables"),
        "pipeline_j1_vs_pypdfium2_text": ratio("pipeline jobs=1", "pypdfium2 text"),
        "pipeline_j2_vs_j1": ratio("pipeline jobs=2", "pipeline jobs=1"),
        "second_run_speedup": ratio("pipeline jobs=2 second run", "pipeline jobs=2"),
    }
    report = {
        "command": "make bench  (.venv/bin/python benchmarks/bench.py)",
        "corpus": {"pdf_files": len(files), "pages": pages, "mb": round(size / 1048576, 2),
                   "largest_file": largest.name, "largest_file_pages": page_counts[largest.name],
                   "largest_file_mb": round(largest.stat().st_size / 1048576, 2),
                   "most_pages_file": longest.name, "most_pages_file_pages": page_counts[longest.name]},
        "pdfplumber_every": every,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.machine()},
        "versions": _versions(),
        "measurements": results,
        "ratios": {"note": "x = pages/s of the first named / pages/s of the second",
                   **ratios},
        "targets": {"pipeline_j1_vs_pdfplumber_text": ">= 3", "second_run_speedup": ">= 20"},
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")

    print()
    print(f"{'measurement':<28}{'seconds':>9}{'pages/s':>10}{'MB/s':>8}{'peak RSS MB':>13}")
    for name, m in results.items():
        print(f"{name:<28}{m['seconds']:>9.2f}{m['pages_per_s']:>10.1f}{m['mb_per_s']:>8.2f}{m['peak_rss_mb']:>13.1f}")
    print()
    for name, value in ratios.items():
        print(f"{name:<36}{'n/a' if value is None else f'{value:.2f}x'}")
    second = results.get("pipeline jobs=2 second run")
    if second is not None:
        first_version = results["pipeline jobs=2"].get("pipeline_version")
        print(f"second run: {second.get('cached_docs')} of {len(files)} documents from the cache"
              + ("" if second.get("pipeline_version") == first_version else
                 " (pipeline code changed between the runs, so the cache could not be used)"))
    print(f"\n(largest file: {largest.name}, {page_counts[largest.name]} pages; most pages: {longest.name}, "
          f"{page_counts[longest.name]} pages; pdfplumber read every {every} page(s))")
    print(f"wrote {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
