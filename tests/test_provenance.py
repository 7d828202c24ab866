"""Every fact points at exactly the text it claims (page + character span)."""
from __future__ import annotations

from councilpapers.load import load_file
from councilpapers.schema import TABLES

from .conftest import DEV_PAGES, RAW, requires_dev_pages


def test_every_span_row_of_every_seed_matches_its_page_text(seed_tables):
    docs = {d["doc_id"]: load_file(RAW / d["source_path"]) for d in seed_tables["documents"]}
    checked = 0
    for name, spec in TABLES.items():
        if not spec.spans:
            continue
        for row in seed_tables[name]:
            if row["char_start"] is None:
                continue
            page = docs[row["doc_id"]].page(row["page"])
            assert page.text[row["char_start"]:row["char_end"]] == row["raw_text"], (name, row)
            checked += 1
    assert checked > 0 or not any(seed_tables[n] for n in ("money", "decisions", "people"))


def test_every_row_has_a_page_within_its_document(seed_tables):
    pages = {d["doc_id"]: d["pages"] for d in seed_tables["documents"]}
    for name in ("meetings", "decisions", "money", "plan_lines", "people", "quantities"):
        for row in seed_tables[name]:
            assert 1 <= row["page"] <= pages[row["doc_id"]], (name, row)


@requires_dev_pages()
def test_every_span_row_of_every_dev_page_matches_its_page_text(dev_run):
    out, _ = dev_run
    import pyarrow.parquet as pq
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    docs = {d["doc_id"]: load_file(DEV_PAGES / d["source_path"]) for d in documents}
    checked = 0
    for name in ("meetings", "decisions", "people", "money"):
        for row in pq.read_table(out / f"{name}.parquet").to_pylist():
            page = docs[row["doc_id"]].page(row["page"])
            assert page.text[row["char_start"]:row["char_end"]] == row["raw_text"], (name, row)
            checked += 1
    assert checked > 300


def test_the_pages_table_holds_the_text_every_span_points_into(seed_tables):
    """Issue 17 item 2: a span can be checked from the output alone, without the source files."""
    pages = {(p["doc_id"], p["page"]): p for p in seed_tables["pages"]}
    docs = {d["doc_id"]: d for d in seed_tables["documents"]}
    assert {k[0] for k in pages} == {d for d, row in docs.items() if row["status"] in ("ok", "partial")}
    for doc_id, row in docs.items():
        if row["pages"]:
            assert sorted(n for d, n in pages if d == doc_id) == list(range(1, row["pages"] + 1))
    checked = 0
    for table in ("money", "decisions", "meetings", "people", "quantities", "mentions"):
        for r in seed_tables.get(table, []):
            if r.get("char_start") is not None:
                text = pages[(r["doc_id"], r["page"])]["text"]
                assert text[r["char_start"]:r["char_end"]] == r["raw_text"], (table, r["raw_text"])
                checked += 1
    assert checked > 50
    assert all(p["chars"] == len(p["text"]) for p in pages.values())
