"""`councilpapers fetch` against a ModernGov site served from 127.0.0.1 (issue 15). No network.

The fixtures are written in the web service's shapes with its quirks (counts with leading spaces,
"True"/"False", whitespace-only elements, text escaped twice, a budget meeting marked only in
meetingstatus, one PDF attached to two items) and its failures (500s, a timeout, a truncated
download, a redirect loop, a 404 attachment, a 403 firewall page, a web service that is off, a
changed XML shape). The PDFs are made by the test."""
from __future__ import annotations

import csv
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

import pytest
from click.testing import CliRunner

from councilpapers.cli import cli
from councilpapers.fetch import moderngov
from councilpapers.fetch.fetcher import FetchOptions, fetch
from councilpapers.fetch.http import Client

NS = 'xmlns="http://moderngov.co.uk/namespaces"'
COMMITTEES = f"""<?xml version="1.0" encoding="utf-8"?>
<committees {NS}>
  <committeecount> 3</committeecount>
  <committee><committeeid>130</committeeid><committeetitle>Cabinet</committeetitle>
    <committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired>
    <committeecategory> </committeecategory></committee>
  <committee><committeeid>144</committeeid><committeetitle>Children&amp;amp;#39;s Services &amp;amp; Education Scrutiny</committeetitle>
    <committeedeleted>False</committeedeleted><committeeexpired>False</committeeexpired></committee>
  <committee><committeeid>99</committeeid><committeetitle>Old Board</committeetitle>
    <committeedeleted>False</committeedeleted><committeeexpired>True</committeeexpired></committee>
</committees>"""
MEETINGS = {
    "130": f"""<meetings {NS}><meetingcount> 1</meetingcount>
      <meeting><meetingid>9001</meetingid><committeeid>130</committeeid><meetingdate>30/01/2025</meetingdate>
        <meetingtime>10:00</meetingtime><meetingstatus>Confirmed; Budget Council</meetingstatus></meeting></meetings>""",
    "144": f"""<meetings {NS}><meetingcount> 0</meetingcount></meetings>""",
}
MEETING = f"""<meeting {NS}><meetingid>9001</meetingid><committeeid>130</committeeid>
  <committeetitle>Cabinet</committeetitle><meetingdate>30/01/2025</meetingdate><meetingstatus>Confirmed; Budget Council</meetingstatus>
  <agenda>
    <agendaitem><agendaitemid>1</agendaitemid><agendaitemnumber>5</agendaitemnumber>
      <agendaitemtitle>&lt;p class="MsoNormal"&gt;&lt;span&gt;Budget 2025-26&lt;/span&gt;&lt;/p&gt;</agendaitemtitle>
      <linkeddocuments>
        <linkeddoc><documentid>501</documentid><title>Budget report</title><url>mgConvert2PDF.aspx?ID=501</url></linkeddoc>
        <linkeddoc><documentid>502</documentid><title>Appendix A</title><url>mgConvert2PDF.aspx?ID=502</url></linkeddoc>
      </linkeddocuments></agendaitem>
    <agendaitem><agendaitemnumber>6</agendaitemnumber><agendaitemtitle>Capital</agendaitemtitle>
      <linkeddocuments>
        <linkeddoc><documentid>501</documentid><title>Budget report</title><url>mgConvert2PDF.aspx?ID=501</url></linkeddoc>
        <linkeddoc><documentid>503</documentid><title>Withdrawn appendix</title><url>mgConvert2PDF.aspx?ID=503</url></linkeddoc>
      </linkeddocuments></agendaitem>
  </agenda>
  <attendees><attendee><memberid>17</memberid></attendee><attendee><memberid> </memberid></attendee></attendees>
</meeting>"""


def small_pdf(text: str) -> bytes:
    from reportlab.pdfgen import canvas
    buf = BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    for k, line in enumerate([text, "Report to Cabinet, 30 January 2025.",
                              "This paper sets out the proposals for the committee to consider."]):
        c.drawString(72, 720 - 16 * k, line)
    c.showPage()
    c.save()
    return buf.getvalue()


class Site:
    """Routes path?query -> a list of answers, served in turn (the last one repeats)."""

    def __init__(self):
        self.routes: dict[str, list[dict]] = {}
        self.hits: dict[str, int] = {}
        self.conditional: dict[str, str | None] = {}  # path -> the If-None-Match it was last sent
        self.default_site()

    def set(self, path: str, *answers: dict) -> None:
        self.routes[path] = list(answers)

    def default_site(self) -> None:
        self.set("/mgWebService.asmx/GetCommittees?lDays=0", {"body": COMMITTEES, "type": "text/xml"})
        for cid, xml in MEETINGS.items():
            self.set(f"/mgWebService.asmx/GetMeetings?lCommitteeId={cid}&sFromDate=01/01/2025&sToDate=31/03/2025",
                     {"body": xml, "type": "text/xml"})
        self.set("/mgWebService.asmx/GetMeeting?lMeetingId=9001", {"body": MEETING, "type": "text/xml"})
        self.set("/ieListDocuments.aspx?CId=130&MId=9001", {"body": "<html><body><h1>Cabinet - 30 January 2025</h1>"
                                                                    '<a href="ieDecisionDetails.aspx?ID=777">Budget '
                                                                    "2025-26</a></body></html>", "type": "text/html"})
        self.set("/ieDecisionDetails.aspx?ID=777", {"body": "<div id='modgov'><h2>Decision details</h2>"
                                                            "<p>Decision: RESOLVED that the budget be approved.</p></div>"})
        self.set("/mgConvert2PDF.aspx?ID=501", {"body": small_pdf("Budget report 2025-26"), "type": "application/pdf"})
        self.set("/mgConvert2PDF.aspx?ID=502", {"body": small_pdf("Appendix A savings"), "type": "application/pdf"})
        self.set("/mgConvert2PDF.aspx?ID=503", {"status": 404, "body": "<html>Not found</html>"})

    def answer(self, path: str) -> dict:
        self.hits[path] = self.hits.get(path, 0) + 1
        answers = self.routes.get(path) or [{"status": 404, "body": "no such page"}]
        return answers[min(self.hits[path], len(answers)) - 1]


@pytest.fixture()
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            a = state.answer(self.path)
            if a.get("delay"):
                time.sleep(a["delay"])
            if a.get("etag"):
                state.conditional[self.path] = self.headers.get("If-None-Match")
                if self.headers.get("If-None-Match") == a["etag"]:
                    self.send_response(304)
                    self.send_header("ETag", a["etag"])
                    self.end_headers()
                    return
                a = {**a, "headers": {**a.get("headers", {}), "ETag": a["etag"]}}
            body = a.get("body", "")
            body = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(a.get("status", 200))
            for k, v in a.get("headers", {}).items():
                self.send_header(k, v)
            self.send_header("Content-Type", a.get("type", "text/html"))
            self.send_header("Content-Length", str(a.get("length", len(body))))
            self.end_headers()
            try:
                self.wfile.write(body[:a["cut"]] if "cut" in a else body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            if "cut" in a:
                self.close_connection = True

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def client(**kw):
    return Client(**{"rate": 1000, "timeout": 2, "retries": 2, "backoff": 0.01, **kw})


OPTS = FetchOptions(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31))


def _manifest(out):
    with (out / "manifest.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def _problems(out):
    with (out / "fetch_problems.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_quirks_of_the_xml_are_read():
    cs = moderngov.committees(COMMITTEES)
    assert [(c.id, c.title, c.expired) for c in cs] == [
        ("130", "Cabinet", False), ("144", "Children's Services & Education Scrutiny", False), ("99", "Old Board", True)]
    m = moderngov.meetings(MEETINGS["130"])[0]
    assert (m.id, str(m.date), m.budget) == ("9001", "2025-01-30", True)
    assert moderngov.meetings(MEETINGS["144"]) == []
    nested = (f"<getmeetings {NS}><committee><committeeid>130</committeeid><committeetitle>Cabinet</committeetitle>"
              "<meetings><meeting><meetingid>9001</meetingid><meetingdate>30/01/2025</meetingdate></meeting></meetings>"
              "</committee></getmeetings>")
    assert [x.id for x in moderngov.meetings(nested)] == ["9001"]
    assert moderngov.meetings(f"<getmeetings {NS}><committee><committeeid>130</committeeid></committee></getmeetings>") == []
    d = moderngov.meeting(MEETING)
    assert [(x.id, x.agenda_item) for x in d.documents] == [("501", "5"), ("502", "5"), ("501", "6"), ("503", "6")]
    assert d.attendees == ["17"]  # a whitespace-only element is no value
    assert moderngov.clean('&lt;p class="MsoNormal"&gt;&lt;span&gt;Budget 2025-26&lt;/span&gt;&lt;/p&gt;') == "Budget 2025-26"
    with pytest.raises(moderngov.ShapeError):
        moderngov.committees("<html><body>Please log in</body></html>")
    wrapped = f'<string xmlns="http://tempuri.org/">{COMMITTEES.split("?>", 1)[1].replace("&", "&amp;").replace("<", "&lt;")}</string>'
    assert [c.id for c in moderngov.committees(wrapped)] == ["130", "144", "99"]


def test_fetch_downloads_each_paper_once_with_a_manifest(site, tmp_path):
    out = tmp_path / "raw"
    s = fetch(site.url, out, OPTS, client())
    rows = _manifest(out)
    assert [(r["file"], r["committee"], r["meeting_date"], r["meeting_id"], r["agenda_item"]) for r in rows] == [
        ("cabinet/2025-01-30_9001/501_budget-report.pdf", "Cabinet", "2025-01-30", "9001", "5"),
        ("cabinet/2025-01-30_9001/502_appendix-a.pdf", "Cabinet", "2025-01-30", "9001", "5"),
        ("cabinet/2025-01-30_9001/ieDecisionDetails_777.html", "Cabinet", "2025-01-30", "9001", ""),
        ("cabinet/2025-01-30_9001/ieListDocuments_9001.html", "Cabinet", "2025-01-30", "9001", "")]
    assert site.hits["/mgConvert2PDF.aspx?ID=501"] == 1  # attached to two items, downloaded once
    assert all((out / r["file"]).read_bytes()[:5] in (b"%PDF-", b"<html", b"<div ") for r in rows)
    assert not list(out.rglob(".part-*"))
    assert all((out / r["file"]).stat().st_mode & 0o044 for r in rows)  # readable like any file, not 0600
    # the 404 attachment is a row, not silence, and makes the exit code non-zero
    assert [(p["severity"], p["code"]) for p in _problems(out)] == [("warning", "not_found")]
    assert s.new == 4 and s.exit_code == 1
    # the expired committee is left out; the one with no meetings in range is not an error while another has some
    assert "/mgWebService.asmx/GetMeetings?lCommitteeId=99&sFromDate=01/01/2025&sToDate=31/03/2025" not in site.hits


def test_a_second_fetch_is_a_no_op_and_a_changed_paper_is_replaced(site, tmp_path):
    out = tmp_path / "raw"
    fetch(site.url, out, OPTS, client())
    (out / "cabinet" / ".part-killed").write_bytes(b"%PDF-half")  # a fetch killed mid-download
    before = (out / "manifest.csv").read_bytes()
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")}
    again = fetch(site.url, out, OPTS, client())
    assert (again.new, again.changed, again.unchanged) == (0, 0, 4)
    assert not list(out.rglob(".part-*"))
    assert (out / "manifest.csv").read_bytes() == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.pdf")} == stamps
    site.set("/mgConvert2PDF.aspx?ID=502", {"body": small_pdf("Appendix A savings, revised"), "type": "application/pdf"})
    third = fetch(site.url, out, OPTS, client())
    assert (third.new, third.changed, third.unchanged) == (0, 1, 3)
    row = {r["file"]: r for r in _manifest(out)}["cabinet/2025-01-30_9001/502_appendix-a.pdf"]
    import hashlib
    assert row["sha256"] == hashlib.sha256((out / row["file"]).read_bytes()).hexdigest()


def test_a_site_that_sends_validators_gets_conditional_requests(site, tmp_path):
    site.set("/mgConvert2PDF.aspx?ID=501", {"body": small_pdf("Budget report 2025-26"), "type": "application/pdf",
                                            "etag": '"v1"'})
    out = tmp_path / "raw"
    fetch(site.url, out, OPTS, client())
    assert site.conditional["/mgConvert2PDF.aspx?ID=501"] is None
    assert {r["file"]: r["etag"] for r in _manifest(out)}["cabinet/2025-01-30_9001/501_budget-report.pdf"] == '"v1"'
    before = (out / "manifest.csv").read_bytes()
    again = fetch(site.url, out, OPTS, client())
    assert site.conditional["/mgConvert2PDF.aspx?ID=501"] == '"v1"'  # asked If-None-Match, answered 304
    assert again.unchanged == 4 and (out / "manifest.csv").read_bytes() == before
    # a file damaged on disk is fetched whole again, not trusted to the validator
    (out / "cabinet/2025-01-30_9001/501_budget-report.pdf").write_bytes(b"%PDF-broken")
    third = fetch(site.url, out, OPTS, client())
    assert third.changed == 1 and (out / "cabinet/2025-01-30_9001/501_budget-report.pdf").read_bytes()[:5] == b"%PDF-"
    assert (out / "cabinet/2025-01-30_9001/501_budget-report.pdf").stat().st_size > 100


def test_server_errors_are_retried(site, tmp_path):
    site.set("/mgWebService.asmx/GetMeeting?lMeetingId=9001", {"status": 500, "body": "oops"}, {"status": 503, "body": "busy"},
             {"body": MEETING, "type": "text/xml"})
    s = fetch(site.url, tmp_path / "raw", OPTS, client())
    assert site.hits["/mgWebService.asmx/GetMeeting?lMeetingId=9001"] == 3
    assert s.new == 4


@pytest.mark.parametrize("answer, code", [
    ({"delay": 3, "body": "late"}, "timeout"),
    ({"body": b"%PDF-1.4 " + b"x" * 500, "length": 5000, "cut": 200, "type": "application/pdf"}, "truncated"),
    ({"status": 302, "headers": {"Location": "/mgConvert2PDF.aspx?ID=502"}}, "redirect_loop"),
    ({"status": 403, "body": "<html>Access denied by the firewall</html>"}, "forbidden"),
])
def test_a_paper_that_cannot_be_had_is_a_problem_row_and_leaves_no_file(site, tmp_path, answer, code):
    site.set("/mgConvert2PDF.aspx?ID=502", answer)
    out = tmp_path / "raw"
    s = fetch(site.url, out, OPTS, client(timeout=1, retries=1))
    assert code in {p["code"] for p in _problems(out)}
    assert not (out / "cabinet/2025-01-30_9001/502_appendix-a.pdf").exists()
    assert not list(out.rglob(".part-*"))
    assert s.exit_code == 1
    assert (out / "cabinet/2025-01-30_9001/501_budget-report.pdf").exists()  # the others still came


@pytest.mark.parametrize("answer, codes", [
    # the service is off, and so are the HTML pages: both said
    ({"status": 404, "body": "<html>The resource cannot be found.</html>"}, ["web_service_unavailable", "not_found"]),
    ({"status": 403, "body": "<html>Request blocked by the web application firewall</html>"},
     ["web_service_forbidden", "not_found"]),
    ({"body": "<html><body>Please log in</body></html>", "type": "text/html"}, ["xml_shape_changed"]),
])
def test_a_site_that_fails_is_an_error_not_an_empty_folder(site, tmp_path, answer, codes):
    site.set("/mgWebService.asmx/GetCommittees?lDays=0", answer)
    out = tmp_path / "raw"
    s = fetch(site.url, out, OPTS, client(retries=1))
    assert s.exit_code == 3 and [p["code"] for p in s.problems] == codes
    assert [p["code"] for p in _problems(out)] == codes


def test_a_site_whose_web_service_is_off_is_read_from_its_pages(site, tmp_path):
    site.set("/mgWebService.asmx/GetCommittees?lDays=0", {"status": 404, "body": "<html>Not found</html>"})
    site.set("/mgListCommittees.aspx", {"body": '<ul><li><a href="mgCommitteeDetails.aspx?ID=130">Cabinet</a></li>'
                                                '<li><a href="mgCommitteeDetails.aspx?ID=144">Scrutiny</a></li></ul>'})
    site.set("/ieListMeetings.aspx?CId=130&Year=0", {"body": '<a href="ieListDocuments.aspx?CId=130&amp;MId=9001">'
                                                             '30 Jan 2025 10.00 am</a> <a href="ieListDocuments.aspx?'
                                                             'CId=130&amp;MId=8000">12 Dec 2023 10.00 am</a>'})
    site.set("/ieListMeetings.aspx?CId=144&Year=0", {"body": "<p>No meetings</p>"})
    site.set("/ieListDocuments.aspx?CId=130&MId=9001", {"body": (
        '<h1>Cabinet - 30 January 2025</h1><a href="documents/s501/Budget%20report.pdf">Budget report PDF 300 KB</a>'
        '<a href="mgConvert2PDF.aspx?ID=502">Appendix A</a><a href="mgIssueHistoryHome.aspx?IId=1">Issue history</a>')})
    site.set("/documents/s501/Budget%20report.pdf", {"body": small_pdf("Budget report 2025-26"), "type": "application/pdf"})
    out = tmp_path / "raw"
    s = fetch(site.url, out, OPTS, client())
    assert [(p["severity"], p["code"]) for p in s.problems] == [("info", "web_service_unavailable")]
    assert s.exit_code == 0
    assert sorted(r["file"] for r in _manifest(out)) == [
        "cabinet/2025-01-30_9001/501_budget-report-pdf-300-kb.pdf", "cabinet/2025-01-30_9001/502_appendix-a.pdf",
        "cabinet/2025-01-30_9001/ieListDocuments_9001.html"]
    assert "/ieListDocuments.aspx?CId=130&MId=8000" not in site.hits  # outside the date range


def test_pages_that_list_no_committees_are_an_error(site, tmp_path):
    site.set("/mgWebService.asmx/GetCommittees?lDays=0", {"status": 404, "body": "<html>Not found</html>"})
    site.set("/mgListCommittees.aspx", {"body": "<html><body>Our new democracy pages are elsewhere</body></html>"})
    s = fetch(site.url, tmp_path / "raw", OPTS, client())
    assert [p["code"] for p in s.problems] == ["web_service_unavailable", "no_committees"] and s.exit_code == 3


def test_committees_but_no_meetings_is_an_error(site, tmp_path):
    site.set(f"/mgWebService.asmx/GetMeetings?lCommitteeId=130&sFromDate=01/01/2025&sToDate=31/03/2025",
             {"body": MEETINGS["144"], "type": "text/xml"})
    out = tmp_path / "raw"
    s = fetch(site.url, out, OPTS, client())
    assert [p["code"] for p in _problems(out)] == ["no_meetings"] and s.exit_code == 3


def test_robots_txt_is_honoured(site, tmp_path):
    site.set("/robots.txt", {"body": "User-agent: *\nDisallow: /mgConvert2PDF.aspx\n", "type": "text/plain"})
    out = tmp_path / "raw"
    fetch(site.url, out, OPTS, client())
    assert {p["code"] for p in _problems(out)} == {"robots_disallowed"}
    assert not any(k.startswith("/mgConvert2PDF") for k in site.hits)


def test_dry_run_lists_and_writes_nothing(site, tmp_path):
    out = tmp_path / "raw"
    r = CliRunner().invoke(cli, ["fetch", site.url, "-o", str(out), "--from", "2025-01-01", "--to", "31/03/2025",
                                 "--rate", "1000", "--dry-run"])
    assert "cabinet/2025-01-30_9001/501_budget-report.pdf" in r.output
    assert not out.exists()
    assert not any(k.startswith("/mgConvert2PDF") for k in site.hits)


def test_fetch_help_documents_every_option():
    out = CliRunner().invoke(cli, ["fetch", "--help"]).output
    for option in ("--out", "--committee", "--from", "--to", "--kinds", "--rate", "--timeout", "--retries",
                   "--user-agent", "--dry-run", "fetch_problems.csv", "manifest.csv"):
        assert option in out
    bad = CliRunner().invoke(cli, ["fetch", "http://127.0.0.1:9", "--rate", "0"])
    assert bad.exit_code == 2 and "must be more than 0" in bad.output


def test_run_on_a_fetched_folder_attaches_every_paper_to_its_meeting(site, tmp_path):
    import pyarrow.parquet as pq
    from councilpapers.runner import RunOptions, run
    out = tmp_path / "raw"
    fetch(site.url, out, OPTS, client())
    parsed = tmp_path / "parsed"
    run(out, parsed, RunOptions(jobs=1))
    docs = {d["doc_id"]: d["source_path"] for d in pq.read_table(parsed / "documents.parquet").to_pylist()}
    meetings = pq.read_table(parsed / "meetings.parquet").to_pylist()
    by_doc = {docs[m["doc_id"]]: m for m in meetings}
    assert set(by_doc) == set(docs.values()) == {r["file"] for r in _manifest(out)}
    assert {(m["body"], str(m["meeting_date"]), m["source_ref"]) for m in meetings} == {("Cabinet", "2025-01-30", "9001")}
    assert by_doc["cabinet/2025-01-30_9001/501_budget-report.pdf"]["evidence"] == "manifest"
    assert by_doc["cabinet/2025-01-30_9001/501_budget-report.pdf"]["item_number"] == "5"
    assert not (out / "manifest.csv").name in docs.values()  # the manifest is never read as a paper


def test_requests_to_one_host_are_paced_by_rate(monkeypatch):
    from councilpapers.fetch import http
    clock = {"t": 100.0}
    slept = []
    monkeypatch.setattr(http.time, "monotonic", lambda: clock["t"])
    monkeypatch.setattr(http.time, "sleep", lambda s: (slept.append(round(s, 3)), clock.__setitem__("t", clock["t"] + s)))
    c = Client(rate=2.0)
    for _ in range(3):
        c._pace("http://a.example/x")
    c._pace("http://b.example/y")  # another host has its own pace
    assert slept == [0.5, 0.5]
