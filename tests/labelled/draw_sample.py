"""Draw the labelled sample of issue 13: money rows and plan lines picked at random
(fixed seed) from a corpus run, written with empty `true_*` columns for a reader to
judge against the page. Rows are keyed by provenance (file, page, span or table cell),
not by ids, so the judgement survives changes to how ids are made.

    python tests/labelled/draw_sample.py PARSED_DIR   # PARSED_DIR: a run over ../shared/corpus
    python tests/labelled/draw_sample.py PARSED_DIR --holdout   # the second, held-out money sample
    python tests/labelled/draw_sample.py PARSED_DIR --fresh     # the third, drawn after the second was tuned on
    python tests/labelled/draw_sample.py PARSED_DIR --latest    # the fourth, drawn after the third was tuned on
    python tests/labelled/draw_sample.py PARSED_DIR --final     # the fifth, drawn before the fourth was tuned on
"""
from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).parent
SEED = 13
N_MONEY, N_PLAN = 110, 70  # a few spare, for rows a reader cannot judge
HOLDOUT_SEED, N_HOLDOUT = 1313, 60  # money rows drawn after the rules were tuned on the first sample
# the second held-out sample, drawn after the first was also used to tune the rules (docs/labelling.md)
FRESH_SEED = 2612
# the third held-out sample, drawn after `money_fresh` was used to tune as well
LATEST_SEED = 3612
# the fourth, drawn before `money_latest` was opened for tuning (80 rows: one row is 1.25 points)
FINAL_SEED, N_FINAL = 4612, 80


def _rows(parsed: Path, table: str) -> list[dict]:
    return pq.read_table(parsed / f"{table}.parquet").to_pylist()


def main(parsed: Path) -> None:
    docs = {d["doc_id"]: d["source_path"] for d in _rows(parsed, "documents")}
    tables = {t["table_id"]: t for t in _rows(parsed, "tables")}
    rng = random.Random(SEED)
    money = sorted(_rows(parsed, "money"), key=lambda r: (docs[r["doc_id"]], r["page"], r["char_start"]))
    with open(HERE / "money_sample.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_path", "page", "char_start", "char_end", "raw_text", "sentence",
                    "true_amount_gbp", "true_fiscal_year", "true_kind", "true_service", "judge_note"])
        for r in rng.sample(money, N_MONEY):
            w.writerow([docs[r["doc_id"]], r["page"], r["char_start"], r["char_end"], r["raw_text"],
                        r["sentence"], "", "", "", "", ""])
    plan = sorted(_rows(parsed, "plan_lines"), key=lambda r: (docs[r["doc_id"]], r["page"], r["table_id"],
                                                              r["row_index"], r["column"]))
    with open(HERE / "plan_sample.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_path", "page", "table_header", "row_title", "ref", "column", "row_index",
                    "true_amount_gbp", "true_fiscal_year", "true_measure", "true_service", "judge_note"])
        for r in rng.sample(plan, N_PLAN):
            w.writerow([docs[r["doc_id"]], r["page"], tables[r["table_id"]]["header"], r["title"], r["ref"],
                        r["column"], r["row_index"], "", "", "", "", ""])


def holdout(parsed: Path, name: str = "money_holdout", seed: int = HOLDOUT_SEED,
            earlier: tuple[str, ...] = ("money",), n: int = N_HOLDOUT) -> None:
    """A further money sample, none of the earlier samples' rows, to measure the rules on rows nobody tuned them on."""
    docs = {d["doc_id"]: d["source_path"] for d in _rows(parsed, "documents")}
    seen = set()
    for e in earlier:
        with open(HERE / f"{e}_sample.csv", newline="", encoding="utf-8") as fh:
            seen |= {(r["source_path"], int(r["page"]), int(r["char_start"])) for r in csv.DictReader(fh)}
    money = sorted((r for r in _rows(parsed, "money") if (docs[r["doc_id"]], r["page"], r["char_start"]) not in seen),
                   key=lambda r: (docs[r["doc_id"]], r["page"], r["char_start"]))
    with open(HERE / f"{name}_sample.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_path", "page", "char_start", "char_end", "raw_text", "sentence",
                    "true_amount_gbp", "true_fiscal_year", "true_kind", "true_service", "judge_note"])
        for r in random.Random(seed).sample(money, n):
            w.writerow([docs[r["doc_id"]], r["page"], r["char_start"], r["char_end"], r["raw_text"],
                        r["sentence"], "", "", "", "", ""])


if __name__ == "__main__":
    if sys.argv[2:] == ["--holdout"]:
        holdout(Path(sys.argv[1]))
    elif sys.argv[2:] == ["--fresh"]:
        holdout(Path(sys.argv[1]), "money_fresh", FRESH_SEED, ("money", "money_holdout"))
    elif sys.argv[2:] == ["--latest"]:
        holdout(Path(sys.argv[1]), "money_latest", LATEST_SEED, ("money", "money_holdout", "money_fresh"))
    elif sys.argv[2:] == ["--final"]:
        holdout(Path(sys.argv[1]), "money_final", FINAL_SEED,
                ("money", "money_holdout", "money_fresh", "money_latest"), N_FINAL)
    else:
        main(Path(sys.argv[1]))
