"""People in council papers: names without titles, name lists, emails, and telling a name from a role.

Shared by every extractor that emits `people` rows, so 'Cllr', 'Councillor' and
'Mr' are stripped the same way everywhere and a role ('Chief Financial Officer')
is never taken for a name.
"""
from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+'\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
TITLES_RE = re.compile(
    r"^(?:(?:the\s+)?(?:councillors?|cllrs?|cllr\.|mr|mrs|ms|miss|mx|dr|prof(?:essor)?|sir|dame|lord|lady|rev(?:erend)?)\.?\s+)+",
    re.I)
_HONOURS = re.compile(r"(?:,?\s+(?:OBE|MBE|CBE|JP|DL|KBE|MP|QC|KC))+\s*$")
# words that make a phrase a role or a body, never a person's name
ROLE_WORDS = frozenset("""
officer director head manager chief executive council councils committee cabinet member members portfolio holder
leader chair chairman chairwoman vice deputy assistant service services team panel board group department
directorate corporate finance financial monitoring democratic clerk town city county borough district mayor
secretary treasurer lead strategic interim acting principal senior advisor adviser accountant solicitor counsel
commissioner partnership trust authority government children adults education health social care audit
scrutiny report reports appendix recommendations decision minutes meeting agenda item public press
the of for and to in on with by at from all none other others apologies present attendance also
""".split())
# the lower-case letters of a name, accents included ('Kadiĉ', 'Śliwa', 'Müller')
LOWER = "a-zß-öø-ÿĀ-ſ"
_NAME_TOKEN = re.compile(r"^(?:[A-Z]\.?|(?:[A-Z]\.){2,4}|[A-Z][a-z]+(?:[-'’‑][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z][a-z]*[A-Z][a-z]+)$"
                         .replace("a-z", LOWER))
_PARTICLES = {"de", "van", "von", "der", "den", "la", "le", "du", "da", "di", "bin", "ab", "ap", "al", "del", "dos", "das"}


def strip_titles(name: str) -> str:
    """'Councillor Richard Burton' -> 'Richard Burton'; 'Mr R C Love, OBE' -> 'R C Love'."""
    name = re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip(" ,.;:()[]")
    name = TITLES_RE.sub("", name)
    name = _HONOURS.sub("", name)
    return name.strip(" ,.;:()[]")


def is_name(text: str, *, allow_single: bool = False, role_words: bool = True) -> bool:
    """Could `text` (titles already removed) be a person's name? 'H Allen' yes, 'Chief Financial Officer' no."""
    tokens = text.split()
    if not tokens or len(tokens) > 5 or (len(tokens) < 2 and not allow_single):
        return False
    if role_words and any(t.lower().strip(".,") in ROLE_WORDS for t in tokens):
        return False
    real = 0
    for t in tokens:
        if t.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(t):
            return False
        if len(t.strip(".")) > 1:
            real += 1
    return real >= 1 and len(tokens[-1].strip(".")) > 1


_ENTRY_END = re.compile(r"\)[ \t]*\n|(?<=[a-z]{2})\.(?=\s+[A-Z])")
_PLURAL_TITLE = re.compile(r"^\s*(?:Cllrs\.?|Councillors)\s", re.I)
_ROLE_AFTER_DASH = re.compile(r"\s+[-–—]\s+[A-Z][\w'’ ]*[.\s]*$")


def split_names(text: str, base: int = 0, *, titled_single: bool = True,
                first_titled: bool = False) -> list[tuple[int, int, str]]:
    """Names in a list ('H Allen, M Cox, A Filer and V Ricketts'): (start, end, name) offsets from `base`.

    A lone surname counts when a title was printed with it ('Mr Baker'); `first_titled`
    says the first entry's title was printed before `text` (a 'Mr' left at the foot of a page).
    An untitled lone surname counts only when a bracketed role follows it, a name comes before
    it and a name or the list's end after it ('Ms C McInnes (Director of Education) and McKay
    (Acting Chief Accountant)'): a clerk dropped the title; the list and the role show a person.
    """
    entries: list[tuple[str, tuple[int, int, str] | None]] = []  # ('name' | 'bare' | 'other', found)
    # an entry ends at ')' or a full stop before a line break or a new sentence:
    # 'Colin Millar (Democratic Services)\nSuresh Patel', 'Danny Connellan. Councillors Angela Caldara'
    text = _ENTRY_END.sub(lambda m: m.group(0)[:-1] + ";", text)
    bracketed = text
    text = re.sub(r"\([^)]*\)", lambda m: " " * len(m.group(0)), text)  # '(Chair)', roles over two lines
    # 'Cllrs Hodivala (Chairman), Hewett, Mosson and Wood': one plural title covers every surname
    plural = bool(_PLURAL_TITLE.match(text))
    for m in re.finditer(r"[^,;]+", text):
        part = m.group(0)
        if part.startswith("("):
            continue
        pos = 0
        for chunk in re.split(r"(\s+and\s+|\s*&\s*)", part):
            cstart = pos
            pos += len(chunk)
            if re.fullmatch(r"\s+and\s+|\s*&\s*", chunk or " "):
                continue
            bare = re.sub(r"\((?:[^)]*)\)", "", chunk)
            bare = _ROLE_AFTER_DASH.sub("", bare)  # 'Olive O'Sullivan – Town Clerk'
            name = strip_titles(bare)
            if not name:
                continue
            titled = plural or bool(TITLES_RE.match(bare.strip())) or (first_titled and not entries and not bare[:1].isspace() and m.start() + cstart == 0)
            # 'Mrs C Head': a printed title and initials make a role word a surname
            initials = titled and len(name.split()) > 1 and all(len(t.strip(".")) == 1 for t in name.split()[:-1])
            found = re.search(r"\s+".join(map(re.escape, name.split())), chunk)
            if not found:
                entries.append(("other", None))
                continue
            s = base + m.start() + cstart + found.start()
            span = (s, s + found.end() - found.start(), name)
            if is_name(name, allow_single=titled and titled_single, role_words=not initials):
                entries.append(("name", span))
            elif (titled_single and not titled and len(name.split()) == 1 and len(name) > 2
                  and is_name(name, allow_single=True)
                  and re.match(r"[ \t]*\n?[ \t]*\(", bracketed[m.start() + cstart + found.end():])):
                entries.append(("bare", span))
            else:
                entries.append(("other", span))
    out = []
    for i, (kind, span) in enumerate(entries):
        if kind == "bare":
            # a name before it, and a name or the end of the list after it
            if i == 0 or entries[i - 1][0] != "name" or (i + 1 < len(entries) and entries[i + 1][0] != "name"):
                continue
        elif kind != "name":
            continue
        out.append(span)
    return out


def normalise_email(text: str | None) -> str | None:
    if not text:
        return None
    m = EMAIL_RE.search(text)
    return m.group(0).lower().rstrip(".") if m else None


_PERSONAL_TITLE = re.compile(r"(?:^|[\s,;(])(?P<t>Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]*\n?[ \t]*$")


def title_before(text: str, start: int) -> str | None:
    """The personal title printed just before offset `start` ('Mr' in 'Mr Wright'), else None."""
    m = _PERSONAL_TITLE.search(text[max(0, start - 8):start])
    return m.group("t") if m else None


def disambiguate_surnames(people: list[dict], page_text) -> None:
    """Where two members of one document share a surname ('Mr Wright' and 'Ms Wright'), a bare surname keeps
    its title, so they stay two people. `page_text(n)` gives page n's text; rows are changed in place."""
    titled: dict[str, dict[str, list[dict]]] = {}
    for row in people:
        name = row.get("name") or ""
        if " " in name or row.get("char_start") is None:
            continue
        title = title_before(page_text(row["page"]), row["char_start"])
        if title:
            titled.setdefault(name, {}).setdefault(title, []).append(row)
    for name, by_title in titled.items():
        if len(by_title) > 1:
            for title, rows in by_title.items():
                for row in rows:
                    row["name"] = f"{title} {name}"
