"""datapackage.json: the run's tables described as a Frictionless Tabular Data Package.

Everything here is read from councilpapers.schema, so the package can never disagree with
the Parquet files: table and column descriptions, types, closed vocabularies (as enum
constraints), required columns, primary and foreign keys. Each resource points at its
Parquet file with its size and sha256, so a copy of the folder can be checked.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa

from . import __version__
from .schema import SCHEMA_VERSION, TABLES, Field, Table, type_kind
from .writer import write_json

PACKAGE_NAME = "councilpapers-parsed"


def field_type(t: pa.DataType) -> str:
    """The Table Schema type of an Arrow type (decimals are exact numbers: `number`)."""
    return type_kind(t)[1]


def field_descriptor(f: Field) -> dict:
    out = {"name": f.name, "type": field_type(f.type), "description": f.description,
           "arrowType": str(f.type)}
    constraints = {}
    if f.required:
        constraints["required"] = True
    if f.enum:
        constraints["enum"] = list(f.enum)
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(t: Table) -> dict:
    # Parquet nulls reach a Table Schema validator as NaN when it reads through pandas (frictionless
    # does): "nan" is listed as missing so a null vote count is not an integer type error
    schema = {"fields": [field_descriptor(f) for f in t.fields],
              "primaryKey": list(t.primary_key),
              "missingValues": ["", "nan", "NaN"]}
    if t.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [column], "reference": {"resource": ref_table, "fields": [ref_column]}}
            for column, ref_table, ref_column in t.foreign_keys]
    return schema


def _file_facts(path: Path, sha256: str | None = None) -> dict:
    """Size and sha256 of a table's file, under the package's own property names: the standard `bytes`
    and `hash` would be checked by validators against the rows they read, not the file, and fail.
    A sha256 the writer already computed is taken as given, not read back."""
    if not path.is_file():
        return {}
    if sha256 is None:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    return {"councilpapers:bytes": path.stat().st_size, "councilpapers:sha256": sha256}


def datapackage(out_dir: Path, sha256: dict[str, str] | None = None) -> dict:
    """The descriptor for the tables in out_dir (sizes and hashes of the files present; `sha256`, by
    table, the hashes already known)."""
    from .partition import MANIFEST, files_of, is_partitioned, table_bytes
    resources = []
    for t in TABLES.values():
        folder = Path(out_dir) / t.name
        if is_partitioned(folder):
            # a partitioned table: its files, in order (the partition columns are in their folder names, and
            # the sha256 is the manifest's, which holds every file's)
            facts = {"path": [f"{t.name}/{f}" for f in files_of(folder)],
                     "councilpapers:partitions": f"{t.name}/{MANIFEST}", "councilpapers:bytes": table_bytes(folder),
                     "councilpapers:sha256": (sha256 or {}).get(t.name)}
        else:
            path = f"{t.name}.parquet"
            facts = {"path": path, **_file_facts(Path(out_dir) / path, (sha256 or {}).get(t.name))}
        resources.append({
            "name": t.name, "profile": "tabular-data-resource",
            "format": "parquet", "mediatype": "application/vnd.apache.parquet",
            "description": t.description, **facts,
            "schema": table_schema(t),
        })
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "UK council committee papers, as structured tables",
        "description": "Tables extracted by councilpapers from council committee papers. Money is "
                       "exact (decimal128(18,2) pounds); rows read from running text carry "
                       "page/char_start/char_end/raw_text into the source's page text.",
        "version": SCHEMA_VERSION,
        "schema_version": SCHEMA_VERSION,
        "councilpapers_version": __version__,
        "resources": resources,
    }


def write_datapackage(out_dir: Path, sha256: dict[str, str] | None = None) -> Path:
    """Write out_dir/datapackage.json (deterministic: no dates, sorted keys) and return its path."""
    path = Path(out_dir) / "datapackage.json"
    write_json(path, datapackage(out_dir, sha256))
    return path
