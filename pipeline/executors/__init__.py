"""Where the documents of a run are processed: one interface, one module per engine.

An executor takes the run's tasks (one per document) and calls `on_done(i, result)` for each
result, or `on_lost(i, code, message)` when a document's worker died or ran out of time; the
runner puts results in input order, so the tables are the same whichever engine ran them.
`local` (the default) is the process pool of `councilpapers.pool`; `dask` runs one task per
document on a `dask.distributed` cluster. Another engine (Ray, Spark) is one more module here
with a `run_documents` function and a line in `ENGINES`.
"""
from __future__ import annotations

from importlib import import_module
from typing import Callable, Protocol, Sequence

ENGINES = {"local": "councilpapers.executors.local", "dask": "councilpapers.executors.dask"}


class RunDocuments(Protocol):
    def __call__(self, tasks: list, *, func: Callable, on_done: Callable, on_lost: Callable,
                 limits: Sequence[float], jobs: int, memory_mb: float, warm: Callable | None,
                 scheduler: str | None) -> None: ...


def engine(name: str) -> RunDocuments:
    """The `run_documents` of the engine called `name`."""
    if name not in ENGINES:
        raise ValueError(f"unknown executor {name!r}; one of: {', '.join(ENGINES)}")
    return import_module(ENGINES[name]).run_documents
