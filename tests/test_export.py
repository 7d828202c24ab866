"""`councilpapers export --sqlite` (issue 17 item 4): the file Datasette opens, checked with Datasette's
own library: tables, exact money, foreign keys and full-text search."""
from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.schema import TABLES


@pytest.fixture(scope="module")
def exported(seed_run, tmp_path_factory):
    out, _ = seed_run
    db = tmp_path_factory.mktemp("export") / "papers.db"
    result = CliRunner().invoke(cli, ["export", str(out), "--sqlite", str(db)])
    assert result.exit_code == 0, result.output
    return out, db


def _query(db, sql, params=None):
    datasette = pytest.importorskip("datasette.app")
    ds = datasette.Datasette(files=[str(db)])

    async def go():
        await ds.invoke_startup()
        return await ds.execute(db.stem, sql, params or {})
    return asyncio.run(go())


def test_datasette_opens_every_table_with_its_rows(exported, seed_tables):
    _, db = exported
    for name in TABLES:
        (count,), = _query(db, f"select count(*) from [{name}]").rows
        assert count == len(seed_tables.get(name, [])), name


def test_money_is_exact_as_text_and_pence(exported, seed_tables):
    _, db = exported
    rows = _query(db, "select fact_id, amount_gbp, amount_gbp_pence from money").rows
    by_id = {r["fact_id"]: r for r in seed_tables["money"]}
    for fact_id, text, pence in rows:
        assert Decimal(text) == by_id[fact_id]["amount_gbp"] and pence == int(by_id[fact_id]["amount_gbp"] * 100)


def test_foreign_keys_and_full_text_search(exported):
    _, db = exported
    fks = {(r["table"], r["from"]) for r in _query(db, "select * from pragma_foreign_key_list('money')").rows}
    assert fks == {("documents", "doc_id")}
    hits = _query(db, "select count(*) from decisions_fts where decisions_fts match :q", {"q": "approve*"}).rows
    assert hits[0][0] > 0
    pages = _query(db, "select count(*) from pages_fts where pages_fts match :q", {"q": "budget"}).rows
    assert pages[0][0] > 0
    orphans = _query(db, "select count(*) from money m left join documents d using (doc_id) where d.doc_id is null")
    assert orphans.rows[0][0] == 0


def test_export_of_a_folder_that_is_not_a_run_is_refused(tmp_path):
    (tmp_path / "x").mkdir()
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "x"), "--sqlite", str(tmp_path / "x.db")])
    assert result.exit_code != 0 and not (tmp_path / "x.db").exists()
