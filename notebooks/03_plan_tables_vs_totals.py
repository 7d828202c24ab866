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
# # Plan tables against their stated totals
#
# Savings and investment plans are printed as tables with a total row (and often a
# total column). `plan_lines` holds them in long form: one row per table line per money
# column, in exact pounds. Here we add the lines up ourselves and compare them with the
# totals the paper prints, and with the savings the running text states.

# %%

import pandas as pd

from councilpapers.notebook import show, sql

# %% [markdown]
# ## The tables found

# %%
tables = sql("""
    SELECT d.source_path, t.table_id, t.kind, t.unit, t.page_first, t.page_last, t.n_rows, t.n_cols,
           t.method, t.totals_reconcile
    FROM tables t JOIN documents d USING (doc_id)
    ORDER BY d.source_path, t.page_first, t.table_id
""")
show(tables)

# %% [markdown]
# ## Down the columns: lines against the printed total row
# The first total row under the lines is compared; `total_rows` says how many the table prints
# (a second one is often a total "for inclusion elsewhere" and need not match).

# %%
down = sql("""
    SELECT t.table_id, p."column", p.fiscal_year,
           count(*) FILTER (WHERE p.row_kind = 'line') AS lines,
           sum(p.amount_gbp) FILTER (WHERE p.row_kind = 'line') AS sum_of_lines_gbp,
           arg_min(p.amount_gbp, p.row_index) FILTER (WHERE p.row_kind = 'total') AS printed_total_gbp,
           count(*) FILTER (WHERE p.row_kind = 'total') AS total_rows
    FROM plan_lines p JOIN tables t USING (table_id)
    GROUP BY ALL
    ORDER BY t.table_id, p.fiscal_year NULLS LAST, p."column"
""")
down["difference_gbp"] = [
    (s - t) if s is not None and t is not None and not pd.isna(s) and not pd.isna(t) else None
    for s, t in zip(down["sum_of_lines_gbp"], down["printed_total_gbp"])]
show(down)
no_total = down[down["printed_total_gbp"].isna()]
off = down[down["difference_gbp"].map(lambda d: d is not None and d != 0)]
print(f"{len(down)} columns; {len(no_total)} without a printed total; {len(off)} whose lines do not add up")

# %% [markdown]
# ## Across the rows: year columns against the line's own Total column
# Columns without a financial year (Total, or all years) should equal the sum of the
# year columns on the same line.

# %%
across = sql("""
    WITH per_line AS (
        SELECT table_id, row_index, left(any_value(title), 50) AS title, any_value(row_kind) AS row_kind,
               sum(amount_gbp) FILTER (WHERE fiscal_year IS NOT NULL) AS years_gbp,
               max(amount_gbp) FILTER (WHERE fiscal_year IS NULL) AS total_column_gbp,
               count(*) FILTER (WHERE fiscal_year IS NULL) AS total_columns
        FROM plan_lines GROUP BY table_id, row_index
    )
    SELECT *, years_gbp - total_column_gbp AS difference_gbp
    FROM per_line WHERE total_columns > 0
    ORDER BY table_id, row_index
""")
show(across)
if not across.empty:
    mismatched = across[across["difference_gbp"].map(lambda d: d is not None and not pd.isna(d) and d != 0)]
    print(f"{len(across)} lines with a total column; {len(mismatched)} whose years do not add up to it")

# %% [markdown]
# ## Does the pipeline agree?
# `tables.totals_reconcile` is the pipeline's own verdict; the table above is ours.

# %%
ours = down.groupby("table_id").apply(
    lambda g: None if g["difference_gbp"].isna().all() else bool((g["difference_gbp"].dropna() == 0).all()),
    include_groups=False).rename("we_reconcile") if not down.empty else pd.Series(name="we_reconcile", dtype=object)
verdicts = tables.set_index("table_id")[["source_path", "totals_reconcile"]].join(ours)
show(verdicts)

# %% [markdown]
# ## Tables against the running text
# Savings per year from the plan lines beside savings stated in the same document's text.

# %%
show(sql("""
    WITH plan AS (
        SELECT p.doc_id, p.fiscal_year, sum(p.amount_gbp) AS plan_lines_gbp
        FROM plan_lines p JOIN tables t USING (table_id)
        WHERE t.kind = 'savings' AND p.row_kind = 'line' AND p.fiscal_year IS NOT NULL
        GROUP BY ALL
    ), text AS (
        SELECT doc_id, fiscal_year, list(DISTINCT amount_gbp ORDER BY amount_gbp) AS text_amounts_gbp
        FROM money WHERE kind = 'saving' AND fiscal_year IS NOT NULL
        GROUP BY ALL
    )
    SELECT d.source_path, fiscal_year, plan.plan_lines_gbp, text.text_amounts_gbp
    FROM plan FULL OUTER JOIN text USING (doc_id, fiscal_year)
    JOIN documents d USING (doc_id)
    ORDER BY d.source_path, fiscal_year
"""))
