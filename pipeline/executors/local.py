"""The default engine: worker processes on this machine (`councilpapers.pool`), each document
under a memory cap and a clock that hold inside C code."""
from __future__ import annotations

from typing import Callable, Sequence

from ..pool import run_tasks


def run_documents(tasks: list, *, func: Callable, on_done: Callable, on_lost: Callable, limits: Sequence[float],
                  jobs: int, memory_mb: float, warm: Callable | None, scheduler: str | None = None) -> None:
    run_tasks(tasks, jobs, func=func, on_done=on_done, on_lost=on_lost, timeout_s=limits,
              memory_mb=memory_mb, warm=warm)
