"""One screen that tells a user what a run did."""
from __future__ import annotations

from collections import Counter


def format_summary(summary) -> str:
    lines = [f"councilpapers: {summary.files} files, {summary.pages} pages in {summary.seconds:.1f}s "
             f"-> {summary.out_dir}"]
    if getattr(summary, "cached", 0):
        note = "" if summary.tables_rewritten else "; nothing changed, tables left as they were"
        lines.append(f"  {summary.cached} of {summary.files} files unchanged since the last run (cache){note}")
    lines.append("  files by status: " + ", ".join(f"{k} {v}" for k, v in sorted(summary.statuses.items())))
    lines.append("  rows: " + ", ".join(f"{k} {v}" for k, v in summary.counts.items()))
    problems = Counter()
    for res in summary.results:
        for severity, code, _ in res.problems:
            problems[(severity, code)] += 1
    if problems:
        lines.append("  problems: " + ", ".join(f"{code} ({sev}) {n}" for (sev, code), n in sorted(problems.items())))
    failed = [r for r in summary.results if r.status != "ok"]
    for r in failed[:10]:
        err = next((message for severity, _, message in r.problems if severity == "error"), "")
        lines.append(f"  {r.status:<9} {r.source_path}  {err[:100]}")
    if len(failed) > 10:
        lines.append(f"  ... and {len(failed) - 10} more not ok (see problems.parquet)")
    return "\n".join(lines)
