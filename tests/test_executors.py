"""Where documents run (issue 16 item 3 and 6): the local pool and a dask.distributed cluster give
byte-identical tables; on Dask a worker killed mid-task loses no document, and a document that kills
every worker it is given is a `problems` row after three tries, not a stuck run."""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from councilpapers.executors import ENGINES, engine
from councilpapers.runner import RunOptions, run

from .conftest import CORPUS, SHARED

pytest.importorskip("distributed")

TABLES = ("documents", "meetings", "decisions", "money", "quantities", "tables", "plan_lines", "people",
          "mentions", "pages", "problems")


def _tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


@pytest.mark.parametrize("folder", ["seeds", "corpus"])
def test_dask_and_the_local_pool_write_the_same_bytes(tmp_path, folder):
    source = SHARED / "seeds" if folder == "seeds" else CORPUS
    if not source.is_dir():
        pytest.skip(f"{source} not available")
    local = run(source, tmp_path / "local", RunOptions(jobs=2, cache=False))
    dask = run(source, tmp_path / "dask", RunOptions(jobs=2, cache=False, executor="dask"))
    assert local.counts == dask.counts and sum(local.counts.values()) > 0
    assert _tables(tmp_path / "local") == _tables(tmp_path / "dask")


def _die_once(task):
    """Kill the worker the first time this task runs (what the OOM killer or a lost node does)."""
    marker, value = task
    if not os.path.exists(marker):
        Path(marker).write_text("killed once")
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def _die_always(task):
    os.kill(os.getpid(), signal.SIGKILL)


def _by_value():
    import cloudpickle
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import tests/


def test_a_killed_worker_loses_no_document(tmp_path):
    _by_value()
    tasks = [(str(tmp_path / f"t{i}"), i) for i in range(6)]
    done, lost = {}, {}
    engine("dask")(tasks, func=_die_once, on_done=done.__setitem__, on_lost=lambda i, c, m: lost.__setitem__(i, c),
                   limits=[0.0] * 6, jobs=2, memory_mb=0, warm=None, scheduler=None)
    assert lost == {} and done == {i: i for i in range(6)}
    assert all((tmp_path / f"t{i}").exists() for i in range(6))  # every task did kill a worker once


def test_a_document_that_kills_every_worker_is_given_up_after_three(tmp_path):
    _by_value()
    done, lost = {}, {}
    engine("dask")([("x", 1), (str(tmp_path / "ok"), 2)], func=lambda t: _die_always(t) if t[0] == "x" else t[1],
                   on_done=done.__setitem__, on_lost=lambda i, c, m: lost.__setitem__(i, (c, m)),
                   limits=[0.0, 0.0], jobs=2, memory_mb=0, warm=None, scheduler=None)
    assert done == {1: 2}
    assert lost[0][0] == "worker_died" and "KilledWorker" in lost[0][1]


def test_engines_are_named_and_an_unknown_one_is_refused():
    assert set(ENGINES) == {"local", "dask"}
    with pytest.raises(ValueError, match="unknown executor 'ray'"):
        engine("ray")
