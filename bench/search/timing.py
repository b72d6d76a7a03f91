"""Time ``/cari`` in-process at N items, the shared cache off, on any database.

    DATABASE_URL=postgresql://… .venv/bin/python bench/search/timing.py [--posts 50000] [--seed]
    DATABASE_URL=… .venv/bin/python bench/search/timing.py --dip   # the DIP catalogue of a seeded database

With ``--seed`` it drops every table of the database, seeds N published
posts with ``bench/newsroom``'s seeder and rebuilds the stems and index
(``flask cms reindex``); without it the database is reused as it is, after
``ensure_schema`` (so a database seeded on an older checkout gets this
checkout's search objects).  Then it asks the newsroom bench's ~340 queries
once to warm up and three times timed, and each hostile query of
``relevance.py`` best of three, and prints p50/p99 of the wall time a page
and of the CPU a page took in the worker and the database server together
(PostgreSQL's backends read from /proc: figures the load does not inflate).  SQLite: ``sqlite:///path`` works the same.
``--dip`` asks ``/ppid/dip`` instead, the same queries plus the relevance
set's DIP queries, of a database seeded by ``bench.scale.seed --dip N``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
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


def make_app(plugins: list[str] | None = None):
    from cms import create_app

    return create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
            "CMS_PLUGINS": plugins or [],
            "HUEY_IMMEDIATE": True,
            "SITE_URL": "http://127.0.0.1",
            "CMS_SHARED_CACHE": False,
        }
    )


def backend_ns(app) -> Callable[[], int]:
    """A reader of the CPU time (ns, ``/proc/PID/schedstat``) the database
    server's backends for this database have used: with the worker's own
    CPU, a cost per page that the machine's load does not inflate.  Always
    0 on SQLite (it runs in the worker)."""
    from sqlalchemy import text

    from cms.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return lambda: 0
    with app.app_context():
        pids = db.session.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
        db.session.rollback()

    def read() -> int:
        total = 0
        for pid in pids:
            with contextlib.suppress(OSError, ValueError):  # a backend that ended
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
        return total

    return read


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--seed", action="store_true", help="drop every table and seed afresh")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dip", action="store_true", help="time the DIP catalogue (/ppid/dip)")
    opts = parser.parse_args()
    from relevance import HOSTILE
    from seed import seed

    from cms.extensions import db
    from cms.newsroom import search

    app = make_app(["dip"] if opts.dip else [])
    if opts.seed:
        from bench.newsroom.run import reindex

        with app.app_context():
            db.drop_all()
        started = time.perf_counter()
        seed(app, opts.posts)
        print(f"seeded {opts.posts:,} posts in {time.perf_counter() - started:.0f} s", flush=True)
        reindex(app)
    started = time.perf_counter()
    with app.app_context(), db.engine.begin() as connection:
        search.ensure_schema(connection)
        if opts.dip:
            from plugins.dip import search as dip_search

            dip_search.ensure_schema(connection)
    print(f"search schema ensured in {time.perf_counter() - started:.1f} s", flush=True)
    client = app.test_client()
    asked = queries()
    if opts.dip:
        import json

        relevance = json.loads((HERE / "relevance.json").read_text())["queries"]
        asked += [item["q"] for item in relevance if item["scope"] != "post"]
    page = "/ppid/dip" if opts.dip else "/cari"
    paths = [f"{page}?q={quote_plus(q)}" for q in dict.fromkeys(asked)]
    for path in paths:  # warm: connections, templates, the stemmer's memo
        assert client.get(path).status_code == 200
    print(f"uptime before: {os.popen('uptime').read().strip()}", flush=True)
    walls, cpus, totals = [], [], []
    server = backend_ns(app)
    for _ in range(opts.rounds):
        for path in paths:
            wall, cpu, db_cpu = time.perf_counter(), time.process_time(), server()
            response = client.get(path)
            cpus.append((time.process_time() - cpu) * 1000)
            totals.append(cpus[-1] + (server() - db_cpu) / 1e6)
            walls.append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200, path
    slow = []
    for name, q in HOSTILE.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            status = client.get(page, query_string={"q": q}).status_code
            times.append((time.perf_counter() - started) * 1000)
        slow.append((name, status, min(times)))
    print(f"uptime after: {os.popen('uptime').read().strip()}", flush=True)
    with app.app_context():
        db.engine.dispose()
    print(f"\n{len(paths)} queries x {opts.rounds} on {app.config['SQLALCHEMY_DATABASE_URI'].split(':', 1)[0]}")
    print(
        "| worker CPU/page mean | worker + database CPU p50 | p99 | wall p50 | wall p90 | wall p99 | wall max |\n"
        "|---:|---:|---:|---:|---:|---:|---:|"
    )
    print(
        f"| {statistics.mean(cpus):.1f} ms | {percentile(totals, 50):.1f} ms | {percentile(totals, 99):.1f} ms "
        f"| {percentile(walls, 50):.1f} ms | {percentile(walls, 90):.1f} ms "
        f"| {percentile(walls, 99):.1f} ms | {max(walls):.1f} ms |"
    )
    print(f"\nhostile queries on {page}, best of 3\n\n| case | status | ms |\n|---|---:|---:|")
    for name, status, ms in slow:
        print(f"| {name} | {status} | {ms:.1f} |")


if __name__ == "__main__":
    main()
