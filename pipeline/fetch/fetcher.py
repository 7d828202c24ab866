"""Walk a ModernGov site's committees, meetings and papers into a folder with `manifest.csv`.

`fetch(site, out, options)` lists committees (`GetCommittees?lDays=0`), their meetings in the date
range (`GetMeetings`, dates dd/mm/yyyy) and each meeting (`GetMeeting`: agenda items and their linked
documents), then downloads each document once (a PDF linked from several items is one file) and the
meeting's own page (`ieListDocuments.aspx`). A file whose bytes are unchanged is not rewritten and
keeps its manifest row, so a second fetch is a no-op; a changed one is replaced atomically.

Where the web service is off or refused, the same walk is made from the HTML pages
(pipeline.fetch.pages), and an `info` row says so. Never silent: a site that answers neither way, a
changed XML shape, a site with committees but no meetings in the range, or a document that cannot
be had is a row in `fetch_problems.csv`, and the summary's `exit_code` is non-zero.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import moderngov, pages
from ..writer import atomic_write_bytes, sha256_of
from .http import Client, FetchError

MANIFEST_COLUMNS = ("file", "source_url", "council", "committee", "meeting_date", "meeting_id", "agenda_item",
                    "document_title", "fetched_at", "sha256", "etag", "last_modified")
PROBLEM_COLUMNS = ("severity", "code", "url", "committee", "meeting_id", "message")
KINDS = ("agenda", "reports", "minutes", "decisions")
SERVICE = "mgWebService.asmx"


@dataclass
class FetchOptions:
    committees: tuple[str, ...] = ()   # titles or ids; empty: all current committees
    date_from: date | None = None
    date_to: date | None = None
    kinds: tuple[str, ...] = KINDS
    dry_run: bool = False


@dataclass
class FetchSummary:
    base_url: str
    council: str | None
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    planned: list[tuple[str, str]] = field(default_factory=list)   # (file, url) in a dry run
    problems: list[dict] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 all fetched; 1 some documents could not be had; 3 the site itself failed ('info' rows, such
        as reading the HTML pages because the web service is off, change nothing)."""
        if any(p["severity"] == "error" for p in self.problems):
            return 3
        return 1 if any(p["severity"] == "warning" for p in self.problems) else 0


def resolve_site(site: str) -> tuple[str, str | None]:
    """(base URL, council name) for a URL, a GSS code or a council's name (through the register)."""
    from councilpapers.councils.register import base_forms, load, normalise, registrable_domain
    reg = load()
    if re.match(r"^https?://", site, re.I):
        base = site.rstrip("/")
        base = re.sub(r"/(?:mgWebService\.asmx|[a-z]+\.aspx).*$", "", base, flags=re.I)
        host = urlsplit(base).netloc.lower()
        keys = reg.domains.get(host) or reg.domains.get(registrable_domain(host) or "") or ()
        council, _ = reg.choose(keys, None) if keys else (None, "")
        return base, council.name if council else None
    council = reg.by_code(site)
    if council is None:
        keys = [k for form in base_forms(normalise(site)) for k in reg.names.get(form, ())]
        council, why = reg.choose(keys, None) if keys else (None, "no council of that name")
        if council is None:
            raise ValueError(f"{site!r}: not a URL, a GSS code or a council name the register knows ({why})")
    if not council.moderngov_hosts:
        raise ValueError(f"{council.name} does not publish through ModernGov in the register: give its site's URL")
    return f"https://{council.moderngov_hosts[0]}", council.name


def _slug(text: str | None, limit: int = 60) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", text or "").strip("-").lower()
    return s[:limit].strip("-") or "untitled"


def kind_of(title: str | None) -> str:
    t = (title or "").lower()
    if "minute" in t:
        return "minutes"
    if "decision" in t:
        return "decisions"
    if "agenda" in t or "frontsheet" in t or "public pack" in t:
        return "agenda"
    return "reports"


def _write_csv_atomic(path: Path, columns: tuple[str, ...], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))


def _read_manifest(path: Path) -> dict[str, dict]:
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def _sha256(path: Path) -> str | None:
    return sha256_of(path) if path.is_file() else None


class _Run:
    def __init__(self, base: str, council: str | None, out: Path, options: FetchOptions, client: Client):
        self.base, self.out, self.options, self.client = base, out, options, client
        self.summary = FetchSummary(base, council)
        self.manifest = _read_manifest(out / "manifest.csv")
        self.seen_urls: set[str] = set()
        if out.is_dir() and not options.dry_run:
            for stale in out.rglob(".part-*"):  # left by a fetch that was killed mid-download
                stale.unlink()

    def problem(self, severity: str, err: FetchError | None = None, code: str = "", url: str = "", message: str = "",
                committee: str | None = None, meeting_id: str | None = None) -> None:
        if err is not None:
            code, url, message = err.code, err.url, err.message
        self.summary.problems.append({"severity": severity, "code": code, "url": url, "committee": committee or "",
                                      "meeting_id": meeting_id or "", "message": message})

    def service(self, method: str, **params) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return self.client.get_text(f"{self.base}/{SERVICE}/{method}" + (f"?{query}" if query else ""))

    def store(self, url: str, rel: str, row: dict) -> None:
        """Download `url` to OUT/rel unless its bytes are what the folder already holds."""
        if self.options.dry_run:
            self.summary.planned.append((rel, url))
            return
        old = self.manifest.get(rel)
        intact = self._intact(rel)
        got = self.client.download(url, (self.out / rel).parent, etag=old.get("etag") if intact else None,
                                   last_modified=old.get("last_modified") if intact else None)
        self._settle(url, rel, row, got.sha256, {"etag": got.etag or "", "last_modified": got.last_modified or ""},
                     place=lambda dest: os.replace(got.path, dest),
                     discard=lambda: got.path and os.unlink(got.path))

    def store_page(self, url: str, rel: str, row: dict, data: bytes) -> None:
        """Keep a page already read (the meeting's page, whose links the walk needed), as served, as OUT/rel."""
        if self.options.dry_run:
            self.summary.planned.append((rel, url))
            return
        self._settle(url, rel, row, hashlib.sha256(data).hexdigest(), {"etag": "", "last_modified": ""},
                     place=lambda dest: atomic_write_bytes(dest, data))

    def _intact(self, rel: str) -> bool:
        old = self.manifest.get(rel)
        return bool(old) and _sha256(self.out / rel) == old.get("sha256")

    def _settle(self, url: str, rel: str, row: dict, sha: str | None, validators: dict, place, discard=lambda: None):
        """Put the new bytes in place with `place(dest)`, unless OUT/rel already holds them (or the server
        said 304 Not Modified: `sha` None), and record the file in the manifest."""
        dest = self.out / rel
        old = self.manifest.get(rel)
        if sha is None or (self._intact(rel) and old.get("sha256") == sha):
            # 304 Not Modified, or the same bytes again (a site that sends no validators)
            discard()
            self.summary.unchanged += 1
            self.manifest[rel] = {**row, **validators, "file": rel, "source_url": url, "sha256": old["sha256"],
                                  "fetched_at": old.get("fetched_at", "")}
            return
        changed = dest.exists()
        place(dest)
        if changed:
            self.summary.changed += 1
        else:
            self.summary.new += 1
        self.manifest[rel] = {**row, **validators, "file": rel, "source_url": url, "sha256": sha,
                              "fetched_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}

    def run(self) -> FetchSummary:
        """Walk the site, then write manifest.csv and fetch_problems.csv, whatever the walk met."""
        try:
            self._walk()
        finally:
            if not self.options.dry_run:
                self.out.mkdir(parents=True, exist_ok=True)
                _write_csv_atomic(self.out / "manifest.csv", MANIFEST_COLUMNS,
                                  [self.manifest[k] for k in sorted(self.manifest)])
                _write_csv_atomic(self.out / "fetch_problems.csv", PROBLEM_COLUMNS, self.summary.problems)
        return self.summary

    def _walk(self) -> None:
        source = self.source()
        if source is None:
            return
        try:
            listed = source.committees()
        except (FetchError, moderngov.ShapeError) as exc:
            self.fail(exc, source.name + ": committees")
            return
        if not listed and not self.options.committees:
            self.problem("error", code="no_committees", url=self.base,
                         message=f"the {source.name} list no committees: the site may have changed")
            return
        wanted = {c.lower() for c in self.options.committees}
        if wanted:
            chosen = [c for c in listed if c.id in wanted or c.title.lower() in wanted]
            # a committee asked for by its id is fetched even where the listing leaves it out
            chosen += [moderngov.Committee(w, w) for w in sorted(wanted) if w.isdigit() and w not in {c.id for c in chosen}]
        else:
            chosen = [c for c in listed if not c.deleted and not c.expired]
        if wanted and not chosen:
            self.problem("error", code="committee_not_found", url=self.base,
                         message=f"no committee titled or numbered {', '.join(sorted(wanted))} among {len(listed)}")
            return
        start = self.options.date_from or date(date.today().year - 1, date.today().month, 1)
        end = self.options.date_to or date.today()
        total = 0
        for committee in chosen:
            try:
                found = source.meetings(committee, start, end)
            except (FetchError, moderngov.ShapeError) as exc:
                self.fail(exc, source.name + ": meetings", committee=committee.title)
                continue
            total += len(found)
            for m in found:
                self.fetch_meeting(source, committee, m)
        if chosen and total == 0 and not any(p["severity"] == "error" for p in self.summary.problems):
            self.problem("error", code="no_meetings", url=self.base,
                         message=f"{len(chosen)} committees but no meetings from {start:%d/%m/%Y} to {end:%d/%m/%Y} "
                                 f"({source.name}): the site may have changed, or the range is empty")

    def fail(self, exc: Exception, what: str, **where) -> None:
        if isinstance(exc, FetchError):
            self.problem("error", exc, **where)
        else:
            self.problem("error", code="xml_shape_changed" if "service" in what else "page_shape_changed",
                         url=self.base, message=f"{what}: {exc}", **where)

    def source(self):
        """The web service, or the HTML pages when the service is off or refused (an info row says so)."""
        service = _Service(self)
        try:
            service.probe()
            return service
        except moderngov.ShapeError as exc:
            self.problem("error", code="xml_shape_changed", url=f"{self.base}/{SERVICE}/GetCommittees", message=str(exc))
            return None
        except FetchError as err:
            if err.code in ("robots_disallowed",):
                self.problem("error", err)
                return None
            code = "web_service_forbidden" if err.code == "forbidden" else "web_service_unavailable"
            self.problem("info", code=code, url=err.url, message=f"{err.message}; reading the HTML pages instead")
            return _Pages(self)

    def fetch_meeting(self, source, committee: moderngov.Committee, m: moderngov.Meeting) -> None:
        try:
            day, docs, page_text, page_data = source.documents(committee, m)
        except FetchError as err:
            self.problem("warning", err, committee=committee.title, meeting_id=m.id)
            return
        except moderngov.ShapeError as exc:
            self.fail(exc, source.name + ": meeting", committee=committee.title, meeting_id=m.id)
            return
        day = day or m.date
        folder = f"{_slug(committee.title)}/{day.isoformat() if day else 'undated'}_{m.id}"
        base_row = {"council": self.summary.council or "", "committee": committee.title,
                    "meeting_date": day.isoformat() if day else "", "meeting_id": m.id}
        page = f"{self.base}/ieListDocuments.aspx?CId={committee.id}&MId={m.id}"
        if page_text is None and ({"agenda", "decisions"} & set(self.options.kinds)):
            try:
                page_text, page_data = self.client.get_page(page)
            except FetchError as err:
                self.problem("warning", err, committee=committee.title, meeting_id=m.id)
        if page_data is not None and "agenda" in self.options.kinds:
            self.store_page(page, f"{folder}/ieListDocuments_{m.id}.html", {
                **base_row, "agenda_item": "", "document_title": "Agenda and documents page"}, page_data)
        if page_text is not None and "decisions" in self.options.kinds:
            for decision in pages.decisions(page_text):
                url = urljoin(self.base + "/", decision.url)
                if url not in self.seen_urls:
                    self.seen_urls.add(url)
                    self._try(url, f"{folder}/ieDecisionDetails_{decision.id}.html",
                              {**base_row, "agenda_item": "", "document_title": decision.title or ""})
        for doc in docs:
            url = urljoin(self.base + "/", doc.url)
            if url in self.seen_urls or kind_of(doc.title) not in self.options.kinds:
                continue  # the same PDF attached to several items is one file
            self.seen_urls.add(url)
            name = f"{doc.id + '_' if doc.id else ''}{_slug(doc.title)}.pdf"
            self._try(url, f"{folder}/{name}", {**base_row, "agenda_item": doc.agenda_item or "",
                                                "document_title": doc.title or ""})

    def _try(self, url: str, rel: str, row: dict) -> None:
        try:
            self.store(url, rel, row)
        except FetchError as err:
            self.problem("warning", err, committee=row.get("committee"), meeting_id=row.get("meeting_id"))


class _Service:
    """Committees, meetings and papers from mgWebService.asmx."""
    name = "web service"

    def __init__(self, run: _Run):
        self.run = run
        self._committees: str | None = None

    def probe(self) -> None:
        self._committees = self.run.service("GetCommittees", lDays=0)
        moderngov.committees(self._committees)

    def committees(self) -> list[moderngov.Committee]:
        return moderngov.committees(self._committees or self.run.service("GetCommittees", lDays=0))

    def meetings(self, committee, start: date, end: date) -> list[moderngov.Meeting]:
        return moderngov.meetings(self.run.service("GetMeetings", lCommitteeId=committee.id,
                                                   sFromDate=start.strftime("%d/%m/%Y"), sToDate=end.strftime("%d/%m/%Y")))

    def documents(self, committee, m) -> tuple[date | None, list[moderngov.LinkedDoc], str | None, bytes | None]:
        """(date, linked documents, the meeting page's text and bytes where already read: not here)."""
        detail = moderngov.meeting(self.run.service("GetMeeting", lMeetingId=m.id))
        return detail.date, detail.documents, None, None


class _Pages:
    """The same from the HTML pages a browser sees (pipeline.fetch.pages)."""
    name = "HTML pages"

    def __init__(self, run: _Run):
        self.run = run

    def committees(self) -> list[moderngov.Committee]:
        return pages.committees(self.run.client.get_text(f"{self.run.base}/mgListCommittees.aspx"))

    def meetings(self, committee, start: date, end: date) -> list[moderngov.Meeting]:
        found = pages.meetings(self.run.client.get_text(
            f"{self.run.base}/ieListMeetings.aspx?CId={committee.id}&Year=0"), committee.id)
        return [m for m in found if m.date is None or start <= m.date <= end]

    def documents(self, committee, m) -> tuple[date | None, list[moderngov.LinkedDoc], str | None, bytes | None]:
        text, data = self.run.client.get_page(f"{self.run.base}/ieListDocuments.aspx?CId={committee.id}&MId={m.id}")
        return None, pages.documents(text), text, data  # kept as read: one request for the page, not two


def fetch(site: str, out: Path, options: FetchOptions = FetchOptions(), client: Client | None = None) -> FetchSummary:
    base, council = resolve_site(site)
    return _Run(base, council, Path(out), options, client or Client()).run()
