"""Run the pipeline over a folder: discover, process each file, write every table.

`run` maps `process.process_file` over the folder (in a process pool when jobs > 1;
results are kept in file order, so output does not depend on scheduling), caches
each finished document, and writes every table, even empty ones.
"""
from __future__ import annotations

import hashlib
import json
import platform
import shutil
import stat
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .datapackage import write_datapackage
from .discover import discover, discover_inputs, display_path  # noqa: F401  (part of this module's API)
from .ids import content_id
from .linking import link_decisions, link_reprints, link_standing
from .manifest import Manifest, ManifestEntry
from .executors import engine
from .process import (DocResult, DocumentTimeout, RunOptions, lost_document, process_document,  # noqa: F401
                      process_file, process_task, problem_row, skipped_file, time_limit)
from .schema import SCHEMA_VERSION, TABLES
from .writer import current_generation, new_generation, publish, sha256_of, write_json, write_table


@dataclass
class RunSummary:
    out_dir: Path
    counts: dict[str, int]
    statuses: dict[str, int]
    seconds: float
    files: int
    pages: int
    results: list[DocResult]
    cached: int = 0
    tables_rewritten: bool = True
    cache_rejected: list[str] | None = None  # cache entries that failed their checksum (recomputed)


class Interrupted(Exception):
    """The run was stopped (Ctrl-C); finished documents are cached for the next run."""


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


def run(input_dir: Path, out_dir: Path, options: RunOptions = RunOptions(), progress=None) -> RunSummary:
    """Process every file under input_dir and write all tables into out_dir.

    Finished documents are cached in out_dir/.cache as they complete: a second run over
    an unchanged folder reads them back, and an interrupted run resumes where it stopped.
    """
    from .cache import ResultCache, pipeline_version

    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    input_dir, out_dir = Path(input_dir), Path(out_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    check_writable(out_dir)
    manifest = Manifest.read(input_dir)
    found = discover_inputs(input_dir, follow_symlinks=options.follow_symlinks, exclude=(out_dir,))
    tasks = [(path, rel, manifest.lookup(rel), options) for path, rel in found.files]
    cache = ResultCache(out_dir / ".cache") if options.cache else None
    results: list[DocResult | None] = [None] * len(tasks)
    keys: list[str | None] = [None] * len(tasks)
    todo: list[int] = []
    for i, task in enumerate(tasks):
        if cache is not None:
            keys[i] = _file_key(task[0], task[1], task[2], options, cache)
            if keys[i] and not options.force:
                hit = cache.get(keys[i])
                if hit is not None:
                    results[i] = hit
                    continue
        todo.append(i)
    cached = len(tasks) - len(todo)
    log = open(options.log_json, "a", encoding="utf-8") if options.log_json else None

    def done(i: int, res: DocResult, from_cache: bool = False) -> None:
        results[i] = res
        if cache is not None and keys[i] and not from_cache:
            cache.put(keys[i], res)
        if log:
            problems = res.rows.get("problems", [])
            log.write(json.dumps({"source_path": res.source_path, "status": res.status, "pages": res.pages,
                                  "seconds": round(res.seconds, 3), "cached": from_cache,
                                  "rows": {k: len(v) for k, v in res.rows.items() if v and k != "documents"},
                                  "problems": sorted({p["code"] for p in problems})}, sort_keys=True) + "\n")
            log.flush()
        if progress:
            progress(res, from_cache, total=len(tasks))

    try:
        for i in range(len(tasks)):
            if results[i] is not None:
                done(i, results[i], from_cache=True)
        if todo:
            # every document in a worker process: a memory cap and a clock that hold inside C code
            grace = 2.0 if options.timeout_s else 0.0  # the worker's own alarm answers first for Python code
            limits = [time_limit(options, _size(tasks[i][0])) + grace if options.timeout_s else 0.0 for i in todo]
            engine(options.executor)([tasks[i] for i in todo], func=process_task,
                                     on_done=lambda k, res: done(todo[k], res),
                                     on_lost=lambda k, code, message: done(todo[k], lost_document(tasks[todo[k]], code, message)),
                                     limits=limits, jobs=options.jobs, memory_mb=options.max_memory_mb, warm=warm_up,
                                     scheduler=options.scheduler)
    except KeyboardInterrupt:
        finished = sum(r is not None for r in results)
        raise Interrupted(f"interrupted: {finished} of {len(tasks)} documents done and cached; "
                          f"run the same command again to finish") from None
    finally:
        if log:
            log.close()

    final = _drop_duplicate_files([r for r in results if r is not None])
    final += [skipped_file(rel, code, message) for rel, code, message in found.skipped]
    final.sort(key=lambda r: r.source_path)
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    for res in final:
        for name, rows in res.rows.items():
            tables[name].extend(rows)
    link_decisions(tables)
    link_standing(tables)
    link_reprints(tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs_key = None
    if cache is not None and all(keys):
        outputs_key = content_id(cache.version, SCHEMA_VERSION, *keys)
    verified = _outputs_unchanged(out_dir, outputs_key) if cached == len(tasks) else None
    unchanged = verified is not None
    gen = current_generation(out_dir) if unchanged else new_generation(out_dir)
    table_bytes, table_sha256 = {}, dict(verified or {})
    try:
        for name, rows in tables.items():
            if not unchanged:
                write_table(gen, name, rows)
                table_sha256[name] = sha256_of(gen / f"{name}.parquet")
            table_bytes[name] = (gen / f"{name}.parquet").stat().st_size
    except OSError:
        if not unchanged:
            shutil.rmtree(gen, ignore_errors=True)  # the previous generation stays whole
        raise
    statuses: dict[str, int] = {}
    for res in final:
        statuses[res.status] = statuses.get(res.status, 0) + 1
    counts = {name: len(rows) for name, rows in tables.items()}
    seconds = time.perf_counter() - started
    pages = sum(r.pages for r in final)
    write_json(gen / "run.json", {
        "councilpapers_version": __version__, "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "python": platform.python_version(), "versions": _versions(),
        "started_at": started_at, "seconds": round(seconds, 3), "input": str(input_dir),
        "jobs": options.jobs, "executor": options.executor, "files": len(final), "pages": pages, "cached": cached,
        "tables_rewritten": not unchanged, "outputs_key": outputs_key, "table_bytes": table_bytes,
        "table_sha256": table_sha256,
        "cache_rejected": list(cache.rejected) if cache is not None else [],
        "counts": counts, "statuses": statuses,
        "per_file": [{"source_path": r.source_path, "status": r.status, "seconds": round(r.seconds, 3),
                      "pages": r.pages, "timings": {k: round(v, 3) for k, v in sorted(r.timings.items())}}
                     for r in final],
    })
    if not unchanged:
        write_datapackage(gen, table_sha256)  # the hashes just computed: the tables are not read a third time
        publish(out_dir, gen, [f"{name}.parquet" for name in TABLES] + ["run.json", "datapackage.json"])
    return RunSummary(out_dir, counts, statuses, seconds, len(final), pages, final, cached, not unchanged,
                      list(cache.rejected) if cache is not None else [])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _outputs_unchanged(out_dir: Path, outputs_key: str | None) -> dict[str, str] | None:
    """The tables' verified hashes when out_dir already holds the tables of exactly these cached
    results (same inputs, same pipeline version) untouched since, so re-writing them would give the
    same bytes; None when anything must be written again."""
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
        path = gen / f"{name}.parquet"
        if not path.is_file() or sha256_of(path) != recorded.get(name):
            return None
        if (out_dir / f"{name}.parquet").resolve() != path.resolve():
            return None  # the link readers open is gone or points elsewhere
    return {name: recorded[name] for name in TABLES}


def _preference(res: DocResult) -> tuple:
    """Which of several copies of the same bytes to keep: a supported extension, then the plainer name
    ('b_report.txt' before 'a_report.txt.bak'), then the path."""
    from .load.detect import SUPPORTED
    name = res.source_path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return (suffix not in SUPPORTED, name.count("."), len(res.source_path), res.source_path)


def _drop_duplicate_files(results: list[DocResult]) -> list[DocResult]:
    """The same bytes under two names are one document: keep the preferred copy, note the others."""
    groups: dict[str, list[DocResult]] = {}
    out = []
    for res in results:
        docs = res.rows.get("documents") or []
        doc_id = docs[0]["doc_id"] if docs else None
        if doc_id is None:
            out.append(res)
        else:
            groups.setdefault(doc_id, []).append(res)
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
            keep.rows["problems"].append(problem)
    return sorted(out, key=lambda r: r.source_path)


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version
    out = {}
    for pkg in ("pyarrow", "pdfplumber", "pypdfium2", "spacy", "rapidfuzz", "phonenumbers", "duckdb", "pandas"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out
