"""Money normaliser: text -> exact pounds (Decimal, never float).

Two entry points, both pure:

- `normalise_money(span, scale=None)` reads ONE printed amount ('£4.462 million',
  'c. £7m', '(£1.2m)', '£2-3m', '(409)' under a '£000' heading) -> `MoneyValue`.
- `find_money(text)` finds every amount in running text -> `MoneyMatch`es with
  character offsets, so callers keep exact provenance.

What counts as money in running text: a figure marked as pounds ('£', 'GBP',
'... pounds'), or a figure with a scale word ('3.5 million') carried over from a
'£' amount earlier in the same list ('£2m and 3.5 million'). Bare figures are
never money in running text (years, dates, page numbers, phone numbers,
'Section 114', 'PDF 182 KB', percentages, FTE, counts); bare figures under a
table unit heading ('£000', '£000's', "£'000", '£k', '£m') are read by
`parse_cell`/`normalise_money(..., scale=...)` for the table extractor.

Ranges ('£2m-£3m', '£2-3m', 'between £2m and £3m', '£2m to £3m' unless after
'from') are ONE match with `amount` (low) and `high`. Qualifiers before an amount
('c.', 'circa', 'approximately', 'around', 'up to', 'over', 'at least', 'under',
...) are part of the match and set `qualifier` (normalised name). A minus sign
touching the '£' ('-£500k') or brackets wrapping the amount where they are not
a parenthesis in prose ('(£1.2m)' after a tab, colon or line start) make it
negative.

`parse_cell` and `unit_scale` are the stable API for table cells and headers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from .kinds import qualifier_table

UNIT_SCALES = {
    "£": Decimal(1), "£000": Decimal(1000), "£000s": Decimal(1000), "£000's": Decimal(1000),
    "£'000": Decimal(1000), "£'000s": Decimal(1000), "£k": Decimal(1000), "£m": Decimal(1000000),
    "£'m": Decimal(1000000), "£bn": Decimal(1000000000),
}
_UNIT_RE = re.compile(r"£\s*'?\s*(000'?s?|k|m|bn|million|thousand)?\b", re.I)
_UNIT_LABEL_RE = re.compile(r"^£\s*'?\s*(?:000'?s?|k|m|bn)$", re.I)  # a column's unit, not a figure
_CELL_RE = re.compile(r"^\(?\s*([-–−+])?\s*£?\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([km]|bn|m?illion)?\s*\)?$", re.I)

CENT = Decimal("0.01")
THOUSAND, MILLION, BILLION = Decimal(1000), Decimal(1000000), Decimal(1000000000)

# Scale words after a figure, longest first; each must not run on into a word ('£5 more').
SCALE_WORDS = {
    "billion": BILLION, "bn": BILLION, "b": BILLION,
    "million": MILLION, "millions": MILLION, "mill": MILLION, "mil": MILLION, "mn": MILLION, "m": MILLION,
    "thousand": THOUSAND, "k": THOUSAND,
}
# Qualifier phrases before an amount -> normalised qualifier (schema: circa, approximately,
# around, up_to, over, at_least, under): the `qualifier` rows of money_kinds.csv.
QUALIFIERS = qualifier_table()

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_SCALE = r"(?:billion|bn|millions|million|mill|mil|mn|m|b|thousand|k)(?![a-z0-9])"
# the look-ahead (the characters an amount can start with) changes no match; it makes the scan
# over the letters of a page one test per position
_AMOUNT_RE = re.compile(
    rf"(?=[£GU\d.])(?:(?P<cur>£|\bGBP\b|\bUKP\b)\s?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}))?(?:\s+(?P<pounds>pounds)\b)?"
    rf"|(?<![\d.,£])(?P<wnum>{_NUM})\s?(?P<wscale>{_SCALE})?\s*(?P<wpounds>pounds(?:\s+sterling)?)\b)",
    re.I)
_QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(]))(?P<q>" + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")\s*(?:of\s+)?\+?$", re.I)
# After an amount: a range's high end, '£2m-£3m', '£2-3m', '£2m to £3m'
_RANGE_RE = re.compile(
    rf"\s?(?P<sep>-|–|—|\bto\b)\s?(?P<cur>£\s?)?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}))?", re.I)
# After an amount: a list item that carries its currency over, '£2m and 3.5 million'
_CARRY_RE = re.compile(
    rf"(?P<sep>\s*(?:,\s*(?:and|or)?|and|or|/|then|rising to|falling to|increasing to|reducing to|to)\s*)"
    rf"(?P<num>{_NUM})\s?(?P<scale>{_SCALE})", re.I)
_FROM_BEFORE_RE = re.compile(r"\bfrom\s*$", re.I)
_BETWEEN_BEFORE_RE = re.compile(r"\bbetween\s*$", re.I)
_BETWEEN_AND_RE = re.compile(rf"\s+and\s+(?P<cur>£\s?)?(?P<num>{_NUM})(?:\s?(?P<scale>{_SCALE}))?", re.I)
_UNIT_MARKER_RE = re.compile(r"^0{3}(?:'?s)?$|^0{3}$")
# '£265,77m': a decimal comma typed for a point (never a thousands group: those have 3 digits)
_DECIMAL_COMMA_RE = re.compile(rf",(?P<dec>\d{{1,2}})\s?(?P<scale>{_SCALE})", re.I)
# Unit context of a page: headings ('£m', "£'000", 'All figures in £000s') and scaled '£' amounts
_UNIT_MARK_RE = re.compile(r"£\s?'?\s?(?P<u>000'?s?|m|k|bn)(?![\w'])|\((?P<w>millions?|thousands?)\)", re.I)
_UNIT_SCALES = {"m": MILLION, "k": THOUSAND, "bn": BILLION, "million": MILLION, "millions": MILLION,
                "thousand": THOUSAND, "thousands": THOUSAND}
_CONTEXT_WINDOWS = ("line", 400, None)   # nearest first; the first window holding any unit decides
_COUNT_AFTER_RE = re.compile(r"\s*(?:people|residents|children|pupils|households|homes|visitors|users|staff)\b", re.I)


@dataclass(frozen=True)
class MoneyValue:
    """One printed amount, normalised."""
    amount: Decimal                 # pounds, 2 dp; low end of a range
    high: Decimal | None = None     # high end of a range
    qualifier: str | None = None
    scale_word: str | None = None   # 'm', 'million', 'k', ... as printed (lower case)

    @property
    def approximate(self) -> bool:
        return self.qualifier is not None


@dataclass(frozen=True)
class MoneyMatch(MoneyValue):
    """An amount found in running text: offsets into the text searched (end exclusive)."""
    start: int = 0
    end: int = 0
    carried: bool = False           # currency carried over from an earlier '£' in a list

    def raw(self, text: str) -> str:
        return text[self.start:self.end]


def to_decimal(num: str) -> Decimal | None:
    """A printed number ('1,234.5', '−3') as an exact Decimal; None when it is not one."""
    try:
        return Decimal(num.replace(",", "").replace("\u2212", "-"))
    except InvalidOperation:
        return None


def _scale_of(word: str | None) -> Decimal:
    return SCALE_WORDS[word.lower()] if word else Decimal(1)


def _pounds(value: Decimal, scale: Decimal) -> Decimal:
    return (value * scale).quantize(CENT)


def unit_scale(text: str) -> tuple[str, Decimal] | None:
    """Find a unit marker (£000, £'000, £000's, £k, £m, £) in header text: (unit as printed, scale)."""
    m = _UNIT_RE.search(text or "")
    if not m:
        return None
    raw = m.group(0).strip()
    suffix = (m.group(1) or "").lower()
    if suffix.startswith("000") or suffix in ("k", "thousand"):
        return raw, Decimal(1000)
    if suffix in ("m", "million"):
        return raw, Decimal(1000000)
    if suffix == "bn":
        return raw, Decimal(1000000000)
    return raw, Decimal(1)


def parse_cell(text: str, scale: Decimal = Decimal(1)) -> Decimal | None:
    """A table cell's figure in pounds: '1,061' at scale 1000 -> 1061000; '(409)' -> -409000;
    '-' or '' -> None. Returns None for anything that is not a plain figure."""
    t = (text or "").strip().replace("\u2212", "-")
    if t in ("", "-", "–", "—", "nil", "Nil", "n/a", "N/A"):
        return None
    if _UNIT_LABEL_RE.match(t):
        return None
    m = _CELL_RE.match(t)
    if not m:
        return None
    try:
        value = Decimal(m.group(2).replace(",", ""))
    except InvalidOperation:
        return None
    suffix = (m.group(3) or "").lower()
    if suffix == "k":
        value *= 1000
    elif suffix in ("m", "million", "illion"):
        value *= 1000000
    elif suffix == "bn":
        value *= 1000000000
    else:
        value *= scale
    negative = m.group(1) in ("-", "–", "−") or (t.startswith("(") and t.endswith(")"))
    value = -value if negative else value
    return value.quantize(Decimal("0.01"))


_MINUS_WORD_RE = re.compile(r"(?:^|[\s(])(?:of|by|at|is|was|be|to|are|were)\s$|\(\s*$", re.I)


def _negative_at(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Widen (start, end) over a minus sign or wrapping brackets that make the amount negative:
    '-£500k' (minus touching), 'of - £5m' / '(- £0.5m)' (spaced minus after a verb or bracket,
    not a dash between words), a minus ending the line before ('Home Care (-' / '£0.5m)'), '(£1.2m)' where the brackets are not a parenthesis in prose
    (after a tab, line start, colon, figure or bracket; not after a word)."""
    s = start
    if s > 0 and text[s - 1] in "-−" and (s < 2 or not text[s - 2].isalnum()):
        return s - 1, end, True
    if s > 1 and text[s - 1] == " " and text[s - 2] in "-−" and (s < 3 or text[s - 3] in " (") \
            and (s == 2 or _MINUS_WORD_RE.search(text[max(0, s - 10):s - 2])):
        return s - 2, end, True
    if s > 2 and text[s - 1] == "\n" and text[s - 2] in "-−" and (
            text[s - 3] == "(" or (text[s - 3] == " " and _MINUS_WORD_RE.search(text[max(0, s - 11):s - 2]))):
        # a minus wrapped onto the line before: 'Home Care (-' / '£0.5m)', 'an underspend of -' / '£5m';
        # not 'Trinity Ward -' / '£1,250', a dash between a label and its amount
        return s - 2, end, True
    if s > 0 and text[s - 1] == "(" and end < len(text) and text[end] == ")":
        before = text[max(0, s - 200):s - 1].rstrip(" ")  # a window, not a copy of the page per amount
        if before.endswith("\t"):
            return s - 1, end + 1, True
        before = before.rstrip()
        if not before or before[-1] in ":|=)" or before[-1].isdigit():
            return s - 1, end + 1, True
    return start, end, False


def _is_range(text: str, start: int, r: re.Match, scale_word: str | None) -> bool:
    """Whether '<amount><sep><figure>' is one range, not a change ('from £5m to £3m') or a list."""
    marked = bool(r.group("cur") or r.group("scale"))
    sep_at = r.start("sep")
    if r.group("sep") in "-−" and text[sep_at - 1:sep_at].isspace() and not text[sep_at + 1:sep_at + 2].isspace():
        return False  # '£2.56m -£10m': a second, negative figure
    if r.group("sep").lower() == "to":
        return marked and not _FROM_BEFORE_RE.search(text[max(0, start - 12):start])
    if scale_word and not marked:
        return False  # '£2m - 2023/24'
    after = text[r.end():r.end() + 1]
    if not marked and (after in "/-–" and after or re.fullmatch(r"(?:19|20)\d\d", r.group("num"))):
        return False  # '£500 - 2023/24', '£500-2024'
    return True


def find_money(text: str) -> list[MoneyMatch]:
    """Every amount of money in running text, in text order (see module docstring)."""
    out: list[MoneyMatch] = []
    pos = 0
    n = len(text)
    while True:
        m = _AMOUNT_RE.search(text, pos)
        if not m:
            break
        pos = m.end()
        if m.group("cur"):
            num, scale_word = m.group("num"), m.group("scale")
        else:
            num, scale_word = m.group("wnum"), m.group("wscale")
        if _UNIT_MARKER_RE.match(num) and not scale_word:
            continue  # '£000', "£000's": a unit heading, not an amount
        value = to_decimal(num)
        if value is None:
            continue
        start, end = m.start(), m.end()
        if m.group("cur") and not m.group("pounds") and scale_word is None and end < n and text[end] == "'":
            continue
        if m.group("cur") and not m.group("pounds") and scale_word is None and not any(c in num for c in ",."):
            dc = _DECIMAL_COMMA_RE.match(text, end)
            if dc:
                value, scale_word, end = to_decimal(num + "." + dc.group("dec")), dc.group("scale"), dc.end()
        high = None
        low_scale = _scale_of(scale_word)
        # range after the amount
        r = _RANGE_RE.match(text, end)
        if r and _is_range(text, start, r, scale_word):
            hv = to_decimal(r.group("num"))
            hi_scale = _scale_of(r.group("scale")) if r.group("scale") else low_scale
            lo_scale = low_scale if scale_word else hi_scale
            if hv is not None and hv * hi_scale > value * lo_scale:
                high, low_scale, end = _pounds(hv, hi_scale), lo_scale, r.end()
                scale_word = scale_word or r.group("scale")
        if high is None and _BETWEEN_BEFORE_RE.search(text[max(0, start - 10):start]):
            b = _BETWEEN_AND_RE.match(text, end)
            if b:
                hv = to_decimal(b.group("num"))
                hi_scale = _scale_of(b.group("scale")) if b.group("scale") else low_scale
                lo_scale = low_scale if scale_word else hi_scale
                if hv is not None and hv * hi_scale > value * lo_scale:
                    high, low_scale, end = _pounds(hv, hi_scale), lo_scale, b.end()
        amount = _pounds(value, low_scale)
        start, end, negative = _negative_at(text, start, end)
        if negative:
            amount, high = -amount, (-high if high is not None else None)
            if high is not None:
                amount, high = high, amount
        qualifier = None
        q = _QUAL_RE.search(text, max(0, start - 24), start)
        if q and not negative:
            qualifier = QUALIFIERS[q.group("q").lower()]
            start = q.start("q")
        out.append(MoneyMatch(amount, high, qualifier, (scale_word or "").lower() or None, start, end))
        pos = max(pos, end)
        # list carry-over: '£2m and 3.5 million', '£1.2m, 3.4m or 5m'
        if m.group("cur") and scale_word:
            while True:
                c = _CARRY_RE.match(text, pos)
                if not c or _COUNT_AFTER_RE.match(text, c.end()):
                    break
                cv = to_decimal(c.group("num"))
                if cv is None:
                    break
                out.append(MoneyMatch(_pounds(cv, _scale_of(c.group("scale"))), None, None,
                                      c.group("scale").lower(), c.start("num"), c.end(), carried=True))
                pos = c.end()
    return out


def _decimals(num_text: str) -> int:
    return len(num_text.split(".", 1)[1]) if "." in num_text else 0


def unscaled(text: str, m: MoneyMatch) -> Decimal | None:
    """A '£' figure printed without its unit where pounds cannot be meant: one decimal place or
    three ('£19.8 one-offs', 'Previously reported -£10.921' in a report written in £m), since
    pounds and pence always take two. Whole pounds ('£10 per adult') are never doubted.
    Returns the figure as printed (unsigned), else None."""
    if m.scale_word or m.carried or m.high is not None:
        return None
    figure = re.search(r"£\s?(" + _NUM + r")\s*\)?$", text[m.start:m.end])
    if not figure or _decimals(figure.group(1)) not in (1, 3):
        return None
    return to_decimal(figure.group(1))


def context_scales(text: str, found: list[MoneyMatch], lo: int, hi: int) -> set[Decimal]:
    """Scales stated in text[lo:hi]: unit headings ('£m', "£'000", '(millions)') and the scale
    words of the '£' amounts there ('£5.3m' says the writer counts in millions)."""
    out = set()
    for u in _UNIT_MARK_RE.finditer(text, lo, hi):
        word = (u.group("u") or u.group("w") or "").lower().replace("'", "")
        out.add(THOUSAND if word.startswith("000") else _UNIT_SCALES[word])
    for f in found:
        if lo <= f.start < hi and f.scale_word and not f.carried:
            out.add(SCALE_WORDS[f.scale_word])
    return out


def apply_context_scale(text: str, found: list[MoneyMatch]) -> tuple[list[MoneyMatch], list[MoneyMatch]]:
    """Scale the amounts that dropped their unit (`unscaled`) by the unit the text around them is
    written in: the same line, else 400 characters either side, else the whole text (a page);
    the nearest window that states any unit decides, and only when it states exactly one.
    Returns (amounts, the doubtful ones left in pounds because the context was silent or mixed)."""
    out, unclear = [], []
    for m in found:
        figure = unscaled(text, m)
        if figure is None:
            out.append(m)
            continue
        scale = None
        for w in _CONTEXT_WINDOWS:
            if w == "line":
                lo, hi = text.rfind("\n", 0, m.start) + 1, text.find("\n", m.end)
                hi = len(text) if hi < 0 else hi
            elif w is None:
                lo, hi = 0, len(text)
            else:
                lo, hi = max(0, m.start - w), min(len(text), m.end + w)
            scales = context_scales(text, [f for f in found if f is not m], lo, hi)
            if scales:
                scale = next(iter(scales)) if len(scales) == 1 else None
                break
        if scale is None:
            out.append(m)
            unclear.append(m)
        else:
            sign = -1 if m.amount < 0 else 1
            out.append(replace(m, amount=_pounds(sign * figure, scale)))
    return out, unclear


def tabular(text: str, found: list[MoneyMatch]) -> set[int]:
    """Indexes of amounts printed side by side with only spaces or tabs between them
    ('£150m £100m £50m'): a table row's figures, not running text."""
    out = set()
    for i in range(1, len(found)):
        gap = text[found[i - 1].end:found[i].start]
        if gap.strip(" \t+") == "":
            out.update((i - 1, i))
    return out


def normalise_money(span: str, scale: Decimal | None = None) -> MoneyValue | None:
    """Read one printed amount: '£2.9m' -> 2900000.00, 'c. £7m' -> 7000000.00 (circa),
    '£2-3m' -> 2000000.00..3000000.00, '(£1.2m)' -> -1200000.00. With `scale` (the unit
    of the table or paragraph the span sits under, e.g. 1000 for '£000') a bare figure
    ('409', '(409)', '1,061') is read at that scale. None when the span holds no amount."""
    text = (span or "").strip().replace("\u2212", "-")
    found = find_money(text)
    if found:
        f = found[0]
        return MoneyValue(f.amount, f.high, f.qualifier, f.scale_word)
    if scale is not None:
        q = _QUAL_RE.search(text.split(" ")[0] + " ") if " " in text else None
        body = text
        qualifier = None
        if q:
            qualifier = QUALIFIERS[q.group("q").lower()]
            body = text[q.end():].strip()
        value = parse_cell(body, scale)
        if value is not None:
            return MoneyValue(value, None, qualifier, None)
    return None
