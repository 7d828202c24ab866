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
# # Money by council, year and kind
#
# Every money mention in running text, summed by the council that published the
# document, the financial year the text gives it and what kind of money it is
# (saving, investment, overspend...). Sums are exact Decimals from DuckDB; only the
# chart converts to floats, to draw.
#
# Caveat: a paper that repeats an amount (a report and its minutes, a summary and its
# detail) counts it each time. The second table counts each distinct amount once per
# document and kind, which is closer to "how much money is being talked about".

# %%
import os
from pathlib import Path

import pandas as pd

from councilpapers.notebook import show, sql

OUT = Path(os.environ.get("NOTEBOOK_OUT", "notebook_out"))


# %% [markdown]
# ## Every mention

# %%
by_mention = sql("""
    SELECT coalesce(d.council_name, '(unknown)') AS council,
           coalesce(m.fiscal_year, '(no year)') AS fiscal_year,
           coalesce(m.kind, '(none)') AS kind,
           count(*) AS mentions,
           sum(m.amount_gbp) AS total_gbp
    FROM money m JOIN documents d USING (doc_id)
    GROUP BY ALL
    ORDER BY council, fiscal_year, total_gbp DESC
""")
show(by_mention)

# %% [markdown]
# ## Each amount once per document and kind

# %%
distinct = sql("""
    WITH once AS (
        SELECT DISTINCT m.doc_id, m.amount_gbp, m.kind, m.fiscal_year FROM money m
    )
    SELECT coalesce(d.council_name, '(unknown)') AS council,
           coalesce(o.fiscal_year, '(no year)') AS fiscal_year,
           coalesce(o.kind, '(none)') AS kind,
           count(*) AS amounts,
           sum(o.amount_gbp) AS total_gbp
    FROM once o JOIN documents d USING (doc_id)
    GROUP BY ALL
    ORDER BY council, fiscal_year, total_gbp DESC
""")
show(distinct)

# %% [markdown]
# ## As a table: councils and years down, kinds across (£, distinct amounts)

# %%
if distinct.empty:
    print("no money mentions in this run")
    wide = pd.DataFrame()
else:
    wide = distinct.pivot_table(index=["council", "fiscal_year"], columns="kind", values="total_gbp",
                                aggfunc="sum", fill_value=0)
    show(wide)

# %% [markdown]
# ## Chart
# One bar per council and year, stacked by kind, in £ millions. Saved to
# `$NOTEBOOK_OUT/money_by_council_year_kind.png`.

# %%
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
    print("matplotlib is not installed: no chart")

if plt is not None and not wide.empty:
    millions = wide.apply(lambda col: col.map(float)) / 1_000_000  # floats for drawing only
    labels = [f"{c}, {y}" for c, y in millions.index]
    fig, ax = plt.subplots(figsize=(10, max(3, 0.45 * len(labels) + 1.5)))
    left = [0.0] * len(labels)
    cmap = plt.get_cmap("tab20")
    for i, kind in enumerate(millions.columns):
        values = list(millions[kind])
        ax.barh(labels, values, left=left, label=kind, color=cmap(i % 20))
        left = [a + v for a, v in zip(left, values)]
    ax.invert_yaxis()
    ax.set_xlabel("£ million (each amount once per document and kind)")
    ax.set_title("Money in running text by council, year and kind")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    OUT.mkdir(parents=True, exist_ok=True)
    chart = OUT / "money_by_council_year_kind.png"
    fig.savefig(chart, dpi=100)
    plt.close(fig)
    print("chart saved to", chart)
