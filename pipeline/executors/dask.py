"""Documents on a `dask.distributed` cluster: the scheduler at `scheduler` ('tcp://host:8786'),
else a `LocalCluster` of `jobs` single-threaded worker processes on this machine.

One task per document. A worker that dies mid-task (killed, out of memory under its nanny's
limit) costs nothing: the scheduler gives its tasks to another worker; a document whose task
has killed `ALLOWED_FAILURES` workers is given up as `worker_died`, a `problems` row, not a
stuck run. Results come back as they finish and the runner orders them, so the tables are the
local engine's, byte for byte. Dask workers run tasks in threads, where the per-document alarm
cannot fire: the time limit is the cluster's own business here (`distributed.scheduler` and
worker settings), the memory cap its nanny's `memory_limit`.
"""
from __future__ import annotations

from typing import Callable, Sequence

ALLOWED_FAILURES = 3  # workers a document may take down before it is given up


def run_documents(tasks: list, *, func: Callable, on_done: Callable, on_lost: Callable, limits: Sequence[float],
                  jobs: int, memory_mb: float, warm: Callable | None, scheduler: str | None = None) -> None:
    import dask
    from distributed import Client, LocalCluster, as_completed
    from distributed.client import FutureCancelledError

    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES - 1,
                          # one task in hand per worker thread: a worker that dies takes only its own document
                          "distributed.scheduler.worker-saturation": 1.0,
                          "distributed.worker.daemon": False, "distributed.admin.tick.limit": "1h"}):
        cluster = None
        if scheduler is None:
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                   dashboard_address=None,
                                   memory_limit=f"{int(memory_mb)}MiB" if memory_mb else None)
        try:
            with Client(cluster or scheduler) as client:
                if warm is not None:
                    client.run(warm)  # every worker loads spaCy and the vocabularies once
                futures = {client.submit(func, task, key=f"councilpapers-doc-{i}-{id(task)}", pure=False): i
                           for i, task in enumerate(tasks)}
                for future in as_completed(futures):
                    i = futures.pop(future)  # and released below: a result stays on its worker no longer
                    try:
                        result = future.result()
                    except FutureCancelledError as exc:
                        on_lost(i, "worker_died", f"its task was cancelled on the cluster ({exc})")
                    except Exception as exc:  # noqa: BLE001  (KilledWorker and whatever a worker raised)
                        name = type(exc).__name__
                        code = "worker_died" if name == "KilledWorker" else "worker_error"
                        on_lost(i, code, f"{name} on the Dask cluster: {exc}")
                    else:
                        on_done(i, result)
                    finally:
                        future.release()
        finally:
            if cluster is not None:
                cluster.close()
