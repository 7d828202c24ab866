"""Pages per second of plan-table extraction beside plain pdfplumber.

For every PDF in the corpus: (a) our reader (PDFium words and ruling lines, pdfplumber's
table finder on them) on the pages the text pre-filter picks, (b) plain
`page.extract_tables()` (pdfplumber defaults) on the same pages, and (c) the pre-filter
itself over all pages. Times are process CPU seconds (the machine is shared). Prints a
table and writes benchmarks/results_tables.json. Skips cleanly when the corpus is absent.

    .venv/bin/python benchmarks/bench_tables.py [/work/shared/corpus/pdf]
"""
from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPUS = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdf")


def main() -> int:
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; nothing to measure")
        return 0
    import pdfplumber

    from councilpapers.load import LoadError, load_file
    from councilpapers.plans.pdf_tables import find_pdf_plans, looks_like_money_table

    rows, totals = [], {"pages": 0, "candidates": 0, "ours_s": 0.0, "plain_s": 0.0, "filter_s": 0.0, "tables": 0, "lines": 0}
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            doc = load_file(path)
        except LoadError:
            continue
        t = time.process_time()
        wanted = [p.number for p in doc.pages if looks_like_money_table(p.text)]
        filter_s = time.process_time() - t
        t = time.process_time()
        plans = find_pdf_plans(doc.data, wanted)
        ours_s = time.process_time() - t
        t = time.process_time()
        with pdfplumber.open(io.BytesIO(doc.data)) as pdf:
            for n in wanted:
                pdf.pages[n - 1].extract_tables()
        plain_s = time.process_time() - t
        lines = sum(len(p.rows) for p in plans)
        rows.append({"file": path.name, "pages": len(doc.pages), "candidates": len(wanted), "tables": len(plans),
                     "rows": lines, "ours_s": round(ours_s, 3), "plain_s": round(plain_s, 3), "filter_s": round(filter_s, 4)})
        for k, v in (("pages", len(doc.pages)), ("candidates", len(wanted)), ("ours_s", ours_s), ("plain_s", plain_s),
                     ("filter_s", filter_s), ("tables", len(plans)), ("lines", lines)):
            totals[k] += v
    print(f"{'file':58} {'pages':>5} {'cand':>5} {'tables':>6} {'ours s':>7} {'plain s':>7}")
    for r in rows:
        print(f"{r['file'][:58]:58} {r['pages']:5} {r['candidates']:5} {r['tables']:6} {r['ours_s']:7.2f} {r['plain_s']:7.2f}")
    c = totals["candidates"] or 1
    summary = {
        "pages_total": totals["pages"], "pages_examined": totals["candidates"],
        "ours_pages_per_s": round(c / totals["ours_s"], 2) if totals["ours_s"] else None,
        "plain_extract_tables_pages_per_s": round(c / totals["plain_s"], 2) if totals["plain_s"] else None,
        "ours_corpus_pages_per_s_with_prefilter": round(totals["pages"] / (totals["ours_s"] + totals["filter_s"]), 2),
        "tables": totals["tables"], "rows": totals["lines"],
    }
    print(json.dumps(summary, indent=1))
    (ROOT / "benchmarks" / "results_tables.json").write_text(json.dumps({"summary": summary, "files": rows}, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
