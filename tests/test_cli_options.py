"""Options a user can get wrong are refused with a message, not taken (issue 17 item 8), and the
progress bar knows how many files there are."""
from __future__ import annotations

import io

import pytest
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.progress import Progress


@pytest.mark.parametrize("args, says", [
    (["--jobs", "-3"], "-3 is not in the range x>=1"),
    (["--jobs", "0"], "0 is not in the range x>=1"),
    (["--timeout", "-1"], "-1.0 is not in the range x>=0"),
    (["--max-mb", "0"], "0.0 is not in the range x>0"),
    (["--max-memory-mb", "-5"], "-5.0 is not in the range x>=0"),
])
def test_run_refuses_negative_options(tmp_path, args, says):
    out = CliRunner().invoke(cli, ["run", str(tmp_path), "-o", str(tmp_path / "out"), *args])
    assert out.exit_code == 2 and says in out.output
    assert not (tmp_path / "out").exists()


def test_run_help_says_what_it_writes():
    text = CliRunner().invoke(cli, ["run", "--help"]).output
    for words in ("datapackage.json", "run.json", "meeting_id", "nearest one winning"):
        assert words in " ".join(text.split())


class _TTY(io.StringIO):
    def isatty(self):
        return True


class _Result:
    pages, status = 3, "ok"


def test_the_progress_bar_shows_the_total():
    stream = _TTY()
    with Progress(stream=stream) as p:
        for _ in range(2):
            p.update(_Result(), total=4)
    assert "2/4" in stream.getvalue() and "50%" in stream.getvalue()
