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
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .normalise import kinds
from .normalise.fiscal_year import find_fiscal_years, find_year_mentions
from .normalise.money import MoneyMatch, find_money, tabular

for _name in ("money", "quantities", "money_facts", "quantity_facts", "doc_year"):
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

@Language.component("money_sentences")
def money_sentences(doc: Doc) -> Doc:
    for i, tok in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if prev.is_space and ("\t" in prev.text or prev.text.count("\n") >= 2):
            tok.is_sent_start = True
        elif "\t" in prev.whitespace_ or (prev.is_space and "\n" in prev.text and tok.text[:1] in BULLETS):
            tok.is_sent_start = True
        elif tok.is_sent_start and prev.text == "." and i >= 2 and doc[i - 2].lower_ in _NO_BREAK_AFTER \
                and not doc[i - 2].whitespace_:
            tok.is_sent_start = False
        elif tok.is_sent_start and not prev.is_space and (tok.text[:1].islower() or tok.text[:1] == "£") \
                and prev.text in (".",) and i >= 2 and len(doc[i - 2].text) <= 6:
            tok.is_sent_start = False
    return doc


@Language.component("money_matcher")
def money_matcher(doc: Doc) -> Doc:
    found = find_money(doc.text)
    side_by_side = tabular(doc.text, found)
    found = [m for i, m in enumerate(found) if i not in side_by_side]
    doc._.money = found
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
    percent = re.compile(rf"(?<![\d.,£/])(?P<num>(?:(?<![\w-])[-−])?{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.I)
    fte = re.compile(rf"(?<![\d.,£/])(?P<num>{_NUM})\s?(?P<unit>FTEs?|WTEs?|full[- ]time\s+equivalents?|whole[- ]time\s+equivalents?)\b", re.I)
    count = re.compile(rf"(?<![\d.,£/:-])(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+) +(?P<unit>(?:{stop}[A-Za-z][\w'-]*[ \n]+){{0,3}}?{noun})(?![\w'’-])", re.I)
    from_to = re.compile(rf"(?P<unit>(?:[A-Za-z][\w'-]*\s+)?{noun})(?![\w'’-])\s+from\s+(?P<a>\d+)(?:\s*\([^)]{{0,20}}\))?\s+to\s+(?P<b>\d+)\b(?!\s*(?:%|per\s?cent|[A-Za-z]))", re.I)
    return percent, fte, count, from_to


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
        taken.append((s, e))
        out.append(Quantity(s, e, Decimal(num.replace(",", "").replace("−", "-")), unit))

    for m in percent.finditer(text):
        add(m.start(), m.end(), m.group("num"), "percent")
    for m in fte.finditer(text):
        add(m.start(), m.end(), m.group("num"), "FTE")
    for m in from_to.finditer(text):
        unit = " ".join(m.group("unit").lower().split())
        add(m.start("a"), m.end("a"), m.group("a"), unit)
        add(m.start("b"), m.end("b"), m.group("b"), unit)
    for m in count.finditer(text):
        add(m.start(), m.end(), m.group("num"), " ".join(m.group("unit").lower().split()))
    return sorted(out, key=lambda q: (q.start, q.end))


@Language.component("quantity_matcher")
def quantity_matcher(doc: Doc) -> Doc:
    doc._.quantities = find_quantities(doc.text, doc._.money or [])
    return doc


# --- context: sentence, kind, recurrence, fiscal year ------------------------------------------

def _clause_breaks(text: str) -> list[int]:
    return [m.start() for m in _CLAUSE_BREAK_RE.finditer(text)]


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def assign_years(text: str, targets: list[tuple[int, int]], doc_year: str | None = None
                 ) -> list[tuple[bool, str | None]]:
    """For each target span in one sentence: (decided, fiscal year). A year mention belongs to
    the nearest target in its clause; a target with none of its own takes the sentence's
    unclaimed year (decided=False means the sentence said nothing about it)."""
    mentions = find_year_mentions(text, doc_year)
    if not mentions:
        return [(False, None)] * len(targets)
    breaks = _clause_breaks(text)
    clause = lambda pos: bisect_right(breaks, pos)  # noqa: E731
    owner: dict[int, int] = {}
    for mi, m in enumerate(mentions):
        same = [ti for ti, t in enumerate(targets) if clause(t[0]) == clause(m.start)]
        if same:
            owner[mi] = min(same, key=lambda ti: (_gap(targets[ti], (m.start, m.end)), ti))
    free = [m for mi, m in enumerate(mentions) if mi not in owner and m.fy]
    out = []
    for ti, t in enumerate(targets):
        own = [mentions[mi] for mi, o in owner.items() if o == ti]
        if own:
            out.append((True, min(own, key=lambda m: (_gap(t, (m.start, m.end)), m.start)).fy))
        elif free:
            if len({m.fy for m in free}) == 1:
                out.append((True, free[0].fy))
            else:
                out.append((True, min(free, key=lambda m: (_gap(t, (m.start, m.end)), m.start)).fy))
        else:
            out.append((False, None))
    return out


def _sentence_years(text: str, doc_year: str | None) -> set[str]:
    return {m.fy for m in find_year_mentions(text, doc_year) if m.fy}


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


def _is_list_item(sent_text: str, rel_start: int) -> bool:
    head = sent_text[:rel_start]
    return bool(head.strip() == "" or head.lstrip()[:1] in BULLETS or _LEAD_RE.fullmatch(head))


def _lead_in_index(text: str, sents: list[tuple[int, int]], si: int) -> int | None:
    """The sentence that introduces the list sentence `si` belongs to: the nearest one before it
    (within a few) that announces a list ('the following ...', ending in ':'), else the one before."""
    for j in range(si - 1, max(-1, si - 7), -1):
        st = text[sents[j][0]:sents[j][1]].rstrip()
        if st.endswith(":") or _FOLLOWING_RE.search(st):
            return j
    return si - 1 if si > 0 else None


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
    text = doc.text
    sents = [(s.start_char, s.end_char) for s in doc.sents if not s.text.isspace()] or [(0, len(text))]
    sent_starts = [s for s, _ in sents]
    money = doc._.money or []
    quantities = doc._.quantities or []
    doc_year = doc._.doc_year
    by_sent: dict[int, list[int]] = {}
    for i, m in enumerate(money):
        by_sent.setdefault(max(0, bisect_right(sent_starts, m.start) - 1), []).append(i)
    facts: list[dict | None] = [None] * len(money)
    for si, idxs in sorted(by_sent.items()):
        s0, s1 = sents[si]
        st = text[s0:s1]
        targets = [(money[i].start - s0, money[i].end - s0) for i in idxs]
        years = assign_years(st, targets, doc_year)
        kind_cues = kinds.find_cues("kind", st)
        rec_cues = kinds.find_cues("recurrence", st)
        starts = kinds.word_starts(st)
        prev_text = text[sents[si - 1][0]:sents[si - 1][1]] if si > 0 else ""
        li = _lead_in_index(text, sents, si)
        lead_text = text[sents[li][0]:sents[li][1]] if li is not None else ""
        lead_amounts = [(m.start - sents[li][0], m.end - sents[li][0]) for m in money
                        if li is not None and sents[li][0] <= m.start < sents[li][1]]
        refers_back = bool(_ANAPHOR_RE.match(st[_LEAD_RE.match(st).end():]))
        kinds_here: list[str] = []
        for k, i in enumerate(idxs):
            m, t = money[i], targets[k]
            others = targets[:k] + targets[k + 1:]
            cues = kind_cues if k else [c for c in kind_cues if c[2].value != "@previous"]
            cue = kinds.best_cue(cues, t, others, starts)
            kind = cue.value if cue else None
            if kind == "@previous":
                kind = kinds_here[-1]
            listed = _is_list_item(st, t[0])
            if kind is None and listed and lead_text:
                kind = _lead_in_cue("kind", lead_text, lead_amounts)
            kinds_here.append(kind or "other")
            rcue = kinds.best_cue(rec_cues, t, others, starts)
            recurrence = (rcue.value or None) if rcue else None
            if recurrence is None and listed and lead_text:
                recurrence = _lead_in_cue("recurrence", lead_text, lead_amounts) or None
            decided, fy = years[k]
            if not decided and refers_back and prev_text:
                prev_years = _sentence_years(prev_text, doc_year)
                if len(prev_years) == 1:
                    fy = next(iter(prev_years))
                    decided = True
            if not decided:
                fy = _table_column_year(text, m.start)
            facts[i] = {
                "start": m.start, "end": m.end, "amount_gbp": m.amount, "amount_gbp_high": m.high,
                "approximate": m.qualifier is not None, "qualifier": m.qualifier, "fiscal_year": fy,
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
