"""`councilpapers councils`: list the register, or show what a string resolves to and why."""
from __future__ import annotations

import csv
import sys
from datetime import date

import click

from councilpapers.councils.register import load
from councilpapers.councils.resolve import check_string

COLUMNS = ("code", "name", "nation", "type", "start", "end", "host")


def _rows(nation: str | None, current_only: bool):
    reg = load()
    for c in sorted(reg.councils.values(), key=lambda c: (c.code or "~", c.key)):
        if nation and c.nation.lower() != nation.lower():
            continue
        if current_only and not c.current:
            continue
        yield {"code": c.code or "", "name": c.name, "nation": c.nation, "type": c.type,
               "start": c.first_day.isoformat() if c.first_day else "",
               "end": c.last_day.isoformat() if c.last_day else "",
               "host": (c.moderngov_hosts or c.hosts or ("",))[0]}


@click.command("councils")
@click.option("--check", "check", metavar="NAME_OR_URL_OR_EMAIL", help="Show what a name, abbreviation, URL, email address or GSS code resolves to.")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Date the string is used on (a paper's date), for councils that were abolished or created.")
@click.option("--nation", help="Only councils of this nation (England, Scotland, Wales, Northern Ireland).")
@click.option("--current", "current_only", is_flag=True, help="Only councils live now.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--stats", is_flag=True, help="Counts per nation, committee-site hosts and what the supplement adds.")
def councils(check, on, nation, current_only, fmt, stats):
    """List the council register (mySociety, CC-BY-4.0; LGSF hosts, MIT), or --check a string.

    \b
    Example:
      councilpapers councils --check "Middlesbroug council"
      councilpapers councils --check https://democracy.kent.gov.uk/ieListDocuments.aspx
      councilpapers councils --check "Taunton Deane" --on 2016-05-01
      councilpapers councils --nation Wales --format csv
    """
    day = date.fromisoformat(on) if on else None
    if check:
        r = check_string(check, day)
        c = r.council
        click.echo(f"input:      {check}")
        click.echo(f"code:       {r.code or '-'}")
        click.echo(f"council:    {c.official_name + ' (' + c.name + ')' if c else '-'}")
        click.echo(f"evidence:   {r.evidence or '-'}  confidence {r.confidence if r.confidence is not None else '-'}")
        click.echo(f"matched:    {r.matched or '-'}")
        click.echo(f"why:        {r.reason}")
        if c:
            live = "" if day is None else ("  (live on " if c.live_on(day) else "  (NOT live on ") + day.isoformat() + ")"
            click.echo(f"validity:   {c.validity()}{live}; register start {c.start or '-'}, end {c.end or '-'}"
                       + (f", replaced by {', '.join(c.replaced_by)}" if c.replaced_by else ""))
            click.echo(f"type:       {c.type_name} ({c.type}), {c.nation}")
        for p in r.problems:
            click.echo(f"problem:    {p['code']}: {p['message']}")
        sys.exit(0 if r.code else 1)
    if stats:
        for line in stats_lines():
            click.echo(line)
        return
    rows = list(_rows(nation, current_only))
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        return
    for r in rows:
        click.echo(f"{r['code']:<10} {r['name'][:38]:<38} {r['nation'][:16]:<16} {r['type']:<5} "
                   f"{r['start']:<10} {r['end']:<10} {r['host']}")
    click.echo(f"{len(rows)} councils")


def stats_lines() -> list[str]:
    reg = load()
    out = []
    by_nation: dict[str, list] = {}
    for c in reg.councils.values():
        by_nation.setdefault(c.nation, []).append(c)
    out.append("nation             councils  live  with GSS  committee host  ModernGov host")
    for n in sorted(by_nation):
        cs = by_nation[n]
        out.append(f"{n:<18} {len(cs):>8} {sum(c.current for c in cs):>5} {sum(bool(c.code) for c in cs):>9}"
                   f" {sum(bool(c.hosts) for c in cs):>15} {sum(bool(c.moderngov_hosts) for c in cs):>15}")
    cs = list(reg.councils.values())
    out.append(f"{'total':<18} {len(cs):>8} {sum(c.current for c in cs):>5} {sum(bool(c.code) for c in cs):>9}"
               f" {sum(bool(c.hosts) for c in cs):>15} {sum(bool(c.moderngov_hosts) for c in cs):>15}")
    s = reg.supplement_counts
    out.append(f"supplement: {s['abbreviation']} abbreviations, {s['domain']} domain rows "
               f"({s['domain_new']} not already derivable from council_websites.csv hosts)")
    out.append(f"lookup keys: {len(reg.names)} names/bases, {len(reg.abbreviations)} abbreviations, "
               f"{len(reg.domains)} domains/hosts; {len(reg.ambiguous)} keys dropped as shared by councils live at the same time")
    return out
