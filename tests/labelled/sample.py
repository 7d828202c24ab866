"""The labelled sample of issue 13: judged rows, the pipeline's current answers for them, and the scores.

`money_sample.csv`, `plan_sample.csv`, `money_holdout_sample.csv`, `money_fresh_sample.csv`,
`money_latest_sample.csv` and `money_final_sample.csv` hold rows drawn at random (fixed seeds, `draw_sample.py`) from a run over
../shared/corpus, each judged against its page (`true_*` columns): money kind and year by two readers
following docs/labelling.md (`a_*`, `b_*`), their disagreements settled by a third
(`adjudication_note`). `answers(parsed)` finds each judged row in a run's tables by its provenance
(file, page and span; file, page, line title, ref, column and position) and gives the pipeline's
answer; `score` compares answers with the judgement. `pinned.json` keeps the answers
and scores of the last accepted run: `tests/test_labelled_sample.py` fails when an answer changes
or a score falls below it. After a deliberate change, re-pin:

    councilpapers run ../shared/corpus -o /tmp/corpus && python tests/labelled/sample.py /tmp/corpus
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).parent
PINNED = HERE / "pinned.json"
MISSING = "(not found)"
MONEY_FIELDS = ("amount_gbp", "fiscal_year", "kind", "service_area")
# sample -> the fields judged; each money sample was drawn after the rules had been tuned on the ones
# before it (docs/labelling.md): `money`, then `money_holdout`, `money_fresh`, `money_latest` and
# `money_final`, which is the one still held out
FIELDS = {"money": MONEY_FIELDS, "money_holdout": MONEY_FIELDS, "money_fresh": ("fiscal_year", "kind"),
          "money_latest": ("fiscal_year", "kind"), "money_final": ("fiscal_year", "kind"), "plan": ("amount_gbp", "fiscal_year", "measure", "service_area")}
MONEY_SAMPLES = ("money", "money_holdout", "money_fresh", "money_latest", "money_final")
TRUTH = {"amount_gbp": "true_amount_gbp", "fiscal_year": "true_fiscal_year", "kind": "true_kind",
         "measure": "true_measure", "service_area": "true_service"}


def judged(name: str) -> list[dict]:
    with open(HERE / f"{name}_sample.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _table(parsed: Path, name: str) -> list[dict]:
    return pq.read_table(Path(parsed) / f"{name}.parquet").to_pylist()


def _text(value) -> str:
    return "" if value is None else str(value)


def answers(parsed: Path) -> dict[str, list[dict]]:
    """The pipeline's answer for every judged row, in sample order (MISSING where the run has no such row)."""
    docs = {d["doc_id"]: d["source_path"] for d in _table(parsed, "documents")}
    money = {(docs[r["doc_id"]], r["page"], r["char_start"], r["char_end"]): r for r in _table(parsed, "money")}
    plan: dict[tuple, dict] = {}
    # not keyed by the table's header: a reading that tells a table's columns better changes its header
    # text but not which cell a line and column name
    for r in sorted(_table(parsed, "plan_lines"), key=lambda r: (r["table_id"], r["row_index"], r["line_id"])):
        key = (docs[r["doc_id"]], r["page"], _text(r["title"]), _text(r["ref"]), r["column"], r["row_index"])
        plan.setdefault(key, r)
    out: dict[str, list[dict]] = {name: [] for name in FIELDS}
    for name in MONEY_SAMPLES:
        for j in judged(name):
            r = money.get((j["source_path"], int(j["page"]), int(j["char_start"]), int(j["char_end"])))
            out[name].append({f: _text(r[f]) if r else MISSING for f in MONEY_FIELDS})
    for j in judged("plan"):
        r = plan.get((j["source_path"], int(j["page"]), j["row_title"], j["ref"], j["column"], int(j["row_index"])))
        out["plan"].append({f: _text(r[f]) if r else MISSING for f in FIELDS["plan"]})
    return out


def _judgeable(row: dict) -> bool:
    return row.get("true_amount_gbp", "") not in ("", "MISREAD")


def score(found: dict[str, list[dict]]) -> dict[str, dict[str, float]]:
    """Share of judged rows whose answer equals the judgement, per table and field. A row the reader
    judged not money counts right only where the pipeline no longer gives it."""
    out = {}
    for name, fields in FIELDS.items():
        rows = [(j, a) for j, a in zip(judged(name), found[name]) if _judgeable(j)]
        out[name] = {"rows": len(rows)}
        for f in fields:
            right = 0
            for j, a in rows:
                if j["true_amount_gbp"] == "NOT_MONEY":
                    right += a[f] == MISSING
                else:
                    right += a[f] == j[TRUTH[f]]
            out[name][f] = round(right / len(rows), 3) if rows else 0.0
    return out


def pin(parsed: Path) -> None:
    found = answers(parsed)
    PINNED.write_text(json.dumps({"scores": score(found), "answers": found}, indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")
    print(json.dumps(score(found), indent=1))


if __name__ == "__main__":
    pin(Path(sys.argv[1]))
