"""Regression: what the pipeline extracts from each seed is pinned in tests/golden/."""
from __future__ import annotations

import json

import pytest

from .conftest import RAW
from .snapshots import GOLDEN, snapshot

SEEDS = sorted(p.name for p in RAW.glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS)
def test_seed_extraction_matches_its_golden_snapshot(seed, seed_run):
    out, _ = seed_run
    path = GOLDEN / f"{seed.rsplit('.', 1)[0]}.json"
    assert path.exists(), f"no snapshot for {seed}: run `make golden` and review the diff"
    want = json.loads(path.read_text())
    got = json.loads(json.dumps(snapshot(out)[seed], ensure_ascii=False))
    for table in want:
        assert got[table] == want[table], f"{seed}: {table} changed (if intended, `make golden` and review the diff)"
