"""Ratchet: the seed run and the run over the 40 councils' pages must score at least what the project has reached.

Raise the floors in tests/score_floor.json as the project improves; never lower them. The dev pages
(`../shared/corpus/pages`, keys in `../shared/gold/dev`) show breadth: one page each of 40 councils
the extractors were not written for.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import SHARED, requires_dev_pages, requires_shared

FLOORS = json.loads((Path(__file__).parent / "score_floor.json").read_text())


def _below(out: Path, gold: Path, floors: dict) -> dict:
    proc = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(out), str(gold), "--json"],
                          capture_output=True, text=True, check=True)
    summary = json.loads(proc.stdout)["summary"]
    low = {}
    for key, floor in floors.items():
        value = summary[key]["f1"] if isinstance(summary.get(key), dict) else summary.get(key)
        if value is None or value < floor:
            low[key] = (value, floor)
    return low


@requires_shared()
def test_seed_scores_do_not_fall_below_the_floor(seed_run):
    out, _ = seed_run
    low = _below(out, SHARED / "gold" / "seeds", FLOORS["seeds"])
    assert not low, f"seed scores below the floor (got, floor): {low}"


@requires_dev_pages()
def test_dev_page_scores_do_not_fall_below_the_floor(dev_run):
    out, _ = dev_run
    low = _below(out, SHARED / "gold" / "dev", FLOORS["dev"])
    assert not low, f"dev-page scores below the floor (got, floor): {low}"
