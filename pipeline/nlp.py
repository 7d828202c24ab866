"""The shared spaCy pipeline: blank English + rule components, loaded once per process.

    sentencizer -> money_sentences -> money_matcher -> quantity_matcher -> money_context

No statistical model is needed. Every component is registered by name, so a user
can add a trained one (say an `ner` before `money_matcher`, or swap `money_matcher`
for their own) with `nlp.add_pipe(...)` and the extractor does not change: it reads
only `doc._.money_facts` and `doc._.quantity_facts`. `money_matcher` keeps any
entities an earlier component set that do not clash with its MONEY spans.

- money_sentences: sentence edges the punctuation rule misses or invents: a cell
  (tab), a blank line or a bullet starts a sentence; 'approx.', 'para.' do not end one.
- money_matcher: `pipeline.normalise.money.find_money` over the text -> doc._.money,
  less figures printed side by side ('£150m £100m £50m': a table row, not prose).
- quantity_matcher: %, FTE and counts of people/places ('12 agency staff') -> doc._.quantities.
- money_context: per amount, kind and recurrence from the rule table
  (`pipeline.normalise.kinds`), and the fiscal year: the clause that states the
  amount, else the sentence, else the sentence before when this one refers back
  ('This will result in ...'), else the table column (tab-separated text), else null.
  Relative years ('next year') count only with `doc._.doc_year` set by the caller.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .normalise import kinds
from .normalise.fiscal_year import find_fiscal_years, find_year_mentions
from .normalise.money import MoneyMatch, apply_context_scale, find_money, tabular, to_decimal

for _name in ("money", "money_unclear", "quantities", "money_facts", "quantity_facts", "doc_year"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

BULLETS = "•·●▪◦‣∙○■-–*"
_NO_BREAK_AFTER = {"approx", "para", "paras", "no", "nos", "ref", "est", "ca", "c", "cllr", "mr", "mrs", "ms",
                   "dr", "st", "e.g", "i.e", "eg", "ie", "vs", "etc", "incl", "fig", "p", "pp", "sec"}
_CLAUSE_BREAK_RE = re.compile(r"[;:]|,(?=\s)|\s[–—-]\s|\n(?=[ \t]*[" + re.escape(BULLETS) + r"])")
_LEAD_RE = re.compile(r"^[\s" + re.escape(BULLETS) + r"]*(?:\(?(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[a-z]|[ivx]{1,4})[.)]?\s+)?")
_ANAPHOR_RE = re.compile(r"(?:this|these|that|those|it|which|such|the\s+(?:above|same|latter|former))\b", re.I)
_FOLLOWING_RE = re.compile(r"\b(?:following|include|includes|including|as follows|below)\b", re.I)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: Decimal
    unit: str


# --- components -------------------------------------------------------------------------------

def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per doc: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def _token_arrays(doc: Doc):
    """(char offset, length, sentence start flag, is-space flag) per token, read in one pass from
    the C arrays: building a Python `Token` per token costs more than everything else here."""
    a = doc.to_array([IDX, LENGTH, SENT_START, IS_SPACE])
    if not len(a):
        return [], [], [], []
    idx, length, start, space = a.T.tolist()
    return idx, length, start, space


_RUNS_ON_RE = re.compile(r"(?:[,;:(&/–—-]|\b(?:and|or|of|the|to|for|in|on|by|with|a|an|from|at))\s*$", re.I)


def _short_line_limit(text: str) -> float:
    """Lines shorter than this end before the margin: the last line of a paragraph, a heading,
    a table row (60% of the page's median line length)."""
    lens = sorted(len(line) for line in text.split("\n") if line.strip())
    return 0.6 * lens[len(lens) // 2] if lens else 0


def _ends_short(text: str, line_end: int, limit: float) -> bool:
    line = text[text.rfind("\n", 0, line_end) + 1:line_end].strip()
    return bool(line) and len(line) < limit and not _RUNS_ON_RE.search(line)


def _edge_candidates(text: str, a, idx: list[int], length: list[int]) -> list[int]:
    """The tokens `money_sentences` can change, in order: every rule needs a whitespace token before,
    a sentence start to undo, or a tab between the token and the one before (most tokens have none)."""
    found = set((np.flatnonzero((a[:-1, 3] != 0) | (a[1:, 2] == 1)) + 1).tolist())
    if "\t" in text:
        for m in re.finditer("\t", text):
            i = bisect_right(idx, m.start())
            if 0 < i < len(idx) and idx[i - 1] + length[i - 1] <= m.start():
                found.add(i)
    return sorted(found)


@Language.component("money_sentences")
def money_sentences(doc: Doc) -> Doc:
    """Sentence edges: also a line that stops short of the margin, not running on, before a
    capital ('... a net underspend of £111.6m' / 'Changes to the draft budget 2025-26'):
    a heading or a new paragraph, so a year there is not the amount's."""
    text = doc_text(doc)
    a = doc.to_array([IDX, LENGTH, SENT_START, IS_SPACE])
    if not len(a):
        return doc
    idx, length, start, space = a.T.tolist()
    limit = None
    changes: list[tuple[int, bool]] = []
    for i in _edge_candidates(text, a, idx, length):
        p0, p1 = idx[i - 1], idx[i - 1] + length[i - 1]
        prev_text, gap = text[p0:p1], text[p1:idx[i]]
        first = text[idx[i]:idx[i] + 1]
        if space[i - 1] and ("\t" in prev_text or prev_text.count("\n") >= 2):
            set_to = True
        elif start[i] != 1 and space[i - 1] and "\n" in prev_text and first.isupper() \
                and _ends_short(text, p0 + prev_text.index("\n"),
                                limit if limit is not None else (limit := _short_line_limit(text))):
            set_to = True
        elif "\t" in gap or (space[i - 1] and "\n" in prev_text and first in BULLETS):
            set_to = True
        elif start[i] == 1 and prev_text == "." and i >= 2 \
                and text[idx[i - 2]:idx[i - 2] + length[i - 2]].lower() in _NO_BREAK_AFTER and idx[i - 2] + length[i - 2] == p0:
            set_to = False
        elif start[i] == 1 and not space[i - 1] and (first.islower() or first == "£") \
                and prev_text == "." and i >= 2 and length[i - 2] <= 6:
            set_to = False
        else:
            continue
        if (start[i] == 1) != set_to:
            changes.append((i, set_to))
    if changes:
        # in one write: setting `Token.is_sent_start` scans the whole doc each time (quadratic on a
        # long page)
        flags = doc.to_array([SENT_START])  # uint64: -1 (not a start) wraps round, as spaCy writes it
        not_start = flags.dtype.type(-1 % 2 ** (8 * flags.dtype.itemsize))
        for i, set_to in changes:
            flags[i] = 1 if set_to else not_start
        doc.from_array([SENT_START], flags)
    return doc


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence that is not only whitespace, from the token arrays
    (the same spans `doc.sents` gives, without building a `Span` per sentence)."""
    text = doc_text(doc)
    idx, length, start, _ = _token_arrays(doc)
    out = []
    n = len(idx)
    first = 0
    for i in range(1, n + 1):
        if i == n or start[i] == 1:
            s0, s1 = idx[first], idx[i - 1] + length[i - 1]
            if not text[s0:s1].isspace():
                out.append((s0, s1))
            first = i
    return out


def _money_matches(text: str) -> tuple[list[MoneyMatch], list[MoneyMatch]]:
    """(amounts kept, those of them whose unit is unclear): figures side by side are a table row."""
    found, unclear = apply_context_scale(text, find_money(text))
    side_by_side = tabular(text, found)
    kept = [m for i, m in enumerate(found) if i not in side_by_side]
    return kept, [m for m in unclear if any(m.start == k.start for k in kept)]


def text_matches(text: str) -> tuple[list[MoneyMatch], list[MoneyMatch], list["Quantity"]]:
    """What `money_matcher` and `quantity_matcher` find, read from the text alone (no tokens):
    a caller can skip spaCy for a page where both lists are empty, and hand the result to the
    pipeline as `doc.user_data[PRE_MATCHED]` so it is not computed twice."""
    kept, unclear = _money_matches(text)
    return kept, unclear, find_quantities(text, kept)


PRE_MATCHED = "text_matches"


@Language.component("money_matcher")
def money_matcher(doc: Doc) -> Doc:
    pre = doc.user_data.get(PRE_MATCHED)
    kept, unclear = (pre[0], pre[1]) if pre is not None else _money_matches(doc_text(doc))
    doc._.money = kept
    doc._.money_unclear = unclear
    found = kept
    spans = [doc.char_span(m.start, m.end, label="MONEY", alignment_mode="expand") for m in found]
    spans = [s for s in spans if s is not None]
    if spans:
        doc.ents = filter_spans(spans + [e for e in doc.ents if e.label_ != "MONEY"])
    return doc


@lru_cache(maxsize=1)
def _quantity_res() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    nouns = sorted(kinds.unit_nouns(), key=len, reverse=True)
    noun = r"(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in nouns) + r")"
    stop = r"(?!(?:of|the|and|or|to|in|on|for|with|by|at|from|per|a|an|year|years|week|weeks|month|months|day|days)\b)"
    # each opens with a look-ahead for the character its figure starts with: it changes no match,
    # but lets the scan pass over the letters of a page at one test per position
    percent = re.compile(rf"(?=[\d−-])(?<![\d.,£/])(?P<num>(?:(?<![\w%-])[-−])?{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.I)
    fte = re.compile(rf"(?=\d)(?<![\d.,£/])(?P<num>{_NUM})\s?(?P<unit>FTEs?|WTEs?|full[- ]time\s+equivalents?|whole[- ]time\s+equivalents?)\b", re.I)
    count = re.compile(rf"(?=\d)(?<![\d.,£/:-])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+) +(?P<unit>(?:{stop}[A-Za-z][\w'-]*[ \n]+){{0,3}}?{noun})(?![\w'’-])", re.I)
    from_to = re.compile(rf"(?P<unit>(?:[A-Za-z][\w'-]*\s+)?{noun})(?![\w'’-])\s+from\s+(?P<a>\d+)(?:\s*\([^)]{{0,20}}\))?\s+to\s+(?P<b>\d+)\b(?!\s*(?:%|per\s?cent|[A-Za-z]))", re.I)
    return percent, fte, count, from_to


# A number after these words is an age, school year, rate base or reference, not a count:
# 'post 16 education places', 'Year 7 places', 'per 10,000 children', 'item 6 applications'
_NOT_COUNT_BEFORE_RE = re.compile(r"\b(?:year|years|yr|post|aged?|ages|under|per|key\s+stage|page|item|no\.?|"
                                  r"number|para(?:graph)?|section|appendix|table|ward|phase|tier|level|band)\s*$", re.I)


def _not_a_count(text: str, start: int, unit: str) -> bool:
    """A figure that opens a line before a capitalised noun, where the line before does not run on
    into it, is a row or heading number ('4 Staff Costs', '2 Schools Capital Expenditure',
    '6 Community Grant Applications'); a figure after
    'Year', 'post', 'per', 'item', ... is not a count either."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[:line_start].rstrip()
    continues = bool(before) and (before[-1].islower() or before[-1] in ",;(")  # '... there have been\n57 Sheppey residents'
    if text[line_start:start].strip() == "" and unit[:1].isupper() and not continues:
        return True
    return bool(_NOT_COUNT_BEFORE_RE.search(text[max(0, start - 16):start]))


# every 'staff from 12 to 15' has this; the from-to pattern is slow to run over a page without it
_FROM_NUMBER_RE = re.compile(r"\sfrom\s+\d", re.I)


@lru_cache(maxsize=1)
def _unit_char_re() -> re.Pattern:
    """One character of what a from-to match can hold before its 'from': a word, whitespace, a unit noun."""
    extra = sorted({c for n in kinds.unit_nouns() for c in n if not re.match(r"[\w'’\s-]", c)})
    return re.compile(r"[\w'’\s" + "".join(re.escape(c) for c in extra) + "-]")


def _from_to_matches(from_to: re.Pattern, text: str) -> list[re.Match]:
    """`from_to.finditer(text)`, tried only where a match can start. A match holds one ' from <digit>'
    (`_FROM_NUMBER_RE`) after its unit, and from its start to that whitespace only word characters,
    whitespace and ' ’ -; so each start lies in that run of characters before a ' from <digit>', and
    every such place is tried left to right, as the scan of the whole page does."""
    unit_char = _unit_char_re()
    out: list[re.Match] = []
    done = 0   # where the last match ended, or the last place tried
    for occ in _FROM_NUMBER_RE.finditer(text):
        p = occ.start()
        if p < done:
            continue
        lo = p
        while lo > done and unit_char.match(text, lo - 1):
            lo -= 1
        for start in range(lo, p):
            m = from_to.match(text, start)
            if m:
                out.append(m)
                done = m.end()
                break
        else:
            done = p
    return out


def find_quantities(text: str, money: list[MoneyMatch]) -> list[Quantity]:
    """Percentages, FTE and counts of people/places; never inside a money span or a year."""
    percent, fte, count, from_to = _quantity_res()
    taken = [(m.start, m.end) for m in money] + [(s, e) for s, e, _ in find_fiscal_years(text)]
    out: list[Quantity] = []

    def add(s: int, e: int, num: str, unit: str) -> None:
        if any(s < te and ts < e for ts, te in taken):
            return
        if re.fullmatch(r"(?:19|20)\d\d", num) and unit != "percent":
            return
        value = to_decimal(num)
        if value is None:
            return
        taken.append((s, e))
        out.append(Quantity(s, e, value, unit))

    for m in percent.finditer(text):
        add(m.start(), m.end(), m.group("num"), "percent")
    for m in fte.finditer(text):
        add(m.start(), m.end(), m.group("num"), "FTE")
    for m in _from_to_matches(from_to, text):
        unit = " ".join(m.group("unit").lower().split())
        add(m.start("a"), m.end("a"), m.group("a"), unit)
        add(m.start("b"), m.end("b"), m.group("b"), unit)
    for m in count.finditer(text):
        if _not_a_count(text, m.start(), m.group("unit")):
            continue
        add(m.start(), m.end(), m.group("num"), " ".join(m.group("unit").lower().split()))
    return sorted(out, key=lambda q: (q.start, q.end))


@Language.component("quantity_matcher")
def quantity_matcher(doc: Doc) -> Doc:
    pre = doc.user_data.get(PRE_MATCHED)
    if pre is not None and doc._.money is pre[0]:
        doc._.quantities = pre[2]   # found from the same amounts: nothing changed them since
    else:
        doc._.quantities = find_quantities(doc_text(doc), doc._.money or [])
    return doc


# --- context: sentence, kind, recurrence, fiscal year ------------------------------------------

# A parenthesis that states an amount is a clause of its own: '(£11.1m also required in 2025-26)',
# '£3,234.7k in 2024-25 (£2,960.5k in ASCH ...)': its year is its amount's, not a neighbour's.
_MONEY_PAREN_RE = re.compile(r"\([^()]*£[^()]*\)")


def _clause_breaks(text: str) -> list[int]:
    breaks = [m.start() for m in _CLAUSE_BREAK_RE.finditer(text)]
    if "(" in text:
        for m in _MONEY_PAREN_RE.finditer(text):
            breaks += [m.start(), m.end() - 1]
    return sorted(breaks)


def _paren_spans(text: str) -> list[tuple[int, int]]:
    """Parentheses in a sentence, outermost and nested ('(including ... (DSG) deficit)'):
    a cue or a year inside one describes what is inside it."""
    if "(" not in text:
        return []
    out, stack = [], []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            out.append((stack.pop(), i + 1))
    return sorted(out)


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def assign_years(text: str, targets: list[tuple[int, int]], doc_year: str | None = None
                 ) -> list[tuple[bool, str | None]]:
    """For each target span in one sentence: (decided, fiscal year). A year mention belongs to
    the nearest target in its clause; a target with none of its own takes the sentence's
    unclaimed year, unless it sits in a parenthesis of its own; failing that, the one year the
    sentence states before it ('The 2025-26 budget includes £42.9m ... (including £15.8m ...,
    £12.0m ...)'), claimed or not. A comparison base ('on 2024-25') is nobody's year; a span
    of years ('2025-26 to 2034-35') decides that its amount has no single year
    (decided=False means the sentence said nothing about it)."""
    mentions = [m for m in find_year_mentions(text, doc_year) if m.how not in ("base", "bound")]
    if not mentions:
        return [(False, None)] * len(targets)
    if all(m.how == "range" for m in mentions) \
            and any(not any(p0 < m.start < p1 for p0, p1 in _paren_spans(text)) for m in mentions):
        # a sentence whose only years are a plan period ('Proposed Draft 2025-35 Capital Programme – key numbers
        # £1,419m ... £287m'): its amounts are of the period, not of one year (docs/labelling.md); not a period
        # in brackets after a name ('Basic Need KCP22 (2023-27)'), which is the name's
        return [(True, None)] * len(targets)
    breaks = _clause_breaks(text)
    clause = lambda pos: bisect_right(breaks, pos)  # noqa: E731
    owner: dict[int, int] = {}
    # a year in a parenthesis that holds no amount ('... savings in 2024-25) and net +£12.6m')
    # is the year of the amount right before it ('£5m (2024-25)') or of nothing outside
    aside = [p for p in _paren_spans(text) if not any(p[0] < t[0] < p[1] for t in targets)]
    inside = lambda pos, spans: any(p0 < pos < p1 for p0, p1 in spans)  # noqa: E731
    for mi, m in enumerate(mentions):
        if inside(m.start, aside):
            p0 = next(p0 for p0, p1 in aside if p0 < m.start < p1)
            touching = [ti for ti, t in enumerate(targets) if 0 <= p0 - t[1] <= 2]
            owner[mi] = touching[0] if touching else -1
            continue
        same = [ti for ti, t in enumerate(targets) if clause(t[0]) == clause(m.start)]
        if same:
            owner[mi] = min(same, key=lambda ti: (_gap(targets[ti], (m.start, m.end)), ti))
        elif any(t[1] <= m.start for t in targets):
            # a clause with no amount, after one, that leads to the next amount is that amount's ('of -£1.6m,
            # and estimated benefit from unrealised creditors from the previous financial year - £0.5m')
            nxt = [ti for ti, t in enumerate(targets) if t[0] >= m.end]
            if nxt and clause(targets[nxt[0]][0]) == clause(m.start) + 1:
                owner[mi] = nxt[0]
    free = [m for mi, m in enumerate(mentions) if mi not in owner and m.fy]
    # an amount in a parenthesis of its own ('(£1.6m)') states no year but its own
    parens = [(m.start(), m.end()) for m in _MONEY_PAREN_RE.finditer(text)] if free and "(" in text else []
    all_parens = _paren_spans(text)
    stated = [m for m in mentions if m.how in ("explicit", "year_end") and m.fy]
    out: list[tuple[bool, str | None]] = []
    anchored: list[bool] = []  # the target's year is its own, or its list's
    for ti, t in enumerate(targets):
        own = [mentions[mi] for mi, o in owner.items() if o == ti]
        listed = ti and anchored[ti - 1] and _LIST_NEXT_RE.fullmatch(text, targets[ti - 1][1], t[0])
        mine = min(own, key=lambda m: (_gap(t, (m.start, m.end)), m.start)) if own else None
        # a year printed before its amount governs the list that follows ('in 2025-26 from £X, £Y and £Z');
        # one printed after it ('£414.9k prior year savings ... and -£192.8k') is that amount's alone
        anchored.append(bool(listed or (mine and mine.start < t[0])))
        if own:
            out.append((True, mine.fy))
        elif listed:
            # the next item of a list of amounts ('met in 2025-26 from £8,021k of receipts, £1,926.7k
            # from ... and £1,758.1k ...') shares the year of the item before it
            out.append(out[ti - 1])
        elif free and not any(p0 < t[0] and t[1] < p1 for p0, p1 in parens):
            if len({m.fy for m in free}) == 1:
                out.append((True, free[0].fy))
            else:
                out.append((True, min(free, key=lambda m: (_gap(t, (m.start, m.end)), m.start)).fy))
        elif (single := _single_year(text, targets, mentions, owner, t, clause, aside, inside)) is not None:
            # the sentence's one year, printed after two amounts of one clause, is both amounts' ('Members
            # allocated £320,000 from capital receipts in order to draw down funding of £480,000 from the
            # Department ... in 2006/2007'), unless it is the year of a part ('of which')
            out.append((True, single))
        else:
            before = {m.fy for m in stated if m.end <= t[0]
                      and not inside(m.start, [p for p in all_parens if not p[0] < t[0] < p[1]])}
            whole = _whole_year(text, t, mentions, clause, all_parens)
            out.append((True, before.pop()) if len(before) == 1 else (True, whole) if whole else (False, None))
    return out


# words between an amount and a sentence's one year that make the year another's: a part's, or a comparison
# base's ('a £101.4m increase on the final approved budget for 2024-25 of £1,429.5m')
_PART_BETWEEN_RE = re.compile(r"\b(?:of\s+which|including|out\s+of|on|over|than|compared|against|versus)\b", re.I)


_YEAR_ADVERB_RE = re.compile(r"\b(?:in|for|during)\s+(?:the\s+)?(?:(?:financial\s+)?year\s+)?$", re.I)


def _single_year(text, targets, mentions, owner, t, clause, aside, inside) -> str | None:
    """The one financial year a sentence names as when ('in 2006/2007', 'for the year 2025-26'), when it
    names no other year, no span and no base, the
    amount shares its clause and is in no parenthesis of its own, and the year is not in a bracket of
    another amount's ('from 91 (2022/23) to 20'), a part's ('-£3m of which £1.2m ... 2025-26 savings') or
    a comparison base's."""
    if len(mentions) != 1 or not mentions[0].fy or mentions[0].how not in ("explicit", "year_end"):
        return None
    m, o = mentions[0], owner.get(0, -1)
    if o < 0 or clause(m.start) != clause(t[0]) or inside(t[0], aside) or inside(m.start, aside):
        return None
    if not _YEAR_ADVERB_RE.search(text, max(0, m.start - 40), m.start):
        return None   # 'to balance the 2022-23 budget': a year naming a noun is that noun's, not the sentence's
    lo, hi = sorted((t[1], targets[o][0]))
    return None if _PART_BETWEEN_RE.search(text, lo, hi) else m.fy


# between two amounts of one list: words, then ', ' or ' and ' (no year, no clause of its own)
_LIST_NEXT_RE = re.compile(r"[^;:.£\d()]{0,80}?(?:,\s+|\s+and\s+)")
_PART_OF_RE = re.compile(r"\s*(?:out\s+)?of\b(?!\s+(?:which|whom))")


def _whole_year(text: str, t: tuple[int, int], mentions, clause, parens) -> str | None:
    """A part printed before its whole takes the whole's year, stated after it in the same
    clause ('£1.1bn of the £1.5bn proposed net budget for 2025-26', '£56.7m out of a total
    planned savings ... for 2024-25 of £88.9m')."""
    if not _PART_OF_RE.match(text, t[1]):
        return None
    after = [m for m in mentions if m.start >= t[1] and m.fy and clause(m.start) == clause(t[0])
             and not any(p0 < m.start < p1 and not p0 < t[0] < p1 for p0, p1 in parens)]
    return after[0].fy if after else None


def _sentence_years(text: str, doc_year: str | None) -> set[str]:
    return {m.fy for m in find_year_mentions(text, doc_year) if m.fy and m.how not in ("base", "bound")}


def _table_column_year(text: str, pos: int) -> str | None:
    """Fiscal year of the column of a tab-separated table the position sits in, from the
    nearest line above that names years in its cells (the header)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    if "\t" not in line:
        return None
    col = text.count("\t", line_start, pos)
    upto = line_start
    for _ in range(80):
        if upto <= 0:
            break
        prev_start = text.rfind("\n", 0, upto - 1) + 1
        cells = text[prev_start:upto - 1].split("\t")
        if len(cells) > 1 and any(find_fiscal_years(c) for c in cells):
            return (find_fiscal_years(cells[col]) or [(0, 0, None)])[0][2] if col < len(cells) else None
        upto = prev_start
    return None


_LIST_JOIN_RE = re.compile(r"[\s)]*(?:,|and\b|or\b)")
_NEW_CLAUSE_RE = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|this|that|these|"
                            r"those|which|it|there|compared|against|than)\b", re.I)


def _continues_list(st: str, prev: tuple[int, int], t: tuple[int, int], cues) -> bool:
    """An amount joined to the one before it by a comma or 'and', with no cue, colon or
    semicolon between: the next item of the same list ('Overspends are being reported in A
    (+£35.4m), B (+£6.3m) and C (+£2.6m)'), so of the same kind; not when a verb or a
    pronoun between opens a clause of its own ('(an increase of £101.4m), this is £33.9m more')."""
    between = st[prev[1]:t[0]]
    return len(between) <= 80 and not re.search(r"[;:\n]\s*\n|[;:]", between) \
        and bool(_LIST_JOIN_RE.match(between)) and not _NEW_CLAUSE_RE.search(between) and not any(prev[1] <= s and e <= t[0] for s, e, _ in cues)


def _is_list_item(sent_text: str, rel_start: int, rel_end: int | None = None) -> bool:
    """An amount that opens a bullet or list item, or ends a one-line row ('Other Artists Fees
    £5,000' under 'The estimated costs are summarised as follows:')."""
    head = sent_text[:rel_start]
    if head.strip() == "" or head.lstrip()[:1] in BULLETS or _LEAD_RE.fullmatch(head):
        return True
    return rel_end is not None and "\n" not in sent_text.strip() and sent_text[rel_end:].strip(" )”\"'\t\n") == ""


def _lead_in_index(text: str, sents: list[tuple[int, int]], si: int) -> int | None:
    """The sentence that introduces the list sentence `si` belongs to: the nearest one before it
    (within a few) that announces a list ('the following ...', ending in ':'), else the one before."""
    for j in range(si - 1, max(-1, si - 7), -1):
        st = text[sents[j][0]:sents[j][1]].rstrip()
        if st.endswith(":") or _FOLLOWING_RE.search(st):
            return j
    return si - 1 if si > 0 else None


VARIANCE = "@variance"  # a cue value: over- or underspend by the amount's sign
# a part of an amount ('of which', '(including ...)') keeps the whole's kind over a cue this weak of its own
# ('of which £1.2m relates to early delivery of 2025-26 savings': part of an underspend), not over a
# specific one ('of which £26.2m relates to savings unable to be delivered': a gap)
PART_CUE_WEIGHT = 2
_WORD_BEFORE_RE = re.compile(r"([A-Za-z]+)\s+$")


_ANY_NOUN_BEFORE_RE = re.compile(r"\b(?:any|all|every|each)\s+(?:[a-z]+\s+)?[a-z]+\s+$"
                                 r"|\b(?:none|any|all|each)\s+(?:of\s+(?:which|them|these|those)\s+)?(?:are|is|was|were)\s+$", re.I)


def _size_class(st: str, start: int) -> bool:
    """'over/under £X' right after a plural noun is a size class, not an amount: a Title Case label ('Integrated
    Transport Schemes under £1m') or a noun of the `threshold` table ('transport schemes under £1m'); so is one
    after a noun taken by 'any/all/every/each' ('the award of any contract above £200,000') and one said of
    'none/all of which are' ('projects of which none are over £1m'); not a verb ('the settlement includes just
    over £232m')."""
    m = _WORD_BEFORE_RE.search(st, max(0, start - 40), start)
    if not m:
        return False
    word = m.group(1)
    return (word[:1].isupper() and word.endswith("s") and len(word) > 3) or word.lower() in kinds.threshold_nouns() \
        or bool(_ANY_NOUN_BEFORE_RE.search(st, max(0, start - 40), start))


_TOTALLING_RE = re.compile(r"\b(?:totalling|totaling|amounting\s+to|in\s+total\s+of|at\s+a\s+total\s+of)\s+$", re.I)
TOTAL_REACH = 24   # words further back a total's noun may stand than a cue's own window
# a plural noun and what joins it to a bound: 'Application Recommendations of up to £50,000', 'Grant Offers that
# are not more than £100,000', 'contract awards that will have a contract value in excess of £2.5m'
_CLASS_BOUND_RE = re.compile(
    r"\b(?P<noun>[A-Za-z]{3,}[^s\W]s)\s+(?:(?:that|which)\s+(?:are|is|will\s+(?:have|be)|have|has)\s+"
    r"(?:an?\s+)?(?:(?:total|contract|estimated|overall|individual)\s+)?(?:value\s+(?:of\s+)?)?"
    r"|(?:of|with\s+an?\s+(?:(?:total|contract|estimated|overall)\s+)?value\s+of|valued\s+at)\s+)(?:between\s+)?$")


def _class_bound(st: str, start: int) -> bool:
    """A bound on a class of things, joined to a plural noun that names no money ('applications of up to
    £50,000', 'offers that are not more than £100,000'): a threshold, not an amount ('savings of up to £5m'
    is a saving: 'savings' is a money word)."""
    m = _CLASS_BOUND_RE.search(st, max(0, start - 100), start)
    return bool(m) and not kinds.find_cues("kind", m.group("noun"))


# '£6.66 per hour', '£22.00 per month membership', '£10 per Adult', '£16.00 per head': an amount per unit is a
# rate, not a sum of money (not 'per annum' or 'per year': an annual amount is a flow, read as its recurrence;
# not 'per Appendix B', 'per the report': according to)
_PER_UNIT_RE = re.compile(r"\s*(?:per\s+(?!(?:annum|year|cent|the|our|its|their|this|that|appendix|annex|table|"
                          r"section|para|paragraph|page|report|budget|plan|schedule|note)\b)[A-Za-z]"
                          r"|an?\s+(?:hour|week|month|day|night|head)\b)", re.I)


def _per_unit(st: str, end: int) -> bool:
    """The amount is printed per a unit ('£6.66 per hour', '£5 per Child'): a rate."""
    return bool(_PER_UNIT_RE.match(st, end))


_PART_OPENER_RE = re.compile(r"\(\s*(?:including|incl\.?|of\s+which|comprising)\s+[+\-–]?$", re.I)
_OF_WHICH_RE = re.compile(r"[\s,]*(?:\([^()]{0,40}\)[\s,]*)?of\s+which\s+[+\-–]?$", re.I)


def _part_of_previous(st: str, prev: tuple[int, int], t: tuple[int, int], parens) -> bool:
    """An amount opening a bracket of parts right after the amount before it ('£150.3m of core funded
    spending growth (including -£0.8m internal base adjustment ...)'), or printed after it with 'of which'
    ('projected to underspend by -£3m of which £1.2m relates to early delivery of 2025-26 savings'): a part
    of that amount, so of its kind where no specific word of its own says otherwise."""
    if _OF_WHICH_RE.fullmatch(st, prev[1], t[0]):
        return True
    for p0, p1 in parens:
        if p0 < t[0] < p1 and prev[1] <= p0 and _PART_OPENER_RE.match(st, p0, t[0]):
            return True
    return False


def _lead_in_cue(table: str, prev_text: str, prev_amounts: list[tuple[int, int]]) -> str | None:
    cues = kinds.find_cues(table, prev_text)
    if not cues:
        return None
    f = _FOLLOWING_RE.search(prev_text)
    anchor = f.end() if f else len(prev_text.rstrip())
    cue = kinds.best_cue([c for c in cues if c[2].value != "@previous"], (anchor, anchor), prev_amounts,
                         kinds.word_starts(prev_text))
    return cue.value if cue else None


@Language.component("money_context")
def money_context(doc: Doc) -> Doc:
    text = doc_text(doc)
    sents = (sentence_spans(doc) if len(doc) else []) or [(0, len(text))]
    sent_starts = [s for s, _ in sents]
    money = doc._.money or []
    quantities = doc._.quantities or []
    doc_year = doc._.doc_year
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(money):
        by_sent.setdefault(max(0, bisect_right(sent_starts, m.start) - 1), []).append(i)
    facts: list[dict | None] = [None] * len(money)
    row_kind: tuple[int, str] | None = None   # (sentence, kind) of the last one-line row read
    for si, idxs in sorted(by_sent.items()):
        s0, s1 = sents[si]
        st = text[s0:s1]
        targets = [(money[i].start - s0, money[i].end - s0) for i in idxs]
        years = assign_years(st, targets, doc_year)
        kind_cues = kinds.find_cues("kind", st)
        rec_cues = kinds.find_cues("recurrence", st)
        starts = kinds.word_starts(st)
        shields = _paren_spans(st)
        breaks = _clause_breaks(st)
        clause_of = lambda pos, b=breaks: bisect_right(b, pos)  # noqa: E731
        prev_text = text[sents[si - 1][0]:sents[si - 1][1]] if si > 0 else ""
        li = _lead_in_index(text, sents, si)
        lead_text = text[sents[li][0]:sents[li][1]] if li is not None else ""
        lead_amounts = [(m.start - sents[li][0], m.end - sents[li][0]) for m in money
                        if li is not None and sents[li][0] <= m.start < sents[li][1]]
        refers_back = bool(_ANAPHOR_RE.match(st[_LEAD_RE.match(st).end():]))
        listing = kinds.enumerating_subject(st, targets[0][0])
        kinds_here: list[str] = []
        for k, i in enumerate(idxs):
            m, t = money[i], targets[k]
            others = targets[:k] + targets[k + 1:]
            cues = kind_cues if k else [c for c in kind_cues if c[2].value != "@previous"]
            cue = kinds.best_cue(cues, t, others, starts, shields=shields, clause_of=clause_of, text=st)
            if cue is None and _TOTALLING_RE.search(st, max(0, t[0] - 30), t[0]):
                # 'award ... grants for a period of twelve months from 1 April 2024 ..., totalling £452,228': a
                # total sums what the clause named before it, however far back
                cue = kinds.best_cue([c for c in cues if c[1] <= t[0] and not any(c[1] <= o[0] < t[0] for o in others)],
                                     t, others, starts, extra=-TOTAL_REACH, shields=shields, text=st)
            kind = cue.value if cue else None
            if kind == "@previous":
                kind = kinds_here[-1]
            if k and (cue is None or cue.weight <= PART_CUE_WEIGHT) and _part_of_previous(st, targets[k - 1], t, shields):
                kind = kinds_here[-1]
            if kind is None and k and _continues_list(st, targets[k - 1], t, kind_cues):
                kind = kinds_here[-1] if kinds_here[-1] != "other" else None
            listed = _is_list_item(st, t[0], t[1])
            if kind is None and listed and lead_text:
                kind = _lead_in_cue("kind", lead_text, lead_amounts)
            row = listed and len(idxs) == 1 and "\n" not in st.strip()
            if kind is None and row and row_kind and row_kind[0] == si - 1:
                kind = row_kind[1]   # a row of a list of rows: the kind of the row above
            if listing and t[0] >= listing[0] and (kind is None or kind in kinds.generic_kinds()):
                kind = listing[1]   # an item of what the subject names ('Other pressures include ...')
            if _per_unit(st, t[1]):
                kind = "rate"
            if (m.qualifier in kinds.BOUND_QUALIFIERS and _size_class(st, t[0])) \
                    or ((m.qualifier in kinds.SIZE_QUALIFIERS or m.high is not None) and _class_bound(st, t[0])):
                kind = "threshold"  # a size class, not an amount: 'Integrated Transport Schemes under £1m'
            if kind == VARIANCE:
                # a variance named without its direction ('rephasing of -£1.116m', 'previously reported
                # -£1.5m'): its sign says which
                kind = "underspend" if m.amount < 0 else "overspend"
            row_kind = (si, kind) if row and kind else None
            kinds_here.append(kind or "other")
            rcue = kinds.best_cue(rec_cues, t, others, starts)
            recurrence = (rcue.value or None) if rcue else None
            if recurrence is None and listed and lead_text:
                recurrence = _lead_in_cue("recurrence", lead_text, lead_amounts) or None
            decided, fy = years[k]
            basis = "text" if fy else None
            if not decided and refers_back and prev_text:
                prev_years = _sentence_years(prev_text, doc_year)
                if len(prev_years) == 1:
                    fy, basis = next(iter(prev_years)), "text"
                    decided = True
            if not decided:
                fy = _table_column_year(text, m.start)
                basis = "column" if fy else None
            facts[i] = {
                "start": m.start, "end": m.end, "amount_gbp": m.amount, "amount_gbp_high": m.high,
                "approximate": m.qualifier is not None, "qualifier": m.qualifier, "fiscal_year": fy,
                "year_basis": basis, "year_decided": decided or fy is not None,
                "kind": kinds_here[-1], "recurrence": recurrence, "sentence": " ".join(st.split()),
            }
    doc._.money_facts = [f for f in facts if f is not None]
    qfacts = []
    q_by_sent: dict[int, list[Quantity]] = {}
    for q in quantities:
        q_by_sent.setdefault(max(0, bisect_right(sent_starts, q.start) - 1), []).append(q)
    for si, qs in sorted(q_by_sent.items()):
        s0, s1 = sents[si]
        st = text[s0:s1]
        years = assign_years(st, [(q.start - s0, q.end - s0) for q in qs], doc_year)
        for q, (_, fy) in zip(qs, years):
            qfacts.append({"start": q.start, "end": q.end, "value": q.value, "unit": q.unit,
                           "fiscal_year": fy, "sentence": " ".join(st.split())})
    doc._.quantity_facts = qfacts
    return doc


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The process-wide pipeline (blank English, rule components only)."""
    nlp = spacy.blank("en")
    nlp.max_length = 5_000_000
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("money_sentences")
    nlp.add_pipe("money_matcher")
    nlp.add_pipe("quantity_matcher")
    nlp.add_pipe("money_context")
    return nlp


# --- tokenising a page at the speed of spaCy's cache ---------------------------------------------

TOKENIZER_CACHE = 200_000   # pieces spaCy's tokenizer may keep (its default, 10,000, fills within a corpus)
_PIECE_RE = re.compile(r"\S+")


class WarmTokenizer:
    """`nlp.make_doc(text)`, with spaCy's tokenizer cache filled first from the page's own pieces.

    The tokenizer splits a text at whitespace into pieces and keeps the tokens of each piece it had to
    split by its rules in a cache, but stops saving for the rest of a text once any piece has used a
    special case (spaCy issue 1250: a cached piece must not lose a special case's attributes); a
    newline is a special case, so on a page almost nothing is saved and almost every piece is split
    afresh, page after page. Here the pieces not seen before are tokenised first, together in one
    string (and again without those that used a special case, which stopped the saving), so every
    piece that needs no special case is cached, and the page itself then reads them from the cache.
    The tokens are spaCy's own: the cache holds exactly what its rules gave that piece, and a piece
    that uses a special case is never cached, so it is split by the rules as before."""

    def __init__(self, nlp: Language, limit: int = TOKENIZER_CACHE):
        self.nlp = nlp
        self.tokenizer = nlp.tokenizer
        self.limit = limit
        self.tokenizer.max_cache_size = max(self.tokenizer.max_cache_size, limit)
        self.seen: set[str] = set()
        self.specials = frozenset(self.tokenizer.rules)
        self.longest_special = max(map(len, self.specials), default=0)

    def _uses_special(self, tokens: list[str]) -> bool:
        """Whether some run of a piece's tokens spells a special case (how a special case shows in
        its tokens): such a piece was not cached, and stopped the saving for the pieces after it."""
        specials, longest = self.specials, self.longest_special
        for i in range(len(tokens)):
            s = ""
            for t in tokens[i:]:
                s += t
                if len(s) > longest:
                    break
                if s in specials:
                    return True
        return False

    def _tokenise(self, pieces: list[str]) -> list[str]:
        """Tokenise the pieces together; return those after the first that used a special case
        which used none themselves (they were not saved)."""
        if not pieces:
            return []
        text = " ".join(pieces)
        a = self.tokenizer(text).to_array([IDX, LENGTH])
        idx, length = (a.T.tolist() if len(a) else ([], []))
        length_at = dict(zip(idx, length))
        missed, stopped, pos = [], False, 0
        for piece in pieces:
            n = len(piece)
            if length_at.get(pos) == n:   # one token: the piece itself
                special = piece in self.specials
            else:
                k, tokens = bisect_left(idx, pos), []
                while k < len(idx) and idx[k] < pos + n:
                    tokens.append(text[idx[k]:idx[k] + length[k]])
                    k += 1
                special = self._uses_special(tokens)
            if special:
                stopped = True
            elif stopped:
                missed.append(piece)
            pos += n + 1
        return missed

    def warm(self, text: str) -> None:
        new = [p for p in dict.fromkeys(_PIECE_RE.findall(text)) if p not in self.seen]
        if not new:
            return
        if len(self.seen) + len(new) > self.limit // 2:   # keep room: a long run must not fill the cache
            self.tokenizer._flush_cache()
            self.seen.clear()
        # words and numbers first: a piece that stops the saving is almost always one with punctuation
        plain = [p for p in new if p.isalnum() and p not in self.specials]
        missed = self._tokenise(plain + [p for p in new if not p.isalnum() or p in self.specials])
        if missed:
            self._tokenise(missed)   # none of these uses a special case: all are saved
        self.seen.update(new)

    def __call__(self, text: str) -> Doc:
        self.warm(text)
        return self.nlp.make_doc(text)


@lru_cache(maxsize=1)
def get_make_doc() -> WarmTokenizer:
    """`get_nlp().make_doc`, faster on a run of pages (`WarmTokenizer`); the same tokens."""
    return WarmTokenizer(get_nlp())
