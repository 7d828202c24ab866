"""Where a run's files come from: a local folder (discover.py's walk), a folder on any fsspec
filesystem (`memory://`, `s3://bucket/prefix`, `gs://`), or a list of files (`--from-manifest`).

Workers only ever get a local path. A local file is read where it is, without a copy. A file on
another filesystem is fetched by the driver into the run's scratch folder under OUT before it is
dispatched (`fetch`): a worker process cannot see the driver's `memory://` store, and need not hold
the bucket's credentials. Its cache key is the hash of its bytes, wherever they came from, so a
remote run, a list and a walk of the same files share their cache entries.
"""
from __future__ import annotations

import csv
import io
import os
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from .discover import OUTPUT_MARKERS, discover_inputs, display_path
from .ids import content_id
from .manifest import Manifest, ManifestEntry, entry_of, is_folder_record, is_manifest_name, read_entries

LOCAL_PROTOCOLS = ("file", "local")


class InputError(Exception):
    """The input cannot be used at all (no such folder, a list without a path column, a protocol fsspec
    cannot open): one sentence for the user, raised before any document is processed."""


class InputNotFound(InputError, FileNotFoundError):
    """The input folder is not there."""


@dataclass(frozen=True)
class Input:
    """One file to process: a local `path`, or `fspath` on the fsspec filesystem `fs` (fetched before dispatch)."""
    source_path: str                      # the name recorded in the tables
    entry: ManifestEntry = ManifestEntry()
    path: Path | None = None
    fs: object = None
    fspath: str | None = None
    size: int | None = None               # known from the listing, where the filesystem gave it
    where: str = ""                       # how to name it in a message (the URL, the list's line)


@dataclass
class Inputs:
    files: list[Input] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (source_path, code, message)
    label: str = ""                       # what run.json records as the input


class Unavailable(Exception):
    """A listed or remote file that cannot be had: its `problems` code and message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def is_url(where) -> bool:
    """A URL of a filesystem other than this machine's (`file://` is a local path)."""
    if isinstance(where, Path) or "://" not in str(where):
        return False
    from fsspec.utils import get_protocol
    return get_protocol(str(where)) not in LOCAL_PROTOCOLS


def _local(where) -> Path:
    text = str(where)
    return Path(text.split("://", 1)[1]) if "://" in text else Path(where)  # file:///x -> /x


def _filesystem(url: str):
    """(filesystem, path on it) for a URL; InputError when fsspec cannot open the protocol (an
    unknown one, or s3fs/gcsfs not installed)."""
    import fsspec
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InputError(f"cannot open {url}: {exc}") from None


def from_folder(where, *, follow_symlinks: bool = False, exclude: tuple[Path, ...] = ()) -> Inputs:
    """Every file under a folder, local or on an fsspec filesystem, with its manifest.csv entry."""
    if is_url(where):
        return _walk_fs(str(where))
    folder = _local(where)
    if folder.is_file():
        raise InputError(f"input {where} is a file, not a folder (to process the files a CSV lists: --from-manifest)")
    if not folder.is_dir():
        raise InputNotFound(f"input folder {where} does not exist")
    manifest = Manifest.read(folder)
    found = discover_inputs(folder, follow_symlinks=follow_symlinks, exclude=exclude)
    files = [Input(rel, manifest.lookup(rel), path=path) for path, rel in found.files]
    return Inputs(files, found.skipped, str(where))


def _walk_fs(url: str) -> Inputs:
    """discover.py's walk on an fsspec filesystem: sorted, hidden names and folder records left out,
    manifest.csv files read, and folders the pipeline wrote (a run's tables, a review site) not read."""
    fs, root = _filesystem(url)
    if not fs.isdir(root):
        if fs.isfile(root):
            raise InputError(f"input {url} is a file, not a folder (to process the files a CSV lists: --from-manifest)")
        raise InputNotFound(f"input folder {url} does not exist")
    root = root.rstrip("/")
    found: dict[str, tuple[str, dict]] = {}  # rel -> (path, info)
    for path, info in sorted(fs.find(root, detail=True).items()):
        rel = posixpath.relpath(path, root) if root else path.lstrip("/")
        if info.get("type", "file") == "file" and not any(p.startswith(".") for p in rel.split("/")):
            found[rel] = (path, info)
    written = set()  # sub-folders the pipeline wrote
    for rel, (path, _) in found.items():
        folder, _, name = rel.rpartition("/")
        if folder and name in OUTPUT_MARKERS and OUTPUT_MARKERS[name] in _head(fs, path):
            written.add(folder)
    manifests: dict[str, dict[str, ManifestEntry]] = {}
    files = []
    for rel, (path, info) in found.items():
        folder, _, name = rel.rpartition("/")
        if any(folder == w or folder.startswith(w + "/") for w in written):
            continue
        if is_manifest_name(name):
            if folder not in manifests:  # the first by name, as find_manifest chooses
                manifests[folder] = read_entries(io.StringIO(fs.cat_file(path).decode("utf-8-sig"), newline=""))
        elif not is_folder_record(name):
            files.append((rel, path, info.get("size")))
    manifest = Manifest(manifests.pop("", {}), manifests)
    inputs = [Input(display_path(rel), manifest.lookup(rel), fs=fs, fspath=path, size=size,
                    where=fs.unstrip_protocol(path)) for rel, path, size in files]
    return Inputs(inputs, [], url)


def _head(fs, path: str) -> bytes:
    try:
        with fs.open(path, "rb") as fh:
            return fh.read(4096)
    except Exception:  # noqa: BLE001  (unreadable: not a marker; the file itself is reported when read)
        return b""


def from_manifest(csv_path) -> Inputs:
    """The files a CSV lists, one a row: `path` (relative to the CSV's folder, absolute, or an fsspec URL),
    optionally `source_path` (the name recorded in the tables) and manifest.csv's fields (source_url,
    council, committee, meeting_date, meeting_id, agenda_item).

    Without `source_path` a file is named by its path relative to the CSV's folder, as a walk of that
    folder would name it, or, outside it, by its absolute path or URL. Repeated rows are read once; a
    row naming a file that is not there becomes a `missing_file` problem; two different files given the
    same name are refused (InputError), as is a CSV without a `path` column.
    """
    label = str(csv_path)
    remote = is_url(label)
    try:
        if remote:
            fs, csv_fspath = _filesystem(label)
            data = fs.cat_file(csv_fspath)
        else:
            data = _local(csv_path).read_bytes()
        text = data.decode("utf-8-sig")
    except InputError:
        raise
    except UnicodeDecodeError:
        raise InputError(f"manifest {label} is not UTF-8 text") from None
    except Exception as exc:  # noqa: BLE001  (OSError locally; a remote filesystem raises its own)
        raise InputError(f"cannot read manifest {label}: {getattr(exc, 'strerror', None) or exc}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if "path" not in header:
        raise InputError(f"manifest {label} has no 'path' column (its header: {', '.join(header) or 'none'}); "
                         f"list one file a row under a 'path' header")
    reader.fieldnames = header
    base = posixpath.dirname(csv_fspath) if remote else os.path.dirname(os.path.abspath(_local(csv_path)))
    name = posixpath.basename(label.rstrip("/"))
    seen: dict[str, tuple[tuple, ManifestEntry, int]] = {}
    out = Inputs(label=label)
    for row in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() if isinstance(v, str) else "" for k, v in row.items() if k}
        written = cells.get("path", "")
        if not written:
            if any(cells.values()):
                raise InputError(f"manifest {label}, line {line}: a row without a path")
            continue  # a blank row
        where = f"{written} ({name}, line {line})"
        item = replace(_listed(written, base, fs if remote else None, cells.get("source_path") or None, where),
                       entry=entry_of(cells))
        location = (type(item.fs).__name__, item.fspath) if item.fs is not None else ("local", str(item.path))
        if item.source_path in seen:
            first_location, first_entry, first_line = seen[item.source_path]
            if (first_location, first_entry) == (location, item.entry):
                continue  # the same row again: read once
            raise InputError(f"manifest {label}: lines {first_line} and {line} both give the name "
                             f"{item.source_path!r}, to different files or with different fields; a name is one file's")
        seen[item.source_path] = (location, item.entry, line)
        if item.path is not None and not os.path.exists(item.path):
            out.skipped.append((item.source_path, "missing_file", f"listed but not found: {where}"))
        else:
            out.files.append(item)
    out.files.sort(key=lambda i: i.source_path)
    out.skipped.sort()
    return out


def _listed(written: str, base: str, base_fs, source_path: str | None, where: str) -> Input:
    """One listed path resolved against the list's folder `base` (local, or on `base_fs`), and its name."""
    if is_url(written):
        fs, fspath = _filesystem(written)
        if base_fs is not None and type(fs) is type(base_fs) and _under(fspath, base, posixpath):
            derived = posixpath.relpath(fspath, base)
        else:
            derived = fs.unstrip_protocol(fspath)
        return Input(source_path or derived, fs=fs, fspath=fspath, where=where)
    local = _local(written)
    if base_fs is not None and not local.is_absolute():  # relative to a list that is itself remote
        fspath = posixpath.normpath(posixpath.join(base, written))
        return Input(source_path or posixpath.relpath(fspath, base), fs=base_fs, fspath=fspath, where=where)
    path = os.path.normpath(local if local.is_absolute() else os.path.join(base, local))
    derived = Path(os.path.relpath(path, base)).as_posix() if base_fs is None and _under(path, base, os.path) \
        else Path(path).as_posix()
    return Input(source_path or display_path(derived), path=Path(path), where=where)


def _under(path: str, folder: str, mod) -> bool:
    return mod.commonpath([path, folder]) == folder and path != folder


def fetch(item: Input, folder: Path, max_bytes: float) -> Path:
    """A local copy of a remote file in `folder` (the run's scratch), for a worker to read as it reads any
    file; Unavailable when it cannot be had. A file over the --max-mb limit is not downloaded: a sparse file
    of its size stands in, so the worker refuses it as it refuses a local one (`file_too_large`)."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / (content_id("input", item.source_path) + posixpath.splitext(item.fspath)[1])
    try:
        size = item.size
        if size is None:
            info = item.fs.info(item.fspath)
            if info.get("type") == "directory":
                raise Unavailable("not_a_regular_file", f"a folder, not a file; not read: {item.where}")
            size = info.get("size")
        if size is not None and size > max_bytes:
            with open(dest, "wb") as fh:
                fh.truncate(size)
        else:
            item.fs.get_file(item.fspath, str(dest))
    except Unavailable:
        raise
    except FileNotFoundError:
        raise Unavailable("missing_file", f"listed but not found: {item.where}") from None
    except Exception as exc:  # noqa: BLE001  (a remote filesystem raises its own; one file must not stop the run)
        dest.unlink(missing_ok=True)
        raise Unavailable("unreadable_file", f"cannot read {item.where}: {type(exc).__name__}: {exc}") from None
    return dest

