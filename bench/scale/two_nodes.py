"""Two application nodes on one PostgreSQL and one Redis, behind nginx:
is a change made on node A visible on node B, and how soon?

    .venv/bin/python bench/scale/two_nodes.py [--items 5000 --edits 10000]

Starts PostgreSQL and Redis (``.ci/services.sh``, ports 55433/63790 by
default), migrates and seeds one database, then two gunicorn nodes with
separate instance folders and a shared media folder, a worker on node A,
one ``flask cms page-files`` writer and nginx (``deploy/nginx/warta.conf``)
balancing over both nodes.  This process is node A's editor: it changes
content through the real services (publish, unpublish, an embargo lifted by
node A's worker, a correction) with node A's configuration and polls every
page and feed of node B, node A and nginx until each shows the change.
Then ``coherence.run`` drives mixed edits and reads and compares what
each node serves with the database.  Everything started is stopped by pid.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import fetch, save_results  # noqa: E402
from bench.scale import report, servers  # noqa: E402
from bench.scale.seed import PUBLISH_SLUG  # noqa: E402

POLL = 0.02  # seconds between two looks at a page (a poll interval, not synchronisation)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def node_env(workdir: Path, name: str, database_url: str, redis_url: str, media: Path) -> dict[str, str]:
    """One node: its own instance folder, the shared database, Redis and media folder."""
    (workdir / name).mkdir(parents=True, exist_ok=True)
    env = servers.site_env(workdir / name, database_url, None)
    env.update({"REDIS_URL": redis_url, "CMS_MEDIA_DIR": str(media), "SITE_URL": "http://127.0.0.1"})
    return env


def start(args, stack: ExitStack, workdir: Path) -> dict:
    database_url, redis_url = stack.enter_context(
        servers.services("warta-two-nodes", pg_port=args.pg_port, redis_port=args.redis_port)
    )
    media = workdir / "media"
    media.mkdir(parents=True)
    envs = {name: node_env(workdir, name, database_url, redis_url, media) for name in ("A", "B")}
    servers.migrate(envs["A"])
    started = time.perf_counter()
    seeded = subprocess.run(
        [sys.executable, "-m", "bench.scale.seed", "seed", "--items", str(args.items), "--requests", "0", "--dip", "0"],
        cwd=ROOT,
        env=envs["A"],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if seeded.returncode:
        raise RuntimeError("seeding failed:\n" + seeded.stderr[-3000:])
    log(f"seeded {args.items:,} items in {time.perf_counter() - started:.1f} s")
    nodes = {}
    for name, env in envs.items():
        nodes[name] = servers.Gunicorn(env, workers=args.workers)
        stack.callback(nodes[name].close)
    # No `flask cms worker` here: in main it stops at start-up (two huey tasks named
    # "feeds.embargo_changes"); this process runs the due job itself (see scenarios).
    pages = servers.PageFiles(envs["A"], workdir / "pages")
    stack.callback(pages.close)
    # Both nodes in nginx's upstream block (the site file has one ``server @UPSTREAM@;``).
    upstream = f"{nodes['A'].address}; server {nodes['B'].address}"
    nginx = servers.Nginx(upstream, workdir, workdir / "static", pages_dir=pages.directory)
    stack.callback(nginx.close)
    return {"envs": envs, "nodes": nodes, "nginx": nginx, "database_url": database_url, "redis_url": redis_url}


def watch_urls(post) -> dict[str, str]:
    """Every public page and feed the post shows on."""
    return {
        **({"category": f"/kategori/{post.categories[0].slug}/"} if post.categories else {}),
        "home": "/",
        "list": f"/{post.kind}/",
        "item": f"/{post.kind}/{post.slug}",
        "rss": "/feeds/rss.xml",
        "atom": "/feeds/atom.xml",
        "news sitemap": "/sitemap-news.xml",
    }


def shows(path: str, status: int, body: bytes, marker: str, present: bool) -> bool:
    """True when the page reflects the change: ``marker`` present (or gone)."""
    is_item = path.count("/") == 2 and not path.endswith("/") and not path.endswith(".xml")
    if present:
        return status == 200 and marker.encode() in body
    if is_item:
        return status in (404, 410)
    return status == 200 and marker.encode() not in body


def watch(bases: dict[str, str], paths: dict[str, str], marker: str, present: bool, since: float, timeout: float):
    """Poll every (server, page), each in its own thread, until it reflects
    the change.  Per page, seconds after ``since``: when the first answer
    with the change arrived (None: not within ``timeout``), and when the
    last request still answered without it had started.  The change became
    visible between the two: the gap is one response's queueing and render."""
    seen: dict[str, float | None] = {}
    old_until: dict[str, float] = {}

    def poll(server: str, page: str) -> None:
        url = bases[server] + paths[page]
        key = f"{server} {page}"
        seen[key], old_until[key] = None, 0.0
        while time.time() < since + timeout:
            started = time.time()
            status, _, body = fetch(url)
            if shows(paths[page], status, body, marker, present):
                seen[key] = round(time.time() - since, 3)
                return
            old_until[key] = round(max(0.0, started - since), 3)
            time.sleep(POLL)

    with ThreadPoolExecutor(len(bases) * len(paths)) as pool:
        for future in [pool.submit(poll, s, p) for s in bases for p in paths]:
            future.result()
    return seen, old_until


def warm(bases: dict[str, str], paths: dict[str, str], times: int = 6) -> None:
    """Fill every worker's memory cache with the page as it is before the change."""
    for _ in range(times):
        for base in bases.values():
            for path in paths.values():
                fetch(base + path)


def scenarios(topology: dict, timeout: float) -> list[dict]:
    """Publish, unpublish, embargo lift and correction on node A, seen everywhere."""
    from sqlalchemy import select

    from cms.accounts import find_user
    from cms.extensions import db
    from cms.models import Post
    from cms.newsroom import drafts, posts, publishing
    from cms.timeutil import naive_utc

    bases = {"B": topology["nodes"]["B"].url, "A": topology["nodes"]["A"].url, "nginx": topology["nginx"].url}
    editor = find_user("bench-admin@warta.test")
    rows = []

    def one(name, post, act, marker, present):
        paths = watch_urls(post)
        warm(bases, paths)
        clicked, returned = act()
        seen, old_until = watch(bases, paths, marker, present, clicked, timeout)
        slowest = None if None in seen.values() else max(seen.values())
        by_server = {
            s: max((v for k, v in seen.items() if k.startswith(s + " ") and v is not None), default=None) for s in bases
        }
        old_by_server = {s: max(v for k, v in old_until.items() if k.startswith(s + " ")) for s in bases}
        action = round(returned - clicked, 3)  # the service call itself (commit, hooks, jobs queued)
        rows.append(
            {
                "scenario": name,
                "action_s": action,
                "slowest_s": slowest,
                "by_server": by_server,
                "old_until_by_server": old_by_server,
                "pages": seen,
                "old_until": old_until,
            }
        )
        log(f"  {name:<16} action {action} s, slowest {slowest} s {by_server}; old until {old_by_server}")
        missing = [k for k, v in seen.items() if v is None]
        if missing:
            log(f"    not seen within the timeout: {missing}")

    def post_by(slug):
        return db.session.scalar(select(Post).where(Post.slug == slug))

    def timed(fn):  # visibility counts from the editor's click, not from the return
        def run():
            clicked = time.time()
            fn()
            return clicked, time.time()

        return run

    first = post_by(PUBLISH_SLUG.format(1))
    one("publish", first, timed(lambda: publishing.publish_now(first, editor)), first.slug, True)
    first = post_by(PUBLISH_SLUG.format(1))
    one(
        "unpublish", first, timed(lambda: (publishing.unpublish(first, editor), db.session.commit())), first.slug, False
    )

    lifted = post_by(PUBLISH_SLUG.format(2))
    due = naive_utc() + timedelta(seconds=4)
    due_epoch = time.time() + 4

    def embargo():  # node A's worker runs the eta job at the due time: done here
        publishing.schedule(lifted, editor, due, embargo=True)
        time.sleep(max(0.0, due_epoch - time.time()) + 0.01)  # waiting for the clock, not for a server
        started = time.time()
        publishing.publish_if_due(lifted.id)
        return started, time.time()

    one("embargo lift", lifted, embargo, lifted.slug, True)
    rows[-1]["note"] = "from the start of the due job, run at the due time by this process"

    corrected = post_by(PUBLISH_SLUG.format(3))
    publishing.publish_now(corrected, editor)
    corrected = post_by(PUBLISH_SLUG.format(3))
    new_title = f"Ralat judul {int(time.time())}"

    def correct():
        data = posts.data_from_snapshot(posts.snapshot(corrected), corrected)
        data.title = new_title
        started = time.time()
        drafts.save_post(corrected, editor, data, corrected.version, correction="Judul diperbaiki.")
        return started, time.time()

    one("correction", corrected, correct, new_title, True)
    return rows


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=10_000, help="mixed edits and reads for the coherence check")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per node")
    parser.add_argument("--pg-port", type=int, default=55433)
    parser.add_argument("--redis-port", type=int, default=63790)
    parser.add_argument("--timeout", type=float, default=10.0, help="give up on a page after this many seconds")
    parser.add_argument("--bound", type=float, default=1.0, help="seconds a node may lag the database")
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="warta-two-nodes-"))
    results: dict = {"args": vars(args), "load_before": report.load_average()}
    try:
        with ExitStack() as stack:
            topology = start(args, stack, workdir)
            os.environ.update(topology["envs"]["A"])  # this process edits as node A
            from bench.scale import coherence
            from cms import create_app

            app = create_app()
            with app.app_context():
                log("scenarios: a change on node A, seen on node B, node A and through nginx")
                results["scenarios"] = scenarios(topology, args.timeout)
                results["load_mid"] = report.load_average()
                log(f"coherence: {args.edits:,} mixed edits and reads")
                results["coherence"] = coherence.run(topology, args.edits, args.bound, log=log)
            results["load_after"] = report.load_average()
    finally:
        if args.keep:
            log(f"work directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    stored = save_results("two-nodes", results)
    print(json.dumps({k: v for k, v in results.items() if k != "coherence"} | _summary(results), indent=1))
    log(f"results written to {stored}")
    return 0 if not results.get("coherence", {}).get("stale") else 1


def _summary(results: dict) -> dict:
    found = results.get("coherence", {})
    return {"coherence": {k: v for k, v in found.items() if k != "stale_reads"}}


if __name__ == "__main__":
    sys.exit(main())
