"""The public Python API and the installed name (issue 17 item 1): `import councilpapers` works from
anywhere, claims no generic top-level name, and run/open/tables do what the command line does."""
from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from .conftest import RAW


def _outside(code: str, tmp_path) -> str:
    """Run `code` in a fresh interpreter started outside the repository (only the install is seen)."""
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_distribution_claims_only_the_councilpapers_name(tmp_path):
    out = _outside("import importlib.util, json\n"
                   "print(json.dumps({n: importlib.util.find_spec(n) is not None for n in "
                   "('councilpapers', 'councilpapers.extractors', 'pipeline', 'extractors')}))", tmp_path)
    assert json.loads(out) == {"councilpapers": True, "councilpapers.extractors": True,
                               "pipeline": False, "extractors": False}


def test_run_open_and_tables(tmp_path):
    code = (f"import councilpapers, json\n"
            f"s = councilpapers.run({str(RAW)!r}, 'parsed', jobs=1)\n"
            "con = councilpapers.open('parsed')\n"
            "n = con.execute('SELECT count(*) FROM money').fetchone()[0]\n"
            "views = con.execute('SELECT count(*) FROM counted_savings').fetchone()[0]\n"
            "t = councilpapers.tables('parsed')\n"
            "print(json.dumps({'files': s.files, 'money': n, 'counted': views, 'frames': sorted(t),\n"
            "                  'rows': len(t['money']), 'decimal': type(t['money']['amount_gbp'][0]).__name__}))\n")
    got = json.loads(_outside(code, tmp_path))
    assert got["files"] == 5 and got["money"] == got["rows"] > 0 and got["counted"] > 0
    assert got["decimal"] == Decimal.__name__
    assert {"documents", "money", "plan_lines", "pages", "problems"} <= set(got["frames"])


def test_an_unknown_option_is_an_error():
    import councilpapers
    with pytest.raises(TypeError, match="unknown option"):
        councilpapers.run(RAW, "nowhere", threads=3)
