"""`councilpapers review`: a static site showing every fact highlighted in its source text."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from councilpapers.review import Fact, _facts_for, highlight, review, write_review
from tests.conftest import RAW, ROOT
from tests.test_query import TEXT, make_parsed

ARTIFACTS = ROOT / "tests" / "artifacts"
VOID = {"meta", "br", "img", "input", "link", "hr"}


class Checker(HTMLParser):
    """Checks tags balance and collects the text inside <pre class="page-text">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.in_pre = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        if tag == "pre":
            self.in_pre -= 1

    def handle_data(self, data):
        if self.in_pre:
            self.text.append(data)


def _check(html_text: str) -> Checker:
    c = Checker()
    c.feed(html_text)
    c.close()
    assert c.errors == [] and c.stack == [], (c.errors, c.stack)
    return c


def _fact(key, start, end, table="money"):
    return Fact(key, table, {"raw_text": None}, 1, start, end)


def test_overlapping_and_crossing_spans_stay_well_formed():
    text = "a <b> & c £1,234.56 d\n e"
    facts = [_fact("x", 0, 10), _fact("y", 2, 5), _fact("z", 8, 20), _fact("w", 8, 20, "people"),
             _fact("v", 19, len(text))]
    out = highlight(text, facts)
    checker = _check(f"<pre>{out}</pre>")
    assert "".join(checker.text) == text
    for key in "xyzwv":
        assert f'id="f-{key}"' in out
        assert re.search(rf'<mark [^>]*data-facts="[^"]*\b{key}\b', out)
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_highlight_is_plain_text_without_facts():
    assert highlight("x < y", []) == "x &lt; y"


def test_span_checks_flag_bad_offsets():
    rows = {"money": [
        {"fact_id": "ok", "page": 1, "char_start": 0, "char_end": 3, "raw_text": "abc"},
        {"fact_id": "moved", "page": 1, "char_start": 1, "char_end": 4, "raw_text": "abc"},
        {"fact_id": "outside", "page": 2, "char_start": 0, "char_end": 3, "raw_text": "abc"},
        {"fact_id": "nospan", "page": 1, "char_start": None, "char_end": None, "raw_text": None},
    ]}
    checks = {f.row["fact_id"]: f.check for f in _facts_for(rows, {1: "abcdef"})}
    assert checks == {"ok": "ok", "moved": "mismatch", "outside": "out_of_range", "nospan": "no_span"}


@pytest.fixture()
def made_site(tmp_path):
    raw, parsed = make_parsed(tmp_path)
    out = tmp_path / "review"
    summary = write_review(parsed, out, raw)
    return out, summary


def test_hand_made_site(made_site):
    out, summary = made_site
    assert summary.documents == 1 and summary.bad_spans == 0
    index = (out / "index.html").read_text()
    _check(index)
    page_link = re.search(r'href="(doc/[^"]+\.html)"', index).group(1)
    page = (out / page_link).read_text()
    checker = _check(page)
    assert "".join(checker.text) == TEXT
    for key in ("money-a1", "money-a2", "money-a3", "money-a4", "decisions-d1", "meetings-m1",
                "quantities-q1", "people-p1"):
        assert re.search(rf'<mark [^>]*data-facts="[^"]*\b{key}\b', page), key
        assert f'data-fact="{key}"' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "£1,234,567.89" in page and "£100,000.10" in page
    assert "Fewer &amp; cheaper placements" in page and "totals reconcile" in page
    # nothing fetched from anywhere: styles and script are inline
    for html_text in (index, page):
        assert "<link" not in html_text and not re.search(r'<script[^>]+src=', html_text)
        assert "@import" not in html_text and "cdn" not in html_text.lower()


def test_deterministic(tmp_path):
    raw, parsed = make_parsed(tmp_path)
    a = write_review(parsed, tmp_path / "a", raw)
    b = write_review(parsed, tmp_path / "b", raw)
    assert [p.relative_to(tmp_path / "a") for p in a.files] == [p.relative_to(tmp_path / "b") for p in b.files]
    for pa_, pb in zip(a.files, b.files):
        assert pa_.read_bytes() == pb.read_bytes()


def test_missing_source_still_lists_facts(tmp_path):
    raw, parsed = make_parsed(tmp_path)
    shutil.rmtree(raw)
    out = tmp_path / "review"
    write_review(parsed, out, raw)
    page = next((out / "doc").glob("*.html")).read_text()
    assert "not found, so the text cannot be shown" in page and 'data-fact="money-a1"' in page


def test_cli_and_errors(tmp_path):
    raw, parsed = make_parsed(tmp_path)
    result = CliRunner().invoke(review, [str(parsed), "-o", str(tmp_path / "site"), "--raw", str(raw)])
    assert result.exit_code == 0, result.output
    assert "1 documents" in result.output and (tmp_path / "site" / "index.html").is_file()
    result = CliRunner().invoke(review, [str(tmp_path / "nope"), "-o", str(tmp_path / "site2")])
    assert result.exit_code == 1 and "does not exist" in result.output and "Traceback" not in result.output
    _, old = make_parsed(tmp_path / "old", schema_version="0")
    result = CliRunner().invoke(review, [str(old), "-o", str(tmp_path / "site3")])
    assert result.exit_code == 1 and "schema version 0" in result.output
    assert "Example" in CliRunner().invoke(review, ["--help"]).output


@pytest.fixture(scope="module")
def seed_site(seed_run, tmp_path_factory):
    out_dir, _ = seed_run
    site = tmp_path_factory.mktemp("review")
    summary = write_review(out_dir, site, RAW)
    return site, summary


def _seed_page(site: Path, prefix: str) -> Path:
    index = (site / "index.html").read_text()
    for href, name in re.findall(r'<a href="(doc/[^"]+)">([^<]+)</a>', index):
        if name.startswith(prefix):
            return site / href
    raise AssertionError(f"no page for {prefix}")


def test_seed_site_has_a_page_per_document(seed_site, seed_tables):
    site, summary = seed_site
    assert summary.documents == len(seed_tables["documents"])
    _check((site / "index.html").read_text())
    for doc in seed_tables["documents"]:
        page = _seed_page(site, doc["source_path"]).read_text()
        _check(page)


def _browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return sync_api, exe


FACT_VISIBILITY = """() => {
  const missing = [];
  const links = Array.from(document.querySelectorAll('a.fact'));
  for (const a of links) {
    const check = a.dataset.check;
    if (check !== 'ok' && check !== 'mismatch') continue;
    const key = a.dataset.fact;
    const marks = Array.from(document.querySelectorAll(`mark.hl[data-facts~="${key}"]`));
    const visible = marks.some(m => {
      const s = getComputedStyle(m);
      const r = m.getBoundingClientRect();
      return s.visibility === 'visible' && s.display !== 'none' && r.width > 0 && r.height > 0
        && s.backgroundColor !== 'rgba(0, 0, 0, 0)';
    });
    if (!visible) missing.push(key);
  }
  return {checked: links.filter(a => a.dataset.check === 'ok' || a.dataset.check === 'mismatch').length, missing};
}"""


def test_seed_002_in_a_real_browser(seed_site):
    sync_api, exe = _browser()
    site, _ = seed_site
    page_path = _seed_page(site, "002_")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_path.as_uri())
            page.wait_for_load_state("load")
            assert errors == []
            assert all(u.startswith("file:") for u in requests), requests

            result = page.evaluate(FACT_VISIBILITY)
            assert result["checked"] > 0, "seed 002 should have facts grounded in its text"
            assert result["missing"] == [], f"facts without a visible highlight: {result['missing']}"

            # click the fact printed furthest down the page: the window must scroll to it
            key = page.evaluate("""() => {
              let best = null, bestTop = -1;
              for (const a of document.querySelectorAll('a.fact[data-check="ok"]')) {
                const m = document.querySelector(`mark.hl[data-facts~="${a.dataset.fact}"]`);
                const top = m.getBoundingClientRect().top + window.scrollY;
                if (top > bestTop) { bestTop = top; best = a.dataset.fact; }
              }
              return best;
            }""")
            page.evaluate("window.scrollTo(0, 0)")
            page.click(f'a.fact[data-fact="{key}"]')
            page.wait_for_timeout(200)
            state = page.evaluate("""(key) => {
              const m = document.querySelector(`mark.hl[data-facts~="${key}"]`);
              const r = m.getBoundingClientRect();
              return {scrollY: window.scrollY, top: r.top, bottom: r.bottom, height: window.innerHeight,
                      active: m.classList.contains('active'), hash: location.hash};
            }""", key)
            mark_top = page.evaluate(f"""document.querySelector('mark.hl[data-facts~="{key}"]').offsetTop""")
            if mark_top > 900:  # only a fact below the first screen can make the window scroll
                assert state["scrollY"] > 0
            assert 0 <= state["top"] and state["bottom"] <= state["height"], state
            assert state["active"] and state["hash"] == f"#f-{key}"
            assert errors == []
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "review_seed_002.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "review_seed_002.png").stat().st_size > 10_000


def test_review_site_links_only_http_urls_and_carries_a_strict_csp(tmp_path):
    """A manifest's 'javascript:alert(1)' source_url is shown as text, never linked; nothing loads from elsewhere."""
    import base64
    import hashlib
    import re as _re

    from councilpapers.review import _asset, _page, safe_url
    assert safe_url("javascript:alert(1)") is None and safe_url("https://x.gov.uk/a") == "https://x.gov.uk/a"
    page = _page("t", "<p>x</p>")
    csp = _re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert "default-src 'none'" in csp
    for asset in ("review.css", "review.js"):
        digest = base64.b64encode(hashlib.sha256(_asset(asset).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert 'style="' not in page and "onclick" not in page


# --- issue 17 item 6: long documents (the 54-page Q3 report) and a table appendix, from a corpus run ---

Q3 = "pdf/kent_2025-01-30_cabinet_finance-monitoring-q3.pdf"
APPX_F = "pdf/kent_2025-02-13_county-council_appx-f-budget-templates.pdf"


@pytest.fixture(scope="module")
def corpus_site(corpus_run, tmp_path_factory):
    from tests.conftest import CORPUS
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not here")
    out, _ = corpus_run
    site = tmp_path_factory.mktemp("corpus_review")
    write_review(out, site, CORPUS)
    return site, out


def _page_for(site: Path, source_path: str) -> Path:
    index = (site / "index.html").read_text()
    href = re.search(rf'<a href="(doc/[^"]+)">{re.escape(source_path)}</a>', index).group(1)
    return site / href


def test_plan_figure_boxes_hold_the_printed_figure(corpus_run):
    """Each plan line's cell box (x0, top, x1, bottom) covers the figure as pdfplumber places it on the page."""
    import pdfplumber
    import pyarrow.parquet as pq

    from tests.conftest import CORPUS
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is not here")
    out, _ = corpus_run
    docs = {d["doc_id"]: d["source_path"] for d in pq.read_table(out / "documents.parquet").to_pylist()}
    lines = [r for r in pq.read_table(out / "plan_lines.parquet").to_pylist() if docs[r["doc_id"]] in (Q3, APPX_F)]
    assert lines and all(r["x0"] is not None for r in lines)
    checked = 0
    for source in (Q3, APPX_F):
        mine = [r for r in lines if docs[r["doc_id"]] == source]
        with pdfplumber.open(CORPUS / source) as pdf:
            for page_no in sorted({r["page"] for r in mine})[:4]:
                pl_page = pdf.pages[page_no - 1]
                left, top = pl_page.bbox[0], pl_page.bbox[1]   # the shown page's top-left (Appendix F's is not 0, 0)
                words = pl_page.extract_words()
                for r in [r for r in mine if r["page"] == page_no][:12]:
                    inside = [w["text"] for w in words
                              if r["x0"] - 1 <= (w["x0"] + w["x1"]) / 2 - left <= r["x1"] + 1
                              and r["top"] - 1 <= (w["top"] + w["bottom"]) / 2 - top <= r["bottom"] + 1]
                    figures = [t for t in inside if re.search(r"\d", t)]
                    assert figures, (source, page_no, r["title"], r["column"], inside)
                    checked += 1
    assert checked >= 60


def test_long_document_in_a_real_browser(corpus_site):
    """The Q3 report (54 pages): one page at a time, the side list following it, plan-table figures
    boxed in the page image, a search across the pages, and an index that fits the screen."""
    sync_api, exe = _browser()
    site, _ = corpus_site
    q3 = _page_for(site, Q3)
    appx = _page_for(site, APPX_F)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(q3.as_uri())
            page.wait_for_load_state("load")
            visible = "() => Array.from(document.querySelectorAll('section.page')).filter(s => !s.hidden).map(s => +s.dataset.page)"
            assert page.evaluate(visible) == [1]
            assert page.inner_text("#pager .of") == "of 54"
            # the page is one screen's worth, not a 52,000-pixel scroll
            assert page.evaluate("document.documentElement.scrollHeight") < 20_000
            page.keyboard.press("ArrowRight")
            assert page.evaluate(visible) == [2]
            page.select_option("#page-select", "9")
            assert page.evaluate(visible) == [9] and page.evaluate("location.hash") == "#page-9"

            listed = page.evaluate("""() => Array.from(document.querySelectorAll('aside.facts li'))
                .filter(li => !li.hidden).map(li => li.dataset.page)""")
            assert listed and set(listed) == {"9"}, listed
            assert page.inner_text("#facts-title") == "Facts on page 9"
            # plan-table figures: boxed inside the page image, each where its fractions say
            cells = page.evaluate("""() => {
              const view = document.querySelector('#page-9 .page-view');
              const img = view.querySelector('img').getBoundingClientRect();
              return Array.from(view.querySelectorAll('a.cell')).map(a => {
                const r = a.getBoundingClientRect(); const b = a.dataset.box.split(' ').map(Number);
                return {dx: Math.abs(r.left - img.left - b[0] * img.width), dy: Math.abs(r.top - img.top - b[1] * img.height),
                        w: r.width, h: r.height, inside: r.left >= img.left && r.right <= img.right + 1
                        && r.top >= img.top && r.bottom <= img.bottom + 1};
              });
            }""")
            assert len(cells) >= 6
            assert all(c["dx"] < 1.5 and c["dy"] < 1.5 and c["w"] > 4 and c["h"] > 4 and c["inside"] for c in cells), cells
            page.screenshot(path=str(ARTIFACTS / "review_q3_page9.png"))

            # a fact clicked in the list: highlighted and in view
            key = page.evaluate("() => Array.from(document.querySelectorAll('aside.facts li:not([hidden]) a.fact.k-money'))[3].dataset.fact")
            page.click(f'a.fact[data-fact="{key}"]')
            state = page.evaluate("""(key) => { const m = document.querySelector(`mark.hl[data-facts~="${key}"]`);
              const r = m.getBoundingClientRect(); return {active: m.classList.contains('active'), top: r.top, bottom: r.bottom}; }""", key)
            assert state["active"] and 44 <= state["top"] and state["bottom"] <= 900, state

            # a figure clicked in the plan tables below: its page comes up with its box selected
            ref, on = page.evaluate("""() => { const a = Array.from(document.querySelectorAll('a.cellref'))
              .reverse().find(a => { const c = document.getElementById('f-' + a.dataset.fact); return c && c.closest('section.page').dataset.page !== '9'; });
              return [a.dataset.fact, +document.getElementById('f-' + a.dataset.fact).closest('section.page').dataset.page]; }""")
            page.click(f'a.cellref[data-fact="{ref}"]')
            assert page.evaluate(visible) == [on]
            box = page.evaluate("""(key) => { const c = document.querySelector(`a.cell[data-fact="${key}"]`);
              const r = c.getBoundingClientRect(); return {active: c.classList.contains('active'), top: r.top, bottom: r.bottom}; }""", ref)
            assert box["active"] and 0 <= box["top"] and box["bottom"] <= 900, box

            # search: counted on every page, Enter goes to the next page with a match
            page.fill("#search", "Home to School")
            status = page.inner_text("#search-status")
            assert re.match(r"\d+ match(es)? on \d+ pages?", status), status
            counts = page.evaluate("() => window.councilpapersReview.search('home to school')")
            assert len(counts) >= 2
            page.focus("#search")
            page.keyboard.press("Enter")
            shown = page.evaluate(visible)
            assert len(shown) == 1 and str(shown[0]) in counts
            hit = page.evaluate("""() => { const h = document.querySelector('span.hit.current'); const r = h.getBoundingClientRect();
              return {text: h.textContent, top: r.top, bottom: r.bottom}; }""")
            assert hit["text"].lower() == "home to school" and 44 <= hit["top"] and hit["bottom"] <= 900, hit
            page.screenshot(path=str(ARTIFACTS / "review_q3_search.png"))
            assert errors == []

            # a table appendix: Appendix F's savings pages, every figure boxed
            page.goto(appx.as_uri() + "#page-13")
            page.wait_for_load_state("load")
            assert page.evaluate(visible) == [13]
            n = page.evaluate("() => document.querySelectorAll('#page-13 a.cell').length")
            assert n >= 40
            page.screenshot(path=str(ARTIFACTS / "review_appx_f_page13.png"))

            # the index fits the screen
            small = browser.new_page(viewport={"width": 1280, "height": 800})
            small.goto((site / "index.html").as_uri())
            assert small.evaluate("document.documentElement.scrollWidth") <= 1280
            small.screenshot(path=str(ARTIFACTS / "review_index.png"))
            assert errors == []
        finally:
            browser.close()
    for name in ("review_q3_page9.png", "review_q3_search.png", "review_appx_f_page13.png", "review_index.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
