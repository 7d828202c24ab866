"""Which council published a document, with the evidence, and which councils it names.

Evidence is tried strongest first and the first that decides wins: the batch manifest,
the domain of the source URL, email addresses and web links in the text, then councils
named in the text as authors. A council merely mentioned ("a contract led by Newcastle
City council") is recorded in `mentions` but weighs little; nothing is guessed: with no
decisive evidence the code is null and a `council_unknown` warning says why.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from councilpapers.councils.register import DATA, Council, load, normalise, registrable_domain
from councilpapers.document import Document, Page
from councilpapers.ids import content_id
from councilpapers.normalise.dates import find_uk_dates
from councilpapers.normalise.people import EMAIL_RE

CONFIDENCE = {"manifest": 1.0, "url": 0.95, "email_domain": 0.9, "web_link": 0.85,
              "text": 0.8, "text_abbreviation": 0.7, "text_fuzzy": 0.6}

# Fuzzy matching of a name in an "X Council" phrase. rapidfuzz's ratio is 100*(1 - indel
# distance / total length): one missing or extra letter in a name of n >= 7 letters scores
# 2(n-1)/(2n-1) >= 92.3 ("Middlesbroug" 96), one wrong letter in a 10+ letter name >= 90.
# Distinct register names (type words stripped) score at most 95 only when they differ by
# a compass word (East/West Suffolk 91.7), which we require to agree exactly; the closest
# other pairs are Herefordshire/Hertfordshire 92.3 and Test/Tees Valley 90.9, so we also
# require the winner to beat any other council by FUZZY_MARGIN. Names under 7 letters
# (Bury, Hart, Eden, Down, Ards) are never fuzzy-matched.
FUZZY_CUTOFF = 90.0
FUZZY_MARGIN = 3.0
FUZZY_MIN_LEN = 7
COMPASS = {"north", "south", "east", "west", "mid", "central", "north east", "greater"}
_TYPE_WORDS = re.compile(r"\b(council|borough|district|county|city|metropolitan|authority|of|ua|boro)\b")

QUALIFIERS = {"north", "south", "east", "west", "mid", "central", "greater", "new", "royal", "upper", "lower",
              "north-east", "north-west", "south-east", "south-west", "inner", "outer"}
# Words that may follow a council's name without being part of it ("London Borough of Merton Audit Committee").
INSTITUTIONAL = {"council", "councils", "audit", "committee", "cabinet", "executive", "scrutiny", "panel", "board",
                 "meeting", "minutes", "agenda", "report", "planning", "licensing", "children", "childrens",
                 "children's", "adult", "adults", "annual", "budget", "civic", "offices", "hall", "centre",
                 "library", "members", "member", "pension", "fund", "standards", "overview", "health",
                 "corporate", "policy", "full", "elections", "and", "&", "town", "democratic", "services",
                 "finance", "housing", "education", "social", "mayor", "leader", "chief", "director"}

# Minimum summed weight of text mentions for a council to count as the author.
AUTHOR_MIN_SCORE = 1.0

_CONNECT = r"(?:and|&|upon|on|under|in|with|of|the|le|by|next|super|y)"
_WORD = r"(?:[A-Z][A-Za-z'’.\-]*[A-Za-z]|[A-Z])"
# a comma may join the parts of one name ('Armagh City, Banbridge and Craigavon Borough Council'); a lookup
# trims words off the front until a name matches, so a list ('Kent, Medway Council') still finds its last name
_NAME = rf"{_WORD}(?:,?[ \t]+(?:(?i:{_CONNECT})[ \t]+)*{_WORD}){{0,6}}"
_SEP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"
_KIND = r"(?i:metropolitan[ \t]+borough|metropolitan[ \t]+district|county[ \t]+borough|city|county|borough|district|town|parish|community|village|neighbourhood)"
PARISH_KINDS = {"town", "parish", "community", "village", "neighbourhood"}
# "Kent County Council", "Middlesbroug council", "Greater London Authority", "X Combined Authority"
SUFFIX_RE = re.compile(
    rf"(?P<name>{_NAME})(?:{_SEP}(?P<kind>{_KIND}))?{_SEP}(?P<word>(?i:council)|(?:Mayoral[ \t]+)?Combined[ \t]+Authority|Authority)\b")
# "London Borough of Merton", "Royal Borough of Windsor and Maidenhead", "LB Merton", "City of York"
PREFIX_RE = re.compile(
    rf"\b(?P<pre>London[ \t]+Borough[ \t]+of|Royal[ \t]+Borough[ \t]+of|LB[ \t]+of|LB|RB[ \t]+of|City[ \t]+and[ \t]+County[ \t]+of|City[ \t]+of|Borough[ \t]+of|County[ \t]+of|Council[ \t]+of[ \t]+the|Council[ \t]+of)[ \t]+(?P<name>{_NAME})")
URL_RE = re.compile(r"(?:https?://|\bwww\.)((?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,})", re.I)
GSS_RE = re.compile(r"^[ENSWK]\d{8}$", re.I)

# Words around a name that say the document is by that council, or merely mentions it.
AUTHOR_BEFORE = re.compile(r"(?i)\b(?:report|minutes|meeting|agenda|decision|notice|summons|proceedings)\b[^.\n]{0,60}$")
# A parish-tier body writing about itself: "the Town Council", "the Town Clerk". Principal councils
# call themselves "the Council" / "the County Council"; these phrases point to a council not in the register.
PARISH_SELF_RE = re.compile(r"\b[Tt]he (?:Town|Parish|Community|Village|Neighbourhood) (?:Council|Clerk)\b|\b(?:Town|Parish) Clerk\b")
SUBJECT_AFTER = re.compile(r"(?i)^['’]?s?\s*(?:has|have|is|was|will|would|currently|contributes|operates|provides|approved|agreed|resolved)\b")
MENTION_BEFORE = re.compile(r"(?i)\b(?:led by|with|and|neighbouring|other|such as|compared(?: with| to)?|including|between|like|than|versus|vs\.?|by)\s*(?:the\s+)?$")
HEADER_CHARS = 800



@dataclass
class Match:
    council: Council
    page: int
    start: int
    end: int
    raw: str
    how: str  # exact / abbreviation / fuzzy
    alias: str
    weight: float = 1.0


@dataclass
class Resolution:
    code: str | None = None
    name: str | None = None
    evidence: str | None = None
    confidence: float | None = None
    reason: str = ""
    council: Council | None = None
    on: date | None = None
    matched: str | None = None  # the alias, domain or code that decided
    mentions: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)

    def document_columns(self) -> dict:
        return {"council_code": self.code, "council_name": self.name,
                "council_evidence": self.evidence, "council_confidence": self.confidence}


# ---------------------------------------------------------------- single strings

@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[str, ...]:
    reg = load()
    return tuple(sorted(k for k in reg.names if len(k) >= FUZZY_MIN_LEN and not _TYPE_WORDS.search(k)))


def _compass(s: str) -> set[str]:
    words = s.split()
    return {w for w in words[:2] if w in COMPASS}


@lru_cache(maxsize=4096)
def fuzzy_name(key: str) -> tuple[tuple[str, ...], str, float] | None:
    """(council keys, matched alias, score) for a normalised name close to one register name."""
    if len(key) < FUZZY_MIN_LEN:
        return None
    reg = load()
    hits = process.extract(key, _fuzzy_choices(), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF - FUZZY_MARGIN, limit=8)
    hits = [h for h in hits if _compass(h[0]) == _compass(key)]
    if not hits or hits[0][1] < FUZZY_CUTOFF:
        return None
    best_alias, best_score = hits[0][0], hits[0][1]
    best_keys = set(reg.names[best_alias])
    for alias, score, _ in hits[1:]:
        if set(reg.names[alias]) != best_keys and score > best_score - FUZZY_MARGIN:
            return None  # two councils about as close: do not guess
    return tuple(sorted(best_keys)), best_alias, best_score


def lookup_name(text: str, fuzzy: bool = True) -> tuple[tuple[str, ...], str, str] | None:
    """(council keys, how, alias) for a name as written: abbreviation, exact name, or typo."""
    reg = load()
    s = text.strip()
    if s in reg.abbreviations:
        return reg.abbreviations[s], "abbreviation", s
    key = normalise(s)
    if key in reg.names:
        return reg.names[key], "exact", key
    variants = [s] if any(ch.isupper() for ch in s) else [s, s.title()]
    for v in variants:
        for rx in (SUFFIX_RE, PREFIX_RE):
            m = rx.fullmatch(v)
            if m:
                got = _phrase_lookup(m, rx is SUFFIX_RE, fuzzy)
                if got:
                    return got[0], got[1], got[2]
    for rx in (SUFFIX_RE, PREFIX_RE):  # a longer string holding a council phrase
        for m in rx.finditer(s):
            got = _phrase_lookup(m, rx is SUFFIX_RE, fuzzy)
            if got:
                return got[0], got[1], got[2]
    if fuzzy:
        f = fuzzy_name(key)
        if f:
            return f[0], "fuzzy", f[1]
    return None


def _phrase_lookup(m: re.Match, suffix: bool, fuzzy: bool) -> tuple[tuple[str, ...], str, str, int] | None:
    """Look a regex phrase match up; returns (keys, how, alias, offset of the name used in the match)."""
    reg = load()
    name = m.group("name")
    tokens = [(t.start(), t.group()) for t in re.finditer(r"\S+", name)]
    if suffix:
        name, kind, word = suffix_parts(m)
        tokens = [(t.start(), t.group()) for t in re.finditer(r"\S+", name)]
        if kind in PARISH_KINDS or not tokens:
            return None
        # longest first; never drop a leading word that qualifies the name (West Kent is not Kent)
        spans = [tokens[i:] for i in range(len(tokens))
                 if i == 0 or tokens[i - 1][1].lower() not in QUALIFIERS]
        for toks in spans:
            text = name[toks[0][0]:]
            key = normalise(text)
            if not key:
                continue
            full = normalise(f"{text} {kind} {word}") if kind else normalise(f"{text} {word}")
            for k in (full, key) if word == "council" else (full,):
                if k in reg.names:
                    return reg.names[k], "exact", k, toks[0][0]
        if fuzzy and word == "council":
            for toks in spans:
                key = normalise(name[toks[0][0]:])
                f = fuzzy_name(key) if key else None
                if f:
                    return f[0], "fuzzy", f[1], toks[0][0]
        return None
    pre = normalise(m.group("pre"))
    for i in range(len(tokens), 0, -1):
        text = name[: tokens[i - 1][0] + len(tokens[i - 1][1])]
        key = normalise(text)
        rest = tokens[i][1] if i < len(tokens) else None
        if rest is not None and rest.lower().strip(".,;:") not in INSTITUTIONAL:
            continue  # "Borough of Sutton Coldfield" is not Sutton
        for k in (normalise(f"{pre} {text}"), key):
            if k in reg.names:
                return reg.names[k], "exact", k, 0
    return None


_KIND_TAIL = re.compile(rf"^(?P<name>.*?){_SEP}(?P<kind>{_KIND})$", re.S)


def suffix_parts(m: re.Match) -> tuple[str, str, str]:
    """(name, kind, word) of an "X [kind] Council" match; the greedy name may have swallowed the kind."""
    name, kind = m.group("name"), (m.group("kind") or "")
    if not kind:
        t = _KIND_TAIL.match(name)
        if t:
            name, kind = t.group("name"), t.group("kind")
    return name, re.sub(r"\s+", " ", kind.lower()), re.sub(r"\s+", " ", m.group("word").lower())


def check_string(s: str, on: date | None = None) -> Resolution:
    """What a name, URL, email address or GSS code resolves to, and why (for `councils --check`)."""
    reg = load()
    s = s.strip()
    res = Resolution(on=on)
    if GSS_RE.match(s):
        c = reg.by_code(s)
        if c:
            return _resolved(res, c, "manifest", s, f"GSS code {s.upper()} is {c.name} ({c.key})"
                             + ("" if c.code == s.upper() else f", a former code of {c.code}"))
        res.reason = f"{s} is not a GSS code in the register"
        return res
    m = EMAIL_RE.fullmatch(s) or (re.fullmatch(r"mailto:(.+)", s, re.I) and EMAIL_RE.fullmatch(s[7:]))
    if m:
        return _by_domain(res, _email_domain(m.group(0)), "email_domain", on)
    if URL_RE.match(s) or re.fullmatch(r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?:/\S*)?", s):
        host = re.sub(r"^(?:https?://)?", "", s, flags=re.I).split("/")[0]
        return _by_domain(res, host, "url", on)
    got = lookup_name(s)
    if not got:
        res.reason = f"{s!r} matches no council name, abbreviation or domain in the register"
        return res
    keys, how, alias = got
    c, why = reg.choose(keys, on)
    ev = {"fuzzy": "text_fuzzy"}.get(how, "text")
    if c is None:
        res.reason = f"{how} match on {alias!r} but {why}"
        return res
    return _resolved(res, c, ev, alias, f"{how} match on {alias!r}; {why}",
                     confidence=CONFIDENCE["text_abbreviation"] if how == "abbreviation" else None)


def _resolved(res: Resolution, c: Council, evidence: str, matched: str, reason: str, confidence: float | None = None) -> Resolution:
    res.council, res.code, res.name, res.evidence = c, c.code, c.name, evidence
    res.confidence = confidence if confidence is not None else CONFIDENCE[evidence]
    res.matched, res.reason = matched, reason
    if c.code is None:
        res.code = None
        res.problems.append({"code": "council_unknown", "severity": "warning", "page": None,
                             "message": f"{c.name} ({c.key}) has no GSS code in the register"})
    return res


def domain_keys(host: str) -> tuple[tuple[str, ...], str] | None:
    reg = load()
    host = host.lower().strip().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    for d in (host, "www." + host, registrable_domain(host)):
        if d and d in reg.domains:
            return reg.domains[d], d
    return None


# Domains only public bodies hold, and committee platforms that give each council a host of its own: there the
# label before the suffix names the council ('flintshire.gov.uk', 'gwynedd.llyw.cymru', 'birmingham.cmis.uk.com').
_NAMING_SUFFIXES = ("gov.uk", "gov.wales", "llyw.cymru", "gov.scot", "cmis.uk.com", "cmis-ni.org", "moderngov.co.uk")


@lru_cache(maxsize=1)
def _domain_words() -> dict[str, list[tuple[str, str]]]:
    """data/domain_words.csv by kind: (word, what it is written out as)."""
    out: dict[str, list[tuple[str, str]]] = {}
    with open(DATA / "domain_words.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(r for r in fh if not r.startswith("#")):
            out.setdefault(row["kind"], []).append((row["word"], row["expands_to"]))
    return out


def label_names(label: str) -> list[str]:
    """The names a domain label may spell, plainest first: 'north-herts' -> 'north herts', 'north hertfordshire';
    'northlincs' -> 'north lincolnshire'; 'cityofworcester' -> 'worcester' (data/domain_words.csv)."""
    words = _domain_words()
    forms = [label.replace("-", " ")]
    bare = label.replace("-", "")
    for w, _ in words.get("prefix", ()):
        if bare.startswith(w) and len(bare) > len(w) + 3:
            forms.append(bare[len(w):])
    for w, _ in words.get("suffix", ()):
        if bare.endswith(w) and len(bare) > len(w) + 3:
            forms.append(bare[:-len(w)])
    out = []
    for f in forms:
        for c, _ in words.get("compass", ()):
            if f.startswith(c) and len(f) > len(c) + 3 and f[len(c)] != " ":
                f = f"{c} {f[len(c):]}"
                break
        out.append(f)
        for w, full in words.get("county", ()):
            if f.endswith(w) and (len(f) == len(w) or not f[-len(w) - 1].isalpha()):
                out.append(f[:-len(w)] + full)
    return list(dict.fromkeys(out))


def _named_by_label(host: str) -> tuple[tuple[str, ...], str] | None:
    """Council keys whose exact name the host's owning label spells, on a government or committee-platform domain."""
    host = host.lower().strip().rstrip(".")
    for suffix in _NAMING_SUFFIXES:
        if host.endswith("." + suffix):
            label = host[: -len(suffix) - 1].split(".")[-1]
            if len(label) < 4:
                return None
            for name in label_names(label):
                got = lookup_name(name, fuzzy=False)
                if got and got[1] in ("exact", "abbreviation"):
                    return got[0], f"{label}.{suffix}"
    return None


def _by_domain(res: Resolution, host: str, evidence: str, on: date | None) -> Resolution:
    reg = load()
    got = domain_keys(host) or _named_by_label(host)
    if not got:
        d = registrable_domain(host) or host
        shared = reg.ambiguous.get(d) or reg.ambiguous.get(host.lower())
        res.reason = (f"domain {d} is shared by {', '.join(shared)}" if shared
                      else f"domain {d} is not a known council domain")
        return res
    keys, d = got
    c, why = reg.choose(keys, on)
    if c is None:
        res.reason = f"domain {d}: {why}"
        return res
    return _resolved(res, c, evidence, d, f"domain {d} belongs to {c.name}; {why}")


# ---------------------------------------------------------------- documents

def _abbreviation_re() -> re.Pattern:
    reg = load()
    alts = sorted(reg.abbreviations, key=len, reverse=True)
    return re.compile(r"(?<![A-Za-z0-9&])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![A-Za-z0-9&])")


_ABBR = None


def scan_page(page: Page, on: date | None) -> tuple[list[Match], list[tuple[str, int, int, float]]]:
    """Council names on a page (register matches) and parish-tier bodies (name, start, end, weight)."""
    global _ABBR
    reg = load()
    if _ABBR is None:
        _ABBR = _abbreviation_re()
    text = page.text
    found: list[Match] = []
    parish: list[tuple[str, int, int, float]] = []
    for rx, suffix in ((SUFFIX_RE, True), (PREFIX_RE, False)):
        for m in rx.finditer(text):
            if suffix and suffix_parts(m)[1] in PARISH_KINDS:
                parish.append((m.group(0), m.start(), m.end(), _weight(text, m.start(), m.end(), page.number)))
                continue
            got = _phrase_lookup(m, suffix, fuzzy=True)
            if not got:
                continue
            keys, how, alias, off = got
            c, _ = reg.choose(keys, on)
            if c is None or c.code is None:
                continue
            if suffix:
                start, end = m.start("name") + off, m.end()
            else:  # the prefix phrase ends where the matched name ends
                start, end = m.start(), _prefix_end(m, alias)
            found.append(Match(c, page.number, start, end, text[start:end], how, alias))
    for m in PARISH_SELF_RE.finditer(text):
        parish.append((m.group(0), m.start(), m.end(), 1.0))
    for m in _ABBR.finditer(text):
        c, _ = reg.choose(reg.abbreviations[m.group()], on)
        if c and c.code:
            found.append(Match(c, page.number, m.start(), m.end(), m.group(), "abbreviation", m.group()))
    found = _dedupe(found)
    for f in found:
        f.weight = _weight(text, f.start, f.end, page.number) * {"exact": 1.0, "fuzzy": 0.8, "abbreviation": 0.5}[f.how]
    return found, parish


def _prefix_end(m: re.Match, alias: str) -> int:
    """End offset of the shortest prefix phrase whose name normalises into the alias."""
    name = m.group("name")
    tokens = list(re.finditer(r"\S+", name))
    pre = normalise(m.group("pre"))
    for i in range(1, len(tokens) + 1):
        text = name[: tokens[i - 1].end()]
        if alias in (normalise(f"{pre} {text}"), normalise(text)):
            return m.start("name") + tokens[i - 1].end()
    return m.end()


def _dedupe(found: list[Match]) -> list[Match]:
    """Overlapping matches of the same council keep the longest span."""
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    out: list[Match] = []
    for f in found:
        if out and f.start < out[-1].end:
            if f.end - f.start > out[-1].end - out[-1].start:
                out[-1] = f
            continue
        out.append(f)
    return out


def _weight(text: str, start: int, end: int, page: int) -> float:
    """How much a name at this place says 'this council wrote the document'."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 80):start]
    after = text[end:end + 40]
    w = 1.0
    if MENTION_BEFORE.search(before):
        return 0.3
    if page == 1 and start < HEADER_CHARS:
        w += 2.0
    if not text[line_start:start].strip():
        w += 0.5  # starts a line: letterhead or heading
    if AUTHOR_BEFORE.search(before):
        w += 1.0
    if SUBJECT_AFTER.search(after):
        w += 0.5
    return w


def document_date(doc: Document, pages: int = 2) -> date | None:
    """The first full date printed on the first pages, for choosing among predecessor councils."""
    for page in doc.pages[:pages]:
        for _, _, day in find_uk_dates(page.text):
            if 1970 <= day.year <= 2100:
                return day
    return None


def _email_domain(address: str) -> str:
    return address.rsplit("@", 1)[1].lower()


def _domains_in(doc: Document) -> list[tuple[str, str]]:
    """(kind, host) for every email address and web link in the text and the HTML links."""
    out = []
    for page in doc.pages:
        for m in EMAIL_RE.finditer(page.text):
            out.append(("email_domain", _email_domain(m.group(0))))
        for m in URL_RE.finditer(page.text):
            out.append(("web_link", m.group(1)))
    for link in doc.links or []:
        if link.lower().startswith("mailto:"):
            m = EMAIL_RE.search(link)
            if m:
                out.append(("email_domain", _email_domain(m.group(0))))
        else:
            m = URL_RE.match(link)
            if m:
                out.append(("web_link", m.group(1)))
    return out


def resolve_council(doc: Document, dates: list[date] | None = None) -> Resolution:
    """The document's council, strongest evidence first, plus a mentions row per council named."""
    reg = load()
    dates = [date.fromisoformat(d[:10]) if isinstance(d, str) else d for d in (dates or []) if d]
    on = min(dates) if dates else document_date(doc)
    res = Resolution(on=on)

    matches: list[Match] = []
    parish: list[tuple[str, int, int, float]] = []
    for page in doc.pages:
        found, par = scan_page(page, on)
        matches += found
        parish += par
    res.mentions = [{
        "mention_id": content_id(doc.doc_id, "mentions", m.page, m.start, m.end),
        "doc_id": doc.doc_id, "council_code": m.council.code, "council_name": m.council.name,
        "page": m.page, "char_start": m.start, "char_end": m.end, "raw_text": m.raw,
    } for m in matches]
    scores: dict[str, float] = {}
    for m in matches:
        scores[m.council.key] = scores.get(m.council.key, 0.0) + m.weight
    notes = []

    # 1. manifest
    if doc.manifest_council and doc.manifest_council.strip():
        got = check_string(doc.manifest_council, on)
        if got.council and got.code:
            return _finish(res, got.council, "manifest", got.matched,
                           f"manifest says {doc.manifest_council!r}: {got.reason}")
        res.problems.append({"code": "council_manifest_unknown", "severity": "warning", "page": None,
                             "message": f"manifest council {doc.manifest_council!r} not resolved: {got.reason}"})
    # 2. source URL
    if doc.source_url:
        m = URL_RE.match(doc.source_url.strip())
        if m:
            got = _by_domain(Resolution(), m.group(1), "url", on)
            if got.council and got.code:
                return _finish(res, got.council, "url", got.matched, f"source_url: {got.reason}")
            notes.append(f"source_url: {got.reason}")
    # 3. email addresses and web links
    votes: dict[str, list[str]] = {}
    for kind, host in _domains_in(doc):
        got = domain_keys(host)
        if not got:
            continue
        c, _ = reg.choose(got[0], on)
        if c and c.code:
            votes.setdefault(c.key, []).append(kind)
    if votes:
        ranked = sorted(votes, key=lambda k: (-len(votes[k]), -scores.get(k, 0.0), k))
        top = ranked[0]
        tie = len(ranked) > 1 and len(votes[ranked[1]]) == len(votes[top]) and scores.get(ranked[1], 0.0) == scores.get(top, 0.0)
        if not tie:
            c = reg.councils[top]
            kind = "email_domain" if "email_domain" in votes[top] else "web_link"
            counts = ", ".join(f"{reg.councils[k].name} {len(votes[k])}" for k in ranked)
            return _finish(res, c, kind, ", ".join(c.domains[:2]), f"{len(votes[top])} email/web domain(s) of {c.name} ({counts})")
        notes.append("email/web domains tie between " + ", ".join(reg.councils[k].name for k in ranked[:2]))
    # 4. councils named in the text as authors
    best_parish = _parish_score(parish)
    if scores:
        ranked = sorted(scores, key=lambda k: (-scores[k], k))
        top = ranked[0]
        c = reg.councils[top]
        summary = ", ".join(f"{reg.councils[k].name} {scores[k]:.1f}" for k in ranked[:4])
        if scores[top] < AUTHOR_MIN_SCORE:
            notes.append(f"councils only mentioned in passing ({summary})")
        elif len(ranked) > 1 and scores[ranked[1]] == scores[top]:
            notes.append(f"text names two councils equally ({summary})")
        elif best_parish >= scores[top]:
            notes.append(f"the text's author looks like a parish-tier council not in the register "
                         f"({_parish_name(parish)}); named councils: {summary}")
        else:
            hows = {m.how for m in matches if m.council.key == top}
            if "exact" in hows:
                ev, conf = "text", None
            elif "abbreviation" in hows:
                ev, conf = "text", CONFIDENCE["text_abbreviation"]
            else:
                ev, conf = "text_fuzzy", None
            alias = next(m.alias for m in matches if m.council.key == top)
            return _finish(res, c, ev, alias, f"named in the text ({summary})", conf)
    elif parish:
        notes.append(f"the text's author looks like a parish-tier council not in the register ({_parish_name(parish)})")
    res.reason = "; ".join(notes) or "no manifest, URL, email/web domain or council name"
    res.problems.append({"code": "council_unknown", "severity": "warning", "page": None,
                         "message": f"council not identified: {res.reason}"})
    return res


def _parish_score(parish) -> float:
    """Summed weight of parish-tier self-references and the best-supported named parish-tier body."""
    named: dict[str, float] = {}
    selfref = 0.0
    for text, _, _, w in parish:
        if PARISH_SELF_RE.fullmatch(text):
            selfref += w
        else:
            key = normalise(text)
            named[key] = named.get(key, 0.0) + w
    return selfref + max(named.values(), default=0.0)


def _parish_name(parish) -> str:
    named = [p for p in parish if not PARISH_SELF_RE.fullmatch(p[0])]
    best = max(named or parish, key=lambda p: (p[3], -p[1]))
    return re.sub(r"\s+", " ", best[0]).strip()


def _finish(res: Resolution, c: Council, evidence: str, matched: str | None, reason: str, confidence: float | None = None) -> Resolution:
    _resolved(res, c, evidence, matched or "", reason, confidence)
    if res.on and not c.live_on(res.on):
        res.problems.append({"code": "council_not_live", "severity": "warning", "page": None,
                             "message": f"{c.name} ({c.code}) was not live on {res.on.isoformat()} ({c.validity()})"})
    return res
