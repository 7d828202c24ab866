"""The labelled sample (issue 13): the pipeline's answers for rows a reader judged against their pages.

Fails when the answer for any judged row changes (re-pin after a deliberate change, see
tests/labelled/sample.py) and when a score falls below the pinned one, so accuracy only ratchets up."""
from __future__ import annotations

import json

import pytest

from .conftest import requires_corpus
from .labelled.sample import PINNED, answers, judged, score

pytestmark = requires_corpus()


@pytest.fixture(scope="module")
def found(corpus_run):
    return answers(corpus_run[0])


def test_the_sample_is_judged_and_large_enough():
    money, plan = judged("money"), judged("plan")
    assert len([r for r in money if r["true_amount_gbp"]]) >= 100
    assert len([r for r in plan if r["true_amount_gbp"]]) >= 60


def test_no_judged_answer_changed(found):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))["answers"]
    changed = [(name, i, judged(name)[i].get("raw_text") or judged(name)[i].get("row_title"), was, now)
               for name in pinned for i, (was, now) in enumerate(zip(pinned[name], found[name])) if was != now]
    assert not changed, "answers for judged rows changed (re-pin if intended):\n" + "\n".join(map(str, changed))


def test_scores_do_not_fall(found):
    pinned = json.loads(PINNED.read_text(encoding="utf-8"))["scores"]
    now = score(found)
    fallen = [(t, f, pinned[t][f], now[t][f]) for t in pinned for f in pinned[t] if now[t][f] < pinned[t][f]]
    assert not fallen, fallen
