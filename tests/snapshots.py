"""Golden snapshots: per document, the facts the pipeline extracts, as readable JSON.

`make golden` (python -m tests.snapshots --write) rewrites tests/golden/ from a fresh
run over raw/ (the seeds) and tests/golden_dev/ from a run over ../shared/corpus/pages
(40 councils' pages, when present); tests/test_golden.py fails when extraction changes.
Review the diff of a rewrite like any code change: it is what users will see change.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
GOLDEN_DEV = ROOT / "tests" / "golden_dev"
DEV_PAGES = ROOT.parent / "shared" / "corpus" / "pages"

# table -> columns kept in the snapshot (ids and spans are covered by other tests)
COLUMNS = {
    "documents": ["format", "doc_kind", "title", "council_code", "council_name", "council_evidence", "pages", "status"],
    "meetings": ["body", "body_kind", "meeting_date", "item_number", "item_title"],
    "decisions": ["label", "kind", "vote", "votes_for", "votes_against", "abstentions", "decision_date", "source_ref",
                  "decision_maker", "text"],
    "money": ["raw_text", "amount_gbp", "amount_gbp_high", "approximate", "qualifier", "fiscal_year", "kind", "recurrence"],
    "quantities": ["raw_text", "value", "unit", "fiscal_year"],
    "tables": ["page_first", "page_last", "unit", "n_rows", "n_cols", "kind", "method", "totals_reconcile"],
    "plan_lines": ["ref", "title", "column", "fiscal_year", "amount_gbp", "row_kind"],
    "people": ["name", "role", "email", "phone", "mention", "vote_cast"],
    "mentions": ["council_code", "raw_text"],
    "problems": ["severity", "code", "page"],
}


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def snapshot(parsed: Path) -> dict[str, dict]:
    """{source file name: {table: [rows]}} from a parsed folder."""
    tables = {name: pq.read_table(parsed / f"{name}.parquet").to_pylist() for name in COLUMNS}
    out = {}
    for doc in tables["documents"]:
        name = Path(doc["source_path"]).name
        facts = {}
        for table, cols in COLUMNS.items():
            rows = [r for r in tables[table] if r["doc_id"] == doc["doc_id"]]
            facts[table] = [{c: _plain(r[c]) for c in cols} for r in rows]
        out[name] = facts
    return out


def fresh_snapshot(folder: Path = ROOT / "raw") -> dict[str, dict]:
    from councilpapers.runner import RunOptions, run
    with tempfile.TemporaryDirectory() as tmp:
        run(folder, Path(tmp), RunOptions(jobs=1))
        return snapshot(Path(tmp))


def write(snap: dict[str, dict], where: Path = GOLDEN) -> None:
    where.mkdir(parents=True, exist_ok=True)
    for old in where.glob("*.json"):
        old.unlink()
    for name, facts in snap.items():
        (where / f"{Path(name).stem}.json").write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if "--write" not in sys.argv:
        print(__doc__)
        sys.exit(2)
    write(fresh_snapshot())
    print(f"wrote {len(list(GOLDEN.glob('*.json')))} snapshots to {GOLDEN}")
    if DEV_PAGES.is_dir():
        write(fresh_snapshot(DEV_PAGES), GOLDEN_DEV)
        print(f"wrote {len(list(GOLDEN_DEV.glob('*.json')))} snapshots to {GOLDEN_DEV}")
