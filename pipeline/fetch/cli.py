"""`councilpapers fetch`: a council's ModernGov papers into a folder with a manifest."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .fetcher import KINDS, FetchOptions, fetch as fetch_site
from .http import USER_AGENT, Client


def _day(ctx, param, value):
    if value is None:
        return None
    from councilpapers.normalise.dates import parse_uk_date
    try:
        return date.fromisoformat(value)
    except ValueError:
        parsed = parse_uk_date(value)
        if parsed is None:
            raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD or dd/mm/yyyy)")
        return parsed


def _positive(ctx, param, value):
    if value is not None and value <= 0:
        raise click.BadParameter("must be more than 0")
    return value


@click.command()
@click.argument("site")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("raw"),
              show_default=True, help="Folder to download into; its manifest.csv and fetch_problems.csv are written there.")
@click.option("--committee", "committees", multiple=True,
              help="A committee's title or ModernGov id; repeat for several (default: every current committee).")
@click.option("--from", "date_from", callback=_day, help="First meeting date (YYYY-MM-DD or dd/mm/yyyy; default: a year ago).")
@click.option("--to", "date_to", callback=_day, help="Last meeting date (default: today).")
@click.option("--kinds", default=",".join(KINDS), show_default=True,
              help="Which papers: agenda (the meeting's page, agendas), reports, minutes, decisions.")
@click.option("--rate", type=float, default=1.0, show_default=True, callback=_positive,
              help="Requests per second to one host.")
@click.option("--timeout", type=float, default=30.0, show_default=True, callback=_positive,
              help="Seconds to wait for one answer before retrying.")
@click.option("--retries", type=click.IntRange(0, 10), default=3, show_default=True,
              help="Retries of a 5xx answer, a dropped connection or a timeout, with exponential backoff.")
@click.option("--user-agent", default=USER_AGENT, help="User-Agent sent with every request (add your contact).")
@click.option("--dry-run", is_flag=True, help="List what would be fetched; download and write nothing.")
def fetch(site, out_dir, committees, date_from, date_to, kinds, rate, timeout, retries, user_agent, dry_run):
    """Download a council's committee papers from its ModernGov site.

    SITE is the site's URL (https://democracy.example.gov.uk), a GSS code or a council's name,
    resolved through the register shipped with the package. Committees, meetings and their
    documents come from ModernGov's web service (mgWebService.asmx); each document is downloaded
    once, written atomically, and recorded in OUT/manifest.csv (file, source_url, council,
    committee, meeting_date, meeting_id, agenda_item, document_title, fetched_at, sha256, etag,
    last_modified), which `councilpapers run` reads: each paper is attached to the meeting it was
    published for. A second fetch asks conditionally where the site sent ETag or Last-Modified,
    and otherwise compares hashes: only new or changed files are rewritten. Where the web service
    is off or blocked, the site's HTML pages are read instead. robots.txt is honoured.

    Nothing fails silently: a web service that is off or blocked, a changed XML shape, no meetings
    in the range, or a document that cannot be downloaded is a row in OUT/fetch_problems.csv.
    Exit code: 0 everything fetched, 1 some documents could not be had, 3 the site failed.

    \b
    Example:
      councilpapers fetch E10000016 --committee Cabinet --from 2025-01-01 --to 2025-03-31 -o raw/
    """
    chosen = tuple(k.strip() for k in kinds.split(",") if k.strip())
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise click.BadParameter(f"unknown kinds {', '.join(unknown)}; choose from {', '.join(KINDS)}", param_hint="--kinds")
    client = Client(rate=rate, timeout=timeout, retries=retries, user_agent=user_agent)
    try:
        summary = fetch_site(site, out_dir, FetchOptions(tuple(committees), date_from, date_to, chosen, dry_run), client)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if dry_run:
        for rel, url in summary.planned:
            click.echo(f"{rel}\t{url}")
    click.echo(f"{summary.base_url}: {summary.new} new, {summary.changed} changed, {summary.unchanged} unchanged, "
               f"{len(summary.problems)} problems" + ("" if dry_run else f" (see {out_dir / 'fetch_problems.csv'})"),
               err=True)
    for p in summary.problems:
        click.echo(f"  {p['severity']}: {p['code']}: {p['url']}: {p['message']}", err=True)
    sys.exit(summary.exit_code)
