"""The analysts' notebooks (jupytext percent .py files) run end to end, so they never rot."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, RAW, ROOT, requires_corpus
from tests.test_query import make_parsed

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


def run_notebook(path: Path, parsed: Path, out: Path, raw: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PARSED": str(parsed), "NOTEBOOK_OUT": str(out), "RAW": str(raw), "MPLBACKEND": "Agg",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    return subprocess.run([sys.executable, str(path)], cwd=out, env=env, capture_output=True, text=True, timeout=300)


def test_there_are_notebooks_in_jupytext_percent_format():
    assert len(NOTEBOOKS) >= 3
    for nb in NOTEBOOKS:
        text = nb.read_text()
        assert "format_name: percent" in text and "# %% [markdown]" in text, nb.name


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_seed_run(notebook, seed_run, tmp_path):
    out_dir, _ = seed_run
    done = run_notebook(notebook, out_dir, tmp_path, RAW)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    if notebook.stem.startswith("01_"):
        assert " 0 do not match their source text" in done.stdout
    if notebook.stem.startswith("02_"):
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            return
        chart = tmp_path / "money_by_council_year_kind.png"
        assert chart.is_file() and chart.stat().st_size > 5_000


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_a_hand_made_folder(notebook, tmp_path):
    """Another shape of data: a savings table with totals, overlapping facts, a problem row."""
    raw, parsed = make_parsed(tmp_path / "data")
    out = tmp_path / "out"
    out.mkdir()
    done = run_notebook(notebook, parsed, out, raw)
    assert done.returncode == 0, done.stderr[-3000:]
    if notebook.stem.startswith("03_"):
        assert "0 whose lines do not add up" in done.stdout


@requires_corpus()
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_the_corpus(notebook, corpus_run, tmp_path):
    """Issue 17: the notebooks ran only on the seeds, and 01 crashed on the corpus's scanned PDF."""
    out_dir, _ = corpus_run
    done = run_notebook(notebook, out_dir, tmp_path, CORPUS)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    if notebook.stem.startswith("01_"):
        assert " 0 do not match their source text, 0 have no page text" in done.stdout
