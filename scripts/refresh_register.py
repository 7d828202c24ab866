"""Refresh the council register shipped in pipeline/councils/data/ from the shared open data.

Usage: python scripts/refresh_register.py [SOURCE_DIR]   (default ../shared/data/uk_local_authorities)

Copies only the columns the resolver reads, so the package stays small and runs without
the shared folder. The curated supplement.csv is ours and is never overwritten.
"""
from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEST = ROOT / "pipeline" / "councils" / "data"
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "uk_local_authorities"

# file -> columns kept (None: all)
FILES = {
    "uk_local_authorities_current.csv": [
        "local-authority-code", "official-name", "nice-name", "gss-code", "start-date", "end-date",
        "replaced-by", "nation", "region", "local-authority-type", "local-authority-type-name",
        "alt-names", "former-gss-codes", "current-authority",
    ],
    "lookup_name_to_registry.csv": None,
    "lookup_gss_to_registry.csv": None,
    "council_websites.csv": ["local-authority-code", "cms_type", "base_url", "host"],
}
COPIED = ["LICENSE-code-MIT", "LICENSE-lgsf-MIT"]

README = """# Council register (shipped copy)

Copied by `scripts/refresh_register.py` from `../shared/data/uk_local_authorities/`
(columns the resolver does not read are dropped). Do not edit these files by hand;
edit `supplement.csv` (ours) instead.

| file | source | licence |
|---|---|---|
| `uk_local_authorities_current.csv`, `lookup_name_to_registry.csv`, `lookup_gss_to_registry.csv` | mySociety, *UK Local Authorities (past and current)* v1.6.1, github.com/mysociety/uk_local_authority_names_and_codes | data CC-BY-4.0 (attribution: mySociety); code MIT (`LICENSE-code-MIT`) |
| `council_websites.csv` | derived from Democracy Club's LGSF scraper metadata, github.com/DemocracyClub/LGSF | MIT (`LICENSE-lgsf-MIT`) |
| `supplement.csv` | councilpapers' own curated additions (abbreviations, web/email domains); every row names its source | same as the project |

Contains data from mySociety's UK Local Authorities register, licensed under CC-BY-4.0
(https://creativecommons.org/licenses/by/4.0/). Contains data derived from Democracy Club's
LGSF, MIT licence.
"""


def refresh(source: Path, dest: Path = DEST) -> list[str]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, columns in FILES.items():
        with open(source / name, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            keep = columns or reader.fieldnames
            rows = [{c: row.get(c, "") for c in keep} for row in reader]
        with open(dest / name, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=keep, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        written.append(f"{name}: {len(rows)} rows")
    for name in COPIED:
        shutil.copyfile(source / name, dest / name)
        written.append(name)
    (dest / "README.md").write_text(README, encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    if not (source / "uk_local_authorities_current.csv").exists():
        print(f"no register at {source}", file=sys.stderr)
        return 1
    for line in refresh(source):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
