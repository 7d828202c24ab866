"""Ratchet: the seed run must score at least what the project has reached.

Raise the floors in tests/score_floor.json as the project improves; never lower them.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import SHARED, requires_shared

FLOORS = json.loads((Path(__file__).parent / "score_floor.json").read_text())


@requires_shared()
def test_seed_scores_do_not_fall_below_the_floor(seed_run):
    out, _ = seed_run
    proc = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), str(out),
                           str(SHARED / "gold" / "seeds"), "--json"], capture_output=True, text=True, check=True)
    summary = json.loads(proc.stdout)["summary"]
    low = {}
    for key, floor in FLOORS.items():
        value = summary[key]["f1"] if isinstance(summary.get(key), dict) else summary.get(key)
        if value is None or value < floor:
            low[key] = (value, floor)
    assert not low, f"scores below the floor (got, floor): {low}"
