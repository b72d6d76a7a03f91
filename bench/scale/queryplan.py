"""The SQL each tenfold page runs, timed and explained, on a seeded installation.

    .venv/bin/python -m bench.scale.queryplan DIR [--database-url URL] [--pages rss,sitemap]

``DIR`` is one size's installation kept by ``bench/scale/tenfold.py --keep``
(SQLite ``DIR/warta.db`` unless ``--database-url``).  Every statement a page
render sends (SQLAlchemy's ``before_cursor_execute``) is run again on its
own, timed (best of three), and explained (``EXPLAIN QUERY PLAN`` on SQLite,
``EXPLAIN`` on PostgreSQL); plan lines that read a whole table or sort
outside an index are marked ``!``.  What to look at before adding an index.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PAGES = {
    "home": ("/", False),
    "item": (None, False),
    "rss": ("/feeds/rss.xml", False),
    "sitemap": ("/sitemap.xml", False),
    "sitemap-1": ("/sitemap-1.xml", False),
    "sitemap-last": (None, False),
    "inbox": ("/admin/inbox/", True),
    "admin-posts": ("/admin/posts", True),
    "admin-posts-p50": ("/admin/posts?page=50", True),
}
SUSPECT = ("SCAN ", "TEMP B-TREE", "Seq Scan", "Sort ")


def _plan(conn, statement: str, params) -> list[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        return [row[-1] for row in rows]
    return [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, params).all()]


def _timed(conn, statement: str, params) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        conn.exec_driver_sql(statement, params).all()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 2)


def inner(names: list[str]) -> dict:
    from sqlalchemy import event, select

    from cms import create_app
    from cms.accounts import hash_password
    from cms.content_version import content_changed
    from cms.extensions import db
    from cms.models import Post, User

    password = "queryplan-Sandi-1"  # noqa: S105 - a throw-away installation
    app = create_app({"WTF_CSRF_ENABLED": False, "CMS_SHARED_CACHE": False, "RATELIMIT_ENABLED": False})
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "bench-admin@warta.test"))
        admin.password_hash = hash_password(password)
        db.session.commit()
        kind, slug = db.session.execute(
            select(Post.kind, Post.slug).where(Post.status == "published").order_by(Post.id).limit(1)
        ).one()
        public = db.session.scalar(select(db.func.count()).select_from(Post).where(Post.status == "published"))
    last_chunk = max(1, -(-public // 40_000))
    public_client, staff = app.test_client(), app.test_client()
    staff.post("/login", data={"email": "bench-admin@warta.test", "password": password})
    report = {}
    for name in names:
        path, signed_in = PAGES[name]
        path = path or (f"/{kind}/{slug}" if name == "item" else f"/sitemap-{last_chunk}.xml")
        client = staff if signed_in else public_client
        seen: list[tuple[str, object]] = []
        with app.app_context():
            engine = db.engine
            client.get(path)  # warm: templates compiled, connections open
            if not signed_in:
                content_changed()

            def record(conn, cursor, statement, parameters, context, executemany, seen=seen):
                seen.append((statement, parameters))

            event.listen(engine, "before_cursor_execute", record)
            started = time.perf_counter()
            response = client.get(path)
            page_ms = round((time.perf_counter() - started) * 1000, 1)
            event.remove(engine, "before_cursor_execute", record)
            statements = []
            with engine.connect() as conn:
                for statement, params in seen:
                    head = statement.lstrip().split(None, 1)[0].upper()
                    entry = {"sql": " ".join(statement.split())[:400]}
                    if head in ("SELECT", "WITH"):
                        entry["ms"] = _timed(conn, statement, params)
                        entry["plan"] = _plan(conn, statement, params)
                    statements.append(entry)
        report[name] = {"path": path, "status": response.status_code, "page_ms": page_ms, "statements": statements}
    return report


def show(report: dict) -> str:
    lines = []
    for name, page in report.items():
        lines.append(
            f"== {name} {page['path']} -> {page['status']}, {page['page_ms']} ms, {len(page['statements'])} statements"
        )
        for entry in page["statements"]:
            lines.append(f"  [{entry.get('ms', '-')} ms] {entry['sql'][:220]}")
            for step in entry.get("plan", []):
                mark = "!" if any(s in step for s in SUSPECT) else " "
                lines.append(f"     {mark} {step}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, nargs="?")
    parser.add_argument("--database-url")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = [n for n in args.pages.split(",") if n]
    if args.inner:
        print(json.dumps(inner(names)))
        return 0
    from bench.scale import servers

    workdir = args.dir.resolve()
    env = servers.site_env(workdir, args.database_url or f"sqlite:///{workdir / 'warta.db'}", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale.queryplan", "--inner", "--pages", ",".join(names)],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    print(json.dumps(report, indent=1) if args.json else show(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
