"""datapackage.json: a Frictionless Tabular Data Package generated from councilpapers.schema only."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from councilpapers.datapackage import datapackage, write_datapackage
from councilpapers.schema import SCHEMA_VERSION, TABLES
from tests.test_query import make_parsed

from .conftest import requires_corpus

# Table Schema v1 field types (https://specs.frictionlessdata.io/table-schema/#types-and-formats)
TABLE_SCHEMA_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
                      "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
NAME = r"^[a-z0-9._-]+$"


@pytest.fixture(scope="module")
def package_dir(seed_run, tmp_path_factory):
    """A copy of the seed run with datapackage.json written (whether or not the runner writes one yet)."""
    out_dir, _ = seed_run
    copy = tmp_path_factory.mktemp("dp") / "parsed"
    shutil.copytree(out_dir, copy)
    write_datapackage(copy)
    return copy


def check_structure(descriptor: dict) -> list[str]:
    """The Data Package / Tabular Data Resource / Table Schema rules this package must meet."""
    import re
    errors = []
    if descriptor.get("profile") != "tabular-data-package":
        errors.append("profile is not tabular-data-package")
    if not re.match(NAME, descriptor.get("name", "")):
        errors.append("package name must be lower-case alphanumeric with . _ -")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return errors + ["resources must be a non-empty list"]
    by_name = {}
    for r in resources:
        name = r.get("name", "")
        if not re.match(NAME, name):
            errors.append(f"resource name {name!r} invalid")
        if name in by_name:
            errors.append(f"duplicate resource {name}")
        by_name[name] = r
        if not isinstance(r.get("path"), str) or r["path"].startswith("/") or ".." in r["path"]:
            errors.append(f"{name}: path must be a relative POSIX path")
        if r.get("profile") != "tabular-data-resource":
            errors.append(f"{name}: profile must be tabular-data-resource")
        schema = r.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            errors.append(f"{name}: schema.fields missing")
            continue
        columns = [f.get("name") for f in schema["fields"]]
        if len(set(columns)) != len(columns):
            errors.append(f"{name}: duplicate field names")
        for f in schema["fields"]:
            if f.get("type") not in TABLE_SCHEMA_TYPES:
                errors.append(f"{name}.{f.get('name')}: type {f.get('type')!r} not a Table Schema type")
            enum = f.get("constraints", {}).get("enum")
            if enum is not None and (not isinstance(enum, list) or not enum):
                errors.append(f"{name}.{f.get('name')}: enum must be a non-empty list")
        for key in schema.get("primaryKey", []):
            if key not in columns:
                errors.append(f"{name}: primary key {key} is not a field")
    for r in resources:
        columns = {f["name"] for f in r["schema"]["fields"]}
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            if not set(fk["fields"]) <= columns:
                errors.append(f"{r['name']}: foreign key fields {fk['fields']} not fields")
            target = by_name.get(ref["resource"])
            if target is None:
                errors.append(f"{r['name']}: foreign key to unknown resource {ref['resource']}")
            elif not set(ref["fields"]) <= {f["name"] for f in target["schema"]["fields"]}:
                errors.append(f"{r['name']}: foreign key to unknown fields {ref['fields']}")
            if len(fk["fields"]) != len(ref["fields"]):
                errors.append(f"{r['name']}: foreign key field counts differ")
    return errors


def test_descriptor_comes_from_the_schema(package_dir):
    desc = json.loads((package_dir / "datapackage.json").read_text())
    assert desc["schema_version"] == SCHEMA_VERSION
    assert [r["name"] for r in desc["resources"]] == list(TABLES)
    for r in desc["resources"]:
        spec = TABLES[r["name"]]
        assert r["format"] == "parquet" and r["path"] == f"{spec.name}.parquet"
        assert r["description"] == spec.description
        assert [f["name"] for f in r["schema"]["fields"]] == spec.columns
        assert r["schema"]["primaryKey"] == list(spec.primary_key)
        for f in r["schema"]["fields"]:
            declared = spec.field(f["name"])
            assert f["description"] == declared.description
            assert f.get("constraints", {}).get("enum") == (list(declared.enum) if declared.enum else None)
            assert f.get("constraints", {}).get("required", False) == declared.required
        data = (package_dir / r["path"]).read_bytes()
        assert r["councilpapers:bytes"] == len(data) and r["councilpapers:sha256"] == hashlib.sha256(data).hexdigest()
    money = next(r for r in desc["resources"] if r["name"] == "money")
    amount = next(f for f in money["schema"]["fields"] if f["name"] == "amount_gbp")
    assert amount["type"] == "number" and amount["arrowType"] == "decimal128(18, 2)"
    assert {"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}} in money["schema"]["foreignKeys"]
    plan = next(r for r in desc["resources"] if r["name"] == "plan_lines")
    assert {"fields": ["table_id"], "reference": {"resource": "tables", "fields": ["table_id"]}} in plan["schema"]["foreignKeys"]


def test_descriptor_meets_the_spec_structure(package_dir):
    assert check_structure(json.loads((package_dir / "datapackage.json").read_text())) == []


def test_deterministic(package_dir):
    first = (package_dir / "datapackage.json").read_bytes()
    write_datapackage(package_dir)
    assert (package_dir / "datapackage.json").read_bytes() == first


def _frictionless():
    return pytest.importorskip("frictionless", reason="frictionless is not installed")


def _validate(path) -> list[tuple]:
    """frictionless's errors as (resource, type, field, note): a plain validation, nothing skipped or
    filtered (issue 17: `frictionless validate OUT/datapackage.json` passes with no exclusions)."""
    frictionless = _frictionless()
    report = frictionless.validate(str(path))
    errors = []
    for task in report.tasks:
        for e in task.errors:
            errors.append((task.name, e.type, getattr(e, "field_name", None), e.note))
    errors += [(None, e.type, None, e.note) for e in report.errors]
    return errors


def test_frictionless_validates_the_seed_run(package_dir):
    assert _validate(package_dir / "datapackage.json") == []


def test_frictionless_catches_a_broken_foreign_key(tmp_path):
    """The foreign keys are real: a money row whose document is missing fails validation."""
    _, parsed = make_parsed(tmp_path)
    write_datapackage(parsed)
    assert _validate(parsed / "datapackage.json") == []
    from councilpapers.writer import write_table
    write_table(parsed, "documents", [])
    write_datapackage(parsed)
    errors = _validate(parsed / "datapackage.json")
    assert errors and {e[1] for e in errors} == {"foreign-key"}
    assert {e[0] for e in errors} >= {"money", "meetings", "decisions", "problems"}


def test_in_memory_descriptor_matches_file(package_dir):
    assert datapackage(package_dir) == json.loads((package_dir / "datapackage.json").read_text())


@requires_corpus()
def test_a_plain_frictionless_validate_passes_on_the_corpus(corpus_run):
    """The command an analyst would type, with no exclusions, on the whole corpus's output."""
    import subprocess
    import sys
    out, _ = corpus_run
    exe = Path(sys.executable).with_name("frictionless")
    if not exe.exists():
        pytest.skip("the frictionless command is not installed")
    done = subprocess.run([str(exe), "validate", str(out / "datapackage.json")], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
