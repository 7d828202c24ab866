"""`councilpapers compact OUT [--partition-by ...]`: a run's partitioned tables rewritten as one sorted file
per partition, or laid out anew, without running the pipeline again.

A run writes each partition as one file (`partition.py`); files that other tools add to a partition folder
(an analyst's appended rows, a sync that split them) are merged here in the table's declared order. With
`--partition-by`, money and plan lines are re-partitioned, or written back as one file each (`''`): the
bytes are those a run with that option writes. The other tables are linked from the current generation,
and the new one is published atomically as a run's is; its run.json keeps no `outputs_key`, so the next
run assembles its tables again (from the cached parts) rather than taking these for its own.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .datapackage import write_datapackage
from .partition import PARTITIONED, by_document, is_partitioned, link_or_copy, other_layouts, read_any, \
    table_bytes, table_path, table_sha256, write_from_table
from .query import ParsedFolderError, check_parsed_dir
from .schema import TABLES
from .writer import current_generation, new_generation, publish, sort_table, write_json, write_streamed


def compact_run(parsed: Path, partition_by: tuple[str, ...] | None = None) -> dict[str, int]:
    """Compact (or re-lay) the run in `parsed`; returns, per partitionable table, the partitions written
    (0: written as one file)."""
    parsed = Path(parsed)
    files = check_parsed_dir(parsed)
    gen = current_generation(parsed)
    try:
        meta = json.loads((gen / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ParsedFolderError(f"{parsed} has no readable run.json ({exc}); re-run `councilpapers run`") from exc
    layout = tuple(meta.get("partition_by") or ()) if partition_by is None else partition_by
    documents = read_any(files["documents"], "documents")
    councils = dict(zip(documents.column("doc_id").to_pylist(), documents.column("council_code").to_pylist()))
    new = new_generation(parsed)
    written, sha = {}, {}
    try:
        for name in TABLES:
            path = files.get(name)
            if path is None:
                raise ParsedFolderError(f"{parsed} has no {name} table; re-run `councilpapers run`")
            if name in PARTITIONED and (layout or is_partitioned(path)):
                arrow = read_any(path, name)
                if layout:
                    sha[name], written[name] = write_from_table(new, name, layout, arrow, councils)
                else:
                    arrow = sort_table(name, arrow.select(TABLES[name].arrow.names))
                    sha[name] = table_sha256(write_streamed(new, name, by_document(arrow)))
                    written[name] = 0
            else:
                link_or_copy(path, new / path.name)
                sha[name] = meta.get("table_sha256", {}).get(name) or table_sha256(new / path.name)
        meta.update(partition_by=list(layout), outputs_key=None, table_sha256=sha, partitions_written=written,
                    table_bytes={name: table_bytes(table_path(new, name)) for name in TABLES})
        write_json(new / "run.json", meta)
        write_datapackage(new, sha)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)  # the current generation stays whole
        raise
    publish(parsed, new, [table_path(new, name).name for name in TABLES] + ["run.json", "datapackage.json"],
            stale=other_layouts(new))
    return written
