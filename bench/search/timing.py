"""Time ``/cari`` in-process at N items, the shared cache off, on any database.

    DATABASE_URL=postgresql://… .venv/bin/python bench/search/timing.py [--posts 50000] [--seed]

With ``--seed`` it drops every table of the database, seeds N published
posts with ``bench/newsroom``'s seeder and rebuilds the stems and index
(``flask cms reindex``); without it the database is reused as it is, after
``ensure_schema`` (so a database seeded on an older checkout gets this
checkout's search objects).  Then it asks the newsroom bench's ~340 queries
once to warm up and three times timed, and each hostile query of
``relevance.py`` best of three, and prints p50/p99 of the wall time a page
and the worker's CPU a page.  SQLite: ``sqlite:///path`` works the same.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "newsroom"))
sys.path.insert(0, str(HERE))


def queries() -> list[str]:
    """The queries of ``bench/newsroom/run.py`` (same seed, same order)."""
    from seed import VOCAB, WORDS

    rng = random.Random(3)
    terms = (
        rng.sample(WORDS, 80)
        + rng.sample(VOCAB[200:2000], 100)
        + rng.sample(VOCAB[2500:], 100)
        + [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 30), rng.sample(WORDS, 30), strict=True)]
        + [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 30), rng.sample(VOCAB[200:], 30), strict=True)]
    )
    return list(dict.fromkeys(terms))


def make_app():
    from cms import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
            "CMS_PLUGINS": [],
            "HUEY_IMMEDIATE": True,
            "SITE_URL": "http://127.0.0.1",
            "CMS_SHARED_CACHE": False,
        }
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--seed", action="store_true", help="drop every table and seed afresh")
    parser.add_argument("--rounds", type=int, default=3)
    opts = parser.parse_args()
    from relevance import HOSTILE
    from seed import seed

    from cms.extensions import db
    from cms.newsroom import search

    app = make_app()
    if opts.seed:
        from run import reindex

        with app.app_context():
            db.drop_all()
        started = time.perf_counter()
        seed(app, opts.posts)
        print(f"seeded {opts.posts:,} posts in {time.perf_counter() - started:.0f} s", flush=True)
        reindex(app)
    started = time.perf_counter()
    with app.app_context(), db.engine.begin() as connection:
        search.ensure_schema(connection)
    print(f"search schema ensured in {time.perf_counter() - started:.1f} s", flush=True)
    client = app.test_client()
    paths = [f"/cari?q={quote_plus(q)}" for q in queries()]
    for path in paths:  # warm: connections, templates, the stemmer's memo
        assert client.get(path).status_code == 200
    print(f"uptime before: {os.popen('uptime').read().strip()}", flush=True)
    walls, cpus = [], []
    for _ in range(opts.rounds):
        for path in paths:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200, path
    slow = []
    for name, q in HOSTILE.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            status = client.get("/cari", query_string={"q": q}).status_code
            times.append((time.perf_counter() - started) * 1000)
        slow.append((name, status, min(times)))
    print(f"uptime after: {os.popen('uptime').read().strip()}", flush=True)
    with app.app_context():
        db.engine.dispose()
    print(f"\n{len(paths)} queries x {opts.rounds} on {app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]}")
    print("| CPU/page mean | wall p50 | wall p90 | wall p99 | wall max |\n|---:|---:|---:|---:|---:|")
    print(
        f"| {statistics.mean(cpus):.1f} ms | {percentile(walls, 50):.1f} ms | {percentile(walls, 90):.1f} ms "
        f"| {percentile(walls, 99):.1f} ms | {max(walls):.1f} ms |"
    )
    print("\nhostile queries on /cari, best of 3\n\n| case | status | ms |\n|---|---:|---:|")
    for name, status, ms in slow:
        print(f"| {name} | {status} | {ms:.1f} |")


if __name__ == "__main__":
    main()
