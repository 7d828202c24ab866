"""Benchmark: a corpus that grows (issue 16 items 1, 2 and 8). Documents per second and the main
process's peak memory for the same papers copied 1x, 16x and 64x, on the local pool and on a
2-worker Dask LocalCluster, measured in one run; then an unchanged re-run and a re-run with one
changed file of the largest folder; then many small papers, to see the driver's memory per document.

Copies have distinct bytes (a comment appended to each PDF and page), so each is a document of its
own. Each run is a fresh `councilpapers run` subprocess; its main-process peak is that process's own
`ru_maxrss` (the workers are children and not counted). The baseline, in the same run, is the code of
`--baseline REV` (default: the commit before the parts, whose driver held every row) on the largest
folder, run from a git worktree of that revision.

    .venv/bin/python benchmarks/bench_scale.py [--copies 1,16,64] [--small 10000] [--executors local,dask]
    .venv/bin/python benchmarks/bench_scale.py --incremental-only --results benchmarks/results_incremental.json

With `--partition-by` (default council_code,fiscal_year) the re-runs are measured again with money and
plan lines partitioned (issue 16 item 4), over a copy of the same cache.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = Path(__file__).with_name("results_scale.json")
BASELINE_REV = "b756f69"  # the driver held every document's rows until the tables were written

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from councilpapers.runner import RunOptions, run
t = time.perf_counter()
by = tuple(c for c in (sys.argv[5] if len(sys.argv) > 5 else "").split(",") if c)
s = run(Path(sys.argv[1]), Path(sys.argv[2]), RunOptions(jobs=int(sys.argv[3]), executor=sys.argv[4], partition_by=by))
print(json.dumps({"seconds": time.perf_counter() - t, "files": s.files, "pages": s.pages, "cached": s.cached,
                  "tables_rewritten": s.tables_rewritten, "statuses": s.statuses,
                  "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "cpu_seconds": sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime
                                     for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))}))
"""


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(p for sub in ("pdf", "html") for p in (corpus / sub).glob("*") if p.suffix.lower() in (".pdf", ".html", ".htm"))


def make_copies(files: list[Path], copies: int, dest: Path) -> None:
    """`copies` copies of every file, each with bytes of its own (a trailing comment after %%EOF or </html>)."""
    for c in range(copies):
        folder = dest / f"copy-{c:04d}"
        folder.mkdir(parents=True)
        for f in files:
            mark = f"\n%copy {c}\n" if f.suffix.lower() == ".pdf" else f"\n<!-- copy {c} -->\n"
            (folder / f.name).write_bytes(f.read_bytes() + mark.encode())


def make_small(n: int, dest: Path) -> None:
    """n small text papers: the seeds' minutes, each with a line of its own."""
    seeds = sorted((ROOT / "raw").glob("*.txt"))
    dest.mkdir(parents=True)
    for i in range(n):
        seed = seeds[i % len(seeds)]
        (dest / f"{i:06d}_{seed.name}").write_bytes(seed.read_bytes() + f"\nCopy {i}\n".encode())


def child(input_dir: Path, out_dir: Path, jobs: int, executor: str, pythonpath: Path | None = None,
          partition_by: str = "") -> dict:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    argv = [str(input_dir), str(out_dir), str(jobs), executor] + ([partition_by] if partition_by else [])
    proc = subprocess.run([sys.executable, "-c", _CHILD, *argv],
                          capture_output=True, text=True, env=env, cwd=pythonpath or ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"run failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["docs_per_s"] = out["files"] / out["seconds"]
    out["pages_per_cpu_s"] = out["pages"] / out["cpu_seconds"] if out["cpu_seconds"] else None
    out["output_mb"] = sum(p.stat().st_size for p in (Path(out_dir) / ".current").resolve().rglob("*.parquet")) / 2 ** 20
    return out


def baseline_tree(rev: str, work: Path) -> Path:
    """The package of revision `rev` importable as `councilpapers` from the returned folder."""
    tree = work / "baseline-src"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-f", str(tree), rev],
                   check=True, capture_output=True)
    pkg = work / "baseline" / "councilpapers"
    pkg.mkdir(parents=True)
    for entry in (tree / "pipeline").iterdir():
        (pkg / entry.name).symlink_to(entry)
    (pkg / "extractors").symlink_to(tree / "extractors")
    return work / "baseline"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--copies", default="1,16,64")
    ap.add_argument("--small", type=int, default=10000, help="small text papers for the driver-memory run (0: skip)")
    ap.add_argument("--executors", default="local,dask")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--baseline", default=BASELINE_REV, help="git revision to compare with ('' to skip)")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--partition-by", default="council_code,fiscal_year",
                    help="also measure the re-runs with money and plan lines partitioned so ('' to skip)")
    ap.add_argument("--incremental-only", action="store_true",
                    help="only the largest folder's first run and its re-runs (no Dask, baseline or small papers)")
    args = ap.parse_args()
    if args.incremental_only:
        args.copies, args.executors, args.baseline, args.small = args.copies.split(",")[-1], "local", "", 0
    files = corpus_files(args.corpus)
    copies = [int(c) for c in args.copies.split(",")]
    report = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count()}, "jobs": args.jobs,
              "corpus_files": len(files), "runs": [], "incremental": {}, "small": None, "baseline": None}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        for n in copies:
            folder = work / f"in-{n}"
            make_copies(files, n, folder)
            for executor in args.executors.split(","):
                out = work / f"out-{n}-{executor}"
                r = child(folder, out, args.jobs, executor)
                report["runs"].append({"copies": n, "executor": executor, **r})
                print(f"{r['files']:>6} docs {r['pages']:>7} pages  {executor:<5} {r['seconds']:7.1f} s  "
                      f"{r['docs_per_s']:6.2f} docs/s  {r['pages_per_cpu_s']:5.1f} pages/CPU-s  "
                      f"main peak {r['main_peak_mb']:6.0f} MB", flush=True)
                if n != copies[-1] or executor != "local":
                    shutil.rmtree(out)
        n = copies[-1]
        folder, out = work / f"in-{n}", work / f"out-{n}-local"
        noop = child(folder, out, args.jobs, "local")
        target = sorted(folder.rglob("*.pdf"))[0]
        target.write_bytes(target.read_bytes() + b"\n%changed\n")
        one = child(folder, out, args.jobs, "local")
        report["incremental"] = {"documents": noop["files"], "no_op": noop, "one_changed": one,
                                 "ratio": one["seconds"] / noop["seconds"]}
        print(f"re-run of {noop['files']} docs: unchanged {noop['seconds']:.1f} s (peak {noop['main_peak_mb']:.0f} MB), "
              f"one changed {one['seconds']:.1f} s (peak {one['main_peak_mb']:.0f} MB): "
              f"{report['incremental']['ratio']:.2f}x", flush=True)
        if args.partition_by:
            # the same re-runs with partitioned money and plan lines, over a copy of the cache (hard links):
            # the first run only assembles, then unchanged, then a second file changed
            part = work / f"out-{n}-partitioned"
            part.mkdir()
            subprocess.run(["cp", "-al", str(out / ".cache"), str(part / ".cache")], check=True)
            first = child(folder, part, args.jobs, "local", partition_by=args.partition_by)
            p_noop = child(folder, part, args.jobs, "local", partition_by=args.partition_by)
            target = sorted(folder.rglob("*.pdf"))[1]
            target.write_bytes(target.read_bytes() + b"\n%changed\n")
            p_one = child(folder, part, args.jobs, "local", partition_by=args.partition_by)
            written = json.loads((part / "run.json").read_text())["partitions_written"]
            report["incremental_partitioned"] = {
                "partition_by": args.partition_by, "documents": p_noop["files"], "first_assembly": first,
                "no_op": p_noop, "one_changed": p_one, "ratio": p_one["seconds"] / p_noop["seconds"],
                "partitions_written": written}
            print(f"partitioned by {args.partition_by}: assembled from the cache {first['seconds']:.1f} s, "
                  f"unchanged {p_noop['seconds']:.1f} s, one changed {p_one['seconds']:.1f} s "
                  f"(peak {p_one['main_peak_mb']:.0f} MB, partitions written {written}): "
                  f"{report['incremental_partitioned']['ratio']:.2f}x", flush=True)
        if args.baseline:
            path = baseline_tree(args.baseline, work)
            try:
                b = child(folder, work / "out-baseline", args.jobs, "local", pythonpath=path)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "baseline-src")],
                               capture_output=True)
            report["baseline"] = {"revision": args.baseline, "documents": b["files"], **b}
            print(f"baseline {args.baseline}: {b['files']} docs {b['seconds']:.1f} s, main peak {b['main_peak_mb']:.0f} MB",
                  flush=True)
        if args.small:
            small = work / "small"
            make_small(args.small, small)
            r = child(small, work / "out-small", args.jobs, "local")
            report["small"] = r
            print(f"{r['files']} small papers: {r['seconds']:.1f} s, main peak {r['main_peak_mb']:.0f} MB", flush=True)
    args.results.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results}")


if __name__ == "__main__":
    main()
