"""Regression: what the pipeline extracts from each seed is pinned in tests/golden/, and from each of the
40 councils' dev pages (../shared/corpus/pages, when present) in tests/golden_dev/."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import DEV_PAGES, RAW, requires_dev_pages
from .snapshots import GOLDEN, GOLDEN_DEV, snapshot

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


DEV = sorted(p.name for p in GOLDEN_DEV.glob("*.json"))


def test_every_dev_page_has_a_snapshot():
    if DEV_PAGES.is_dir():
        pages = sorted(p.stem for p in DEV_PAGES.glob("*.txt"))
        assert pages == [Path(n).stem for n in DEV], "dev pages without a snapshot: run `make golden`"


@requires_dev_pages()
@pytest.mark.parametrize("snap", DEV)
def test_dev_page_extraction_matches_its_golden_snapshot(snap, dev_run):
    out, _ = dev_run
    want = json.loads((GOLDEN_DEV / snap).read_text())
    got = json.loads(json.dumps(snapshot(out)[f"{Path(snap).stem}.txt"], ensure_ascii=False))
    for table in want:
        assert got[table] == want[table], f"{snap}: {table} changed (if intended, `make golden` and review the diff)"
