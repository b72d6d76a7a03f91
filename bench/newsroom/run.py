"""Newsroom benchmark: one command, prints a table.

    .venv/bin/python bench/newsroom/run.py [--posts 50000] [--duration 10] [--rounds 3] [--keep DIR] [--only search]

Seeds N published posts into a SQLite file, starts gunicorn (sync workers =
cores) on 127.0.0.1 with Warta and a bare 20 KB Flask page beside it, then
runs ``wrk -t2 -c32 --latency`` against: the minimal page, home, list page
100, an item page (random slugs), the RSS feed and a search (340 distinct queries), in
interleaved rounds, and prints the median of each figure.  The search runs
twice: as readers ask (a repeated query is answered from the worker's
shared cache) and with every request a cache miss (an ignored ``miss=``
parameter makes each URL new), the cost of a search actually run.
Targets (issue #3): item ≥ 35 % of minimal with p99 < 50 ms; home ≥ 25 %;
search (issue #24) ≥ 30 % with p99 < 40 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote_plus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench.common import lua_paths  # noqa: E402
from cms.testing import servers  # noqa: E402


def build_db(path: Path, posts: int) -> list[str]:
    from seed import seed

    from cms import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "CMS_PLUGINS": [],
            "HUEY_IMMEDIATE": True,
            "SITE_URL": "http://127.0.0.1",
        }
    )
    started = time.perf_counter()
    seed(app, posts)
    print(
        f"seeded {posts:,} posts in {time.perf_counter() - started:.1f} s ({path.stat().st_size / 1e6:.0f} MB)",
        flush=True,
    )
    reindex(app)
    prerender(app)
    return item_paths(path)


def reindex(app) -> None:
    """What ``flask cms reindex`` does after an import by raw SQL (the seed's
    bulk inserts skip the ORM that fills the Indonesian stems)."""
    from cms.extensions import db
    from cms.search_terms import reindex as rebuild

    started = time.perf_counter()
    with app.app_context(), db.engine.begin() as connection:
        rebuild(connection, lambda line: print(" ", line, flush=True))
    print(f"search index rebuilt in {time.perf_counter() - started:.1f} s", flush=True)


def prerender(app) -> None:
    """What the worker does after each publication (``flask cms prerender``
    after an import): store every public item page.  Also brings a kept
    database up to date (new tables, pages of a changed code epoch)."""
    from cms.cache import post_pages
    from cms.extensions import db

    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        stored = post_pages.refresh(
            progress=lambda done, total: (
                print(f"  prerendered {done:,} / {total:,}", flush=True)
                if done % 10_000 < 200 or done == total
                else None
            )
        )
    print(f"stored {stored:,} item pages in {time.perf_counter() - started:.1f} s", flush=True)


def item_paths(path: Path) -> list[str]:
    """Every item URL: a random one per request, as crawlers and old links do."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        return [f"/{k}/{s}" for k, s in conn.execute("SELECT kind, slug FROM post ORDER BY random()")]


def start_gunicorn(db: Path, workers: int, log: Path, cache: bool) -> servers.Gunicorn:
    env = dict(
        os.environ,
        BENCH_DB=str(db),
        BENCH_PAGE_CACHE="1" if cache else "0",
        PYTHONPATH=f"{ROOT}:{HERE}",
    )
    # The project's production settings (sync workers = cores, preload), on a
    # free port; no worker recycling in the middle of a run.
    return servers.Gunicorn(env, "wsgi_bench:app", workers, log=log, GUNICORN_MAX_REQUESTS="0")


def warm_page_cache(db: Path) -> None:
    """Read the database file through once, as a server that has been up a
    while has it in the page cache.  This VM pages out file cache left idle
    for about a minute, so without it a case measures disk reads (seen as
    block input during the run and a spread of ±15% between runs)."""
    for path in (db, db.with_name(db.name + "-wal")):
        if path.exists():
            with open(path, "rb") as f:
                while f.read(1 << 20):
                    pass


def wrk(url: str, duration: int, script: Path | None = None) -> dict:
    args = ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", str(script)]
    done = subprocess.run(args + [url], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed on {url}: {done.stdout[-500:]} {done.stderr[-500:]}")
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(non2xx.group(1)) if non2xx else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument(
        "--rounds", type=int, default=3, help="interleaved rounds; medians are reported (this VM's speed drifts ±15%%)"
    )
    parser.add_argument("--keep", help="reuse/keep the database in this folder")
    parser.add_argument(
        "--only",
        action="append",
        metavar="CASE",
        help="run only cases whose name contains CASE (repeatable); the minimal page always runs",
    )
    parser.add_argument(
        "--no-page-cache", action="store_true", help="render every request (measures the uncached path)"
    )
    parser.add_argument(
        "--no-prerender",
        action="store_true",
        help="kept database: do not bring its stored item pages up to date (minutes at 50,000 after a code change)",
    )
    opts = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    work = Path(opts.keep) if opts.keep else Path(tempfile.mkdtemp(prefix="warta-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    if not db.exists():
        paths = build_db(db, opts.posts)
    else:
        from cms import create_app

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
                "SECRET_KEY": "bench",
                "CMS_PLUGINS": [],
                "SITE_URL": "http://127.0.0.1",
            }
        )
        if opts.no_prerender:  # a kept database still gets the tables added since
            from cms.extensions import db as database

            with app.app_context():
                database.create_all()
        elif not opts.only or any("item" in o for o in opts.only):  # stored pages serve only items
            prerender(app)
        paths = item_paths(db)
    items = lua_paths(paths, work / "items.lua")
    hot_items = lua_paths(paths[:50], work / "hot-items.lua")  # news traffic piles onto a few items
    import random

    from seed import VOCAB, WORDS

    # Hundreds of distinct queries, so no cache of any kind can flatter the
    # figure: common words (a capped count, newest first), middling ones (in
    # thousands of items), rare names from the long tail (hundreds: ranked) and
    # two-word queries, common pairs and a common word with a rarer one.
    rng = random.Random(3)
    terms = (
        rng.sample(WORDS, 80)
        + rng.sample(VOCAB[200:2000], 100)
        + rng.sample(VOCAB[2500:], 100)
        + [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 30), rng.sample(WORDS, 30), strict=True)]
        + [f"{a} {b}" for a, b in zip(rng.sample(WORDS, 30), rng.sample(VOCAB[200:], 30), strict=True)]
    )
    searches = lua_paths([f"/cari?q={quote_plus(w)}" for w in dict.fromkeys(terms)], work / "search.lua")
    misses = work / "search-miss.lua"
    misses.write_text(
        searches.read_text().replace(
            "request = function() return wrk.format('GET', paths[math.random(#paths)]) end",
            "local n = 0\nrequest = function() n = n + 1; "
            "return wrk.format('GET', paths[math.random(#paths)] .. '&miss=' .. thread_no .. '-' .. n) end",
        )
    )
    workers = os.cpu_count() or 2
    server = start_gunicorn(db, workers, work / "gunicorn.log", not opts.no_page_cache)
    base = server.url
    cases = [
        ("minimal Flask 20 KB", "/_minimal/", None),
        ("home", "/", None),
        ("list page 100", "/siaran-pers/?page=100", None),
        ("item (random slug)", "/", items),
        ("item (50 hot slugs)", "/", hot_items),
        ("RSS", "/feeds/rss.xml", None),
        ("search (FTS5)", "/", searches),
        ("search (cache miss)", "/", misses),
    ]
    if opts.only:
        cases = cases[:1] + [c for c in cases[1:] if any(o in c[0] for o in opts.only)]
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in cases}
    load_before = os.getloadavg()
    try:
        for round_no in range(opts.rounds):
            for name, path, script in cases:
                warm_page_cache(db)
                wrk(base + path, 2, script)  # warm-up
                runs[name].append(wrk(base + path, opts.duration, script))
            print(
                f"round {round_no + 1}/{opts.rounds}: "
                + ", ".join(f"{name} {r[-1]['rps']:.0f}/s p99 {r[-1]['p99']:.0f} ms" for name, r in runs.items()),
                flush=True,
            )
    finally:
        server.close()
    rows = [
        (name, {key: statistics.median(r[key] for r in results) for key in results[0]})
        for name, results in runs.items()
    ]
    ceiling = rows[0][1]["rps"]
    targets = {
        "home": (25, None),
        "item (random slug)": (35, 50),
        "item (50 hot slugs)": (35, 50),
        "RSS": (70, None),
        "search (FTS5)": (30, 40),
        "search (cache miss)": (30, 40),
    }
    cache = "off" if opts.no_page_cache else "on"
    print(
        f"\ngunicorn sync x{workers}, wrk -t2 -c32 -d{opts.duration}s, {opts.posts:,} posts, SQLite, "
        f"page cache {cache}, medians of {opts.rounds} round(s)\n"
    )
    print(f"load average before: {load_before}, after: {os.getloadavg()}\n")
    print(f"{'case':<22}{'req/s':>9}{'% minimal':>11}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}  target")
    for name, r in rows:
        share = 100 * r["rps"] / ceiling
        want = targets.get(name)
        verdict = ""
        if want:
            ok = (want[0] is None or share >= want[0]) and (want[1] is None or r["p99"] < want[1])
            parts = ([f">= {want[0]}%"] if want[0] else []) + ([f"p99 < {want[1]} ms"] if want[1] else [])
            verdict = f"{' and '.join(parts)}: {'OK' if ok else 'MISSED'}"
        print(f"{name:<22}{r['rps']:>9.0f}{share:>10.0f}%{r['p50']:>9.1f}{r['p99']:>9.1f}{r['errors']:>9}  {verdict}")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
