"""Seed a migrated Warta database at scale, and publish one item on demand.

    python -m bench.scale.seed seed --items 50000 --requests 20000 --dip 50000
    python -m bench.scale.seed publish bench-terbit-1

Configuration comes from the environment like the app's (``DATABASE_URL``,
``CMS_INSTANCE_PATH``, ``SECRET_KEY``, ``CMS_PLUGINS``).  Rows go in with
bulk ``insert()`` in batches with explicit ids (fast on SQLite and
PostgreSQL); only columns the models have today are written, so the seeder
keeps working while the models grow.  Everything else (users, units, the
publication itself) goes through the real services.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import inspect, select

from bench.scale.bulk import bulk, fix_sequences, next_id
from bench.scale.seed_ppid import seed_dip, seed_requests
from bench.scale.textgen import Text
from cms.timeutil import naive_utc

CHUNK = 20_000  # posts generated and inserted at a time
PUBLISH_SLUG = "bench-terbit-{}"
PUBLISH_READY = 5  # approved items waiting for the publication-latency probe


# ------------------------------------------------------------ newsroom


def _people_and_units(gen, n_units: int = 40):
    from cms import accounts
    from cms.models import User

    units = [accounts.get_or_create_unit(f"Dinas {gen.title().split()[0]} {i + 1}") for i in range(n_units)]
    users = {}
    for role in ("admin", "editor", "writer"):
        email = f"bench-{role}@warta.test"
        users[role] = accounts.find_user(email) or accounts.create_user(
            email, role, secrets.token_urlsafe(18), name=gen.person()
        )
    return units, users, User


def seed_posts(gen, n: int) -> dict:
    from cms.models import Category, Post
    from cms.models.content import POST_INDEX, Tag

    units, users, _ = _people_and_units(gen)
    cat_start, tag_start, first = next_id(Category), next_id(Tag), next_id(Post)
    names = [
        "Pemerintahan",
        "Kesehatan",
        "Pendidikan",
        "Infrastruktur",
        "Ekonomi",
        "Sosial",
        "Lingkungan",
        "Pariwisata",
        "Kebencanaan",
        "Keuangan Daerah",
        "Olahraga",
        "Budaya",
    ]
    cats = [
        {
            "id": cat_start + i,
            "name": f"{name} {cat_start + i}",
            "slug": f"bench-{cat_start + i}",
            "description": gen.sentence(),
        }
        for i, name in enumerate(names)
    ]
    tags = [
        {"id": tag_start + i, "name": f"{w}-{tag_start + i}", "slug": f"{w}-{tag_start + i}"}
        for i, w in enumerate(gen.sample(300))
    ]
    bulk(Category, cats)
    bulk(Tag, tags)
    now = naive_utc().replace(microsecond=0)
    span = timedelta(days=5 * 365).total_seconds()
    posts: list[dict] = []
    links: list[dict] = []
    tag_links: list[dict] = []
    last: dict = {}
    with _fulltext_index_dropped():
        for i in range(n):
            if len(posts) >= CHUNK:  # 500,000 rows with their bodies do not fit in memory at once
                last = posts[-1]
                _insert_posts(posts, links, tag_links)
                posts, links, tag_links = [], [], []
            pid = first + i
            html, plain = gen.body(gen.rng.randint(2000, 4200))
            published = now - timedelta(hours=1) - timedelta(seconds=span * (n - i) / n)
            title = gen.title()
            unit = gen.rng.choice(units)
            posts.append(
                {
                    "id": pid,
                    "kind": "siaran-pers" if gen.rng.random() < 0.4 else "berita",
                    "title": title,
                    "slug": f"{title.lower().replace(' ', '-')[:150]}-{pid}",
                    "summary": plain[:270].rsplit(" ", 1)[0] + " …",
                    "body_html": html,
                    "body_text": plain,
                    "dateline": gen.place(),
                    "language": "id",
                    "status": "published",
                    "published_at": published,
                    "updated_at": published,
                    "created_at": published - timedelta(hours=3),
                    "unit_id": unit.id,
                    "version": 1,
                    "author_id": users["writer"].id,
                    "approved_by_id": users["editor"].id,
                    "contact_name": gen.person(),
                    "contact_role": "Kepala Bagian Humas",
                    "contact_phone": "08" + gen.digits(10),
                    "contact_email": f"humas{unit.id}@warta.test",
                }
            )
            # The stems as the ORM writes them (cms.fulltext): PostgreSQL's
            # search vector is made of them alone, so without them no seeded
            # post was found there, and SQLite matched words only as typed.
            posts[-1].update(POST_INDEX.stems_of(posts[-1]))
            for cat in gen.rng.sample(cats, gen.rng.choice((1, 1, 2))):
                links.append({"post_id": pid, "category_id": cat["id"]})
            for tag in gen.rng.sample(tags, gen.rng.randint(0, 3)):
                tag_links.append({"post_id": pid, "tag_id": tag["id"]})
        last = posts[-1] if posts else last
        for k in range(1, PUBLISH_READY + 1):
            html, plain = gen.body(1500)
            posts.append(
                {
                    **last,
                    "id": first + n + k - 1,
                    "slug": PUBLISH_SLUG.format(k),
                    "title": f"Uji terbit {k} {secrets.token_hex(4)}",
                    "status": "approved",
                    "published_at": None,
                    "body_html": html,
                    "body_text": plain,
                    "kind": "siaran-pers",
                }
            )
            posts[-1].update(POST_INDEX.stems_of(posts[-1]))
        _insert_posts(posts, links, tag_links)
    fix_sequences(["post", "category", "tag"])
    from cms.content_version import content_changed

    content_changed()  # bulk inserts skip the flush listener: say so
    return {"posts": n, "categories": len(cats), "tags": len(tags), "units": len(units)}


def _insert_posts(posts: list[dict], links: list[dict], tag_links: list[dict]) -> None:
    from cms.models import Post
    from cms.models.content import post_category, post_tag

    bulk(Post, posts)
    bulk(post_category, links)
    bulk(post_tag, tag_links)


@contextmanager
def _fulltext_index_dropped():
    """The full-text index is built in one go after the rows are in, far
    faster than row by row: PostgreSQL's GIN index, SQLite's FTS5 table and
    its triggers (per-row indexing made 45,000 posts take 3 ms each, 5,000 0.7)."""
    from cms.extensions import db
    from cms.newsroom import search

    search.drop_schema(db.session.connection())
    db.session.commit()
    try:
        yield
    finally:
        search.ensure_schema(db.session.connection())  # SQLite: creates, then 'rebuild's from the rows
        db.session.commit()


# ------------------------------------------------------------ commands


def _has_table(name: str) -> bool:
    from cms.extensions import db

    return inspect(db.engine).has_table(name)


def seed(items: int, requests: int, dip: int) -> dict:
    gen, summary, timings = Text(), {}, {}
    steps = [("posts", lambda: seed_posts(gen, items))]
    if requests and _has_table("inbox_request"):
        steps.append(("requests", lambda: seed_requests(gen, requests)))
    if dip and _has_table("dip_entry"):
        steps.append(("dip", lambda: seed_dip(gen, dip)))
    for name, step in steps:
        started = time.perf_counter()
        summary.update(step())
        timings[name] = round(time.perf_counter() - started, 1)
    summary["seconds"] = timings
    return summary


def publish(slug: str) -> dict:
    """Publish an approved item through the workflow, as the editor's click does.

    Returns epoch times: when the publication started and when it returned
    (committed, ``cms_post_published`` fired)."""
    from cms.accounts import find_user
    from cms.extensions import db
    from cms.models import Post
    from cms.newsroom import publishing

    post = db.session.scalar(select(Post).where(Post.slug == slug))
    if post is None or post.status != "approved":
        raise SystemExit(f"no approved post {slug!r} to publish")
    editor = find_user("bench-admin@warta.test")
    started = time.time()
    if not publishing.publish_now(post, editor):
        raise SystemExit("publication did not happen")
    return {"started_at": started, "committed_at": time.time()}


def item_paths(limit: int) -> list[str]:
    """The newest ``limit`` public items by id: those ``flask cms prerender
    --limit`` stores first."""
    from cms.extensions import db
    from cms.models import Post
    from cms.newsroom.publishing import public_condition

    rows = db.session.execute(
        select(Post.kind, Post.slug).where(public_condition()).order_by(Post.id.desc()).limit(limit)
    )
    return [f"/{kind}/{slug}" for kind, slug in rows]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    seeding = sub.add_parser("seed")
    seeding.add_argument("--items", type=int, default=50_000)
    seeding.add_argument("--requests", type=int, default=20_000)
    seeding.add_argument("--dip", type=int, default=50_000)
    publishing = sub.add_parser("publish")
    publishing.add_argument("slug")
    paths = sub.add_parser("item-paths")
    paths.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args(argv)

    from cms import create_app

    app = create_app()
    with app.app_context():
        if args.command == "seed":
            print(json.dumps(seed(args.items, args.requests, args.dip)))
        elif args.command == "item-paths":
            print(json.dumps(item_paths(args.limit)))
        else:
            print(json.dumps(publish(args.slug)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
