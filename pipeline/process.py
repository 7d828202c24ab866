"""One input file to rows: load, extract, resolve the council, validate.

`process_file` never raises: whatever goes wrong becomes a `documents` row with a
status and `problems` rows, so a bad file never stops the batch. It runs under a
per-document time limit (SIGALRM, where it runs in a main thread).
"""
from __future__ import annotations

import math
import signal
import stat
import subprocess
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .classify import classify
from .document import Document
from .ids import content_id, doc_id_of
from .load import LoadError, NeedsOCR, load_bytes
from .load.detect import claimed_format, sniff_format
from .manifest import ManifestEntry
from .normalise.people import disambiguate_surnames
from .standing import document_standing
from .registry import Output, registered
from .schema import ID_COLUMN, TABLES, SchemaError, check_row


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    max_mb: float = 200.0
    timeout_s: float = 300.0  # per document; 0 disables
    force: bool = False  # ignore cached results
    cache: bool = True  # keep per-document results in OUT/.cache for re-runs and resumes
    log_json: Path | None = None  # one JSON line per document
    ocr: bool = False  # run ocrmypdf on PDFs without a text layer
    follow_symlinks: bool = False  # read links that lead out of the input folder
    max_memory_mb: float = 1536.0  # address space of one worker process (0: no cap)
    executor: str = "local"  # where documents run: councilpapers.executors.ENGINES
    scheduler: str | None = None  # the Dask scheduler's address; None: a LocalCluster of `jobs` workers
    partition_by: tuple[str, ...] = ()  # hive folders for money and plan lines (partition.py); () one file each

    def cache_key(self) -> str:
        return f"max_mb={self.max_mb};timeout={self.timeout_s};ocr={self.ocr}"


class DocumentTimeout(BaseException):
    """Raised by the per-document alarm; a BaseException so extractor-level handlers do not swallow it."""


@dataclass
class DocResult:
    source_path: str
    status: str
    rows: dict[str, list[dict]]
    seconds: float = 0.0
    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def problem_row(doc_id: str, source_path: str, code: str, message: str, *, severity: str = "error",
             page: int | None = None, extractor: str | None = None) -> dict:
    return {"doc_id": doc_id, "source_path": source_path, "severity": severity, "code": code,
            "message": message, "page": page, "extractor": extractor}


def _doc_row(doc_id: str, source_path: str, fmt: str, status: str, *, size: int | None,
             entry: ManifestEntry, error: str | None = None, pages: int | None = None) -> dict:
    return {"doc_id": doc_id, "source_path": source_path, "format": fmt, "status": status,
            "error": error, "pages": pages, "bytes": size, "source_url": entry.source_url}


def _failed(doc_id, source_path, fmt, entry, size, code, message, severity="error", status="failed", pages=None):
    rows = {"documents": [_doc_row(doc_id, source_path, fmt, status, size=size, entry=entry, error=message, pages=pages)],
            "problems": [problem_row(doc_id, source_path, code, message, severity=severity, extractor="load")]}
    return rows


def _run_extractors(doc: Document, timings: dict[str, float]) -> tuple[dict[str, list[dict]], list[str]]:
    found: dict[str, list[dict]] = {}
    failures: list[str] = []
    extractors = registered()
    from councilpapers.extractors import IMPORT_ERRORS
    for module, error in sorted(IMPORT_ERRORS.items()):
        failures.append(f"extractor module {module} could not be loaded: {error}")
        found.setdefault("problems", []).append(
            problem_row(doc.doc_id, doc.source_path, "extractor_failed", failures[-1], extractor=module))
    for ex in extractors:
        start = time.perf_counter()
        try:
            if not ex.accepts(doc):
                continue
            out = Output(found)
            ex.func(doc, out)
        except MemoryError:
            raise  # the worker is at its memory cap: the document is given up, not just this extractor
        except Exception as exc:  # an extractor's bug must not cost the document
            tb = traceback.extract_tb(exc.__traceback__)[-1]
            msg = f"{ex.name} failed: {type(exc).__name__}: {exc} (at {Path(tb.filename).name}:{tb.lineno})"
            failures.append(msg)
            found.setdefault("problems", []).append(
                problem_row(doc.doc_id, doc.source_path, "extractor_failed", msg, extractor=ex.name))
            continue
        finally:
            timings[ex.name] = timings.get(ex.name, 0.0) + time.perf_counter() - start
        for table, rows in out.rows.items():
            for row in rows:
                row.setdefault("doc_id", doc.doc_id)
                if table == "problems":
                    row.setdefault("source_path", doc.source_path)
                    row.setdefault("extractor", ex.name)
                    row.setdefault("severity", "warning")
            found.setdefault(table, []).extend(rows)
    return found, failures


def _resolve_council(doc: Document, rows: dict[str, list[dict]]):
    from .councils.resolve import resolve_council
    dates = sorted({m["meeting_date"] for m in rows.get("meetings", []) if m.get("meeting_date")})
    return resolve_council(doc, dates)


def _finish_rows(doc: Document, rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Validate every row against the schema, give rows without an id a content id, keep ids unique."""
    clean: dict[str, list[dict]] = {name: [] for name in TABLES}
    for table, table_rows in rows.items():
        if table not in TABLES:
            clean["problems"].append(problem_row(doc.doc_id, doc.source_path, "unknown_table",
                                              f"rows for unknown table {table!r} dropped", severity="warning"))
            continue
        id_col = ID_COLUMN[table]
        seen: set[str] = set()
        for row in table_rows:
            if not row.get(id_col):
                parts = sorted((k, str(v)) for k, v in row.items())
                row[id_col] = content_id(doc.doc_id, table, parts)
            base, n = row[id_col], 1
            while row[id_col] in seen:
                row[id_col] = content_id(base, n)
                n += 1
            seen.add(row[id_col])
            try:
                clean[table].append(check_row(table, row))
            except SchemaError as exc:
                clean["problems"].append(problem_row(doc.doc_id, doc.source_path, "invalid_row", str(exc),
                                                  severity="warning", page=row.get("page") if isinstance(row.get("page"), int) else None))
    for p in clean["problems"]:
        if not p.get("problem_id"):
            p["problem_id"] = content_id(doc.doc_id, "problem", p.get("code"), p.get("page"), p.get("message"))
    # problem ids must be unique too
    seen = set()
    for p in clean["problems"]:
        base, n = p["problem_id"], 1
        while p["problem_id"] in seen:
            p["problem_id"] = content_id(base, n)
            n += 1
        seen.add(p["problem_id"])
    return clean


def process_document(doc: Document, entry: ManifestEntry, size: int | None = None) -> DocResult:
    """Extract everything from a loaded Document."""
    start = time.perf_counter()
    doc.source_url = doc.source_url or entry.source_url
    doc.manifest_council = doc.manifest_council or entry.council
    if entry.committee and entry.meeting_date:
        doc.manifest_meeting = {"committee": entry.committee, "meeting_date": entry.meeting_date,
                                "meeting_id": entry.meeting_id, "agenda_item": entry.agenda_item}
    timings: dict[str, float] = {}
    rows, failures = _run_extractors(doc, timings)
    disambiguate_surnames(rows.get("people", []), lambda n: doc.page(n).text)
    t0 = time.perf_counter()
    council = None
    try:
        council = _resolve_council(doc, rows)
    except Exception as exc:
        failures.append(f"council resolution failed: {type(exc).__name__}: {exc}")
        rows.setdefault("problems", []).append(problem_row(doc.doc_id, doc.source_path, "extractor_failed",
                                                        failures[-1], extractor="councils"))
    timings["councils"] = time.perf_counter() - t0
    if council is not None:
        for m in rows.get("meetings", []):
            m["council_code"] = council.code
        rows.setdefault("mentions", []).extend(council.mentions)
        for p in council.problems:
            rows.setdefault("problems", []).append({**problem_row(doc.doc_id, doc.source_path, p["code"], p["message"],
                                                               severity=p.get("severity", "warning"), page=p.get("page")),
                                                    "extractor": "councils"})
    status = "partial" if failures else "ok"
    row = _doc_row(doc.doc_id, doc.source_path, doc.format, status, size=size, entry=entry,
                   error="; ".join(failures) or None, pages=len(doc.pages))
    row.update(title=doc.title, doc_kind=classify(doc, rows))
    if rows.get("tables"):
        # standing says which plan tables count; a paper without one has nothing it would decide
        row["standing"] = document_standing(doc.title, doc.pages[0].text if doc.pages else "")
    if council is not None:
        row.update(council_code=council.code, council_name=council.name,
                   council_evidence=council.evidence, council_confidence=council.confidence)
    rows["documents"] = [row]
    rows["pages"] = [{"page_id": content_id(doc.doc_id, "page", p.number), "doc_id": doc.doc_id, "page": p.number,
                      "text": p.text, "chars": len(p.text), "width_pt": p.width, "height_pt": p.height}
                     for p in doc.pages]
    clean = _finish_rows(doc, rows)
    return DocResult(doc.source_path, status, clean, time.perf_counter() - start, len(doc.pages), timings)


TIMEOUT_STEP_MB = 10  # `--timeout` is per document, and as much again for every further 10 MB of file


def time_limit(options: RunOptions, size_bytes: int) -> float:
    """Seconds one document may take: the work is linear in its size, so a 50 MB text gets five
    times the budget of a report, and a pathological small file is still cut off at `--timeout`."""
    if not options.timeout_s:
        return 0.0
    return options.timeout_s * max(1, math.ceil(size_bytes / (TIMEOUT_STEP_MB * 2 ** 20)))


def process_file(path: Path, source_path: str, entry: ManifestEntry, options: RunOptions = RunOptions()) -> DocResult:
    """Load and extract one file, within the per-document time limit. Never raises."""
    use_alarm = options.timeout_s > 0 and threading.current_thread() is threading.main_thread()
    if not use_alarm:
        return _process_file(path, source_path, entry, options)
    try:
        limit = time_limit(options, path.stat().st_size)
    except OSError:
        limit = options.timeout_s  # the loader reports the unreadable file

    def on_alarm(signum, frame):
        raise DocumentTimeout(f"gave up after {limit:g}s (per-document --timeout)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return _process_file(path, source_path, entry, options)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _process_file(path: Path, source_path: str, entry: ManifestEntry, options: RunOptions) -> DocResult:
    start = time.perf_counter()
    fmt = "unknown"
    doc_id = content_id("unreadable", source_path)
    size = None
    try:
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):
                rows = _failed(doc_id, source_path, "unknown", entry, None, "not_a_regular_file",
                               "not a regular file (a pipe, socket or device); not read")
                return _unread(doc_id, source_path, rows, start)
            size = st.st_size
            data = path.read_bytes() if size <= options.max_mb * 1024 * 1024 else None
        except OSError as exc:
            rows = _failed(doc_id, source_path, claimed_format(source_path), entry, None, "unreadable_file",
                           f"cannot read file: {exc.strerror or exc}")
            return _unread(doc_id, source_path, rows, start)
        if data is None:
            rows = _failed(doc_id, source_path, claimed_format(source_path), entry, size, "file_too_large",
                           f"{size / 1048576:.1f} MB is over the --max-mb limit of {options.max_mb:g} MB")
            return _unread(doc_id, source_path, rows, start)
        doc_id = doc_id_of(data)
        fmt = sniff_format(data, source_path)
        if fmt == "empty":
            rows = _failed(doc_id, source_path, fmt, entry, size, "empty_file", "file is empty (0 bytes)")
            return _unread(doc_id, source_path, rows, start)
        ocr_note = None
        try:
            try:
                doc = load_bytes(data, source_path, fmt)
            except NeedsOCR as first:
                if not options.ocr:
                    raise
                doc, ocr_note = _load_with_ocr(data, source_path, doc_id, first.pages)
        except NeedsOCR as exc:
            from .ocr import HINT
            message = exc.message if options.ocr else f"{exc.message} ({HINT})"
            rows = _failed(doc_id, source_path, fmt, entry, size, exc.code, message, severity="warning",
                           status="needs_ocr", pages=exc.pages)
            return _unread(doc_id, source_path, rows, start, "needs_ocr")
        except LoadError as exc:
            rows = _failed(doc_id, source_path, fmt, entry, size, exc.code, exc.message, severity=exc.severity)
            return _unread(doc_id, source_path, rows, start)
        claimed = claimed_format(source_path)
        result = process_document(doc, entry, size)
        if ocr_note:
            result.rows["problems"].extend(_finish_rows(doc, {"problems": [
                problem_row(doc_id, source_path, "ocr_text", ocr_note, severity="info", extractor="ocr")]})["problems"])
        if claimed in ("pdf", "txt", "html") and fmt != claimed:
            result.rows["problems"].extend(_finish_rows(doc, {"problems": [
                problem_row(doc_id, source_path, "extension_mismatch",
                         f"file is named .{claimed} but its bytes are {fmt}; read as {fmt}", severity="warning",
                         extractor="load")]})["problems"])
        result.seconds = time.perf_counter() - start
        return result
    except DocumentTimeout as exc:
        rows = _failed(doc_id, source_path, fmt, entry, size, "timeout", str(exc))
        return _unread(doc_id, source_path, rows, start)
    except MemoryError:
        rows = _failed(doc_id, source_path, fmt, entry, size, "memory_limit",
                       f"ran out of memory (the worker's limit is {options.max_memory_mb:g} MB, --max-memory-mb)")
        return _unread(doc_id, source_path, rows, start)
    except Exception as exc:  # the last line of defence: a bug here must not stop the batch
        msg = f"internal error: {type(exc).__name__}: {exc}"
        rows = _failed(doc_id, source_path, fmt, entry, size, "internal_error", msg)
        return _unread(doc_id, source_path, rows, start)


def _load_with_ocr(data: bytes, source_path: str, doc_id: str, pages: int) -> tuple[Document, str]:
    """OCR a PDF without a text layer; the Document keeps the original bytes' doc_id."""
    from .ocr import OCRUnavailable, ocr_pdf
    try:
        ocred = ocr_pdf(data)
    except OCRUnavailable as exc:
        raise NeedsOCR(str(exc), pages) from exc
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
        raise NeedsOCR(f"OCR failed: {exc}", pages) from exc
    doc = load_bytes(ocred, source_path, "pdf")
    doc.doc_id = doc_id  # the id of the bytes the user gave; doc.data keeps the OCR'd PDF for the table pass
    doc.ocr = True
    return doc, "text read by OCR (ocrmypdf/tesseract): expect recognition errors; check figures against the page"


def _stub(doc_id: str, source_path: str) -> Document:
    return Document(doc_id=doc_id, source_path=source_path, format="unknown", pages=[])


def _unread(doc_id: str, source_path: str, rows: dict, start: float, status: str = "failed") -> DocResult:
    """The result for a file that gave no Document: its documents row and its problems."""
    return DocResult(source_path, status, _finish_rows(_stub(doc_id, source_path), rows), time.perf_counter() - start)


# files asked for that could not be had (a listed file not there, a remote one that would not download): errors;
# what else is skipped was left out on purpose (a link out of the input folder): warnings
NOT_HAD = frozenset({"missing_file", "unreadable_file", "not_a_regular_file"})


def skipped_file(source_path: str, code: str, message: str) -> DocResult:
    """The result for a file the input boundary left out (a link out of the folder), or one that was asked
    for and could not be had (a listed file not there): a row saying so."""
    doc_id = content_id("skipped", source_path)
    severity = "error" if code in NOT_HAD else "warning"
    rows = _failed(doc_id, source_path, claimed_format(source_path), ManifestEntry(), None, code, message, severity=severity)
    return _unread(doc_id, source_path, rows, time.perf_counter())


def lost_document(task, code: str, message: str) -> DocResult:
    """The result for a document whose worker was killed for its time or died: its row and the reason."""
    path, source_path, entry, options = task[:4]
    try:
        data = path.read_bytes() if path.stat().st_size <= options.max_mb * 1024 * 1024 else None
    except OSError:
        data = None
    doc_id = doc_id_of(data) if data else content_id("unreadable", source_path)
    fmt = sniff_format(data, source_path) if data else claimed_format(source_path)
    rows = _failed(doc_id, source_path, fmt, entry, len(data) if data else None, code, message)
    return _unread(doc_id, source_path, rows, time.perf_counter())


def process_task(task):
    """A worker's task: read one file and write its rows as parts (in its cache folder `dest`, or in the
    run's `scratch` folder); what comes back to the driver is the small summary."""
    from .cache import store
    path, rel, entry, options, dest, scratch = task
    return store(process_file(path, rel, entry, options), dest, scratch)
