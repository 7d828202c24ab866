"""Run the pipeline over a folder or a list of files: find them, process each file, write every table.

`run` hands each file to an executor (`executors/`: worker processes, or a Dask cluster), whose
worker writes the document's rows as parts (`cache.py`); the driver keeps one small summary per
document, in file order, and assembles every table from the parts (`assemble.py`), even empty
ones, so the output depends neither on scheduling nor on the corpus fitting in memory.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import socket
import stat
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .datapackage import write_datapackage
from .discover import discover, discover_inputs, display_path  # noqa: F401  (part of this module's API)
from .ids import content_id
from .assemble import assemble
from .cache import SUMMARY, DocSummary, store
from .manifest import ManifestEntry
from .executors import engine
from .process import (DocResult, DocumentTimeout, RunOptions, lost_document, process_document,  # noqa: F401
                      process_file, process_task, problem_row, skipped_file, time_limit)
from .schema import SCHEMA_VERSION, TABLES
from .partition import other_layouts, table_bytes, table_path, whole
from .partition import table_sha256 as table_sha256_of
from .writer import current_generation, new_generation, publish, write_json


@dataclass
class RunSummary:
    out_dir: Path
    counts: dict[str, int]
    statuses: dict[str, int]
    seconds: float
    files: int
    pages: int
    results: list[DocSummary]  # one small summary per document; the rows are in the tables
    cached: int = 0
    tables_rewritten: bool = True
    cache_rejected: list[str] | None = None  # cache entries that failed their checksum (recomputed)


class Interrupted(Exception):
    """The run was stopped (Ctrl-C); finished documents are cached for the next run."""


class PartsNotShared(Exception):
    """A worker wrote a document's parts where this process cannot read them (Dask workers on other machines)."""


class OutputNotWritable(Exception):
    """The output folder cannot be created or written: found before any document is processed."""


def check_writable(out_dir: Path) -> None:
    """Create out_dir and write a file in it, or raise OutputNotWritable with the reason in one sentence."""
    probe = out_dir / f".write-check-{__import__('os').getpid()}"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputNotWritable(f"cannot write to output folder {out_dir}: {exc.strerror or exc}") from None


def warm_up() -> None:
    """Load what every document shares (the spaCy pipeline, the extractors and vocabularies) once, before any
    document's clock starts: `--timeout` measures the document, not the set-up."""
    from .nlp import get_nlp
    from .registry import registered
    get_nlp()
    registered()


def _file_key(path: Path, rel: str, entry: ManifestEntry, options: RunOptions, cache) -> str | None:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return None
        size = st.st_size
        if size > options.max_mb * 1024 * 1024:
            digest = f"size:{size}"
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    return cache.key(digest, rel, entry, options.cache_key())


def _tasks(inputs, options: RunOptions, folder: Path, cache) -> tuple[list[tuple], list, list, dict]:
    """A task per file (a local file where it is, a remote one fetched into `folder`) and its cache key,
    what could not be had as (source_path, code, message), and the remote input behind each fetched task.
    A fetched copy whose result is cached is dropped once hashed, so a re-run over a bucket holds on disk
    only the files it will read."""
    from .inputs import Unavailable, fetch
    tasks, keys, skipped, fetched = [], [], list(inputs.skipped), {}
    for item in inputs.files:
        path = item.path
        if path is None:
            try:
                path = fetch(item, folder, options.max_mb * 1024 * 1024)
            except Unavailable as exc:
                skipped.append((item.source_path, exc.code, str(exc)))
                continue
            fetched[len(tasks)] = item
        tasks.append((path, item.source_path, item.entry, options))
        keys.append(_file_key(path, item.source_path, item.entry, options, cache) if cache is not None else None)
        if item.path is None and keys[-1] and cache.has(keys[-1]) and not options.force:
            path.unlink()  # fetched again should the entry fail its check (`_refetch`)
    return tasks, keys, sorted(skipped), fetched


def _refetch(item, path: Path, options: RunOptions) -> None:
    """Fetch a remote input again whose copy was dropped for a cache entry that then failed its check;
    should it fail now, the worker reports the file as unreadable."""
    from .inputs import Unavailable, fetch
    try:
        fetch(item, path.parent, options.max_mb * 1024 * 1024)
    except Unavailable:
        pass


def run(input_dir, out_dir: Path, options: RunOptions = RunOptions(), progress=None) -> RunSummary:
    """Process every file under input_dir and write all tables into out_dir.

    input_dir is a local folder, a folder on an fsspec filesystem ('memory://papers',
    's3://bucket/prefix') or the files a list names (`inputs.from_manifest('files.csv')`); remote files
    are fetched into this run's scratch folder before they are dispatched (`inputs.py`).
    Each document's rows are written as parts by the worker that read it (`cache.py`), kept in
    out_dir/.cache: a second run over an unchanged folder finds them and, when the tables it wrote
    are still whole, reads none of them; an interrupted run resumes where it stopped. The driver holds
    a small summary per document and assembles the tables from the parts (`assemble.py`).
    """
    from .cache import ResultCache
    from .inputs import Inputs, from_folder

    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out_dir = Path(out_dir)
    inputs = input_dir if isinstance(input_dir, Inputs) else \
        from_folder(input_dir, follow_symlinks=options.follow_symlinks, exclude=(out_dir,))
    check_writable(out_dir)
    cache = ResultCache(out_dir / ".cache") if options.cache else None
    # this run's parts that are not cached, and the remote inputs fetched for it
    _remove_abandoned_scratch(out_dir)
    scratch = Path(tempfile.mkdtemp(dir=out_dir, prefix=SCRATCH_PREFIX))
    (scratch / SCRATCH_OWNER).write_text(f"{socket.gethostname()} {os.getpid()}\n", encoding="utf-8")
    tasks: list[tuple] = []
    summaries: list[DocSummary | None] = []
    log = None
    try:
        tasks, keys, skipped, fetched = _tasks(inputs, options, scratch / "inputs", cache)
        outputs_key = None
        if cache is not None and all(keys):
            outputs_key = content_id(cache.version, SCHEMA_VERSION, ",".join(options.partition_by), *keys,
                                     *(s for row in skipped for s in row))
        meta = dict(started_at=started_at, input_dir=inputs.label, options=options)
        if outputs_key and not options.force:
            previous = _outputs_unchanged(out_dir, outputs_key)
            if previous is not None:  # nothing to do, and no document's result is read to find that out
                return _unchanged_run(out_dir, previous, started, meta, progress)

        summaries = [None] * len(tasks)
        todo: list[int] = []
        for i in range(len(tasks)):
            hit = cache.get(keys[i]) if cache is not None and keys[i] and not options.force else None
            if hit is not None:
                summaries[i] = hit
            else:
                todo.append(i)
                if i in fetched and not tasks[i][0].exists():
                    _refetch(fetched[i], tasks[i][0], options)
        cached = len(tasks) - len(todo)
        log = open(options.log_json, "a", encoding="utf-8") if options.log_json else None

        def done(i: int, res: DocSummary, from_cache: bool = False) -> None:
            if not Path(res.folder, SUMMARY).is_file():
                raise PartsNotShared(f"the parts of {res.source_path} were written to {res.folder}, which this "
                                     f"machine cannot read: with a remote --scheduler, the output folder must be one "
                                     f"the workers share")
            summaries[i] = res
            if i in fetched:
                tasks[i][0].unlink(missing_ok=True)  # read: the copy is not needed any more
            if log:
                log.write(json.dumps({"source_path": res.source_path, "status": res.status, "pages": res.pages,
                                      "seconds": round(res.seconds, 3), "cached": from_cache,
                                      "rows": {k: v for k, v in res.counts.items() if v and k != "documents"},
                                      "problems": sorted({code for _, code, _ in res.problems})},
                                     sort_keys=True) + "\n")
                log.flush()
            if progress:
                progress(res, from_cache, total=len(tasks))

        def lost(k: int, code: str, message: str) -> None:
            done(todo[k], store(lost_document(tasks[todo[k]], code, message), None, scratch))

        for i in range(len(tasks)):
            if summaries[i] is not None:
                done(i, summaries[i], from_cache=True)
        if todo:
            # every document in a worker process: a memory cap and a clock that hold inside C code
            grace = 2.0 if options.timeout_s else 0.0  # the worker's own alarm answers first for Python code
            limits = [time_limit(options, _size(tasks[i][0])) + grace if options.timeout_s else 0.0 for i in todo]
            work = [(*tasks[i], cache.path(keys[i]) if cache is not None and keys[i] else None, scratch) for i in todo]
            engine(options.executor)(work, func=process_task, on_done=lambda k, res: done(todo[k], res), on_lost=lost,
                                     limits=limits, jobs=options.jobs, memory_mb=options.max_memory_mb, warm=warm_up,
                                     scheduler=options.scheduler)
        final, extra = _drop_duplicate_files([s for s in summaries if s is not None])
        final += [store(skipped_file(rel, code, message), None, scratch) for rel, code, message in skipped]
        final.sort(key=lambda r: r.source_path)
        if any(s.momentary for s in final):
            outputs_key = None  # a document to try again: the next run is not a no-op
        gen = new_generation(out_dir)
        partitions_written: dict[str, int] = {}
        try:
            counts = assemble(gen, final, extra, options.partition_by, current_generation(out_dir), partitions_written)
            table_sha256 = {name: table_sha256_of(table_path(gen, name)) for name in TABLES}
        except OSError:
            shutil.rmtree(gen, ignore_errors=True)  # the previous generation stays whole
            raise
    except KeyboardInterrupt:
        finished = sum(r is not None for r in summaries)
        raise Interrupted(f"interrupted: {finished} of {len(tasks)} documents done and cached; "
                          f"run the same command again to finish") from None
    finally:
        if log:
            log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    rejected = list(cache.rejected) if cache is not None else []
    summary = RunSummary(out_dir, counts, _statuses(final), time.perf_counter() - started, len(final),
                         sum(r.pages for r in final), final, cached, True, rejected)
    meta["partitions_written"] = partitions_written
    _write_run_json(gen, summary, meta, outputs_key, table_sha256)
    write_datapackage(gen, table_sha256)  # the hashes just computed: the tables are not read a third time
    publish(out_dir, gen, [table_path(gen, name).name for name in TABLES] + ["run.json", "datapackage.json"],
            stale=other_layouts(gen))
    return summary


SCRATCH_PREFIX = ".parts-"
SCRATCH_OWNER = "owner"  # 'host pid' of the run a scratch folder belongs to


def _remove_abandoned_scratch(out_dir: Path) -> None:
    """Remove the scratch folders of runs that were killed (SIGKILL, a lost machine) before they could: those
    whose owner ran on this host and is no longer alive. A folder of a run still going, or of another host's
    run on a shared folder, is left alone."""
    host = socket.gethostname()
    for folder in Path(out_dir).glob(f"{SCRATCH_PREFIX}*"):
        try:
            owner_host, pid = (folder / SCRATCH_OWNER).read_text(encoding="utf-8").split()
            if owner_host != host:
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # no owner recorded, another user's process, unreadable: not ours to judge


def _statuses(final: list[DocSummary]) -> dict[str, int]:
    statuses: dict[str, int] = {}
    for res in final:
        statuses[res.status] = statuses.get(res.status, 0) + 1
    return statuses


def _write_run_json(gen: Path, summary: RunSummary, meta: dict, outputs_key: str | None,
                    table_sha256: dict[str, str]) -> None:
    from .cache import pipeline_version
    options = meta["options"]
    write_json(gen / "run.json", {
        "councilpapers_version": __version__, "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "python": platform.python_version(), "versions": _versions(),
        "started_at": meta["started_at"], "seconds": round(summary.seconds, 3), "input": str(meta["input_dir"]),
        "jobs": options.jobs, "executor": options.executor, "files": summary.files, "pages": summary.pages,
        "cached": summary.cached, "tables_rewritten": summary.tables_rewritten, "outputs_key": outputs_key,
        "partition_by": list(options.partition_by), "partitions_written": meta.get("partitions_written", {}),
        "table_bytes": {name: table_bytes(table_path(gen, name)) for name in TABLES},
        "table_sha256": table_sha256, "cache_rejected": summary.cache_rejected or [],
        "counts": summary.counts, "statuses": summary.statuses,
        "per_file": [{"source_path": r.source_path, "status": r.status, "seconds": round(r.seconds, 3),
                      "pages": r.pages, "timings": {k: round(v, 3) for k, v in sorted(r.timings.items())}}
                     for r in summary.results],
    })


def _unchanged_run(out_dir: Path, previous: dict, started: float, meta: dict, progress) -> RunSummary:
    """The summary of a run that found its tables already written for exactly these inputs: told from the
    last run's run.json and problems table, without reading any document's result."""
    import pyarrow.parquet as pq
    problems: dict[str, list[list]] = {}
    for p in pq.read_table(out_dir / "problems.parquet", columns=["source_path", "severity", "code", "message"]).to_pylist():
        problems.setdefault(p["source_path"], []).append([p["severity"], p["code"], p["message"]])
    final = [DocSummary(f["source_path"], f["status"], None, f["seconds"], f["pages"], f["timings"],
                        problems=problems.get(f["source_path"], [])) for f in previous["per_file"]]
    if progress:
        for res in final:
            progress(res, True, total=len(final))
    gen = current_generation(out_dir)
    summary = RunSummary(out_dir, previous["counts"], previous["statuses"], time.perf_counter() - started, len(final),
                         previous["pages"], final, len(final), False, [])
    _write_run_json(gen, summary, meta, previous["outputs_key"], previous["table_sha256"])
    return summary


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _outputs_unchanged(out_dir: Path, outputs_key: str | None) -> dict | None:
    """The last run's run.json when out_dir holds the tables of exactly these inputs (same files, options and
    pipeline version) untouched since, so writing them again would give the same bytes; None when
    anything must be written again."""
    if outputs_key is None:
        return None
    gen = current_generation(out_dir)
    try:
        previous = json.loads((gen / "run.json").read_text())
    except (OSError, ValueError):
        return None
    if previous.get("outputs_key") != outputs_key or not (gen / "datapackage.json").is_file():
        return None
    recorded = previous.get("table_sha256") or {}
    for name in TABLES:  # a damaged or missing table is noticed (and rewritten), whatever its size
        path = table_path(gen, name)
        if path is None or not whole(path, recorded.get(name)):
            return None
        if (out_dir / path.name).resolve() != path.resolve():
            return None  # the link readers open is gone or points elsewhere
    return previous


def _preference(res: DocSummary) -> tuple:
    """Which of several copies of the same bytes to keep: a supported extension, then the plainer name
    ('b_report.txt' before 'a_report.txt.bak'), then the path."""
    from .load.detect import SUPPORTED
    name = res.source_path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return (suffix not in SUPPORTED, name.count("."), len(res.source_path), res.source_path)


def _drop_duplicate_files(results: list[DocSummary]) -> tuple[list[DocSummary], dict[str, list[dict]]]:
    """The same bytes under two names are one document: keep the preferred copy, and a problems row for
    each other copy."""
    groups: dict[str, list[DocSummary]] = {}
    out, extra = [], {"problems": []}
    for res in results:
        if res.doc_id is None:
            out.append(res)
        else:
            groups.setdefault(res.doc_id, []).append(res)
    for doc_id, copies in groups.items():
        keep = min(copies, key=_preference)
        out.append(keep)
        for res in sorted(copies, key=lambda r: r.source_path):
            if res is keep:
                continue
            problem = problem_row(doc_id, res.source_path, "duplicate_file",
                                  f"same bytes as {keep.source_path}; not processed twice", severity="warning",
                                  extractor="load")
            problem["problem_id"] = content_id(doc_id, "duplicate_file", res.source_path)
            extra["problems"].append(problem)
            keep.problems.append([problem["severity"], problem["code"], problem["message"]])
    return sorted(out, key=lambda r: r.source_path), extra


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for pkg in ("pyarrow", "pdfplumber", "pypdfium2", "spacy", "rapidfuzz", "phonenumbers", "duckdb", "pandas"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out
