"""Benchmark: the money normaliser against a naive 'price parser' on the same 100,000 spans.

The spans are printed amounts in the styles council papers use ('£4.462 million',
'c. £7m', '£520k', '(£1.2m)', '£2-3m', '£2,854,000', ...), generated
deterministically from a fixed seed, each with the pounds a careful reader takes
from it. The baseline is what an off-the-shelf reader does: take the first figure
with a regex and float() it, ignoring scale words and signs. Both run in the same
process on the same spans; the table shows spans/s and the share read exactly.
With the corpus present it also times the whole money extractor on a big PDF.

    .venv/bin/python benchmarks/bench_money.py [--n 100000]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from councilpapers.normalise.money import normalise_money  # noqa: E402

RESULTS = Path(__file__).with_name("results_money.json")
BIG_PDF = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "pdf" / "kent_2025-01-30_cabinet_finance-monitoring-q3.pdf"
_NAIVE_RE = re.compile(r"[-+]?\d[\d,]*\.?\d*")


def naive_price(span: str) -> Decimal | None:
    """The baseline: first figure, float, no scale words, no brackets (a typical price parser)."""
    m = _NAIVE_RE.search(span)
    if not m:
        return None
    try:
        return Decimal(repr(float(m.group(0).replace(",", "")))).quantize(Decimal("0.01"))
    except ValueError:
        return None


def make_spans(n: int, seed: int = 20240125) -> list[tuple[str, Decimal]]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        style = rnd.randrange(10)
        if style == 0:
            p = rnd.randrange(1, 10**8)
            out.append((f"£{p:,}", Decimal(p)))
        elif style in (1, 2):
            x = Decimal(rnd.randrange(1, 100000)) / 10 ** rnd.randrange(0, 4)
            fmt = rnd.choice(["£{}m", "£{} m", "£{}million", "£{} million", "{} million pounds", "GBP {}m"])
            out.append((fmt.format(x), x * 10**6))
        elif style == 3:
            x = rnd.randrange(1, 100000)
            out.append((rnd.choice(["£{}k", "£{:,}k", "£{} thousand"]).format(x), Decimal(x) * 1000))
        elif style == 4:
            x = Decimal(rnd.randrange(1, 9999)) / 100
            out.append((f"£{x}bn", x * 10**9))
        elif style == 5:
            x = Decimal(rnd.randrange(1, 9999)) / 10
            out.append((rnd.choice(["(£{}m)", "-£{}m"]).format(x), -x * 10**6))
        elif style == 6:
            x = Decimal(rnd.randrange(1, 999)) / 10
            q = rnd.choice(["c. ", "circa ", "approximately ", "around ", "up to ", "over ", "at least "])
            out.append((f"{q}£{x}m", x * 10**6))
        elif style == 7:
            a = rnd.randrange(1, 50)
            out.append((f"£{a}-{a + rnd.randrange(1, 9)}m", Decimal(a) * 10**6))
        elif style == 8:
            p, pp = rnd.randrange(1, 100000), rnd.randrange(100)
            out.append((f"£{p:,}.{pp:02d}", Decimal(p) + Decimal(pp) / 100))
        else:
            x = Decimal(rnd.randrange(1, 99999)) / 1000
            out.append((f"£{x}m", x * 10**6))
    return [(s, v.quantize(Decimal("0.01"))) for s, v in out]


def _time(fn, spans):
    t0 = time.perf_counter()
    got = [fn(s) for s, _ in spans]
    return time.perf_counter() - t0, got


def bench_extractor() -> dict | None:
    if not BIG_PDF.exists():
        return None
    from councilpapers.extractors.money_text import extract_money
    from councilpapers.load import load_file
    from councilpapers.registry import Output

    doc = load_file(BIG_PDF)
    extract_money(doc, Output())  # warm the pipeline once
    t0 = time.perf_counter()
    out = Output()
    extract_money(doc, out)
    dt = time.perf_counter() - t0
    chars = sum(len(p.text) for p in doc.pages)
    return {"file": BIG_PDF.name, "pages": len(doc.pages), "chars": chars, "seconds": round(dt, 3),
            "pages_per_s": round(len(doc.pages) / dt, 1), "chars_per_s": round(chars / dt),
            "money_rows": len(out.rows.get("money", [])), "quantity_rows": len(out.rows.get("quantities", []))}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args(argv)
    spans = make_spans(args.n)
    rows = []
    for name, fn in (("councilpapers normalise_money", lambda s: (v.amount if (v := normalise_money(s)) else None)),
                     ("naive regex+float price parser", naive_price)):
        dt, got = _time(fn, spans)
        exact = sum(g == want for g, (_, want) in zip(got, spans))
        rows.append({"reader": name, "spans": len(spans), "seconds": round(dt, 3),
                     "spans_per_s": round(len(spans) / dt), "exact": round(exact / len(spans), 4)})
    print(f"{'reader':<34} {'spans':>8} {'seconds':>8} {'spans/s':>10} {'exact':>7}")
    for r in rows:
        print(f"{r['reader']:<34} {r['spans']:>8} {r['seconds']:>8.2f} {r['spans_per_s']:>10,} {r['exact']:>7.1%}")
    ext = bench_extractor()
    if ext:
        print(f"\nmoney_text extractor on {ext['file']}: {ext['pages']} pages, {ext['chars']:,} chars in "
              f"{ext['seconds']:.2f}s = {ext['pages_per_s']} pages/s, {ext['chars_per_s']:,} chars/s "
              f"({ext['money_rows']} money rows, {ext['quantity_rows']} quantities)")
    RESULTS.write_text(json.dumps({"normalise": rows, "extractor": ext}, indent=2, sort_keys=True) + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
