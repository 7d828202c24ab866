"""The council register: mySociety's UK councils (GSS codes, dates, successors, name variants),
Democracy Club's committee-site hosts, and our curated supplement, loaded once.

Everything here is read from pipeline/councils/data/ (see its README for attribution), so
the package runs without ../shared. Lookups are keyed by normalised name, exact-case
abbreviation, committee-site host and registrable web/email domain; a key shared by two
councils that were live at the same time is dropped (kept in `ambiguous`) rather than
guessed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Hosts on shared committee-system platforms: the whole host names the council.
PLATFORM_SUFFIXES = ("moderngov.co.uk", "cmis.uk.com", "cmis-ni.org")
# Two-label public suffixes: the registrable domain is one label more.
PUBLIC_SUFFIXES2 = ("gov.uk", "org.uk", "co.uk", "ac.uk", "nhs.uk", "gov.wales", "gov.scot",
                    "llyw.cymru", "me.uk", "net.uk", "ltd.uk", "plc.uk", "sch.uk", "police.uk")

# Trailing words stripped from a name to get the base a text phrase "X ... Council" is looked up by.
_TYPE_SUFFIX = re.compile(
    r"\s+(?:(?:metropolitan borough|metropolitan district|county borough|city and county|borough|city|county|district)\s+)?"
    r"council$")
_ALWAYS_STRIP = re.compile(r"\s+(?:ua|unitary authority|district|london boro)$")


def normalise(name: str) -> str:
    """Lower-case comparison key: '&' is 'and', punctuation and hyphens are spaces, no leading 'the'."""
    s = name.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    return s


def base_forms(key: str) -> set[str]:
    """A normalised name and its forms without council-type words ('kent county council' -> 'kent')."""
    out = {key}
    for k in list(out):
        out.add(_ALWAYS_STRIP.sub("", k))
    for k in list(out):
        out.add(_TYPE_SUFFIX.sub("", k))
    return {k for k in out if k}


def registrable_domain(host: str) -> str | None:
    """The part of a host that names its owner: x.gov.uk, x.com; whole host on shared platforms."""
    host = host.lower().strip().strip(".")
    host = host.split(":")[0]
    if host.startswith("www."):
        host = host[4:]
    if not host or "." not in host:
        return None
    for suffix in PLATFORM_SUFFIXES:
        if host.endswith("." + suffix):
            return host
        if host == suffix:
            return None
    labels = host.split(".")
    n = 3 if any(host.endswith("." + s) or host == s for s in PUBLIC_SUFFIXES2) else 2
    if len(labels) < n:
        return None
    return ".".join(labels[-n:])


def _date(s: str) -> date | None:
    return date.fromisoformat(s) if s else None


@dataclass(frozen=True)
class Council:
    key: str  # mySociety local-authority-code (fixed register id)
    code: str | None  # ONS GSS code
    name: str  # nice-name
    official_name: str
    start: date | None  # as the register prints it
    end: date | None
    replaced_by: tuple[str, ...]
    nation: str
    type: str
    type_name: str
    first_day: date | None = None  # start when it is a real reorganisation date, else None
    last_day: date | None = None  # inclusive last day (see Register._validity)
    former_codes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    moderngov_hosts: tuple[str, ...] = ()

    def live_on(self, day: date) -> bool:
        return (self.first_day is None or day >= self.first_day) and (self.last_day is None or day <= self.last_day)

    @property
    def current(self) -> bool:
        return self.last_day is None

    def overlaps(self, other: "Council") -> bool:
        lo = max(self.first_day or date.min, other.first_day or date.min)
        hi = min(self.last_day or date.max, other.last_day or date.max)
        return lo <= hi

    def validity(self) -> str:
        a = self.first_day.isoformat() if self.first_day else "…"
        b = self.last_day.isoformat() if self.last_day else "now"
        return f"{a} to {b}"


@dataclass
class Register:
    councils: dict[str, Council]
    by_gss: dict[str, str]  # current and former GSS code -> key
    names: dict[str, tuple[str, ...]]  # normalised name / base -> keys
    abbreviations: dict[str, tuple[str, ...]]  # exact-case abbreviation -> keys
    domains: dict[str, tuple[str, ...]]  # registrable domain or platform host -> keys
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # dropped keys -> councils
    supplement_counts: dict[str, int] = field(default_factory=dict)
    derived_domains: int = 0

    def by_code(self, code: str) -> Council | None:
        key = self.by_gss.get(code.strip().upper())
        return self.councils.get(key) if key else None

    def choose(self, keys, on: date | None) -> tuple[Council | None, str]:
        """Pick the council among candidates for a name or domain, by validity on the date.

        With a date: the one live that day, none if none or several are. Without: the one
        live now (no end date), else the latest ended; this uses the data, not the clock.
        """
        cands = [self.councils[k] for k in sorted(set(keys)) if k in self.councils]
        if not cands:
            return None, "no candidate"
        if on is not None:
            live = [c for c in cands if c.live_on(on)]
            if len(live) == 1:
                return live[0], f"live on {on.isoformat()}"
            if not live:
                return None, (f"none of {', '.join(c.name for c in cands)} was live on {on.isoformat()} "
                              f"({'; '.join(c.name + ' ' + c.validity() for c in cands)})")
            return None, f"several live on {on.isoformat()}: {', '.join(c.name for c in live)}"
        current = [c for c in cands if c.current]
        if len(current) == 1:
            return current[0], "no date: the one live now"
        if len(current) > 1:
            return None, f"no date and several live now: {', '.join(c.name for c in current)}"
        latest = max(c.last_day for c in cands)
        last = [c for c in cands if c.last_day == latest]
        if len(last) == 1:
            return last[0], f"no date: the latest ended ({latest.isoformat()})"
        return None, f"no date and several ended {latest.isoformat()}: {', '.join(c.name for c in last)}"


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _validity(rows: list[dict[str, str]]) -> dict[str, tuple[date | None, date | None]]:
    """(first_day, last_day) per council.

    The register's start dates are mostly database artefacts (2005-06-18 for councils far
    older), so a start counts only when it is a reorganisation date: some council names
    this one as its successor, or a council ended that day or the day before (NI 2015).
    End dates are not consistently inclusive (2019 predecessors end 03-31, 2023 ones
    04-01): a council is live on its end date unless a successor starts that same day.
    """
    starts = {r["local-authority-code"]: _date(r["start-date"]) for r in rows}
    ends = {_date(r["end-date"]) for r in rows if r["end-date"]}
    ends |= {e + timedelta(days=1) for e in ends}
    successors = {k for r in rows for k in r["replaced-by"].split(",") if k}
    out = {}
    for r in rows:
        key = r["local-authority-code"]
        s = starts[key]
        first = s if s and (key in successors or s in ends) else None
        end = _date(r["end-date"])
        last = end
        if end:
            succ = [k for k in r["replaced-by"].split(",") if k]
            if any(starts.get(k) == end for k in succ):
                last = end - timedelta(days=1)
        out[key] = (first, last)
    return out


def _drop_overlaps(index: dict[str, set[str]], councils: dict[str, Council], ambiguous: dict, prefer: dict | None = None):
    """Keep each key's councils that were never live at the same time as another candidate."""
    out = {}
    for k, keys in index.items():
        keys = {c for c in keys if c in councils}
        if prefer and k in prefer and len(keys) > 1:
            strong = keys & prefer[k]
            if strong:
                keys = strong
        clash = {a for a in keys for b in keys if a != b and councils[a].overlaps(councils[b])}
        if clash:
            ambiguous[k] = tuple(sorted(clash))
        keep = keys - clash
        if keep:
            out[k] = tuple(sorted(keep))
    return out


@lru_cache(maxsize=1)
def load() -> Register:
    rows = _read("uk_local_authorities_current.csv")
    validity = _validity(rows)
    gss_rows = _read("lookup_gss_to_registry.csv")
    name_rows = _read("lookup_name_to_registry.csv")
    sites = _read("council_websites.csv")
    supplement = _read("supplement.csv")

    names: dict[str, set[str]] = {}
    original: dict[str, set[str]] = {}  # names as the data prints them (beat derived bases)
    aliases: dict[str, set[str]] = {}

    def add_name(key: str, raw: str, derived_ok: bool = True):
        n = normalise(raw)
        if not n:
            return
        aliases.setdefault(key, set()).add(n)
        original.setdefault(n, set()).add(key)
        for b in (base_forms(n) if derived_ok else {n}):
            names.setdefault(b, set()).add(key)

    for r in rows:
        key = r["local-authority-code"]
        for raw in (r["nice-name"], r["official-name"]):  # alt-names is comma-joined and names contain commas: the lookup file has them whole
            add_name(key, raw)
    for r in name_rows:
        add_name(r["local-authority-code"], r["la-name"])

    abbreviations: dict[str, set[str]] = {}
    domains: dict[str, set[str]] = {}
    hosts: dict[str, set[str]] = {}
    moderngov: dict[str, set[str]] = {}
    counts = {"abbreviation": 0, "domain": 0, "domain_new": 0}
    derived = 0
    for r in sites:
        h = r["host"].strip().lower()
        if not h:
            continue
        hosts.setdefault(r["local-authority-code"], set()).add(h)
        if r["cms_type"] == "ModernGov":
            moderngov.setdefault(r["local-authority-code"], set()).add(h)
        for d in {h, registrable_domain(h)} - {None}:
            if r["local-authority-code"] not in domains.get(d, set()):
                derived += d == registrable_domain(h)
            domains.setdefault(d, set()).add(r["local-authority-code"])
    for r in supplement:
        kind, value, key = r["kind"], r["value"].strip(), r["council"]
        if kind == "abbreviation":
            abbreviations.setdefault(value, set()).add(key)
            counts["abbreviation"] += 1
        elif kind == "domain":
            counts["domain"] += 1
            d = registrable_domain(value) or value.lower()
            counts["domain_new"] += key not in domains.get(d, set())
            domains.setdefault(d, set()).add(key)

    by_gss = {}
    for r in gss_rows:
        if r["gss-code"].strip():
            by_gss[r["gss-code"].strip()] = r["local-authority-code"]
    former: dict[str, list[str]] = {}
    for r in rows:
        if r["gss-code"].strip():
            by_gss[r["gss-code"].strip()] = r["local-authority-code"]
        for g in r["former-gss-codes"].split(","):
            if g.strip():
                by_gss.setdefault(g.strip(), r["local-authority-code"])
    for g, k in by_gss.items():
        former.setdefault(k, []).append(g)

    dom_of: dict[str, set[str]] = {}
    for d, keys in domains.items():
        for k in keys:
            dom_of.setdefault(k, set()).add(d)

    councils = {}
    for r in rows:
        key = r["local-authority-code"]
        first, last = validity[key]
        councils[key] = Council(
            key=key, code=r["gss-code"].strip() or None, name=r["nice-name"].strip(), official_name=r["official-name"],
            start=_date(r["start-date"]), end=_date(r["end-date"]),
            replaced_by=tuple(k for k in r["replaced-by"].split(",") if k),
            nation=r["nation"], type=r["local-authority-type"], type_name=r["local-authority-type-name"],
            first_day=first, last_day=last,
            former_codes=tuple(sorted(g for g in former.get(key, []) if g != r["gss-code"].strip())),
            aliases=tuple(sorted(aliases.get(key, ()))),
            domains=tuple(sorted(dom_of.get(key, ()))),
            hosts=tuple(sorted(hosts.get(key, ()))),
            moderngov_hosts=tuple(sorted(moderngov.get(key, ()))),
        )
    ambiguous: dict[str, tuple[str, ...]] = {}
    return Register(
        councils=councils,
        by_gss=by_gss,
        names=_drop_overlaps(names, councils, ambiguous, prefer=original),
        abbreviations=_drop_overlaps(abbreviations, councils, ambiguous),
        domains=_drop_overlaps(domains, councils, ambiguous),
        ambiguous=ambiguous,
        supplement_counts=counts,
        derived_domains=derived,
    )
