"""Inputs from a list instead of a walk, and from any fsspec filesystem (issue 16 item 5): a manifest run
and a run over a memory:// folder write the tables of a local walk of the same files, byte for byte, and
share its cache; a listed file that is not there is a problems row; a list without a path column, one line."""
from __future__ import annotations

import csv
import shutil
import uuid
from pathlib import Path

import fsspec
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.inputs import InputError, from_manifest
from councilpapers.runner import RunOptions, run
from councilpapers.schema import TABLES

from .conftest import CORPUS, ROOT, requires_corpus

FIXTURES = ROOT / "tests" / "fixtures" / "decisions"
# a small tree: papers in a sub-folder, a manifest.csv giving one a council, and what a walk leaves out
TREE = {
    "minutes/printed_minutes.txt": (FIXTURES / "printed_minutes.txt").read_bytes(),
    "minutes/cover sheet.txt": (FIXTURES / "cover_sheet.txt").read_bytes(),
    "decision_details.html": (FIXTURES / "decision_details.html").read_bytes(),
    "manifest.csv": b"file,source_url,council\ndecision_details.html,https://example.org/d,Torbay\n",
    ".hidden.txt": b"not a paper",
}
PAPERS = sorted(name for name in TREE if name != "manifest.csv" and not name.startswith("."))


def tables(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def rows(out: Path, table: str) -> list[dict]:
    return pq.read_table(out / f"{table}.parquet").to_pylist()


def write_tree(folder: Path, tree: dict[str, bytes]) -> Path:
    for name, data in tree.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def write_list(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(lines)
    return path


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    """The tables of a local walk of TREE (the run every other input must match)."""
    base = tmp_path_factory.mktemp("walked")
    run(write_tree(base / "papers", TREE), base / "out", RunOptions(jobs=1, cache=False))
    return tables(base / "out")


@pytest.fixture
def memory_root():
    """A fresh folder in fsspec's memory filesystem (one store per process), removed afterwards."""
    fs = fsspec.filesystem("memory")
    root = f"/councilpapers-{uuid.uuid4().hex[:8]}"
    yield fs, root
    if fs.exists(root):
        fs.rm(root, recursive=True)


# --- a list of files ----------------------------------------------------------------------------------

def test_a_manifest_of_paths_relative_to_it_gives_the_tables_of_a_walk(tmp_path, walked, monkeypatch):
    folder = write_tree(tmp_path / "listed", {k: v for k, v in TREE.items() if k != "manifest.csv"})
    # the manifest.csv fields ride on the list's rows; paths are relative to the list, not to the working folder
    files = write_list(folder / "files.csv", ["path", "source_url", "council"], [
        ["./minutes/printed_minutes.txt", "", ""],
        ["decision_details.html", "https://example.org/d", "Torbay"],
        ["minutes/../minutes/cover sheet.txt", "", ""],
    ])
    monkeypatch.chdir(tmp_path)
    run(from_manifest(files), tmp_path / "out", RunOptions(jobs=1, cache=False))
    assert tables(tmp_path / "out") == walked
    assert [d["source_path"] for d in rows(tmp_path / "out", "documents")] == PAPERS


@requires_corpus()
def test_a_manifest_of_corpus_files_gives_the_tables_of_a_folder_of_their_copies(tmp_path):
    names = ["pdf/kent_2024-12-10_corporate-parenting-panel_minutes.pdf", "html/lgsf_modgov_decision_detail.html",
             "pages/aberdeen-city_ieissuedetails_75797.txt"]
    for name in names:
        (tmp_path / "copies" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, tmp_path / "copies" / name)
    run(tmp_path / "copies", tmp_path / "walked", RunOptions(jobs=2))
    # absolute paths to the corpus where it is, named in the tables as the copies are
    files = write_list(tmp_path / "files.csv", ["path", "source_path"], [[str(CORPUS / n), n] for n in names])
    listed = run(from_manifest(files), tmp_path / "listed", RunOptions(jobs=2))
    assert tables(tmp_path / "listed") == tables(tmp_path / "walked")
    assert listed.statuses == {"ok": 3}


def test_a_manifest_run_hits_the_cache_of_a_folder_run_of_the_same_files(tmp_path):
    folder = write_tree(tmp_path / "papers", TREE)
    first = run(folder, tmp_path / "out", RunOptions(jobs=1))
    assert first.cached == 0
    files = write_list(tmp_path / "papers" / "files.csv", ["path", "source_url", "council"],
                       [[name, *(["https://example.org/d", "Torbay"] if name.endswith(".html") else ["", ""])]
                        for name in PAPERS])
    again = run(from_manifest(files), tmp_path / "out", RunOptions(jobs=1))
    # the same files, names and fields: every document from the cache, and the tables already written
    assert again.cached == len(PAPERS) and not again.tables_rewritten


def test_a_listed_file_that_is_not_there_is_a_problem_and_the_others_are_read(tmp_path):
    folder = write_tree(tmp_path / "papers", {k: TREE[k] for k in PAPERS})
    files = write_list(folder / "files.csv", ["path"], [
        ["decision_details.html"], ["gone/missing.pdf"], ["decision_details.html"], [""], ["minutes/printed_minutes.txt"],
    ])
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--from-manifest", str(files), "-o", str(out), "-q", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    docs = {d["source_path"]: d for d in rows(out, "documents")}
    assert sorted(docs) == ["decision_details.html", "gone/missing.pdf", "minutes/printed_minutes.txt"]  # read once
    assert docs["gone/missing.pdf"]["status"] == "failed" and docs["decision_details.html"]["status"] == "ok"
    missing = [p for p in rows(out, "problems") if p["source_path"] == "gone/missing.pdf"]
    assert [(p["code"], p["severity"]) for p in missing] == [("missing_file", "error")]
    assert missing[0]["message"] == "listed but not found: gone/missing.pdf (files.csv, line 3)"
    assert rows(out, "decisions")  # the other files' rows are all there


def test_a_file_outside_the_manifest_folder_is_named_by_its_absolute_path(tmp_path):
    write_tree(tmp_path / "papers", {"a.txt": TREE["minutes/printed_minutes.txt"]})
    files = write_list(tmp_path / "lists" / "files.csv", ["path"], [["../papers/a.txt"]])
    listed = from_manifest(files)
    assert [i.source_path for i in listed.files] == [(tmp_path / "papers" / "a.txt").as_posix()]


@pytest.mark.parametrize("text, says", [
    ("file,council\na.txt,Kent\n", "has no 'path' column (its header: file, council)"),
    ("", "has no 'path' column (its header: none)"),
    ("path,council\n,Kent\n", "line 2: a row without a path"),
    ("path,source_path\na.txt,x.txt\nb.txt,x.txt\n", "lines 2 and 3 both give the name 'x.txt'"),
    (b"path\n\xff\xfe.txt\n", "is not UTF-8 text"),
])
def test_a_malformed_manifest_is_one_line(tmp_path, text, says):
    files = tmp_path / "files.csv"
    files.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(InputError) as caught:
        from_manifest(files)
    assert says in str(caught.value)
    result = CliRunner().invoke(cli, ["run", "--from-manifest", str(files), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip() == f"Error: {caught.value}" and "\n" not in result.output.strip()
    assert not (tmp_path / "out").exists()


def test_run_takes_a_folder_or_a_manifest_not_both(tmp_path):
    files = write_list(tmp_path / "files.csv", ["path"], [])
    for args in ([], [str(tmp_path), "--from-manifest", str(files)]):
        result = CliRunner().invoke(cli, ["run", *args, "-o", str(tmp_path / "out")])
        assert result.exit_code == 2 and "give INPUT_DIR or --from-manifest" in result.output
    result = CliRunner().invoke(cli, ["run", str(files), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "is a file, not a folder" in result.output


# --- any fsspec filesystem --------------------------------------------------------------------------

@pytest.mark.parametrize("jobs", [1, 2])
def test_a_memory_folder_gives_the_tables_of_the_local_folder(tmp_path, walked, memory_root, jobs):
    fs, root = memory_root
    for name, data in TREE.items():
        fs.pipe(f"{root}/{name}", data)
    summary = run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=jobs, cache=False))
    assert tables(tmp_path / "out") == walked
    assert summary.files == len(PAPERS)
    assert not list((tmp_path / "out").glob(".parts-*"))  # the fetched copies went with the run's scratch


def test_a_memory_folder_on_dask_gives_the_tables_of_the_local_folder(tmp_path, walked, memory_root):
    pytest.importorskip("distributed")
    fs, root = memory_root
    for name, data in TREE.items():
        fs.pipe(f"{root}/{name}", data)
    run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=2, cache=False, executor="dask"))
    assert tables(tmp_path / "out") == walked  # Dask's workers are spawned: they see the copies, not the store


def test_a_memory_manifest_lists_urls_and_paths_relative_to_it(tmp_path, walked, memory_root):
    fs, root = memory_root
    for name, data in TREE.items():
        fs.pipe(f"{root}/papers/{name}", data)
    fs.pipe(f"{root}/papers/files.csv", (
        "path,source_path,source_url,council\n"
        "minutes/printed_minutes.txt,,,\n"                                       # relative to the list, in memory
        f"memory://{root}/papers/decision_details.html,,https://example.org/d,Torbay\n"  # a URL under its folder
        f"memory://{root}/elsewhere/cover.txt,minutes/cover sheet.txt,,\n"
    ).encode())
    fs.pipe(f"{root}/elsewhere/cover.txt", TREE["minutes/cover sheet.txt"])
    run(from_manifest(f"memory://{root}/papers/files.csv"), tmp_path / "out", RunOptions(jobs=2, cache=False))
    assert tables(tmp_path / "out") == walked


def test_a_remote_run_shares_the_cache_of_a_local_run_of_the_same_bytes(tmp_path, memory_root):
    fs, root = memory_root
    folder = write_tree(tmp_path / "papers", TREE)
    run(folder, tmp_path / "out", RunOptions(jobs=1))
    for name, data in TREE.items():
        fs.pipe(f"{root}/{name}", data)
    again = run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=1))
    assert again.cached == len(PAPERS) and not again.tables_rewritten
    fs.pipe(f"{root}/minutes/printed_minutes.txt", TREE["minutes/printed_minutes.txt"] + b"\nRESOLVED that it be noted.\n")
    changed = run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=1))
    assert changed.cached == len(PAPERS) - 1 and changed.tables_rewritten  # by content: the changed file only


def test_a_remote_file_over_max_mb_is_refused_as_a_local_one_is(tmp_path, memory_root):
    fs, root = memory_root
    tree = {"big.txt": b"x" * 3000, "small.txt": TREE["minutes/cover sheet.txt"]}
    for name, data in tree.items():
        fs.pipe(f"{root}/{name}", data)
    options = RunOptions(jobs=1, cache=False, max_mb=0.002)  # 2 kB
    run(write_tree(tmp_path / "papers", tree), tmp_path / "local", options)
    run(f"memory://{root}", tmp_path / "remote", options)
    assert tables(tmp_path / "remote") == tables(tmp_path / "local")
    assert {p["code"] for p in rows(tmp_path / "remote", "problems") if p["source_path"] == "big.txt"} == {"file_too_large"}


def test_a_remote_file_that_cannot_be_fetched_is_a_problem_and_the_others_are_read(tmp_path, memory_root, monkeypatch):
    fs, root = memory_root
    for name, data in TREE.items():
        fs.pipe(f"{root}/{name}", data)
    get_file = type(fs).get_file

    def refuse(self, rpath, lpath, **kwargs):
        if rpath.endswith(".html"):
            raise PermissionError("access denied")
        return get_file(self, rpath, lpath, **kwargs)

    monkeypatch.setattr(type(fs), "get_file", refuse)
    summary = run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=1))
    problems = [p for p in rows(tmp_path / "out", "problems") if p["source_path"] == "decision_details.html"]
    assert [p["code"] for p in problems] == ["unreadable_file"] and "access denied" in problems[0]["message"]
    assert summary.statuses == {"ok": 2, "failed": 1}
    assert summary.tables_rewritten and run(f"memory://{root}", tmp_path / "out", RunOptions(jobs=1)).tables_rewritten


def test_a_missing_remote_folder_or_an_unknown_protocol_is_one_line(tmp_path):
    for url, says in (("memory://councilpapers-nowhere", "input folder memory://councilpapers-nowhere does not exist"),
                      ("nosuchprotocol://x", "cannot open nosuchprotocol://x")):
        result = CliRunner().invoke(cli, ["run", url, "-o", str(tmp_path / "out")])
        assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
