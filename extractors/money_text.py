"""Money and quantities in running text (issue 4).

One `money` row per mention of an amount (the same amount printed twice is two
rows), read by the shared spaCy pipeline (`pipeline.nlp`): the amount, exact, from
`pipeline.normalise.money`; its kind and recurrence from the rule table
(`pipeline/normalise/money_kinds.csv`); its fiscal year from the clause, sentence
or table column that states it. Non-money figures the pipeline recognises
(percentages, FTE, counts of staff, placements, ...) become `quantities` rows.

Ranges are ONE row: `amount_gbp` is the low end and `amount_gbp_high` the high end
('£2m-£3m' -> 2000000.00 / 3000000.00), so a range is never counted as two facts.

Only amounts marked as money ('£', 'GBP', 'pounds', or a scale word carried over
from a '£' in the same list) are read: bare figures in plan tables belong to the
table extractor, and years, dates, page numbers, phone numbers, references are
never money. Pages without any money or quantity marker skip spaCy altogether.

Relative years ('next year') resolve only against the document's own year, taken
from its title ('Revenue Budget 2025-26'), never from the meeting date.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from councilpapers.document import Document, span_row, text_windows
from councilpapers.ids import content_id
from councilpapers.normalise import kinds
from councilpapers.normalise.fiscal_year import find_year_mentions
from councilpapers.normalise.services import service_area_near
from councilpapers.registry import Output, extractor
from councilpapers.standing import opening
from councilpapers.structure import section_headings

_PRECHECK = re.compile(r"£|\bGBP\b|pounds|%|per\s?cent|\bFTE|\bWTE|time equivalent", re.I)


@lru_cache(maxsize=1)
def _count_noun_re() -> re.Pattern:
    """Any noun a count can end in ('12 agency staff'): a page without one and without a money or
    percentage marker has nothing for the pipeline, so spaCy never sees it."""
    nouns = sorted(kinds.unit_nouns(), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in nouns) + r")\b", re.I)


def worth_reading(text: str) -> bool:
    return bool(text) and (bool(_PRECHECK.search(text))
                           or (bool(re.search(r"\d", text)) and bool(_count_noun_re().search(text))))


def _one_year(text: str) -> str | None | bool:
    """The one financial year `text` names; False where it names several, or only a span of years."""
    mentions = find_year_mentions(text)
    years = {m.fy for m in mentions if m.how in ("explicit", "year_end") and m.fy}
    if len(years) > 1 or (not years and any(m.how == "range" for m in mentions)):
        return False
    return years.pop() if years else None


def doc_year(doc: Document) -> str | None:
    """The document's own financial year: the one its title states, else the one the cover of a
    paper of several pages (the opening lines of page 1) states alone ('Finance Monitoring Report
    ... 2024-25'), beside any span ('Revenue Budget 2025-26 and 2025-28 MTFP'); one naming only a
    span ('2025-26 to 2034-35', 'the 2025-28 Budget') is of several years, so of none. A one-page text or web page has no cover: its first lines are
    its body."""
    own = _one_year(doc.title or "")
    if own is False:
        return None
    if own or len(doc.pages) < 2:
        return own
    return _one_year(opening(doc.pages[0].text)) or None


def read_pages(doc: Document, year: str | None = None):
    """(page, offset, spaCy doc) for every page, or window of a long page (`text_windows`: a whole
    .txt or web page is one page), that could hold money or quantities; the spaCy doc holds the
    text from `offset` on, so its offsets plus `offset` are the page's. Lazily: only a batch of
    windows is tokenised at a time. `year` is the document's own (`doc_year`), for 'this year'."""
    from councilpapers.nlp import PRE_MATCHED, get_make_doc, get_nlp, text_matches

    nlp = get_nlp()
    make_doc = get_make_doc()   # nlp.make_doc, with the tokenizer's cache filled first

    def docs():
        for p in doc.pages:
            if not worth_reading(p.text):
                continue
            for a, b in text_windows(p.text):
                text = p.text[a:b]  # the whole page when it fits one window (no copy)
                # the amounts and quantities come from the text alone: a page with none gives no rows,
                # so it is never tokenised (about a third of the pages that pass the pre-check)
                found = text_matches(text)
                if not found[0] and not found[2]:
                    continue
                d = make_doc(text)
                d.user_data["text"] = text   # what `doc.text` rebuilds from the tokens (spaCy is lossless)
                d.user_data[PRE_MATCHED] = found
                d._.doc_year = year
                yield d, (p, a)

    return ((p, a, d) for d, (p, a) in nlp.pipe(docs(), as_tuples=True, batch_size=16))


def plan_row_years(lines: list[dict]) -> dict[int, list[tuple[str, frozenset]]]:
    """Per page, the text cells of each plan-table line (its title and other cells, spaces squeezed) and the
    years it has figures in: a line is one row of the table."""
    rows: dict[tuple, list] = {}
    for ln in lines:
        if ln.get("row_kind") != "line":
            continue
        row = rows.setdefault((ln["page"], ln["table_id"], ln["row_index"]),
                              [" ".join(f"{ln.get('title') or ''} {ln.get('attributes') or ''}".split()), set()])
        if ln.get("fiscal_year") and ln.get("amount_gbp"):
            row[1].add(ln["fiscal_year"])
    out: dict[int, list] = {}
    for (page, _t, _r), (text, years) in sorted(rows.items()):
        out.setdefault(page, []).append((text, frozenset(years)))
    return out


ROW_CONTEXT_WORDS = 3  # words before an amount that find it in a table line's text


def row_year(rows: list | None, text: str, s: int, e: int) -> str | None:
    """The year of a plan-table line an amount is printed in (its description: 'The impact of this change is
    ... a change of only £796.5k in our spending capacity' in a row with figures in 2025-26 alone), when
    exactly one line on the page prints those words and it has figures in exactly one year."""
    if not rows:
        return None
    words = text[max(0, s - 120):s].split()[-ROW_CONTEXT_WORDS:]
    needle = " ".join(words + text[s:e].split())
    found = {years for cells, years in rows if needle in cells}
    if len(found) != 1:
        return None
    years = next(iter(found))
    return next(iter(years)) if len(years) == 1 else None


# where a sentence, a paragraph or a list item ends
_SENTENCE_END_RE = re.compile(r"[.;!?:][)\]\"'’”]*(?=\s|$)|\n[ \t]*\n|\n(?=[ \t]*[•·●▪\-*])")
# the last word is letters only, or a clause runs on past a comma: not a figure, a heading number or a date
_CUT_END_RE = re.compile(r"(?:(?<![\w£$.,/-])[A-Za-z][A-Za-z'’-]*|,)\s*$")


def cut_tail(doc: Document) -> tuple[int, int] | None:
    """(page, offset) where a web excerpt's last, unfinished sentence starts, when the text stops in the middle of
    a word or clause ('... of which £0.644m of corporate funded projec'): what that sentence says of its amounts
    is cut off, so they are not read, as the decision extractors keep only the complete sentences of a cut item."""
    if doc.format not in ("html", "txt") or not doc.pages:
        return None
    last = doc.pages[-1]
    if not _CUT_END_RE.search(last.text):
        return None
    ends = list(_SENTENCE_END_RE.finditer(last.text))
    return (last.number, ends[-1].end()) if ends else None   # no sentence ends: a fragment, not an excerpt


@extractor("money_text", tables=("money", "quantities"), order=40)
def extract_money(doc: Document, out: Output) -> None:
    title_kind = kinds.heading_kind(doc.title)
    year = doc_year(doc)
    headings = section_headings(doc)
    at = [(p, s) for p, s, _ in headings]
    rows_by_page = plan_row_years(out.found("plan_lines"))
    cut = cut_tail(doc)
    for page, offset, sdoc in read_pages(doc, year):
        for f in sdoc._.money_facts or []:
            s, e = f["start"] + offset, f["end"] + offset
            if cut and (page.number, s) >= cut:
                out.problem("money_in_cut_sentence", f"'{page.text[s:e]}' is in the sentence the excerpt stops in the "
                            "middle of; not read as money", page=page.number, severity="info")
                continue
            k = bisect_right(at, (page.number, s)) - 1
            heading = headings[k][2] if k >= 0 else None
            if f["kind"] == "other":
                # what an amount is when its sentence says nothing: what the heading of its section,
                # else the document's title, names with a specific cue ('6 Community Grant Applications'
                # -> grant for the rows 'Vesey £600' under it); a page's running text is no title
                f["kind"] = kinds.heading_kind(heading) or title_kind or "other"
            if not f["year_decided"]:
                # the year its sentence does not give: the one its section's heading names, else the
                # paper's own, but not for a bound ('none of which are over £1m', 'invested more than
                # £29.9m since 2020': a threshold or a running total, not money of the year) nor for a
                # threshold ('the £200m liquidity allowance') (docs/labelling.md, fiscal_year rules 2 and 3)
                in_heading = _one_year(heading) if heading else None
                in_row = row_year(rows_by_page.get(page.number), page.text, s, e)
                if in_row:
                    f["fiscal_year"], f["year_basis"] = in_row, "column"
                elif in_heading:
                    f["fiscal_year"], f["year_basis"] = in_heading, "heading"
                elif year and f["qualifier"] not in kinds.BOUND_QUALIFIERS and f["kind"] != "threshold" \
                        and in_heading is None:
                    f["fiscal_year"], f["year_basis"] = year, "document"
            out.add("money", fact_id=content_id(doc.doc_id, "money", page.number, s, e), doc_id=doc.doc_id,
                    amount_gbp=f["amount_gbp"], amount_gbp_high=f["amount_gbp_high"],
                    approximate=f["approximate"], qualifier=f["qualifier"], fiscal_year=f["fiscal_year"],
                    fiscal_year_basis=f["year_basis"], kind=f["kind"], recurrence=f["recurrence"], sentence=f["sentence"], **span_row(page, s, e),
                    service_area=service_area_near(f["sentence"], f["sentence"].find(" ".join(page.text[s:e].split()))))
        for m in sdoc._.money_unclear or []:
            out.problem("money_unit_unclear", f"'{m.raw(sdoc.user_data['text'])}' has no unit and cannot be pounds and pence; "
                        "the text around it states no single unit, so it was read as pounds", page=page.number)
        for q in sdoc._.quantity_facts or []:
            s, e = q["start"] + offset, q["end"] + offset
            out.add("quantities", fact_id=content_id(doc.doc_id, "quantities", page.number, s, e),
                    doc_id=doc.doc_id, value=q["value"], unit=q["unit"], fiscal_year=q["fiscal_year"],
                    sentence=q["sentence"], **span_row(page, s, e))
