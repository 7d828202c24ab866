"""Shared fixtures: one pipeline run over raw/ (the five seeds), and one over ../shared/corpus/pages
(40 councils' pages, when present), for the whole session."""
from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "raw"
SHARED = Path(os.environ.get("COUNCILPAPERS_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
DEV_PAGES = CORPUS / "pages"


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    from councilpapers.runner import RunOptions, run
    out = tmp_path_factory.mktemp("seed_run")
    summary = run(RAW, out, RunOptions(jobs=1))
    return out, summary


@pytest.fixture(scope="session")
def seed_tables(seed_run):
    out, _ = seed_run
    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(out.glob("*.parquet"))}


def requires_shared():
    return pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside the project")


def requires_corpus():
    return pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")


@pytest.fixture(scope="session")
def dev_run(tmp_path_factory):
    from councilpapers.runner import RunOptions, run
    out = tmp_path_factory.mktemp("dev_run")
    summary = run(DEV_PAGES, out, RunOptions(jobs=1))
    return out, summary


def requires_dev_pages():
    return pytest.mark.skipif(not (DEV_PAGES.is_dir() and (SHARED / "gold" / "dev").is_dir()),
                              reason="../shared/corpus/pages and ../shared/gold/dev are not beside the project")


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """One run over all of ../shared/corpus (PDFs, HTML and the 40 councils' pages), as users run it."""
    from councilpapers.runner import RunOptions, run
    out = tmp_path_factory.mktemp("corpus_run")
    summary = run(CORPUS, out, RunOptions(jobs=2))
    return out, summary
