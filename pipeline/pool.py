"""Worker processes for documents, under limits that hold inside C code.

Each worker is a forked process with an address-space cap (`RLIMIT_AS`: what it was
forked with plus `--max-memory-mb`) that dies with its parent (`PR_SET_PDEATHSIG`). The parent hands it
one document at a time and keeps the clock: a document past `--timeout` has its
worker killed (SIGALRM cannot interrupt PDFium; a kill can), and a worker that dies
for any reason (the cap, the OOM killer, a crash in a C library) costs only its
document, which gets a `timeout` or `worker_died` row; a new worker takes its place
and the batch finishes. Results come back in any order; the runner keeps file order.
"""
from __future__ import annotations

import ctypes
import multiprocessing as mp
import resource
import signal
import time
from multiprocessing.connection import wait
from collections.abc import Sequence
from typing import Callable

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: workers are daemonic and end with a clean parent
        pass


def _address_space() -> int:
    """Bytes of address space this process holds now (VmSize), 0 where /proc cannot tell."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _serve(conn, memory_mb: float, func, warm) -> None:
    _die_with_parent()
    if memory_mb:
        # the cap is what the worker may add to the address space it was forked with
        limit = _address_space() + int(memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if warm is not None:
        warm()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(func(task))


class _Worker:
    def __init__(self, ctx, memory_mb: float, func, warm):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child, memory_mb, func, warm), daemon=True)
        self.proc.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0

    def give(self, index: int, task) -> None:
        self.index, self.started = index, time.monotonic()
        self.conn.send(task)

    def stop(self, force: bool = False) -> None:
        if force:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run_tasks(tasks: list, jobs: int, *, func: Callable, on_done: Callable, on_lost: Callable,
              timeout_s: float | Sequence[float] = 0.0, memory_mb: float = 0.0, warm: Callable | None = None) -> None:
    """Run func(task) for every task in at most `jobs` workers. `on_done(i, result)` gets each result;
    `on_lost(i, code, message)` is called instead when a task's worker was killed for its time or died.
    `timeout_s`: one limit for every task, or one per task (0: none)."""
    limits = list(timeout_s) if isinstance(timeout_s, Sequence) else [timeout_s] * len(tasks)
    ctx = mp.get_context("fork")
    pending = list(range(len(tasks)))
    workers = [_Worker(ctx, memory_mb, func, warm) for _ in range(min(jobs, len(tasks)))]
    try:
        while pending or any(w.index is not None for w in workers):
            for n, w in enumerate(workers):
                if w.index is None and pending:
                    i = pending.pop(0)
                    try:
                        w.give(i, tasks[i])
                    except (OSError, ValueError):  # the worker died between tasks: a new one takes the task
                        pending.insert(0, i)
                        w.index = None
                        w.stop(force=True)
                        workers[n] = _Worker(ctx, memory_mb, func, warm)
            busy = [w for w in workers if w.index is not None]
            ready = wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout=0.2)
            now = time.monotonic()
            for n, w in enumerate(workers):
                if w.index is None:
                    continue
                i, lost = w.index, None
                if w.conn in ready:
                    try:
                        result = w.conn.recv()
                    except (EOFError, OSError):
                        lost = ("worker_died", _death(w))
                    else:
                        w.index = None
                        on_done(i, result)
                        continue
                elif w.proc.sentinel in ready or not w.proc.is_alive():
                    lost = ("worker_died", _death(w))
                elif limits[i] and now - w.started > limits[i]:
                    lost = ("timeout", f"gave up after {limits[i]:g}s (per-document --timeout); its worker was killed")
                if lost is None:
                    continue
                w.stop(force=True)
                on_lost(i, *lost)
                workers[n] = _Worker(ctx, memory_mb, func, warm)
    finally:
        for w in workers:
            w.stop(force=w.index is not None)


def _death(w: _Worker) -> str:
    w.proc.join(timeout=1)
    code = w.proc.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exited with code {code}"
    return (f"the worker reading this document died ({how}: the memory limit, the system's OOM killer or a crash "
            f"in a library); the rest of the batch went on")
