# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # What is in a run
#
# A first look at a `parsed/` folder written by `councilpapers run`: which documents
# went in and how well they read, how many rows each table holds, what went wrong,
# and a check that the facts really are where they say they are in the source text.
#
# Set `PARSED` to the folder (default `parsed`). Every table is a DuckDB view, so
# anything here can also be asked with `councilpapers query "SQL"`.

# %%
import json
import os
from pathlib import Path

import pandas as pd

from councilpapers.notebook import PARSED, show, sql
from councilpapers.query import check_parsed_dir, named_queries
from councilpapers.schema import TABLES

# %% [markdown]
# ## The run
# `run.json` says what wrote the folder. `check_parsed_dir` refuses a folder written by
# another schema version, so the columns below are the ones `councilpapers schema` lists.

# %%
files = check_parsed_dir(PARSED)
run = json.loads((PARSED / "run.json").read_text()) if (PARSED / "run.json").is_file() else {}
print("schema version:", run.get("schema_version"), "| councilpapers", run.get("councilpapers_version"))
print("files:", run.get("files"), "| pages:", run.get("pages"), "| statuses:", run.get("statuses"))
print("tables present:", ", ".join(sorted(files)))

# %% [markdown]
# ## Rows per table

# %%
counts = pd.DataFrame(
    [(name, int(sql(f'SELECT count(*) AS n FROM "{name}"')["n"][0]), spec.description) for name, spec in TABLES.items()],
    columns=["table", "rows", "what one row is"])
show(counts)

# %% [markdown]
# ## Documents
# One line per input file, with how many facts came out of each.

# %%
overview = sql(named_queries()["documents_overview"].sql)
show(overview)

# %% [markdown]
# ## Problems
# Unreadable files, doubtful extraction and totals that do not add up land here.

# %%
show(sql(named_queries()["problems_summary"].sql))

# %% [markdown]
# ## Are the facts where they say they are?
# Every row read from running text carries `page`, `char_start`, `char_end` and
# `raw_text`. The `pages` table holds each page's text as the pipeline extracted it, so
# every span is checked here from the output alone, without re-opening a source.

# %%
span_tables = [name for name, spec in TABLES.items() if spec.spans]
checked = bad = missing = 0
for table in span_tables:
    rows = sql(f"SELECT d.source_path, t.page, t.char_start, t.char_end, t.raw_text, p.text "
               f"FROM {table} t JOIN documents d USING (doc_id) "
               f"LEFT JOIN pages p ON p.doc_id = t.doc_id AND p.page = t.page WHERE t.char_start IS NOT NULL")
    for r in rows.itertuples():
        checked += 1
        if not isinstance(r.text, str):
            missing += 1  # a run written before the pages table, or a hand-made folder
        elif r.text[r.char_start:r.char_end] != r.raw_text:
            bad += 1
            print(f"{r.source_path} {table} p{r.page}:{r.char_start}: {r.raw_text!r} not found there")
print(f"{checked} spans checked, {bad} do not match their source text, {missing} have no page text in `pages`")

# %% [markdown]
# ## Money: a first glance
# Amounts are exact `Decimal` pounds. The same amount printed twice is two rows.

# %%
show(sql("SELECT d.source_path, m.amount_gbp, m.kind, m.fiscal_year, m.raw_text "
         "FROM money m JOIN documents d USING (doc_id) "
         "ORDER BY m.amount_gbp DESC, d.source_path, m.page, m.char_start LIMIT 10"))
