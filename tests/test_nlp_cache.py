"""Shortcuts in the money reader that must not change what it reads: the tokenizer's cache filled from
each page (`nlp.WarmTokenizer`), the from-to count tried only before a ' from <digit>', the fiscal-year
patterns' look-aheads. Each is checked against the plain way on real corpus text and on made-up text."""
from __future__ import annotations

import random
import re

import pytest
import spacy
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, LOWER, NORM, ORTH, SHAPE, SPACY

from councilpapers import nlp
from councilpapers.normalise import fiscal_year

from .conftest import SHARED

CORPUS_PDF = SHARED / "corpus" / "pdf"
SEEDS = SHARED / "seeds"
ATTRS = [ORTH, NORM, LOWER, SHAPE, IDX, LENGTH, SPACY, IS_SPACE, IS_PUNCT]

MADE_UP = [
    "", " ", "\n", "  \n\n  ", "Mr. Smith's report (e.g. £2.5m.) wasn't ready :) — see 2024—25.\n\nThe Council’s plan",
    "don't can't I'm we'll y'all Dec. a.m. St. Paul's  \t tabs\tand\xa0nbsp \n Children’s £3.0m), (£1.1m).",
    "end with space ", " starts with space", "’s 's ’’ '' -- ... …", "cannot gonna Im id em ll",
]


def _texts(limit_files: int = 6) -> list[str]:
    from councilpapers.load import load_file
    out = list(MADE_UP)
    for folder, pattern in ((CORPUS_PDF, "*.pdf"), (SEEDS, "*.txt")):
        for path in sorted(folder.glob(pattern))[:limit_files]:
            try:
                doc = load_file(path)
            except Exception:   # a scanned PDF has no text layer
                continue
            out += [p.text for p in doc.pages]
    return out


@pytest.fixture(scope="module")
def texts():
    return _texts()


def test_warm_tokenizer_gives_spacys_tokens(texts):
    plain = spacy.blank("en")
    plain.max_length = 5_000_000
    warm = nlp.WarmTokenizer(nlp.get_nlp())
    for text in texts + texts:   # the second time round every piece is in the cache
        a, b = plain.make_doc(text), warm(text)
        assert b.text == text
        assert (a.to_array(ATTRS) == b.to_array(ATTRS)).all(), text[:200]


def test_warm_tokenizer_keeps_room_in_the_cache(texts):
    warm = nlp.WarmTokenizer(spacy.blank("en"), limit=2_000)
    plain = spacy.blank("en")
    for text in texts:
        assert (plain.make_doc(text).to_array(ATTRS) == warm(text).to_array(ATTRS)).all()
        assert len(warm.seen) <= 1_000 or len(set(text.split())) > 1_000


def _from_to_plain(text: str) -> list:
    from_to = nlp._quantity_res()[3]
    return [(m.span(), m.groupdict()) for m in (from_to.finditer(text) if nlp._FROM_NUMBER_RE.search(text) else ())]


def _from_to_fast(text: str) -> list:
    return [(m.span(), m.groupdict()) for m in nlp._from_to_matches(nlp._quantity_res()[3], text)]


def test_from_to_counts_found_as_by_the_whole_scan(texts):
    for text in texts:
        assert _from_to_fast(text) == _from_to_plain(text)
    rnd = random.Random(16)
    words = ["staff", "from", "12", "to", "15", "agency", "children", "places", "(3)", "FTE", "families", "-", "’",
             "'", "\n", "  ", "beds", "from 3 to 4", "rose", "homes", "x", ".", ",", "5", "from12", "social worker",
             "posts", "FROM"]
    for _ in range(5_000):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 30)))
        assert _from_to_fast(text) == _from_to_plain(text), text
    assert _from_to_fast("foster placements from 12 to 15 and agency staff from 3 (three) to 4") == \
        _from_to_plain("foster placements from 12 to 15 and agency staff from 3 (three) to 4") != []


@pytest.mark.parametrize("name, ahead", [("_FY_RE", r"(?=[\dF])"), ("_FY_SINGLE_RE", "(?=F)"),
                                         ("_FY_WORDS_RE", "(?=[f12])")])
def test_fiscal_year_look_aheads_change_no_match(texts, name, ahead):
    fast = getattr(fiscal_year, name)
    assert fast.pattern.startswith(ahead)
    plain = re.compile(fast.pattern[len(ahead):], fast.flags)
    extra = ["FY24 fy 2024 Fy2023/24 FY 23/24", "financial year 2024 to 2025; 2024 to 2025 Financial Year", "1999-00"]
    for text in texts + extra:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)]


def test_sentence_edges_read_only_where_a_rule_can_apply(texts, monkeypatch):
    """`money_sentences` visits only the tokens `_edge_candidates` names; visiting every token gives the
    same sentence starts."""
    from spacy.attrs import SENT_START
    pipe = nlp.get_nlp()
    sentencizer = pipe.get_pipe("sentencizer")

    def edges(text):
        doc = pipe.make_doc(text)
        doc.user_data["text"] = text
        return nlp.money_sentences(sentencizer(doc)).to_array([SENT_START]).tolist()

    made_up = ["a\tb", "x.\tY", "Mr.\t£5", "\t\tA", "end\t", "A. b\t. c", "Total\t£5m\n\nNext. the £3m.\n• item"]
    fast = [edges(t) for t in texts + made_up]
    monkeypatch.setattr(nlp, "_edge_candidates", lambda text, a, idx, length: range(1, len(idx)))
    assert [edges(t) for t in texts + made_up] == fast
