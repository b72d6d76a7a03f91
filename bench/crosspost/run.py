"""Crosspost benchmark: publish releases with images to one account per channel against loopback fakes.

(One script over 300 lines on purpose: set-up, run and report share one
database and one worker process and are read top to bottom as one run.)

A real worker process (``flask cms worker``) delivers from a real queue (huey
on SQLite, or Redis with REDIS_URL) into a real database (SQLite file, or
DATABASE_URL=postgresql://…).  Every release carries a lead image and a
gallery (camera-like photos made once: library uploads with their 1200×630
card, phone originals at 4032×3024 and a 1200×630 PNG kept without
variants), so the media endpoints and the re-encoder are on the measured
route.  Prints throughput, duplicates and lost deliveries (both must be 0,
counted on the networks' side), images per post on each network, the time
a worker spends per delivery by channel, each image's re-encode time inside
the delivery (p50/p95 by network and source) and the time from publication
to the first delivery of each post.  Half the accounts are the releases'
unit's own, so the per-unit path (accounts_for_unit) is measured too.

    .venv/bin/python bench/crosspost/run.py --deliveries 5000 --workers 8
"""

from __future__ import annotations

import argparse
import io
import json
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
NETWORKS = ("mastodon", "telegram", "bluesky", "facebook", "x", "webhook", "instagram", "threads")


class _Remote:
    """Stands in for a fake running in the fakes process: its URL and credentials."""

    def __init__(self, url, cls):
        self.url = url
        for name in ("token", "handle", "password", "page", "secret", "user", "version"):
            if hasattr(cls, name):
                setattr(self, name, getattr(cls, name))

    @property
    def base(self) -> str:  # Meta fakes: graph_base
        return f"{self.url}/{self.version}"


def settings(key: str, remote) -> dict:
    if key in ("instagram", "threads"):
        return {"graph_base": remote.base, "user_id": remote.user, "access_token": remote.token}
    from tests.plugins.crosspost.conftest import settings_for

    return settings_for(key, remote)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def _size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


def png_graphic(size: tuple[int, int]) -> bytes:
    """An infographic as offices post them: flat colour fields, bars, a photo inset; opaque PNG."""
    from PIL import Image, ImageDraw

    from bench.crosspost.images import realistic_photo

    image = Image.new("RGB", size, (0, 84, 147))
    draw = ImageDraw.Draw(image)
    w, h = size
    for n in range(8):
        draw.rectangle(
            (w * 0.05, h * (0.1 + n * 0.1), w * (0.15 + 0.06 * n), h * (0.16 + n * 0.1)),
            fill=(250, 200 - n * 15, 40 + n * 20),
        )
    inset = Image.open(io.BytesIO(realistic_photo((w // 3, h // 2), 99)))
    image.paste(inset, (int(w * 0.6), int(h * 0.25)))
    draw.text((w * 0.05, h * 0.03), "Capaian layanan publik 2026", fill="white")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def make_images(gallery: int, phone: tuple[int, int]):
    """The lead image (a phone photo uploaded through the media library, so
    channels get its 1200×630 card) and ``gallery`` images kept as they came,
    without variants (an import or an older upload): a phone original, a
    1200×630 PNG graphic, a 1200×630 JPEG, another phone original.  Made
    once; every release shares them (each delivery still reads and
    re-encodes them)."""
    from bench.crosspost.images import realistic_photo
    from cms.extensions import db
    from cms.models import Media
    from cms.newsroom import media
    from cms.storage import media_dir

    lead = media.save_image_bytes(
        realistic_photo(phone, 1), "wali-kota-meresmikan.jpg", alt="Wali kota meresmikan taman kota"
    )
    made = [
        ("galeri-ponsel-1.jpg", "image/jpeg", realistic_photo(phone, 2), phone),
        ("infografik.png", "image/png", png_graphic((1200, 630)), (1200, 630)),
        ("galeri-kartu.jpg", "image/jpeg", realistic_photo((1200, 630), 3), (1200, 630)),
        ("galeri-ponsel-2.jpg", "image/jpeg", realistic_photo(phone, 4), phone),
    ][:gallery]
    rows = []
    for name, mime, data, (width, height) in made:
        (media_dir() / "bench").mkdir(parents=True, exist_ok=True)
        (media_dir() / "bench" / name).write_bytes(data)
        rows.append(
            Media(
                kind="image",
                path=f"bench/{name}",
                file_name=name,
                mime=mime,
                size=len(data),
                width=width,
                height=height,
                alt=f"Foto kegiatan: {name}",
                variants={},
            )
        )
    db.session.add_all(rows)
    db.session.flush()
    sources = [f"lead: {phone[0]}×{phone[1]} JPEG via library → card {lead.variant('card')}"]
    sources += [
        f"{name}: {w}×{h} {mime.split('/')[1].upper()} {len(data) // 1000} kB, no variants"
        for name, mime, data, (w, h) in made
    ]
    return lead, rows, sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--deliveries",
        type=int,
        default=5000,
        help="total deliveries across all channels (posts = deliveries / channels)",
    )
    parser.add_argument("--posts", type=int, default=None, help="overrides --deliveries")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--timeout", type=float, default=1500)
    parser.add_argument(
        "--gallery", type=int, default=3, choices=range(5), help="gallery images per release besides the lead (0-4)"
    )
    parser.add_argument("--no-images", action="store_true", help="text-only releases (the older bench)")
    parser.add_argument("--phone-size", default="4032x3024", help="size of the phone photos, WxH")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here as JSON")
    args = parser.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from sqlalchemy import func, select

    from cms import accounts as users
    from cms import create_app
    from cms.extensions import db
    from cms.models import Post
    from cms.newsroom import publishing
    from cms.timeutil import naive_utc
    from plugins.crosspost import accounts
    from plugins.crosspost.models import CrosspostDelivery
    from tests.plugins.crosspost import fakes, fakes_meta

    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="crosspost-bench-"))
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}"
    config = {
        "SECRET_KEY": "bench",
        "SQLALCHEMY_DATABASE_URI": db_url,
        "CMS_PLUGINS": ["crosspost"],
        "CMS_DATA_KEY": DATA_KEY,
        "HUEY_SQLITE_PATH": str(tmp / "huey.db"),
        "SITE_URL": "http://warta.test",
        "CMS_MEDIA_DIR": str(tmp / "media"),
        "REDIS_URL": os.environ.get("REDIS_URL"),
    }
    app = create_app(config)
    server = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("fakes_server.py"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    urls = json.loads(server.stdout.readline())
    # Settings need the fakes' credentials (class attributes) and their URLs.
    running = {
        key: _Remote(urls[key], cls)
        for key, cls in (
            ("mastodon", fakes.FakeMastodon),
            ("telegram", fakes.FakeTelegram),
            ("bluesky", fakes.FakeBluesky),
            ("facebook", fakes.FakeFacebook),
            ("x", fakes.FakeX),
            ("webhook", fakes.FakeWebhookReceiver),
            ("instagram", fakes_meta.FakeInstagram),
            ("threads", fakes_meta.FakeThreads),
        )
    }
    n_posts = args.posts if args.posts is not None else -(-args.deliveries // len(NETWORKS))
    image_log = tmp / "images.jsonl"
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "FLASK_HUEY_SQLITE_PATH": str(tmp / "huey.db"),
        "CMS_PLUGINS": "crosspost",
        "FLASK_CMS_DATA_KEY": DATA_KEY,
        "SECRET_KEY": "bench",
        "SITE_URL": "http://warta.test",
        "CMS_INSTANCE_PATH": str(tmp / "instance"),
        "FLASK_CMS_MEDIA_DIR": str(tmp / "media"),
        "BENCH_IMAGE_LOG": str(image_log),
        "PYTHONPATH": str(ROOT),
        "FLASK_APP": "wsgi",
    }
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        editor = users.create_user("bench-editor@warta.test", "editor", "kata-sandi-rahasia-123")
        unit = users.get_or_create_unit("Dinas Bench")
        db.session.commit()
        # Half the channels are central accounts, half the unit's own; every post is the
        # unit's, so each goes to one account per channel and the unit filter runs for all.
        for i, key in enumerate(NETWORKS):
            accounts.save(None, key, f"Bench {key}", settings(key, running[key]), unit_id=unit.id if i % 2 else None)
        made_at = time.perf_counter()
        lead, gallery, sources = (
            (None, [], ["none"]) if args.no_images else make_images(args.gallery, _size(args.phone_size))
        )
        make_seconds = time.perf_counter() - made_at
        posts = []
        for n in range(n_posts):
            post = Post(
                kind="siaran-pers",
                title=f"Siaran pers nomor {n}: layanan publik 🇮🇩",
                slug=f"bench-{n}",
                summary="Ringkasan siaran pers untuk uji beban.",
                status="approved",
                body_html="<p>Isi</p>",
                unit_id=unit.id,
                featured_image_id=lead.id if lead else None,
            )
            post.attachments.extend(gallery)
            posts.append(post)
        db.session.add_all(posts)
        db.session.commit()
        ids = [p.id for p in posts]

        worker = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("timed_worker.py")), "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            start = time.perf_counter()
            started_at = naive_utc()
            for post_id in ids:
                publishing.publish_now(db.session.get(Post, post_id), editor)
            publish_seconds = time.perf_counter() - start
            expected = len(ids) * len(NETWORKS)
            deadline = time.perf_counter() + args.timeout
            while True:
                done = db.session.scalar(
                    select(func.count())
                    .select_from(CrosspostDelivery)
                    .where(CrosspostDelivery.status.notin_(("pending", "retry", "sending")))
                )
                db.session.rollback()
                if done >= expected or time.perf_counter() > deadline:
                    break
                time.sleep(0.2)
            elapsed = time.perf_counter() - start
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(30)
        load_after = os.getloadavg()

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
        remote = json.loads(server.stdout.readline())
        remote_posts = sum(s["posts"] for s in remote.values())
        keys = {r.idempotency_key for r in rows}
        # On the networks' side: a release posted twice on one network is a duplicate,
        # a release missing from a network is lost.
        duplicates = sum(s["posts"] - s["distinct"] for s in remote.values())
        webhook_redelivered = remote["webhook"]["requests"] - remote["webhook"]["posts"]
        lost = sum(len(ids) - s["distinct"] for s in remote.values())
        lost_rows = expected - by_status.get("sent", 0)
        lags = sorted(first_delivery.values())
        per_channel: dict[str, list[float]] = {}
        for row in rows:
            if row.sent_at and row.claimed_at:
                per_channel.setdefault(row.account.channel, []).append((row.sent_at - row.claimed_at).total_seconds())
        encodes = [json.loads(line) for line in image_log.read_text().splitlines()] if image_log.exists() else []
        notes = sum(1 for r in rows if r.last_error and "Gambar" in r.last_error)
        queue_kind = "redis" if os.environ.get("REDIS_URL") else "sqlite"
        print(f"database            {db_url.split(':', 1)[0]}   queue {queue_kind}   worker threads {args.workers}")
        print(
            f"load average        before {load_before[0]:.2f} / {load_before[1]:.2f} (1 / 5 min)   "
            f"after {load_after[0]:.2f} / {load_after[1]:.2f}   cores {os.cpu_count()}"
        )
        print(
            f"images per release  lead + {0 if args.no_images else args.gallery} gallery (made in {make_seconds:.1f} s)"
        )
        for line in sources:
            print(f"  {line}")
        print(
            f"posts x accounts    {len(ids)} x {len(NETWORKS)} = {expected} deliveries "
            f"({len(rows)} rows, {len(keys)} distinct keys)"
        )
        print(f"statuses            {by_status}   deliveries with an image note: {notes}")
        print(
            f"posts on networks   {remote_posts}   duplicates {duplicates}   lost {lost} "
            f"(rows not sent: {lost_rows}; webhook re-deliveries of one id: {webhook_redelivered})"
        )
        print(
            "\n| channel | posts | images per post (posts) | media | send p50 ms | send p95 ms |\n"
            "|---|---:|---|---:|---:|---:|"
        )
        channel_rows = {}
        for key in NETWORKS:
            times = sorted(per_channel.get(key, [0.0]))
            shown = ", ".join(f"{k}: {v}" for k, v in sorted(remote[key]["images"].items()))
            channel_rows[key] = {
                "posts": remote[key]["posts"],
                "images": remote[key]["images"],
                "media": remote[key]["media"],
                "p50_ms": statistics.median(times) * 1000,
                "p95_ms": percentile(times, 0.95) * 1000,
            }
            print(
                f"| {key} | {remote[key]['posts']} | {shown} | {remote[key]['media']} | "
                f"{channel_rows[key]['p50_ms']:.0f} | {channel_rows[key]['p95_ms']:.0f} |"
            )
        encode_rows = []
        if encodes:
            print(
                "\n| re-encode in the delivery | images | wall p50 ms | wall p95 ms | CPU p50 ms | CPU p95 ms |\n"
                "|---|---:|---:|---:|---:|---:|"
            )
            groups: dict[str, list[dict]] = {"all": encodes}
            for e in encodes:
                groups.setdefault(f"{e['network']}", []).append(e)
            for e in encodes:
                groups.setdefault(f"source {e['source']}", []).append(e)
            for name, group in groups.items():
                wall, cpu = [e["ms"] for e in group], [e["cpu_ms"] for e in group]
                row = {
                    "group": name,
                    "images": len(group),
                    "p50_ms": statistics.median(wall),
                    "p95_ms": percentile(wall, 0.95),
                    "cpu_p50_ms": statistics.median(cpu),
                    "cpu_p95_ms": percentile(cpu, 0.95),
                }
                encode_rows.append(row)
                print(
                    f"| {name} | {len(group)} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                    f"{row['cpu_p50_ms']:.0f} | {row['cpu_p95_ms']:.0f} |"
                )
            print(
                "(wall: what the delivery waited, with the other worker threads and the machine's "
                "load; CPU: the re-encode's own thread time)"
            )
        print(
            f"\npublishing          {publish_seconds:.1f} s for {len(ids)} posts "
            f"({len(ids) / publish_seconds:.0f} posts/s, outbox rows included)"
        )
        span = (last_sent - started_at).total_seconds()
        print(
            f"throughput          {by_status.get('sent', 0) / span:.0f} deliveries/s "
            f"(all done in {span:.1f} s; wall {elapsed:.1f} s)"
        )
        if lags:
            print(
                f"publication → first delivery  median {statistics.median(lags) * 1000:.0f} ms, "
                f"p95 {percentile(lags, 0.95) * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms"
            )
        if args.json:
            args.json.write_text(
                json.dumps(
                    {
                        "deliveries": expected,
                        "statuses": by_status,
                        "duplicates": duplicates,
                        "lost": lost,
                        "lost_rows": lost_rows,
                        "image_notes": notes,
                        "channels": channel_rows,
                        "encodes": encode_rows,
                        "load_before": load_before,
                        "load_after": load_after,
                        "throughput": by_status.get("sent", 0) / span if span else None,
                    },
                    indent=1,
                )
            )
        db.session.remove()
        db.drop_all() if db_url.startswith("postgres") else None
    server.stdin.close()
    server.wait(30)


if __name__ == "__main__":
    main()
