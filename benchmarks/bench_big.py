"""Benchmark: one big file (issue 16 item 7). A whole .txt or web page is one page; it is read in
windows, and every step should be linear in its length.

The text is the corpus's own page text (every paper in ../shared/corpus, loaded by the pipeline),
repeated to 1, 2, 5, 10 and 20 MB (`--sizes`), written as .txt and, at the largest size, as one
HTML page of paragraphs. Each file is processed by `process_file` in a fresh subprocess (its peak
RSS is that document's memory), with the per-document time limit that size gets. The baseline, in
the same run and the same subprocess, is spaCy's tokenizer alone over the same windows: the floor
the pipeline cannot go under. Seconds per MB that stay flat across sizes mean linear work.

    .venv/bin/python benchmarks/bench_big.py [--sizes 1,2,5,10,20] [--html-mb 20]
"""
from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = Path(__file__).with_name("results_big.json")

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from councilpapers.document import text_windows
from councilpapers.manifest import ManifestEntry
from councilpapers.nlp import get_nlp
from councilpapers.process import RunOptions, process_file, time_limit
path = Path(sys.argv[1])
options = RunOptions()
nlp = get_nlp()
nlp.make_doc("warm up")
t = time.perf_counter()
res = process_file(path, path.name, ManifestEntry(), options)
seconds = time.perf_counter() - t
text = "\n".join(r["text"] for r in res.rows.get("pages", []))
t = time.perf_counter()
tokens = sum(len(nlp.make_doc(text[a:b])) for a, b in text_windows(text))
baseline = time.perf_counter() - t
print(json.dumps({"status": res.status, "seconds": seconds, "tokenizer_seconds": baseline, "tokens": tokens,
                  "limit_s": time_limit(options, path.stat().st_size),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "rows": {k: len(v) for k, v in res.rows.items() if k not in ("documents", "pages")}}))
"""


def corpus_text() -> str:
    from councilpapers.load import load_file
    from councilpapers.load.detect import SUPPORTED

    files = sorted(p for p in (SHARED / "corpus").rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
    files = files or sorted((SHARED / "seeds").glob("*.txt"))
    texts = []
    for p in files:
        try:
            texts.extend(page.text for page in load_file(p).pages)
        except Exception:  # noqa: BLE001  (a scanned or broken paper adds nothing)
            continue
    return "\n\n".join(t for t in texts if t.strip())


def write_text(folder: Path, blob: str, mb: float) -> Path:
    n = int(mb * 1_000_000)
    path = folder / f"big_{mb:g}mb.txt"
    path.write_text((blob * (n // len(blob) + 1))[:n], encoding="utf-8")
    return path


def write_html(folder: Path, blob: str, mb: float) -> Path:
    paras = [p for p in blob.split("\n\n") if p.strip()]
    out, size, i = ["<!DOCTYPE html><html><head><title>Committee papers</title></head><body>"], 0, 0
    while size < mb * 1_000_000:
        piece = "<p>" + html.escape(paras[i % len(paras)]).replace("\n", "<br>\n") + "</p>\n"
        out.append(piece)
        size, i = size + len(piece), i + 1
    path = folder / f"big_{mb:g}mb.html"
    path.write_text("".join(out) + "</body></html>", encoding="utf-8")
    return path


def measure(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        return {"status": "crashed", "error": proc.stderr[-500:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,2,5,10,20", help="text sizes in MB")
    ap.add_argument("--html-mb", type=float, default=20.0, help="size of the one HTML page (0: none)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    blob = corpus_text()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [write_text(Path(tmp), blob, float(s)) for s in args.sizes.split(",")]
        if args.html_mb:
            paths.append(write_html(Path(tmp), blob, args.html_mb))
        print(f"{'file':>16} {'MB':>6} {'status':>7} {'s':>7} {'s/MB':>6} {'tokenizer s':>11} {'peak MB':>8} {'limit s':>7}  rows")
        for path in paths:
            mb = path.stat().st_size / 1_000_000
            r = measure(path) | {"file": path.name, "mb": round(mb, 2)}
            results.append(r)
            if r["status"] == "crashed":
                print(f"{path.name:>16} {mb:6.1f} crashed: {r['error']}")
                continue
            print(f"{path.name:>16} {mb:6.1f} {r['status']:>7} {r['seconds']:7.1f} {r['seconds'] / mb:6.2f} "
                  f"{r['tokenizer_seconds']:11.1f} {r['peak_mb']:8.0f} {r['limit_s']:7.0f}  "
                  f"money {r['rows'].get('money', 0)}, people {r['rows'].get('people', 0)}")
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
