"""Standing of a document and of its tables: adopted, proposed, amendment, alternative, monitoring,
rejected (and `reprint`, set on a table found printed again elsewhere; see pipeline.linking).

Read from the paper's own words with the vocabulary `pipeline/vocab/standings.csv`: the title and the
opening lines of the first page for a document, the title lines above a table (and the top of its
page) for a table. A table with no words of its own takes its document's standing. What the run's
decisions say (an amendment lost, an appendix approved) is applied later, across documents, by
`pipeline.linking.link_standing`.
"""
from __future__ import annotations

import re

from .vocab import patterns

OPENING_LINES = 15  # a document's title zone: its title and the first lines of page 1
# the group a party paper is from: 'LABOUR GROUP ALTERNATIVE BUDGET', "the Labour Group's Alternative Budget"
_GROUP = re.compile(r"\b((?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s+group(?:['’]s)?\s+(?:alternative|amendment|budget)",
                    re.I)
_NOT_GROUP = {"the", "a", "an", "by", "of", "and", "to", "in", "with", "line", "for", "from", "political", "working",
              "all", "budget", "appendix"}


def standing_of(text: str | None) -> str | None:
    """The first standing whose wording `text` prints, or None."""
    for rx, row in patterns("standings", flags=re.I):
        if rx.search(text or ""):
            return row["standing"]
    return None


def document_standing(title: str | None, first_page: str | None) -> str | None:
    """A document's standing from its title and the opening lines of its first page."""
    return standing_of(" ".join([title or "", opening(first_page)]))


def opening(page_text: str | None, lines: int = OPENING_LINES) -> str:
    """The first `lines` non-empty lines of a page, joined by spaces (a title wraps over lines)."""
    text, chunk = page_text or "", 4096
    while True:  # a growing prefix, not a split of the whole page (a 50 MB text is one page)
        kept = [ln.strip() for ln in text[:chunk].splitlines() if ln.strip()]
        if len(kept) > lines or chunk >= len(text):  # the last line of a prefix may be cut: never used
            return " ".join(kept[:lines])
        chunk *= 4


def group_of(text: str | None) -> frozenset[str]:
    """The political group a paper or an amendment is from, as lower-case words ('labour'), or empty."""
    m = _GROUP.search(text or "")
    if not m:
        return frozenset()
    return frozenset(w for w in m.group(1).lower().split() if w not in _NOT_GROUP)
