"""Crosspost benchmark: publish N posts to 5 accounts against loopback fakes.

A real worker process (``flask cms worker``) delivers from a real queue (huey
on SQLite, or Redis with REDIS_URL) into a real database (SQLite file, or
DATABASE_URL=postgresql://…).  Prints throughput, duplicates (must be 0) and
the time from publication to the first delivery of each post.

    .venv/bin/python bench/crosspost/run.py --posts 1000 --workers 8
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DATA_KEY = "x5IrD5TG1wB0cK1d3uuUbo8wHUPf7Xyo2mqjUcqgDuo="
NETWORKS = ("mastodon", "telegram", "bluesky", "facebook", "x")


class _Remote:
    """Stands in for a fake running in the fakes process: its URL and credentials."""

    def __init__(self, url, cls):
        self.url = url
        for name in ("token", "handle", "password", "page", "secret"):
            if hasattr(cls, name):
                setattr(self, name, getattr(cls, name))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    import json

    from sqlalchemy import func, select

    from cms import accounts as users
    from cms import create_app, publishing
    from cms.extensions import db
    from cms.models import Post
    from cms.timeutil import naive_utc
    from plugins.crosspost import accounts
    from plugins.crosspost.models import CrosspostDelivery
    from tests.plugins.crosspost import fakes
    from tests.plugins.crosspost.conftest import settings_for

    tmp = Path(tempfile.mkdtemp(prefix="crosspost-bench-"))
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    config = {"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": db_url, "CMS_PLUGINS": ["crosspost"],
              "CMS_DATA_KEY": DATA_KEY, "HUEY_SQLITE_PATH": str(tmp / "huey.db"),
              "SITE_URL": "http://warta.test", "CMS_MEDIA_DIR": str(tmp / "media"),
              "REDIS_URL": os.environ.get("REDIS_URL")}
    app = create_app(config)
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fakes_server.py"))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    urls = json.loads(server.stdout.readline())
    # Settings need the fakes' credentials (class attributes) and their URLs.
    running = {key: _Remote(urls[key], cls) for key, cls in (
        ("mastodon", fakes.FakeMastodon), ("telegram", fakes.FakeTelegram), ("bluesky", fakes.FakeBluesky),
        ("facebook", fakes.FakeFacebook), ("x", fakes.FakeX))}
    env = {**os.environ, "DATABASE_URL": db_url, "FLASK_HUEY_SQLITE_PATH": str(tmp / "huey.db"),
           "CMS_PLUGINS": "crosspost", "FLASK_CMS_DATA_KEY": DATA_KEY, "SECRET_KEY": "bench",
           "SITE_URL": "http://warta.test", "CMS_INSTANCE_PATH": str(tmp / "instance"),
           "PYTHONPATH": str(ROOT), "FLASK_APP": "wsgi"}
    with app.app_context():
        db.drop_all()
        db.create_all()
        editor = users.create_user("bench-editor@warta.test", "editor", "kata-sandi-rahasia-123")
        for key in NETWORKS:
            accounts.save(None, key, f"Bench {key}", settings_for(key, running[key]))
        posts = []
        for n in range(args.posts):
            posts.append(Post(kind="siaran-pers", title=f"Siaran pers nomor {n}: layanan publik 🇮🇩",
                              slug=f"bench-{n}", summary="Ringkasan siaran pers untuk uji beban.",
                              status="approved", body_html="<p>Isi</p>"))
        db.session.add_all(posts)
        db.session.commit()
        ids = [p.id for p in posts]

        worker = subprocess.Popen([sys.executable, "-m", "flask", "cms", "worker", "--workers",
                                   str(args.workers)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            start = time.perf_counter()
            started_at = naive_utc()
            for post_id in ids:
                publishing.publish_now(db.session.get(Post, post_id), editor)
            publish_seconds = time.perf_counter() - start
            expected = len(ids) * len(NETWORKS)
            deadline = time.perf_counter() + args.timeout
            while True:
                done = db.session.scalar(select(func.count()).select_from(CrosspostDelivery).where(
                    CrosspostDelivery.status.notin_(("pending", "retry", "sending"))))
                db.session.rollback()
                if done >= expected or time.perf_counter() > deadline:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - start
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(30)

        rows = db.session.scalars(select(CrosspostDelivery)).all()
        by_status: dict[str, int] = {}
        for row in rows:
            by_status[row.status] = by_status.get(row.status, 0) + 1
        first_delivery = {}
        for row in rows:
            if row.sent_at and row.published_at:
                lag = (row.sent_at - row.published_at).total_seconds()
                first_delivery[row.post_id] = min(lag, first_delivery.get(row.post_id, lag))
        last_sent = max((r.sent_at for r in rows if r.sent_at), default=started_at)
        server.stdin.write("stats\n")
        server.stdin.flush()
        remote_posts = sum(json.loads(server.stdout.readline()).values())
        keys = {r.idempotency_key for r in rows}
        duplicates = remote_posts - by_status.get("sent", 0)
        lags = sorted(first_delivery.values())
        queue_kind = "redis" if os.environ.get("REDIS_URL") else "sqlite"
        print(f"database            {db_url.split(':', 1)[0]}   queue {queue_kind}   worker threads {args.workers}")
        print(f"posts x accounts    {len(ids)} x {len(NETWORKS)} = {expected} deliveries "
              f"({len(rows)} rows, {len(keys)} distinct keys)")
        print(f"statuses            {by_status}")
        print(f"posts on networks   {remote_posts}   duplicates {duplicates}")
        print(f"publishing          {publish_seconds:.1f} s for {len(ids)} posts "
              f"({len(ids) / publish_seconds:.0f} posts/s, outbox rows included)")
        span = (last_sent - started_at).total_seconds()
        print(f"throughput          {by_status.get('sent', 0) / span:.0f} deliveries/s "
              f"(all done in {span:.1f} s; wall {elapsed:.1f} s)")
        if lags:
            print(f"publication → first delivery  median {statistics.median(lags) * 1000:.0f} ms, "
                  f"p95 {lags[int(len(lags) * 0.95) - 1] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms")
        db.session.remove()
        db.drop_all() if db_url.startswith("postgres") else None
    server.stdin.close()
    server.wait(30)


if __name__ == "__main__":
    main()
