"""Facts that span documents of one run: the same decision printed in several papers gets one key;
the decisions decide the standing of the papers they adopt or reject; a table printed in two papers
is one table and a reprint.

A meeting's resolution is printed on its ModernGov issue page, its decision-details page
and in the printed minutes; each printing is a `decisions` row of its own document (with
its own provenance), and all of them share `decision_key`: a content id of the council,
the meeting's body and date, the decision's label and its words. Where the meeting's date
is not known, nothing ties two printings together and the key is the row's decision_id.
"""
from __future__ import annotations

import re

from .ids import content_id
from .normalise.bodies import body_key
from .standing import group_of, standing_of
from .structure import norm_words


def _words(text: str | None) -> str:
    return re.sub(r"^(?:that|to)\s+", "", norm_words(text or ""))[:200]


def link_decisions(tables: dict[str, list[dict]]) -> None:
    """Set `decision_key` on every decisions row (in place)."""
    meetings = {m["meeting_id"]: m for m in tables.get("meetings", [])}
    councils = {d["doc_id"]: d.get("council_code") for d in tables.get("documents", [])}
    for d in tables.get("decisions", []):
        m = meetings.get(d.get("meeting_id"))
        if m and m.get("meeting_date") and m.get("body"):
            d["decision_key"] = content_id("decision", councils.get(d["doc_id"]), body_key(m["body"]), m["meeting_date"],
                                           (d.get("label") or "").lower(), _words(d.get("text")))
        else:
            d["decision_key"] = d["decision_id"]


# --- standing and reprints of plan tables ---------------------------------------------------------

_APPENDIX_OF_TITLE = re.compile(r"^\W*(?i:appendix)\s+([A-Z]{1,2}|\d{1,2})\b")
_APPENDIX_LIST = re.compile(r"\b(?i:appendi(?:x|ces))\s+((?:[A-Z]{1,2}|\d{1,2})\b(?:\s*\([^)]*\))?"
                            r"(?:\s*(?:,|&|\band\b)?\s*(?:(?i:appendix)\s+)?(?:[A-Z]{1,2}|\d{1,2})\b(?:\s*\([^)]*\))?)*)")
_NOT_ADOPTING = re.compile(r"^\W*(?:to\s+)?note\b", re.I)
CONTESTED = ("alternative", "amendment")


def appendices_named(text: str | None) -> set[str]:
    """The appendices a decision names: 'as set out in appendices D (...) E (...), appendix F (...) and G' -> D E F G."""
    found = set()
    for m in _APPENDIX_LIST.finditer(text or ""):
        found.update(re.findall(r"\b([A-Z]{1,2}|\d{1,2})\b", re.sub(r"\([^)]*\)", " ", m.group(1))))
    return found


def _adopts(d: dict) -> bool:
    return (d.get("vote") not in ("lost", "deferred") and d.get("kind") not in ("recommended", "noted")
            and not _NOT_ADOPTING.match(d.get("text") or ""))


def link_standing(tables: dict[str, list[dict]]) -> None:
    """Apply the run's decisions to the standing read from each paper's words (in place).

    A paper or table that is an amendment or alternative budget of a political group becomes
    `rejected` when a decision of the same council records an amendment or alternative budget of
    that group as lost. A document (and its tables) with no standing or `proposed` becomes `adopted`
    when a carried resolution of its council names it: its title is 'Appendix F' and the resolution
    approves what is 'set out in ... appendix F'. A rejected document's contested tables are rejected."""
    docs = {d["doc_id"]: d for d in tables.get("documents", [])}
    by_council: dict[str, list[dict]] = {}
    for d in tables.get("decisions", []):
        code = (docs.get(d["doc_id"]) or {}).get("council_code")
        if code:
            by_council.setdefault(code, []).append(d)

    def lost_for(code, group) -> bool:
        return bool(group) and any(d.get("vote") == "lost" and standing_of(d.get("text")) in CONTESTED
                                   and group & group_of(d.get("text")) for d in by_council.get(code, []))

    doc_tables: dict[str, list[dict]] = {}
    for t in tables.get("tables", []):
        doc_tables.setdefault(t["doc_id"], []).append(t)
    for doc_id, doc in docs.items():
        code, own = doc.get("council_code"), doc.get("standing")
        ts = doc_tables.get(doc_id, [])
        if not ts:
            continue
        if own in CONTESTED and lost_for(code, group_of(doc.get("title"))):
            doc["standing"] = "rejected"
        for t in ts:
            if t.get("standing") in CONTESTED and (doc["standing"] == "rejected"
                                                   or lost_for(code, group_of(t.get("caption")) or group_of(doc.get("title")))):
                t["standing"] = "rejected"
        m = _APPENDIX_OF_TITLE.match(doc.get("title") or "")
        if m and own in (None, "proposed") and code and any(
                _adopts(d) and m.group(1) in appendices_named(d.get("text")) for d in by_council.get(code, [])):
            doc["standing"] = "adopted"
            for t in ts:
                if t.get("standing") in (None, "proposed"):
                    t["standing"] = "adopted"


def link_reprints(tables: dict[str, list[dict]]) -> None:
    """Mark reprints (in place): tables of different documents with the same fingerprint of figures are one
    table printed twice. The canonical printing is the one in the shortest document (an appendix on its own
    rather than the pack that reprints it), then by path; the others get `duplicate_of` and standing `reprint`.
    A copy printed in a rejected paper rejects a contested canonical one too (it is the same amendment); an
    administration's table that an alternative budget reprints unchanged keeps its own standing."""
    docs = {d["doc_id"]: d for d in tables.get("documents", [])}
    groups: dict[str, list[dict]] = {}
    for t in tables.get("tables", []):
        t.setdefault("duplicate_of", None)
        if t.get("fingerprint"):
            groups.setdefault(t["fingerprint"], []).append(t)
    for group in groups.values():
        if len({t["doc_id"] for t in group}) < 2:
            continue
        canon = min(group, key=lambda t: ((docs.get(t["doc_id"]) or {}).get("pages") or 0,
                                          (docs.get(t["doc_id"]) or {}).get("source_path") or "", t["page_first"] or 0,
                                          t["table_id"]))
        for t in group:
            if t["doc_id"] == canon["doc_id"]:
                continue
            if t.get("standing") == "rejected" and canon.get("standing") in CONTESTED:
                canon["standing"] = "rejected"
            t["duplicate_of"], t["standing"] = canon["table_id"], "reprint"
