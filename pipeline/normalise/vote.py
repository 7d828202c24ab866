"""Vote outcomes as printed -> the closed vocabulary (unanimous, nem_con, majority, carried, lost, deferred).

The wording is data (`pipeline/vocab/vote_phrases.csv`), checked in order, first match
wins, so 'carried unanimously' is unanimous and 'not carried' is lost. Counts are read
separately, in the orders councils print them: 'For: 12 Against: 3 Abstain: 1', 'For (57)',
'8 in favour, 0 against, 0 abstentions', '5 For, 0 Against, 1 Abstention', '29-0-0',
'by 33 votes to 17', 'by 24 votes, to 10 votes, with 1 abstention', '33 to 17 with one abstention'.
"""
from __future__ import annotations

import re


def _rules() -> tuple:
    from councilpapers.vocab import patterns
    return tuple((rx, row["vote"]) for rx, row in patterns("vote_phrases", flags=re.I))


_NUM = r"[:\-–]?\s*\(?\s*(\d{1,3})\s*\)?"
_FOR = re.compile(r"\b(?:for|in favour)\s*" + _NUM, re.I)
_AGAINST = re.compile(r"\bagainst\s*" + _NUM, re.I)
_ABSTAIN = re.compile(r"\babstain(?:ed|ing|tions?)?\s*" + _NUM, re.I)
_TO = re.compile(r"\b(?:by )?(\d+) votes?,? to (\d+)(?: votes?)?(?:,? with (\w+) abstentions?)?"
                 r"|\b(\d+) to (\d+),? with (\w+) abstentions?", re.I)
_FOR_FIRST = re.compile(r"\b(\d{1,3})\s+(?:votes?\s+|voted\s+|members?\s+)?(?:for|in favour)\b", re.I)
_AGAINST_FIRST = re.compile(r"\b(\d{1,3})\s+(?:votes?\s+|voted\s+|members?\s+)?against\b", re.I)
_ABSTAIN_FIRST = re.compile(r"\b(\d{1,3}|no|one|two|three|four|five|six|seven|eight|nine|ten)\s+abstentions?\b", re.I)
_TRIPLE = re.compile(r"^\s*\(?(\d{1,3})\s*[-–]\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\)?\s*$"
                     r"|\((\d{1,3})\s*[-–]\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\)")
_WORDS = {"no": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _WORDS[text.lower()]


def parse_vote(text: str | None) -> str | None:
    """The outcome word in `text`, normalised, else None."""
    if not text:
        return None
    for pattern, vote in _rules():
        if pattern.search(text):
            return vote
    return None


def parse_counts(text: str | None) -> tuple[int | None, int | None, int | None]:
    """(for, against, abstentions) where printed, else Nones."""
    if not text:
        return None, None, None
    m = _TO.search(text)
    if m:
        g = m.groups()
        n_for, n_against, n_abs = (g[0], g[1], g[2]) if g[0] else (g[3], g[4], g[5])
        counted = n_abs is not None and (n_abs.isdigit() or n_abs.lower() in _WORDS)
        return int(n_for), int(n_against), _count(n_abs) if counted else None
    t = _TRIPLE.search(text)
    if t:  # '29-0-0', '(29-0-0)': for, against, abstentions
        g = [x for x in t.groups() if x is not None]
        return int(g[0]), int(g[1]), int(g[2])
    f, a = _FOR_FIRST.search(text), _AGAINST_FIRST.search(text)
    if f and a:  # '8 in favour, 0 against, 0 abstentions' / '5 For, 0 Against, 1 Abstention'
        b = _ABSTAIN_FIRST.search(text)
        return int(f.group(1)), int(a.group(1)), _count(b.group(1)) if b else None
    f, a, b = (_FOR.search(text), _AGAINST.search(text), _ABSTAIN.search(text))
    if not (f and a):
        return None, None, int(b.group(1)) if b and (f or a) else None
    return int(f.group(1)), int(a.group(1)), int(b.group(1)) if b else None


def vote_of(text: str | None) -> dict:
    """Vote columns for a decision row from the vote text printed with it."""
    vote = parse_vote(text)
    n_for, n_against, n_abs = parse_counts(text)
    if vote is None and n_for is not None and n_against is not None:
        vote = "carried" if n_for > n_against else "lost"
    return {"vote": vote, "votes_for": n_for, "votes_against": n_against, "abstentions": n_abs}
