"""`councilpapers query`: DuckDB views over a parsed folder, named queries, exact money, clear errors."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from councilpapers.ids import doc_id_of
from councilpapers.query import named_queries, query, run_query
from councilpapers.schema import SCHEMA_VERSION, TABLES
from councilpapers.writer import write_json, write_table

TEXT = ("Cabinet <Item 5> & minutes\n"
        "RESOLVED that the saving of £0.10m in 2023/24 and £0.20m in 2024/25 be agreed.\n"
        "An overspend of £1,234,567.89 was reported by Cllr A&B Smith.\n")


def _span(text: str, needle: str, nth: int = 0) -> dict:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"page": 1, "char_start": start, "char_end": start + len(needle), "raw_text": needle}


def make_parsed(root: Path, schema_version: str = SCHEMA_VERSION) -> tuple[Path, Path]:
    """A hand-made raw/ + parsed/ pair: one text document with overlapping facts (not the pipeline's output)."""
    raw, parsed = root / "raw", root / "parsed"
    raw.mkdir(parents=True, exist_ok=True)
    data = TEXT.encode()
    (raw / "doc.txt").write_bytes(data)
    doc = doc_id_of(data)
    sentence = _span(TEXT, "RESOLVED that the saving of £0.10m in 2023/24 and £0.20m in 2024/25 be agreed.")
    rows = {
        "documents": [{"doc_id": doc, "source_path": "doc.txt", "format": "txt", "status": "ok", "pages": 1,
                       "doc_kind": "minutes", "title": "Cabinet <Item 5> & minutes", "council_code": "E06000002",
                       "council_name": "Middlesbrough", "bytes": len(data)}],
        "meetings": [{"meeting_id": "m1", "doc_id": doc, "body": "Cabinet", "body_kind": "executive",
                      "council_code": "E06000002", **_span(TEXT, "Cabinet <Item 5>")}],
        "decisions": [{"decision_id": "d1", "doc_id": doc, "meeting_id": "m1", "kind": "resolved", "label": "",
                       "text": sentence["raw_text"], "vote": "unanimous", **sentence}],
        "money": [
            {"fact_id": "a1", "doc_id": doc, "amount_gbp": Decimal("100000.10"), "kind": "saving",
             "fiscal_year": "2023-24", **_span(TEXT, "£0.10m")},
            {"fact_id": "a2", "doc_id": doc, "amount_gbp": Decimal("200000.20"), "kind": "saving",
             "fiscal_year": "2024-25", **_span(TEXT, "£0.20m")},
            {"fact_id": "a3", "doc_id": doc, "amount_gbp": Decimal("1234567.89"), "kind": "overspend",
             **_span(TEXT, "£1,234,567.89")},
            # crosses the overspend span: starts inside it and ends after it
            {"fact_id": "a4", "doc_id": doc, "amount_gbp": Decimal("567.89"), "kind": "other",
             **_span(TEXT, "567.89 was")},
        ],
        "quantities": [{"fact_id": "q1", "doc_id": doc, "value": Decimal("2023"), "unit": "year",
                        **_span(TEXT, "2023/24 and £0.20m")}],
        "people": [{"person_id": "p1", "doc_id": doc, "name": "A&B Smith", "mention": "other",
                    **_span(TEXT, "Cllr A&B Smith")}],
        # t1 the plan; t2 the same table reprinted (duplicate_of t1); t3 an amendment the council rejected
        "tables": [{"table_id": t, "doc_id": doc, "kind": "savings", "unit": "£000", "page_first": page,
                    "page_last": page, "header": "Ref | Title | 23/24 | 24/25", "totals_reconcile": True,
                    "standing": standing, "duplicate_of": dup}
                   for t, page, standing, dup in (("t1", 1, None, None), ("t2", 2, "reprint", "t1"),
                                                  ("t3", 3, "rejected", None))],
        "plan_lines": [
            {"line_id": f"{t}l{i}{c}", "doc_id": doc, "table_id": t, "ref": ref, "title": title,
             "fiscal_year": fy, "column": c, "amount_gbp": Decimal(v) * scale, "row_kind": kind, "page": 1,
             "row_index": i, "measure": "saving", "service_area": area}
            for t, scale in (("t1", 1), ("t2", 1), ("t3", 100))
            for i, (ref, title, kind, area, vals) in enumerate([
                ("1", "Less <agency> staff", "line", None, ("0.10", "0.20")),
                ("2", "Fewer & cheaper placements", "line", "Children's social care", ("0.20", "0.10")),
                ("", "Total", "total", None, ("0.30", "0.30"))])
            for c, fy, v in (("23/24", "2023-24", vals[0]), ("24/25", "2024-25", vals[1]))
        ],
        "problems": [{"problem_id": "x1", "doc_id": doc, "source_path": "doc.txt", "severity": "warning",
                      "code": "table_total_mismatch", "message": "<script>alert(1)</script> & more", "page": 1}],
    }
    parsed.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        write_table(parsed, name, rows.get(name, []))
    write_json(parsed / "run.json", {"schema_version": schema_version, "input": str(raw),
                                     "councilpapers_version": "test"})
    return raw, parsed


@pytest.fixture()
def made(tmp_path):
    return make_parsed(tmp_path)


def invoke(*args):
    return CliRunner().invoke(query, list(args), catch_exceptions=False)


def test_every_table_is_a_view(made):
    _, parsed = made
    result = run_query(parsed, "SELECT table_name FROM information_schema.tables ORDER BY 1")
    names = {r[0] for r in result.rows}
    assert set(TABLES) <= names


def test_money_columns_stay_exact_decimals(made):
    _, parsed = made
    result = run_query(parsed, "SELECT sum(amount_gbp) AS s, typeof(sum(amount_gbp)) AS t, "
                               "typeof(amount_gbp) AS t1 FROM money WHERE kind = 'saving' GROUP BY ALL")
    total, sql_type, column_type = result.rows[0]
    assert total == Decimal("300000.30") and isinstance(total, Decimal)
    assert column_type == "DECIMAL(18,2)" and sql_type.startswith("DECIMAL(")
    # 0.10 + 0.20 in floats is 0.30000000000000004: the plan lines must sum exactly
    lines = run_query(parsed, "SELECT sum(amount_gbp) FROM plan_lines WHERE table_id = 't1' AND row_kind = 'line' AND fiscal_year = '2023-24'")
    assert lines.rows == [(Decimal("0.30"),)]


def test_table_output_is_readable(made):
    _, parsed = made
    out = invoke("SELECT kind, count(*) AS n, sum(amount_gbp) AS total FROM money GROUP BY kind ORDER BY kind",
                 "--parsed", str(parsed))
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].split() == ["kind", "n", "total"]
    assert "overspend" in out.output and "1234567.89" in out.output and "300000.30" in out.output
    assert lines[-1] == "(3 rows)"


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_file_formats_keep_money_exact(made, tmp_path, fmt):
    _, parsed = made
    target = tmp_path / f"out.{fmt}"
    out = invoke("SELECT fact_id, amount_gbp FROM money ORDER BY fact_id", "--parsed", str(parsed),
                 "--format", fmt, "-o", str(target))
    assert out.exit_code == 0, out.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(target.read_text())))
        assert rows[0] == {"fact_id": "a1", "amount_gbp": "100000.10"}
    elif fmt == "json":
        rows = json.loads(target.read_text())
        assert rows[2] == {"fact_id": "a3", "amount_gbp": "1234567.89"}
    else:
        table = pq.read_table(target)
        assert str(table.schema.field("amount_gbp").type) == "decimal128(18, 2)"
        assert table.column("amount_gbp").to_pylist()[0] == Decimal("100000.10")


def test_format_from_extension_and_stdout_csv(made, tmp_path):
    _, parsed = made
    out = invoke("SELECT 1 AS one", "--parsed", str(parsed), "-o", str(tmp_path / "x.json"))
    assert out.exit_code == 0 and json.loads((tmp_path / "x.json").read_text()) == [{"one": 1}]
    out = invoke("SELECT 1 AS one", "--parsed", str(parsed), "--format", "csv")
    assert out.output == "one\n1\n"
    out = invoke("SELECT 1 AS one", "--parsed", str(parsed), "--format", "parquet")
    assert out.exit_code != 0 and "needs -o" in out.output


def test_named_queries_run_on_hand_made_folder(made):
    _, parsed = made
    queries = named_queries()
    for name in ("savings_by_council_year", "savings_by_service", "decisions_with_votes_by_body", "largest_overspends",
                 "money_by_kind", "problems_summary", "documents_overview", "plan_table_totals"):
        assert name in queries and queries[name].description
        out = invoke("--named", name, "--parsed", str(parsed))
        assert out.exit_code == 0, (name, out.output)
    # each line once: the reprint (t2) and the rejected amendment (t3) are not added
    savings = run_query(parsed, queries["savings_by_council_year"].sql)
    assert savings.columns == ["council", "fiscal_year", "standing", "plan_lines", "saving_gbp", "printed_in"]
    assert savings.rows == [("Middlesbrough", "2023-24", "unstated", 2, Decimal("0.30"), "doc.txt p1"),
                            ("Middlesbrough", "2024-25", "unstated", 2, Decimal("0.30"), "doc.txt p1")]
    by_service = run_query(parsed, queries["savings_by_service"].sql)
    assert [r[:3] + r[4:6] for r in by_service.rows] == [
        ("Middlesbrough", "2023-24", "Children's social care", 1, Decimal("0.20")),
        ("Middlesbrough", "2023-24", "(no service area)", 1, Decimal("0.10")),
        ("Middlesbrough", "2024-25", "(no service area)", 1, Decimal("0.20")),
        ("Middlesbrough", "2024-25", "Children's social care", 1, Decimal("0.10"))]
    over = run_query(parsed, queries["largest_overspends"].sql)
    assert over.rows[0][0] == Decimal("1234567.89")
    votes = run_query(parsed, queries["decisions_with_votes_by_body"].sql)
    assert votes.rows[0][:6] == ("Middlesbrough", "Cabinet", "executive", 1, 1, 1)
    totals = run_query(parsed, queries["plan_table_totals"].sql)
    assert {r[totals.columns.index("difference_gbp")] for r in totals.rows} == {Decimal("0.00")}


def test_named_queries_run_on_the_seed_run(seed_run):
    out_dir, _ = seed_run
    for name in named_queries():
        out = invoke("--named", name, "--parsed", str(out_dir))
        assert out.exit_code == 0, (name, out.output)
        assert out.output.rstrip().endswith(("row)", "rows)"))


def test_list_and_unknown_named_query(made):
    out = invoke("--list")
    assert "savings_by_council_year" in out.output and "tables: documents" in out.output
    _, parsed = made
    out = invoke("--named", "savings_by_councl_year", "--parsed", str(parsed))
    assert out.exit_code != 0 and "no named query 'savings_by_councl_year'" in out.output


def test_own_queries_folder_is_found(made, tmp_path, monkeypatch):
    _, parsed = made
    mine = tmp_path / "work"
    (mine / "queries").mkdir(parents=True)
    (mine / "queries" / "biggest.sql").write_text("-- The biggest amount.\nSELECT max(amount_gbp) AS m FROM money\n")
    monkeypatch.chdir(mine)
    assert named_queries()["biggest"].description == "The biggest amount."
    out = invoke("--named", "biggest", "--parsed", str(parsed))
    assert "1234567.89" in out.output


def test_table_name_typo_is_duckdbs_message_not_a_traceback(made):
    _, parsed = made
    out = invoke("SELECT * FROM mony", "--parsed", str(parsed))
    assert out.exit_code == 1
    assert "Table with name mony does not exist" in out.output and 'Did you mean "money"' in out.output
    assert "Traceback" not in out.output and "tables here:" in out.output
    out = invoke("SELEC 1", "--parsed", str(parsed))
    assert out.exit_code == 1 and "syntax error" in out.output.lower()


def test_missing_and_empty_folders(tmp_path):
    out = invoke("SELECT 1", "--parsed", str(tmp_path / "nope"))
    assert out.exit_code == 1 and "does not exist" in out.output and "councilpapers run" in out.output
    (tmp_path / "empty").mkdir()
    out = invoke("SELECT 1", "--parsed", str(tmp_path / "empty"))
    assert out.exit_code == 1 and "holds no tables" in out.output


def test_older_schema_version_is_one_clear_line(tmp_path):
    _, parsed = make_parsed(tmp_path, schema_version="0")
    out = invoke("SELECT count(*) FROM money", "--parsed", str(parsed))
    assert out.exit_code == 1
    assert out.output.strip() == (f"Error: {parsed} was written with schema version 0 but this councilpapers reads "
                                  f"version {SCHEMA_VERSION}; re-run `councilpapers run` to rebuild it")


def test_missing_table_file_is_an_empty_view(made):
    _, parsed = made
    (parsed / "people.parquet").unlink()
    result = run_query(parsed, "SELECT count(*), typeof(any_value(name)) FROM people")
    assert result.rows[0][0] == 0


def test_help_has_an_example():
    out = invoke("--help")
    assert "Example" in out.output


def test_an_output_file_whose_extension_names_no_format_is_refused(made, tmp_path):
    """Issue 17: 'x.xlsx' used to get the screen table silently."""
    _, parsed = made
    out = CliRunner().invoke(query, ["SELECT 1 AS one", "--parsed", str(parsed), "-o", str(tmp_path / "x.xlsx")])
    assert out.exit_code != 0 and "cannot tell the format from 'x.xlsx'" in out.output
    assert not (tmp_path / "x.xlsx").exists()
    assert invoke("SELECT 1 AS one", "--parsed", str(parsed), "-o", str(tmp_path / "x.txt")).exit_code == 0
    assert (tmp_path / "x.txt").read_text().startswith("one")
