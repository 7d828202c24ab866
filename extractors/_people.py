"""People from any council paper: labelled contacts, attendance, titled names, apposed roles, divisions.

Every reading is a rule over the page's structure with its words kept as data:
- labelled fields (`vocab/fields.csv` holds=contact or attendance): 'Contact: Kirsty Macleod
  Email: ...', 'Lead officer: Isabel Brittain', 'ATTENDING: Alistair Hamilton, Service Manager, ...';
- titled names anywhere (`vocab/person_titles.csv`): 'Councillor Durno declared', 'Cllrs Andy
  Sutton (Chairman), Barry Abraham, ...', 'Professor Dame Elan Closs Stephens';
- lists after 'received from' ('Apologies were received from Tenant Representative Lulu Agate');
- an untitled name with an apposed role (`vocab/person_roles.csv`): 'Sarah Cary, Executive
  Director Place', 'Minesh Patel (Corporate Director, Finance & Resources)', a signature line
  with the role on the line under it;
- named divisions (`vocab/divisions.csv`): 'For the procedural motion (23) - Councillors ...'.
Offices alone ('Lord Provost', 'the Chair') are never people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from councilpapers.normalise.people import EMAIL_RE, LOWER, ROLE_WORDS, is_name, normalise_email, strip_titles
from councilpapers.normalise.phones import PHONE_RE, normalise_phone
from councilpapers.structure import Line, clean_text
from councilpapers.vocab import rows


# one word of a name: 'Kirsty', 'MacGregor', 'Al-Samarai', "O'Sullivan", 'Hunter‑Henderson', initials 'H.A.L.', 'G'
# ... or a surname printed in capitals after a first name ('Ian BORTHWICK', 'George McIRVINE'; `_caps_surname`)
_WORD = (r"(?:(?:Mc|Mac|O['’])?[A-Z]{2,}(?:[-‑][A-Z]{2,})*(?![\w'’])"
         rf"|(?:Mc|Mac|O['’]|D['’])?[A-Z][{LOWER}'’]+(?:[A-Z][{LOWER}]+)?(?:[-‑][A-Z][{LOWER}'’]+)*|(?:[A-Z]\.){{1,4}}"
         r"|[A-Z](?![\w'’]))")
_PARTICLE = r"(?:van|von|de|der|den|du|da|di|le|la|ab|ap|bin|al)"
# a name may break over a line after its first word only ('Mr Jeremy' / 'Kite, MBE')
NAME = (rf"(?:{_PARTICLE}[ \t]+)?{_WORD}(?:(?:[ \t]+|[ \t]*\n[ \t]*)(?:{_PARTICLE}[ \t]+){{0,2}}{_WORD})?"
        rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_WORD}){{0,2}}(?![.@][A-Za-z])")
_NAME_RE = re.compile(NAME)
_STOP_TOKENS = {"the", "this", "that", "these", "in", "on", "at", "for", "and", "of", "to", "a", "an", "it", "he", "she",
                "they", "we", "his", "her", "their", "there", "code", "conduct", "act", "standing", "order", "item",
                "items", "minute", "minutes", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december", "provost", "depute", "lieutenant", "sheriff", "high", "whip",
                "nplaw", "tel", "email", "e-mail", "phone", "telephone", "ext", "extension", "mobile", "fax", "contact",
                "details", "dear", "yours", "regards", "sincerely", "faithfully", "seconded", "proposed", "moved",
                "row", "ref", "no", "page",
                # agenda items titled by a title word ('Councillor Questions pdf icon PDF 125 KB')
                "questions", "question", "motions", "motion", "petitions", "petition", "announcements", "briefing",
                "allowances", "report", "reports"}
# title words, lower case: an untitled name never starts with one (the titled reading reads it)
TITLE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "cllr", "councillor", "councillors",
                "cllrs", "professor", "prof", "rev", "reverend", "baroness", "baron", "alderman", "aldermen", "mayor",
               "bailie", "bailies", "ald"}


def _trim_name(raw: str) -> str:
    """The name part of a captured run: stops at the first word that is a role or not a name
    ('Ross Houston Cabinet Member' -> 'Ross Houston')."""
    words = raw.split()
    keep = []
    for w in words:
        if re.search(r"['’]s$", w):  # "Mrs Bell's report": the possessive ends the name
            keep.append(w[:-2])
            break
        low = w.lower().strip(".,")
        initial = bool(re.fullmatch(r"(?:[A-Z]\.?)+", w))  # 'A Jones', 'H.A.L. Evans': initials, not words
        if not initial and (low in ROLE_WORDS or low in _STOP_TOKENS or (keep and low in TITLE_WORDS)):
            break   # (a title after a name opens the next: 'Ald S Hanna Ald S McDonald')
        keep.append(w)
    return " ".join(keep)


@lru_cache(maxsize=1)
def _titles() -> tuple[re.Pattern, set[str]]:
    table = rows("person_titles")
    # each title of four letters or more also in capitals, as headings and older minutes print it ('COUNCILLORS -
    # Akbar, Ashraf'); not the short ones ('MS Teams', 'DR' of a reference)
    spelt = [t for r in table for t in (r["title"], _upper_pattern(r["title"]))
             if t == r["title"] or len(re.sub(r"\\.|[^A-Za-z]", "", r["title"])) >= 4]
    alts = "|".join(f"(?:{t})" for t in sorted(dict.fromkeys(spelt), key=lambda t: -len(t)))
    plural = {r["title"] for r in table if r["plural"] == "yes"}
    # a long title may be glued to the word before it in flattened text ('ServicesCouncillor Mark Loveday')
    rx = re.compile(rf"(?:(?<![A-Za-z])|(?<=[A-Za-z])(?=Councillor|Cllr))(?P<title>(?:(?:{alts})[ \t]+)*(?:{alts}))"
                    # a plural title may govern its list over a dash or a colon ('Councillors – J Archibald, A Bennington, ...')
                    rf"(?P<dash>[ \t]+[-–—](?=[ \t])|[ \t]*:)?[ \t\n]+(?=[A-Z])")
    return rx, plural


def _upper_pattern(pattern: str) -> str:
    """A title's pattern in capitals; escapes ('\\.') kept as they are."""
    return re.sub(r"(?<!\\)[a-z]", lambda m: m.group(0).upper(), pattern)


def _title_row(title: str) -> tuple[dict, str] | None:
    """The vocabulary row of a printed title's last title ('Councillor Dr' -> Dr; 'Depute Lord Provost') and the
    words it covers: the longest run of the title's last words one row reads."""
    words = title.split()
    for k in range(len(words)):
        tail = " ".join(words[k:])
        for r in rows("person_titles"):
            if re.fullmatch(r["title"], tail) or tail.isupper() and re.fullmatch(_upper_pattern(r["title"]), tail):
                return r, tail
    return None


def _is_office(title: str) -> bool:
    """A title that is also an office on its own ('Mayor'): it titles a name only with a first name."""
    found = _title_row(title)
    return bool(found) and found[0]["office"] == "yes"


def _is_plural(title: str) -> bool:
    found = _title_row(title)
    return bool(found) and found[0]["plural"] == "yes"


@lru_cache(maxsize=1)
def _role_start() -> re.Pattern:
    heads = "|".join(r["head"] for r in rows("person_roles"))
    return re.compile(rf"(?:{heads})\b")


_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|;\s*(?:and\s+)?|\s+and\s+|\s*&\s*)")
_BRACKET = re.compile(r"\s*\((?P<role>[^()\n]{1,120})\)")
_DASH_ROLE = re.compile(r"[ \t]+[-–—][ \t]+(?P<role>[A-Z][^,;()\n]{1,80}?)(?=\s*(?:[,;.]|$|\s+and\s))")


_CAPS = re.compile(r"(?:Mc|Mac|O['’])?[A-Z]{2,}(?:[-‑][A-Z]{2,})*")
_INITIAL = re.compile(r"(?:[A-Z]\.?)+")
_HONOURS = {"OBE", "MBE", "CBE", "KBE", "JP", "DL", "MP", "QC", "KC", "MSP", "MS", "AM", "MEP", "BEM"}
_HONOURS_AFTER = re.compile(r"(?:,?[ \t]+(?:" + "|".join(sorted(_HONOURS)) + r"|J\.P\.)(?![\w.]))+")
# where a name printed in capitals may end: its entry ends ('Willie SAWERS' / ..., 'John ALEXANDER, Convener')
_ENTRY_ENDS = re.compile(r"[ \t]*(?:[,;()\n]|$|\.(?:\s|$)|[ \t]+and[ \t]|[ \t]+[-–—][ \t])")


def _caps_surname(words: list[str], text: str, end: int, titled: bool) -> tuple[int, bool]:
    """How many of a captured name's `words` to keep, and whether the last kept is a surname in capitals: the name
    stops at a word in capitals unless it is the surname ('Ian BORTHWICK', 'Derek J SCOTT', 'J SMITH', a titled
    'Councillor SMITH'): the last word, after a first name or initials, ending its entry ('Willie SAWERS' alone on
    its line, 'John ALEXANDER, Convener'); after a title, a whole name may be in capitals ('Councillors SANDY WEST')."""
    if titled and 2 <= len(words) <= 3 and all(_CAPS.fullmatch(w) and w not in _HONOURS for w in words) \
            and _ENTRY_ENDS.match(text, end):
        return len(words), True  # a whole name in capitals after a title ('Councillors SANDY WEST, GEORGE ALLAN')
    for n, w in enumerate(words):
        if not _CAPS.fullmatch(w):
            continue
        first = words[:n]
        if w.lower() in TITLE_WORDS:
            return n, False  # 'Councillor Farooq COUNCILLORS - Akbar': the title of the next list ends the name
        if n == len(words) - 1 and (first or titled) and w not in _HONOURS \
                and all(_INITIAL.fullmatch(x) for x in first[1:]) and _ENTRY_ENDS.match(text, end):
            return len(words), True
        return n, False
    return len(words), False


def _ordinary_case(word: str) -> str:
    """'BORTHWICK' -> 'Borthwick', 'McIRVINE' -> 'McIrvine', "O'REILLY" -> "O'Reilly", 'SMITH-JONES' -> 'Smith-Jones'."""
    m = re.match(r"(Mc|Mac|O['’])?(.*)", word)
    return (m.group(1) or "") + re.sub(r"[A-Z]+", lambda x: x.group(0).capitalize(), m.group(2))


# two initialled names run together without a comma ('J Gilmour M Goodman'): two people
_TWO_INITIALLED = re.compile(r"(?:[A-Z]\.?[ \t]+)+[A-Z][\w'’‑-]+(?=[ \t]+(?:[A-Z]\.?[ \t]+)+[A-Z][a-z])")


def _name_at(text: str, pos: int, *, allow_single: bool) -> tuple[int, int, str] | None:
    m = _NAME_RE.match(text, pos)
    if not m:
        return None
    got = m.group(0)
    two = _TWO_INITIALLED.match(got)
    if two:
        got = two.group(0)
    caps = False
    if _CAPS.search(got):
        n, caps = _caps_surname(got.split(), text, m.start() + len(got), allow_single)
        got = got[:[w.end() for w in re.finditer(r"\S+", got)][n - 1]] if n else ""
        if not got:
            return None
    raw = _trim_name(got)
    if caps and raw == got:  # a surname in capitals: the name prints it in the ordinary way ('Ian Borthwick')
        name = " ".join(_ordinary_case(w) if _CAPS.fullmatch(w) else w for w in raw.split())
        if not is_name(name, allow_single=allow_single):
            return None
        return m.start(), m.start() + len(raw), name
    if allow_single and all(re.fullmatch(r"(?:[A-Z]\.?)+", w) for w in raw.split()):
        # 'Mrs C Head': a title and initials make a role word a surname
        words = got.split()
        k = next((n for n, w in enumerate(words) if not re.fullmatch(r"(?:[A-Z]\.?)+", w)), len(words))
        raw = " ".join(words[:k + 1]) if 0 < k < len(words) else ""
    name = re.sub(r"\s+", " ", raw)
    initials = len(name.split()) > 1 and all(re.fullmatch(r"(?:[A-Z]\.?)+", w) for w in name.split()[:-1])
    if not name or not is_name(name, allow_single=allow_single, role_words=not (allow_single and initials)):
        return None
    return m.start(), m.start() + len(raw), name


def name_list(text: str, pos: int, *, titled: bool) -> list[tuple[int, int, str, str | None]]:
    """Names of a list starting at `pos` ('Al-Samarai, Allard, ... and Yuill'; 'Alistair Hamilton,
    Service Manager - Development Management, Katherine Pollock, Planner, ...'): (start, end, name, role).
    An entry that is not a name is the role of the name before it; the list ends where an entry is
    neither."""
    out: list[tuple[int, int, str, str | None]] = []
    i = pos
    title_rx, _ = _titles()
    listed = None  # the role a title inside the list states, for the names after it
    while i < len(text):
        t = title_rx.match(text, i)
        if t and t.group("dash") and not _is_plural(t.group("title")):
            t = None
        if t:  # 'Danny Connellan. Councillors Angela Caldara, ...': a title inside the list titles what follows
            # ('... and Warke; Councillors Campbell, Carlin': Councillors, no longer Aldermen)
            i, titled, listed = t.end(), True, title_role(t.group("title"))
        hit = _name_at(text, i, allow_single=titled)
        office = None
        if hit is None and not (out and _role_start().match(text, i)):  # not the role of the name before it
            office = _office_entry(text, i)
        if office is not None:
            # 'Depute Provost Smith' (an office and a surname) or 'Lord Provost' alone (no person): the list goes on
            end, found = office
            if found:
                out.append(found)
            i = end
        elif hit is None:
            if not out:
                break
            # a role of the previous name: up to the next separator, or to ' and ' before the next name
            # ('Lead Officer - Major Business and Customer Service and Mark Barrett, ...')
            m = re.match(r"[^,;()\n]{2,120}?(?=\s*(?:,|;|\(|$|\n))", text[i:])
            if not m or not _role_start().match(text, i):
                break
            role_text, step = m.group(0), m.end()
            for a in reversed(list(re.finditer(r"\s+and\s+", role_text))):
                nxt = _name_at(text, i + a.end(), allow_single=False)
                if nxt and nxt[1] - i >= len(role_text.rstrip()):
                    role_text, step = role_text[:a.start()], a.start()
                    break
            s, e, n, r = out[-1]
            out[-1] = (s, e, n, clean_text(role_text) if r is None else r)
            i += step
        else:
            s, e, name = hit
            role = None
            b = _BRACKET.match(text, e)
            d = _DASH_ROLE.match(text, e)
            nxt = e
            if b:  # '(Chair)'; a number is a count, not a role ('... Scott and Murray (10); and for the amendment')
                role, nxt = (None if re.fullmatch(r"\s*\d+\s*", b.group("role")) else clean_text(b.group("role"))), b.end()
                while (b := _BRACKET.match(text, nxt)):  # 'Councillor Boyle (Mayor)(In the Chair); Aldermen ...'
                    nxt = b.end()
            elif d:
                role, nxt = clean_text(d.group("role")), d.end()
            out.append((s, e, name, role or listed))
            i = nxt
            h = _HONOURS_AFTER.match(text, i)
            if h:  # 'Allan Rainey MBE; Paul Robinson', 'Ald R Cherry, MBE Ald S Hanna': honours end no list
                i = h.end()
            ws = re.match(r"[ \t]+", text[i:])
            if ws and title_rx.match(text, i + ws.end()):
                i += ws.end()  # 'Ald Mrs M Beattie Ald R Cherry': titled entries printed one after another
                continue
            # the name must end its entry: a word that follows it ('Whitton attended') ends the list
            if i < len(text) and not _SEP.match(text, i):
                if _TWO_INITIALLED.match(text, s) and _TWO_INITIALLED.match(text, s).end() == e:
                    i = re.match(r"[ \t]+", text[e:]).end() + e  # 'J Gilmour M Goodman': the next name
                    continue
                break
        sep = _SEP.match(text, i)
        if not sep:
            break
        i = sep.end()
    return out


_ENTRY = re.compile(r"[^,;()\n]{2,60}?(?=\s*(?:[,;]|\s+and\s+|$|\n))")


def _office_entry(text: str, i: int):
    """A list entry that opens with an office ('Depute Provost Smith', 'Lord Provost'): (end, (s, e, name, role) or
    None), or None when the entry is something else."""
    m = _ENTRY.match(text, i)
    if not m:
        return None
    words = m.group(0).split()
    k = 0
    while k < len(words) and (words[k].lower() in ROLE_WORDS or words[k].lower() in _STOP_TOKENS):
        k += 1
    if k == 0:
        return None
    rest = " ".join(words[k:])
    if not rest:
        return m.end(), None
    if not is_name(rest, allow_single=True):
        return None
    s = text.find(rest, i, m.end())
    return m.end(), (s, s + len(rest), rest, " ".join(words[:k]))


def _role_after(text: str, e: int) -> str | None:
    """A role apposed after a name: ' (Leader of the Council)', ', Cabinet Member for Finance', ' Cabinet Member for ...'."""
    b = _BRACKET.match(text, e)
    if b and _role_start().search(b.group("role")[:40]):
        return clean_text(b.group("role"))
    m = re.match(r"(?:\s*,\s*|[ \t]+)(?=\S)", text[e:e + 4])
    if m and _role_start().match(text, e + m.end()):
        return role_run(text, e + m.end())
    return None


_ROLE_WORD = r"(?:[A-Z][\w'’&/.\-]*|of|for|and|the|&|[-–]|to|in|on|with)"
_ROLE_RUN = re.compile(rf"{_ROLE_WORD}(?:[ \t]+{_ROLE_WORD}){{0,14}}")


def role_run(text: str, pos: int) -> str | None:
    """The role printed at `pos`: capitalised words and the small words between them ('Leader of the Council',
    'Service Manager - Development Management'), up to the first other word ('... provided an update')."""
    m = _ROLE_RUN.match(text, pos)
    if not m:
        return None
    role = re.sub(r"(?:[ \t]+(?:of|for|and|the|&|[-–]|to|in|on|with))+$", "", m.group(0))
    return clean_text(role) or None


def title_role(title: str) -> str | None:
    """The role a title itself states (`role` in person_titles.csv): 'Cllrs', 'County Councillor' -> 'Councillor';
    'Aldermen' -> 'Alderman'; 'Depute Lord Provost' as printed; 'Mr' states none."""
    found = _title_row(title)
    if not found or not found[0]["role"]:
        return None
    return found[1] if found[0]["role"] == "*" else found[0]["role"]


def titled_people(text: str) -> list[tuple[int, int, str, str | None, str]]:
    """(start, end, name, role, title) for every titled name on a page."""
    rx, _ = _titles()
    out = []
    for m in rx.finditer(text):
        title = re.sub(r"\s+", " ", m.group("title"))
        if m.group("dash") and not _is_plural(title):
            continue
        if _is_plural(title):
            found = name_list(text, m.end(), titled=True)
            if len(found) == 2 and len(found[0][2].split()) == 1 and len(found[1][2].split()) == 2 \
                    and re.fullmatch(r"\s+and\s+", text[found[0][1]:found[1][0]]):
                s, e, first, role = found[0]  # 'Councillors George and Judith Cooper': George Cooper
                found[0] = (s, e, f"{first} {found[1][2].split()[-1]}", role)
            for s, e, name, role in found:
                out.append((s, e, name, role or _role_after(text, e) or title_role(title), title))
            continue
        hit = _name_at(text, m.end(), allow_single=True)
        if hit:
            s, e, name = hit
            single = len(name.split()) < 2
            if (single and "\n" in m.group(0)) or (_is_office(title) and (single or "\n" in text[s:e])):
                continue  # 'Councillor' at a line end over 'Poster / postcard'; 'Dep Mayor Pendant' / 'Annual Return'
            out.append((s, e, name, _role_after(text, e) or title_role(title), title))
    out.extend(roster_people(text))
    return sorted(out, key=lambda r: r[0])


_HEADING = re.compile(r"^[ \t]*(?P<title>[A-Za-z][A-Za-z ]{2,30}?)[ \t]*:?[ \t]*$", re.M)


def roster_people(text: str) -> list[tuple[int, int, str, str | None, str]]:
    """A plural title printed as a heading over one name a line (a sederunt: 'BAILIES' / 'Willie SAWERS' /
    'Kevin KEENAN' ...): each name under it, up to the first line that is not one name (blank lines between
    names are skipped)."""
    out = []
    for h in _HEADING.finditer(text):
        title = re.sub(r"\s+", " ", h.group("title").strip())
        printed = title.title() if title.isupper() else title
        if not _is_plural(printed) or _title_row(printed)[1] != printed:
            continue
        out.extend(one_a_line(text, h.end(), title_role(printed), title))
    return out


# what a members' list may print after a name and its role: the member's ward ('Elaine Murray (Leader)-Nith')
_WARD_AFTER_ROLE = re.compile(r"\)[ \t]*-[ \t]*[A-Z][^\n]*\n[^\n]*\)[ \t]*-[ \t]*[A-Z]")
_WARD_AFTER = re.compile(r"[ \t]*[-–—][ \t]*[A-Z][\w'’&,. -]{1,60}[ \t]*")


def one_a_line(text: str, pos: int, role: str | None, title: str) -> list[tuple[int, int, str, str | None, str]]:
    """The names printed one a line after `pos` ('Willie SAWERS' / 'Kevin KEENAN', 'Councillor A Smith (Chair)' /
    'John Brown, Service Manager'), each with its own title, bracketed or apposed role, or else `role`; blank
    lines between them are skipped, and the list ends at the first line that is not one name."""
    out = []
    rx, _ = _titles()
    # a list that prints wards after its roles ('Elaine Murray (Leader)-Nith') joins each name to its ward by a
    # hyphen too ('Graham Bell-North West Dumfries'): there the hyphen ends the name
    wards = bool(_WARD_AFTER_ROLE.search(text, pos, pos + 400))
    for ln in re.finditer(r"[^\n]*", text[pos:]):
        line = ln.group(0)
        if not line.strip():
            continue
        at = pos + ln.start() + len(line) - len(line.lstrip())
        t = rx.match(text, at)
        if t and t.group("dash"):
            break
        cut = [m.start() for m in re.finditer(r"(?<=[a-z])-(?=[A-Z])", line)] if wards else []
        upto = pos + ln.start() + cut[-1] if cut and "(" not in line else len(text)
        hit = _name_at(text[:upto], t.end() if t else at, allow_single=bool(t))
        if not hit or (t and "\n" in t.group(0)):
            break
        s, e, name = hit
        b = _BRACKET.match(text, e)
        own = clean_text(b.group("role")) if b else _role_after(text, e)
        rest_at = b.end() if b else (e + len(re.match(r"[^\n]*", text[e:]).group(0)) if own else e)
        rest = text[rest_at:pos + ln.end()]
        if rest.strip() and not _WARD_AFTER.fullmatch(rest):
            break  # more than a name on the line: not a list of names
        out.append((s, e, name, own or (title_role(t.group("title")) if t else None) or role, title))
    return out


_RECEIVED_FROM = re.compile(r"\b(?:apologies|apology)\b[^.\n]{0,60}?\breceived\s+from\s+|^Received from\s+", re.I | re.M)
_APPOSED = re.compile(rf"(?:^|(?<=[\s(]))(?P<name>{NAME})(?:\s*,\s*|\s*\(|[ \t]*\n[ \t]*)(?=[A-Z])")
_BOUNDARY = re.compile(r"(?:^|[.:;,(]\s*|\n\s*|\b(?:from|by|with|and|to|for|of)\s+)$")


def apposed_people(text: str) -> list[tuple[int, int, str, str]]:
    """Untitled names with a role apposed: 'Sarah Cary, Executive Director Place', 'Diana Minns (Vice-Chair)',
    'Stewart Fraser' over 'Head of Corporate Governance'."""
    out = []
    for m in _APPOSED.finditer(text):
        name = _trim_name(m.group("name"))
        if len(name.split()) < 2 or name != m.group("name") or not is_name(name) \
                or name.split()[0].lower().strip(".") in TITLE_WORDS:
            continue  # a titled name is read as one
        if "\n" in text[m.end("name"):m.end()] and not _signature(text, m.start("name"), m.end("name")):
            continue  # a name over a role line is read only in a signature
        if not _BOUNDARY.search(text[max(0, m.start() - 12):m.start()]):
            continue
        if not _role_start().match(text, m.end()):
            continue
        out.append((m.start("name"), m.start("name") + len(name), name, role_run(text, m.end())))
    return out


_SIGN_OFF = re.compile(r"^\s*(?:Yours\s+(?:faithfully|sincerely|truly)|(?:Kind|Best|With kind) regards|Signed|Signature)\b", re.I)


def _signature(text: str, s: int, e: int) -> bool:
    """A name alone on its line under a sign-off ('Yours faithfully' / 'Stewart Fraser' / 'Head of ...')."""
    line_start = text.rfind("\n", 0, s) + 1
    line_end = text.find("\n", e)
    if text[line_start:s].strip() or text[e:line_end if line_end >= 0 else len(text)].strip():
        return False
    back = line_start  # the four lines above, found from the line's start (not a split of all the text before it)
    for _ in range(4):
        if back <= 0:
            break
        back = text.rfind("\n", 0, back - 1) + 1
    before = [ln for ln in text[back:line_start].split("\n")[-4:] if ln.strip()]
    return bool(before) and bool(_SIGN_OFF.match(before[-1]))


def received_from(text: str) -> list[tuple[int, int, str, str | None]]:
    """'Apologies were received from Tenant Representative Lulu Agate', '... from Minesh Patel (...) and ...'."""
    out = []
    for m in _RECEIVED_FROM.finditer(text):
        i = m.end()
        lead = re.match(r"(?:(?:[A-Z][a-z]+)\s+){1,3}(?=[A-Z][a-z]+\s+[A-Z])", text[i:])
        role = None
        if lead and all(w.lower() in ROLE_WORDS or w.lower() in _EXTRA_ROLE_WORDS for w in lead.group(0).split()):
            role, i = lead.group(0).strip(), i + lead.end()  # 'Tenant Representative' before the name
        for s, e, name, r in name_list(text, i, titled=False):
            out.append((s, e, name, r or role))
    return out


_EXTRA_ROLE_WORDS = {"tenant", "representative", "co-opted", "independent", "parent", "governor", "youth"}


# --- labelled fields --------------------------------------------------------------------

_SPLIT_CONTACT = re.compile(r"\s*(?:/|\s{2,}|,|\t|;)\s*")
_LABEL_WORD = re.compile(r"^(?:Tel(?:ephone)?|Phone|E-?mail|Email|Fax|Ext(?:ension)?|Mobile)\b\.?\s*:?\s*", re.I)


def contact_people(ln: Line, value_at: int, following: list[Line]) -> list[tuple[int, int, str, str | None, str | None, str | None]]:
    """A contact field's people: (start, end, name, role, email, phone). The value runs on the field's line
    ('Kirsty Macleod Email: ...', 'Lara Knight / Michelle Salmon, Governance Services, Tel: ... Email: a / b')
    and the lines under it up to the next field or blank line (addresses and numbers)."""
    page = ln.page
    text = page.text
    raw_start = text.find(ln.clean[value_at:value_at + 10], ln.start) if ln.clean[value_at:] else -1
    if raw_start < 0:
        return []
    zone_end = ln.end
    for nxt in following[:3]:
        if nxt.blank or nxt.field or nxt.page is not page:
            break
        zone_end = nxt.end
    zone = text[raw_start:zone_end]
    cut = re.search(r"\b(?:Tel(?:ephone)?|Phone|E-?mail|Email|Fax)\b|" + PHONE_RE.pattern + "|" + EMAIL_RE.pattern
                    + r"|\b\d{4,}", zone)
    head = zone[:cut.start()] if cut else zone
    names: list[list] = []
    pos = 0
    for part in _SPLIT_CONTACT.split(head):
        k = head.find(part, pos)
        pos = k + len(part)
        part_s = part.strip()
        if not part_s:
            continue
        name = strip_titles(part_s)
        if names and _role_start().search(part_s):  # 'Peter Green, Traffic Engineer': a role, not a second name
            if names[-1][3] is None:
                names[-1][3] = clean_text(part_s)
        elif is_name(name) and _trim_name(name) == name:
            s = raw_start + k + part.find(name.split()[0])
            names.append([s, s + len(name), name, None])
        elif names and names[-1][3] is None and not re.search(r"\d", part_s):
            names[-1][3] = clean_text(part_s)
    emails = [normalise_email(e) for e in EMAIL_RE.findall(zone)]
    phones = [normalise_phone(p.group(0)) for p in PHONE_RE.finditer(zone)]
    out = []
    for n, (s, e, name, role) in enumerate(names):
        surname = name.split()[-1].lower()
        mine = [x for x in emails if x and surname in x.split("@")[0]]
        email = mine[0] if mine else (emails[0] if len(names) == 1 and len(emails) == 1 else None)
        phone = phones[0] if len(names) == 1 and phones and phones[0] else None
        out.append((s, e, name, role, email, phone))
    return out


def attendance_people(ln: Line, value_at: int, following: list[Line]) -> list[tuple[int, int, str, str | None]]:
    """An attendance field's list ('PRESENT: Councillors Alice McGarry (Convener), David Alexander, ...',
    'ATTENDING: Alistair Hamilton, Service Manager - Development Management, ...'), over the lines under it
    up to a blank line or the next field."""
    page = ln.page
    text = page.text
    zone_end = ln.end
    for nxt in following[:12]:
        if nxt.blank or nxt.field or nxt.page is not page:
            break
        zone_end = nxt.end
    if not ln.clean[value_at:].strip():  # 'PRESENT:' alone, the names one a line under it
        return [(s, e, n, r) for s, e, n, r, _t in one_a_line(text, ln.end, None, "")]
    start = ln.start + ln.page.text[ln.start:ln.end].find(ln.clean[value_at:value_at + 8]) if ln.clean[value_at:] else None
    if start is None or start < ln.start:
        return []
    zone = text[:zone_end]
    rx, _ = _titles()
    t = rx.match(zone, start)
    if t and _is_plural(t.group("title")):
        title = title_role(t.group("title"))
        return [(s, e, n, r or title) for s, e, n, r in name_list(zone, t.end(), titled=True)]
    found = name_list(zone, start, titled=False)  # each entry may carry its own title ('Cllr. H. Gwynne (Chair), Cllr. ...')
    if not found:  # 'Officers Present: Chief Executive - J Dixon Director of Operations – G Girvan ...'
        return role_first_list(zone, start)
    return [(s, e, n, r or (title_role(t.group("title")) if t else None)) for s, e, n, r in found]


# a role printed before its name: 'Chief Executive - J Dixon', 'Director of Health and Community (Mrs K McFarland)'
_ROLE_BEFORE = re.compile(r"(?P<role>[A-Z][^,;()\n\d]{1,100}?)(?:[ \t]+(?P<dash>[-–—])[ \t]+|[ \t]*\([ \t]*)")
_LIST_SEP = re.compile(r"[ \t]*(?:[,;][ \t]*)?(?:and[ \t]+)?")


def role_first_list(text: str, pos: int) -> list[tuple[int, int, str, str | None]]:
    """An attendance list whose entries print the role first ('Chief Executive - J Dixon Director of Economic
    Development and Planning – M McAlister ...', 'Chief Executive (Mr J Kelpie), Director of ... (Mrs K
    McFarland) and ...'): (start, end, name, role). The role must read as one (a role word or a role's opening
    words); the list ends at the first entry that is not a role and a name."""
    out: list[tuple[int, int, str, str | None]] = []
    title_rx, _ = _titles()
    i = pos
    while i < len(text):
        m = _ROLE_BEFORE.match(text, i)
        if not m:
            break
        role = clean_text(m.group("role"))
        if not (any(w.lower().strip(".,") in ROLE_WORDS for w in role.split()) or _role_start().search(role)):
            break
        j = m.end()
        t = title_rx.match(text, j)
        if t and not t.group("dash"):
            j = t.end()
        hit = _name_at(text, j, allow_single=bool(t))
        if not hit:
            break
        s, e, name = hit
        words = name.split()
        if _INITIAL.fullmatch(words[0]) and len(words) > 2:  # 'J Dixon Director ...': initials and one surname
            k = next(n for n, w in enumerate(words) if not _INITIAL.fullmatch(w))
            if k + 1 < len(words):
                e = s + _end_of_words(text[s:e], k + 1)
                name = " ".join(words[:k + 1])
        if not m.group("dash"):  # the bracket closes after the name
            close = re.match(r"[ \t]*\)", text[e:])
            if not close:
                break
            nxt = e + close.end()
        else:
            nxt = e
        out.append((s, e, name, role))
        i = _LIST_SEP.match(text, nxt).end()
    return out


def _end_of_words(text: str, n: int) -> int:
    """Offset in `text` just after its first `n` words."""
    return [w.end() for w in re.finditer(r"\S+", text)][n - 1]
