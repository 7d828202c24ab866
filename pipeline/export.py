"""`councilpapers export OUT --sqlite FILE.db`: the tables of a parsed/ folder as one SQLite file
that `datasette FILE.db` browses, with sqlite-utils doing the SQLite work.

Every table keeps its primary key and its declared foreign keys (pipeline.schema), so Datasette
links a money row to its document and a vote to its decision. Full-text search is on decisions'
text, money sentences and page text. SQLite has no exact decimal: each money column is kept as
text, exact ('4462000.00'), beside an integer `<column>_pence` that sums and sorts exactly.
Dates are ISO text. The file is written beside its destination and renamed, so a failed export
leaves the previous one whole.
"""
from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from .partition import table_path
from .schema import TABLES, type_kind
from .writer import current_generation

FULL_TEXT = {"decisions": ["text"], "money": ["sentence"], "pages": ["text"]}


def _money_columns(name: str) -> list[str]:
    return [f.name for f in TABLES[name].fields if type_kind(f.type)[0] == "decimal"]


def _rows(path: Path, name: str):
    from .partition import read_any
    money = _money_columns(name)
    # the declared columns (a partitioned money table read as a folder also has its documents' council_code)
    for row in read_any(path, name).select(TABLES[name].arrow.names).to_pylist():
        for col in money:
            value = row.get(col)
            row[f"{col}_pence"] = int(value * 100) if isinstance(value, Decimal) else None
            row[col] = str(value) if isinstance(value, Decimal) else None
        for key, value in row.items():
            if isinstance(value, date):
                row[key] = value.isoformat()
        yield row


def export_sqlite(parsed: Path, db_path: Path) -> dict[str, int]:
    """Write the tables of `parsed` to `db_path`; the rows written, by table."""
    import sqlite_utils

    parsed, db_path = Path(parsed), Path(db_path)
    tmp = db_path.with_name(f".{db_path.name}.part")
    tmp.unlink(missing_ok=True)
    counts: dict[str, int] = {}
    db = sqlite_utils.Database(tmp)
    try:
        for name, spec in TABLES.items():
            path = table_path(current_generation(parsed), name)
            columns = {f.name: _sqlite_type(f) for f in spec.fields}
            for col in _money_columns(name):
                columns[f"{col}_pence"] = int
            table = db[name]
            table.create(columns, pk=spec.primary_key[0] if len(spec.primary_key) == 1 else spec.primary_key)
            if path is not None:
                table.insert_all(_rows(path, name), batch_size=2000)
            counts[name] = table.count
        for name, spec in TABLES.items():
            for column, other, other_column in spec.foreign_keys:
                db[name].add_foreign_key(column, other, other_column, ignore=True)
        for name, columns in FULL_TEXT.items():
            db[name].enable_fts(columns, create_triggers=False)
        db.index_foreign_keys()
    finally:
        db.close()
    os.replace(tmp, db_path)
    return counts


def _sqlite_type(field) -> type:
    kind = type_kind(field.type)[0]
    return {"int": int, "float": float, "bool": int}.get(kind, str)
