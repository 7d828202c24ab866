"""The money rule table (money_kinds.csv), loaded once and matched by nearness.

The CSV is the vocabulary: one row per cue phrase with the table it belongs to
(`kind`, `recurrence`, `qualifier`, `unit`), the value it gives, a `weight` (how
many words of distance it outweighs: specific cues like 'overspend' beat generic
ones like 'cost') and a `window` (the furthest it can sit from the amount, in
words). A trailing `*` matches any word ending ('saving*' -> savings). Adding a
cue is a data change; `best_cue` is the only logic: the cue with the smallest
(distance - weight) wins, and a cue separated from the amount by another amount
belongs to that amount first (a penalty), so 'an overspend of £2.8m against the
approved budget of £28.7m' gives overspend and budget. A cue inside a parenthesis
that does not hold the amount is shielded the same way ('(DSG) deficit), and £17.0m
public health reserve').

Two kinds of match never decide a kind: a row whose value is `-` (a mask: 'core
funded' is how an amount is paid for, not what it is, so its 'funded' must not
count), and a generic budget or cost word printed as part of a Title Case name
('Corporately Held Budgets', 'Non Attributable Costs': services, not amounts).
"""
from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_CSV = Path(__file__).with_name("money_kinds.csv")
OTHER_AMOUNT_PENALTY = 8
# '£200.1m (14.0% of the approved budget) of forecast spending growth', '£22.1m of savings': the noun
# an amount is 'of' names it, whatever its distance (a parenthesis and a few modifiers between); so
# does the source it is 'from' ('£1,926.7k from our allocation of New Homes Bonus')
_OF_NAMES_RE = re.compile(r"\s*(?:\([^()]{0,80}\)\s*)?(?:of|from)\s+(?:[\w'’-]+\s+){0,3}$")
# ... and the other way round: 'a rephasing variance of -£124.5m', 'a net cost to the Town Council of £100,000'
# (the amounts of a list after it share it: 'Capital budgets of £24k and £19k')
_LISTED = r"(?:[+\-–]?£[\d.,]+\s*(?:bn|m|k|million|billion)?\s*(?:,\s*|\s+and\s+|\s+or\s+))*"
_NAMED_OF_RE = re.compile(r"(?:\s+[\w'’-]+){0,4}\s+of(?:\s+(?:an?|the|up\s+to|around|about|circa|over|under))?\s*"
                          + _LISTED + "$")
# ... and the noun phrase a bracketed amount follows: 'the costs of various highway collapses (+£0.4m)'
_NAMED_BY_BRACKET_RE = re.compile(r"(?:\s+(?:of\s+)?[\w'’&-]+){0,5}\s*\([+\-–]?$")
NAME_GENERIC = {"budget", "cost"}   # kinds whose generic cue words also name services
_WORD_RE = re.compile(r"[^\s]+")


@dataclass(frozen=True)
class Cue:
    table: str
    cue: str
    value: str
    weight: int
    window: int
    pattern: str


_CUE_OPEN = r"(?<![\w-])"


def _cue_pattern(cue: str) -> str:
    words = cue.split()
    parts = []
    for w in words:
        star = w.endswith("*")
        w = re.escape(w.rstrip("*"))
        parts.append(w + (r"[\w'-]*" if star else ""))
    return _CUE_OPEN + r"\s+".join(parts) + r"(?![\w-])"


@lru_cache(maxsize=None)
def rules() -> dict[str, tuple[Cue, ...]]:
    """All rows of money_kinds.csv by table, longest cue first."""
    out: dict[str, list[Cue]] = {}
    with RULES_CSV.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cue = row["cue"].strip().lower()
            out.setdefault(row["table"], []).append(Cue(
                row["table"], cue, row["value"].strip(), int(row["weight"] or 0), int(row["window"] or 0),
                _cue_pattern(cue)))
    return {t: tuple(sorted(c, key=lambda c: (-len(c.cue), c.cue))) for t, c in out.items()}


@lru_cache(maxsize=None)
def matcher(table: str) -> tuple[re.Pattern, tuple[Cue, ...]]:
    """One alternation for the table (one named group per cue, longest first) and its cues."""
    cues = rules().get(table, ())
    if not cues:
        return re.compile(r"(?!x)x"), cues
    # every cue opens with the same look-behind: checked once, then only where a cue's first
    # letter stands, rather than each alternative trying each position of the text (same matches)
    assert all(c.pattern.startswith(_CUE_OPEN) for c in cues)
    first = "".join(sorted({re.escape(c.cue[0]) for c in cues}))
    body = "|".join(f"(?P<c{i}>{c.pattern[len(_CUE_OPEN):]})" for i, c in enumerate(cues))
    rx = re.compile(f"{_CUE_OPEN}(?=[{first}])(?:{body})", re.I)
    return rx, cues


_NAME_WORD_BEFORE_RE = re.compile(r"(?:^|[^.:;!?\n])\b(?!(?:The|A|An|This|These|Our|Its|Their)\b)[A-Z][\w'’&-]*\s+$")


_NAME_WORD_AFTER_RE = re.compile(r" (?:&|and |of )?[A-Z][a-z]")
_AFTER_SENTENCE_EDGE_RE = re.compile(r"(?:^|[.:;!?\n])[\s\d.()•-]*$")


def _in_name(text: str, start: int, end: int, cue: Cue) -> bool:
    """A generic cue printed capitalised right after another capitalised word: part of a name.
    So is a weightless cue that opens a Title Case name inside a sentence ('..., Growth
    Environment & Transport (+£6.3m)': a directorate, not growth)."""
    if cue.weight > 1 or not text[start:start + 1].isupper():
        return False
    if cue.weight == 0 and _NAME_WORD_AFTER_RE.match(text, end) \
            and not _AFTER_SENTENCE_EDGE_RE.search(text[max(0, start - 40):start]):
        return True
    if cue.value not in NAME_GENERIC:
        return False
    return bool(_NAME_WORD_BEFORE_RE.search(text[max(0, start - 40):start]))


def find_cues(table: str, text: str) -> list[tuple[int, int, Cue]]:
    """Cue matches in `text`, less masks and generic words inside Title Case names."""
    rx, cues = matcher(table)
    out = []
    for m in rx.finditer(text):
        cue = cues[int(m.lastgroup[1:])]
        if cue.value == "-" or _in_name(text, m.start(), m.end(), cue):
            continue
        out.append((m.start(), m.end(), cue))
    return out


@lru_cache(maxsize=None)
def qualifier_table() -> dict[str, str]:
    return {c.cue: c.value for c in rules().get("qualifier", ())}


@lru_cache(maxsize=None)
def generic_kinds() -> frozenset[str]:
    """Kinds that say only that an amount is money ('cost', 'funding'): a listing subject that names a
    specific kind ('Other pressures include ...') decides them (see `enumerating_subject`)."""
    return frozenset(c.cue for c in rules().get("generic", ()))


_SUBJECT_LEAD_RE = re.compile(r"^[\s\d.()•·-]*")


def enumerating_subject(text: str, first_amount: int) -> tuple[int, str] | None:
    """(end of the verb, kind) when a sentence opens with a short subject naming a specific kind and a verb
    that lists its parts ('Other pressures include +£0.2m from savings ..., and +£0.7m from contributions to
    the provision for bad debts', 'Additional pressures relate to ... (+£0.5m), together with the costs of ...
    (+£0.4m)'): the items after the verb are of that kind where their own words say only that they are money.
    The verbs are the `enumerator` rows of money_kinds.csv, their window the longest subject in words."""
    head = text[:first_amount]
    for s, e, cue in find_cues("enumerator", head):
        lead = _SUBJECT_LEAD_RE.match(text).end()
        subject = text[lead:s]
        if not subject.strip() or len(subject.split()) > cue.window:
            continue
        named = [c for c in find_cues("kind", subject) if c[2].value not in generic_kinds() | {"@previous"}]
        if named:
            return e, named[-1][2].value   # the head noun stands last: 'Significant net drawdowns'
        return None
    return None


@lru_cache(maxsize=None)
def threshold_nouns() -> frozenset[str]:
    """Nouns after which 'over/under £X' names a size class ('contracts over £100k')."""
    return frozenset(c.cue for c in rules().get("threshold", ()))


@lru_cache(maxsize=None)
def unit_nouns() -> tuple[str, ...]:
    return tuple(c.cue for c in rules().get("unit", ()))


def word_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD_RE.finditer(text)]


def distance(starts: list[int], a: tuple[int, int], b: tuple[int, int]) -> int:
    """Words from the end of the earlier span to the start of the later one (adjacent = 1)."""
    (s1, e1), (s2, e2) = sorted([a, b])
    return max(1, bisect_left(starts, s2) - bisect_left(starts, e1) + 1)


def _names(text: str, cue: tuple[int, int], amount: tuple[int, int]) -> bool:
    """The cue names the amount by 'of' ('£22.1m of savings', 'an overspend of £2.8m') or as the noun
    phrase the bracketed amount follows ('the costs of various highway collapses (+£0.4m)')."""
    if cue[0] >= amount[1]:
        return bool(_OF_NAMES_RE.fullmatch(text, amount[1], cue[0]))
    return cue[1] <= amount[0] and bool(_NAMED_OF_RE.fullmatch(text, cue[1], amount[0])
                                        or _NAMED_BY_BRACKET_RE.fullmatch(text, cue[1], amount[0]))


def _semicolon_part_has(text: str, s: int, e: int, others: list[tuple[int, int]]) -> bool:
    """The part of `text` between semicolons that holds the cue at s..e also holds another amount
    ('£1.232m was the addition of agreed, specific s.106 projects; and £0.365m was ... reserve')."""
    lo, hi = text.rfind(";", 0, s) + 1, text.find(";", e)
    hi = len(text) if hi < 0 else hi
    return any(lo <= o[0] and o[1] <= hi for o in others)


def best_cue(cues: list[tuple[int, int, Cue]], target: tuple[int, int], others: list[tuple[int, int]],
             starts: list[int], extra: int = 0, shields: list[tuple[int, int]] = (),
             clause_of=None, text: str | None = None) -> Cue | None:
    """The cue nearest `target` (in words, less its weight) within its window; `others` are
    the other amounts in the same text, whose cues they shield; `shields` are parentheses,
    whose cues belong to what is inside them; `clause_of(pos)` numbers clauses, and a cue in
    another clause that states an amount of its own is that amount's ('£20.5m is from the
    Council Tax precept, £20.1m from the Social Care Grant': the grant's, not the precept's).
    Given the `text`, a cue that names the amount by 'of' counts as adjacent ('£200.1m (...) of
    forecast spending growth', 'a rephasing variance of -£124.5m') and is no other amount's, and a capitalised cue printed straight after the amount and before another is
    the label of that next one ('Revenue Budget for 2025-26 £81.4m Capital Budget for next 10
    years £98.1m': a flattened list of labels and values)."""
    best = None
    for s, e, cue in cues:
        if s < target[1] and e > target[0]:
            continue  # inside the amount itself
        d = distance(starts, (s, e), target) + extra
        if d > cue.window:
            continue
        lo, hi = (e, target[0]) if e <= target[0] else (target[1], s)
        if any(lo <= o[0] and o[1] <= hi for o in others):
            d += OTHER_AMOUNT_PENALTY
        elif any(p0 <= s and e <= p1 and not (p0 <= target[0] and target[1] <= p1) for p0, p1 in shields):
            d += OTHER_AMOUNT_PENALTY
        elif clause_of is not None and clause_of(s) != clause_of(target[0]) \
                and any(clause_of(o[0]) == clause_of(s) for o in others):
            d += OTHER_AMOUNT_PENALTY
        elif clause_of is not None and s >= target[1] and clause_of(s) != clause_of(target[0]) \
                and any(o[0] >= e for o in others):
            # a later clause that leads to the next amount: its cues are that amount's ('underspends ... of -£1.6m,
            # and estimated benefit from unrealised creditors ... - £0.5m')
            d += OTHER_AMOUNT_PENALTY
        elif text is not None and s >= target[1] and text[s:s + 1].isupper() \
                and not text[target[1]:s].strip(" \t\n)") and any(o[0] >= e for o in others):
            d += OTHER_AMOUNT_PENALTY
        if text is not None and _names(text, (s, e), target):
            d = 1
        elif text is not None and any(_names(text, (s, e), o) for o in others):
            d += OTHER_AMOUNT_PENALTY   # it names another amount
        elif text is not None and ";" in text[lo:hi] and _semicolon_part_has(text, s, e, others):
            continue   # a part of a list by semicolons with an amount of its own: that amount's alone
        score = (d - cue.weight, 0 if s < target[0] else 1, s)
        if best is None or score < best[0]:
            best = (score, cue)
    return best[1] if best else None


# qualifiers that make an amount a bound ('over £1m', 'under £500k'): a threshold or a running total, not
# a sum of money of one year (money_text), and a size class after a plural label (nlp)
BOUND_QUALIFIERS = frozenset({"over", "under"})
# ... and those that bound a class of things named by a plural noun ('applications of up to £50,000', nlp)
SIZE_QUALIFIERS = BOUND_QUALIFIERS | {"up_to", "at_least"}
HEADING_CUE_WEIGHT = 3  # only a specific cue in a heading speaks for the amounts under it ('grant', not 'budget')


def heading_kind(text: str | None) -> str | None:
    """The kind a heading or title names with a specific cue ('Community Grant Applications' -> grant),
    for amounts whose own sentence names none: the strongest cue, ties to the first printed."""
    found = [(-cue.weight, s, cue.value) for s, _e, cue in find_cues("kind", text or "")
             if cue.weight >= HEADING_CUE_WEIGHT and not cue.value.startswith("@")]
    return min(found)[2] if found else None
