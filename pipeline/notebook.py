"""What every analyst notebook starts with: the parsed folder, SQL to a DataFrame, display.

    from councilpapers.notebook import PARSED, sql, show
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .query import run_query

PARSED = Path(os.environ.get("PARSED", "parsed"))
pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 60)

try:
    from IPython.display import display as show
except ImportError:  # run as a plain script
    def show(df):
        print(df.to_string() if hasattr(df, "to_string") else df, end="\n\n")


def sql(query: str) -> pd.DataFrame:
    """Run SQL over PARSED; money stays Decimal (Arrow decimals become Python Decimals, not floats)."""
    return run_query(PARSED, query, arrow=True).arrow.to_pandas()
