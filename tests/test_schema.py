"""The schema is declared once and honours the output contract."""
from __future__ import annotations

import pyarrow as pa
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.schema import TABLES

# ../shared/CONTRACT.md: these tables and columns must always be there.
CONTRACT = {
    "documents": "doc_id source_path format doc_kind title council_code council_name pages status error",
    "meetings": "meeting_id doc_id council_code body body_kind meeting_date item_number item_title",
    "decisions": "decision_id doc_id meeting_id kind label text vote page",
    "money": "fact_id doc_id amount_gbp raw_text approximate fiscal_year kind sentence page char_start char_end",
    "plan_lines": "line_id doc_id table_id ref title fiscal_year amount_gbp row_kind page",
    "people": "doc_id name role email phone mention",
    "problems": "doc_id severity code message page",
}


def test_contract_tables_and_columns_are_declared():
    for table, cols in CONTRACT.items():
        assert table in TABLES
        missing = set(cols.split()) - set(TABLES[table].columns)
        assert not missing, f"{table} lacks {missing}"


def test_money_is_decimal_and_dates_are_date32():
    for table in TABLES.values():
        for f in table.fields:
            if f.name.startswith("amount_gbp"):
                assert f.type == pa.decimal128(18, 2), f"{table.name}.{f.name}"
            if f.name.endswith("_date"):
                assert f.type == pa.date32()


def test_every_column_is_described_and_every_key_exists():
    for table in TABLES.values():
        assert table.description
        for f in table.fields:
            assert len(f.description) > 10, f"{table.name}.{f.name} needs a description"
        for col in table.primary_key + table.sort_key:
            assert col in table.columns
        for col, other, other_col in table.foreign_keys:
            assert col in table.columns and other_col in TABLES[other].columns
        table.arrow  # builds


def test_schema_command_prints_every_table():
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    for name in TABLES:
        assert f"{name}:" in result.output
    one = CliRunner().invoke(cli, ["schema", "--table", "money"])
    assert "amount_gbp" in one.output and "decimal128(18, 2)" in one.output
    bad = CliRunner().invoke(cli, ["schema", "--table", "mony"])
    assert bad.exit_code != 0 and "no table 'mony'" in bad.output


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        assert command.help and "Example" in command.help, f"`{name}` needs --help text with an example"
