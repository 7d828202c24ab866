"""Vocabularies kept as data: the wording councils share, one CSV per concern.

Each file is a table whose rows are tried in order; every row carries a real
`example` from a council paper, and `tests/test_vocab.py` checks each row against
its example. A council's own habit (a lead-in, a header form, a contact label) is a
new row here plus a fixture, never a new module.

| file | what a row is |
|---|---|
| `lead_ins.csv` | a resolution lead-in ('RESOLVED that Cabinet –', 'The Council is asked to:-') and its decision kind |
| `item_verbs.csv` | the opening verb of a decision item that names its kind under a neutral lead-in ('Noted the ...') |
| `fields.csv` | a labelled field ('Decision Maker:', 'Contact:', 'Minutes:') and what it holds |
| `meeting_forms.csv` | a printed form that names a meeting's body and date |
| `person_titles.csv` | a title printed before a name ('Councillor', 'Cllrs', 'Dame') |
| `divisions.csv` | a side of a named division ('For the motion (23) -', 'Declined to vote') |
| `vote_phrases.csv` | outcome wording and its vote ('carried unanimously', 'nem con') |
"""
from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def rows(name: str) -> tuple[dict, ...]:
    """The rows of `name`.csv in file order (blank lines and '#' comment lines skipped)."""
    with (HERE / f"{name}.csv").open(newline="", encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return tuple({k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(lines))


def expand(pattern: str) -> str:
    """A vocabulary pattern with its placeholders filled: {DATE} any UK date, {NUMDATE} dd/mm/yyyy."""
    from councilpapers.normalise.dates import DATE_PATTERN
    return pattern.replace("{DATE}", DATE_PATTERN).replace("{NUMDATE}", r"\d{1,2}/\d{1,2}/\d{2,4}")


@lru_cache(maxsize=None)
def patterns(name: str, column: str = "pattern", flags: int = 0) -> tuple[tuple[re.Pattern, dict], ...]:
    """(compiled pattern, row) for each row of `name`.csv, in order."""
    return tuple((re.compile(expand(r[column]), flags), r) for r in rows(name))
