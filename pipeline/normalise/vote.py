"""Vote outcomes as printed -> the closed vocabulary (unanimous, nem_con, majority, carried, lost).

`VOTE_RULES` is checked in order, first match wins, so 'carried unanimously' is
unanimous and 'not carried' is lost. Counts ('For: 12 Against: 3 Abstain: 1',
'For (57) ... Against (0)') are read separately.
"""
from __future__ import annotations

import re

VOTE_RULES: tuple[tuple[str, str], ...] = (
    (r"\bunanimous(?:ly)?\b|\ball (?:members )?in favour\b", "unanimous"),
    (r"\bnem\.?\s*con\b\.?|\bnemine contradicente\b|\bwithout dissent\b|\bno (?:member|one|councillor)s? (?:voted|voting) against\b", "nem_con"),
    (r"\bnot carried\b|\b(?:motion|amendment|recommendation|proposal)s? (?:was |were )?(?:lost|fell|defeated|rejected)\b|^\s*lost\b|\bwas lost\b|\bdefeated\b", "lost"),
    (r"\bmajority\b|\bby \d+ votes? to \d+\b", "majority"),
    (r"\bcarried\b|\bwas agreed on a vote\b", "carried"),
)
_RULES = tuple((re.compile(p, re.I), v) for p, v in VOTE_RULES)

_NUM = r"[:\-–]?\s*\(?\s*(\d{1,3})\s*\)?"
_FOR = re.compile(r"\b(?:for|in favour)\s*" + _NUM, re.I)
_AGAINST = re.compile(r"\bagainst\s*" + _NUM, re.I)
_ABSTAIN = re.compile(r"\babstain(?:ed|ing|tions?)?\s*" + _NUM, re.I)
_TO = re.compile(r"\bby (\d+) votes? to (\d+)(?:,? with (\d+) abstentions?)?", re.I)


def parse_vote(text: str | None) -> str | None:
    """The outcome word in `text`, normalised, else None."""
    if not text:
        return None
    for pattern, vote in _RULES:
        if pattern.search(text):
            return vote
    return None


def parse_counts(text: str | None) -> tuple[int | None, int | None, int | None]:
    """(for, against, abstentions) where printed, else Nones."""
    if not text:
        return None, None, None
    m = _TO.search(text)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None
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
