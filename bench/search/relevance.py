"""Search relevance: recall@10 and nDCG@10 of the relevance set, per database.

    .venv/bin/python bench/search/relevance.py                 # SQLite (a temporary file)
    DATABASE_URL=postgresql://… .venv/bin/python bench/search/relevance.py
    .venv/bin/python bench/search/relevance.py --json out.json --show-misses

Loads the newsroom demo (``flask cms demo``'s items) and the Kota Bekasi DIP
export (tests/data/ppid-bekasi, 2,783 rows, imported as the importer does),
then asks each query of ``relevance.json`` of the newsroom search (``/cari``)
or the DIP catalogue and scores the first ten results against the items a
reader expects (posts by slug, DIP entries by kode).  Binary relevance;
recall@10 divides by min(10, relevant).  Works on any checkout (it uses
only the search services), so the same set scores main and a branch.
On PostgreSQL it drops and recreates every table of the given database.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
BEKASI = ROOT / "tests" / "data" / "ppid-bekasi" / "data"
K = 10


def make_app(workdir: str):
    from cms import create_app
    from cms.extensions import db

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/relevance.db"
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "CMS_PLUGINS": ["dip"],
            "HUEY_IMMEDIATE": True,
            "CMS_MEDIA_DIR": f"{workdir}/media",
            "CMS_PRIVATE_DIR": f"{workdir}/private",
            "SITE_URL": "http://bench.test",
            # Each hostile query is timed best of 3: served from the shared
            # cache the repeats would time a memory lookup, not the search.
            "CMS_SHARED_CACHE": False,
        }
    )
    with app.app_context():
        if not url.startswith("sqlite"):
            db.drop_all()
        db.create_all()
    return app


def load(app) -> None:
    from cms.extensions import db
    from cms.newsroom.demo import load_demo
    from plugins.dip.importer import Importer

    with app.app_context():
        load_demo()
        db.session.commit()
        Importer().run(BEKASI)
        db.session.commit()


def ask(app, scope: str, q: str) -> list[str]:
    """The first K results' keys (post slug, DIP kode)."""
    with app.test_request_context("/"):
        if scope == "post":
            from cms.newsroom.search import search

            hits, _ = search(q, per_page=K)
            return [hit.path.rsplit("/", 1)[-1] for hit in hits]
        from plugins.dip import catalogue

        result = catalogue.page(catalogue.Filters.from_args({"q": q}), 1, K)
        return [hit["entry"].kode for hit in result.hits]


HOSTILE = {
    "empty": "",
    "10,000 characters": "banjir jalan " * 770,
    "operators only": 'AND OR NOT * "',
    "unbalanced quotes": '"laporan keuangan',
    "mixed scripts": "تقرير 报告 📊 laporan",
    "12 unknown words": " ".join(f"qzx{n}vw" for n in range(12)),
    "typo (did you mean)": "pemerintha kesehatna",
}


def hostile(app) -> list[tuple[str, str, int, float]]:
    """(case, path, status, best of three ms) of the whole page for each hostile query."""
    client = app.test_client()
    out = []
    for name, q in HOSTILE.items():
        for path in ("/cari", "/ppid/dip"):
            times = []
            for _ in range(3):
                started = time.perf_counter()
                status = client.get(path, query_string={"q": q}).status_code
                times.append((time.perf_counter() - started) * 1000)
            out.append((name, path, status, min(times)))
    return out


def score(found: list[str], relevant: set[str]) -> tuple[float, float]:
    top = found[:K]
    hits = [1 if key in relevant else 0 for key in top]
    recall = sum(hits) / min(K, len(relevant))
    dcg = sum(h / math.log2(i + 2) for i, h in enumerate(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return recall, dcg / ideal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default=str(HERE / "relevance.json"))
    parser.add_argument("--json", help="write per-query figures here")
    parser.add_argument("--show-misses", action="store_true", help="list the queries that miss")
    opts = parser.parse_args()
    queries = json.loads(Path(opts.set).read_text())["queries"]
    with tempfile.TemporaryDirectory(prefix="warta-relevance-") as workdir:
        app = make_app(workdir)
        started = time.perf_counter()
        load(app)
        database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
        print(f"loaded demo + Bekasi DIP on {database} in {time.perf_counter() - started:.0f} s", flush=True)
        rows = []
        for item in queries:
            found = ask(app, item["scope"], item["q"])
            recall, ndcg = score(found, set(item["relevant"]))
            rows.append({**item, "found": found, "recall": recall, "ndcg": ndcg})
        slow = hostile(app)
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    print(f"\n{len(rows)} queries on {database}, recall@{K} and nDCG@{K} (means)\n")
    print(f"| {'kind':<16} | queries | recall@{K} | nDCG@{K} |\n|---|---:|---:|---:|")
    for kind, group in sorted(by_kind.items()):
        r = statistics.mean(g["recall"] for g in group)
        n = statistics.mean(g["ndcg"] for g in group)
        print(f"| {kind:<16} | {len(group):>7} | {r:>9.3f} | {n:>7.3f} |")
    r = statistics.mean(g["recall"] for g in rows)
    n = statistics.mean(g["ndcg"] for g in rows)
    print(f"| {'all':<16} | {len(rows):>7} | {r:>9.3f} | {n:>7.3f} |")
    print("\nhostile queries, whole page, best of 3 (target: 200 in < 100 ms)\n")
    print("| case | page | status | ms |\n|---|---|---:|---:|")
    for name, path, status, ms in slow:
        print(f"| {name} | {path} | {status} | {ms:.1f} |")
    if opts.show_misses:
        print()
        for row in rows:
            if row["recall"] < 1:
                print(f"  {row['scope']:<5} {row['q']!r}: recall {row['recall']:.2f} nDCG {row['ndcg']:.2f}")
    if opts.json:
        Path(opts.json).write_text(json.dumps({"database": database, "queries": rows}, indent=1))


if __name__ == "__main__":
    main()
