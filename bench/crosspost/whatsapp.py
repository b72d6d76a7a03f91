"""WhatsApp benchmark: one release to N subscribers against the fake Cloud API.

Builds an app on a SQLite file (or DATABASE_URL), adds N active subscribers
(encrypted numbers, as the form and the YA reply leave them), publishes a
release through the newsroom and lets the release job work in batches the way
the worker resumes it.  Then Meta's side posts a signed status webhook for
every message (delivered, read for half, failed for 1 %).  Prints the rate
reached, the busiest one-second window seen by the API (must not exceed the
configured rate), duplicates (must be 0) and the statuses recorded.

    .venv/bin/python bench/crosspost/whatsapp.py --subscribers 2000 --rate 80 --tier 10000
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DATA_KEY = "x5IrD5TG1wB0cK1d3uuUbo8wHUPf7Xyo2mqjUcqgDuo="
SECRET = "bench-app-secret"


def busiest_second(times: list[float]) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=80, help="messages per second (the account's throughput)")
    parser.add_argument("--tier", type=int, default=10000, help="unique recipients per 24 h")
    parser.add_argument("--batch", type=float, default=10, help="seconds per job before it requeues")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    from sqlalchemy import func, insert, select

    from cms import crypto
    from cms.app import create_app
    from cms.extensions import db
    from tests.plugins.crosspost.fakes_whatsapp import FakeWhatsApp, MetaWebhook

    fake = FakeWhatsApp().start()
    tmp = Path(tempfile.mkdtemp(prefix="warta-wa-bench-"))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "TESTING": True,
            "HUEY_IMMEDIATE": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "CMS_PLUGINS": ["crosspost"],
            "CMS_DATA_KEY": DATA_KEY,
            "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.db'}",
            "CMS_MEDIA_DIR": str(tmp / "media"),
            "CMS_PRIVATE_DIR": str(tmp / "private"),
            "SITE_URL": "https://kota.test",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": 1,
            "CROSSPOST_WHATSAPP_GRAPH_BASE": fake.url + "/v21.0",
            "CROSSPOST_WHATSAPP_PHONE_NUMBER_ID": fake.phone_number_id,
            "CROSSPOST_WHATSAPP_ACCESS_TOKEN": fake.token,
            "CROSSPOST_WHATSAPP_APP_SECRET": SECRET,
            "CROSSPOST_WHATSAPP_RATE": args.rate,
            "CROSSPOST_WHATSAPP_TIER": args.tier,
            "CROSSPOST_WHATSAPP_BATCH_SECONDS": args.batch,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        from cms import accounts
        from cms.models import Post
        from cms.newsroom import publishing
        from plugins.crosspost.whatsapp import service
        from plugins.crosspost.whatsapp.models import WaMessage, WaRelease, WaSubscriber
        from plugins.crosspost.whatsapp.phone import phone_hash

        numbers = [f"+62812{n:08d}" for n in range(10_000_000, 10_000_000 + args.subscribers)]
        db.session.execute(
            insert(WaSubscriber),
            [
                {
                    "phone_enc": crypto.encrypt(e164),
                    "phone_hash": phone_hash(e164),
                    "name": f"Jurnalis {i}",
                    "outlet": "Media",
                    "category_ids": [],
                    "unit_ids": [],
                    "status": "active",
                    "optin_text": "YA",
                }
                for i, e164 in enumerate(numbers)
            ],
        )
        db.session.commit()
        editor = accounts.create_user("bench-editor@warta.test", "editor", "kata-sandi-bench-123")
        post = Post(
            kind="siaran-pers",
            title="Pemkot buka pendaftaran beasiswa 2026",
            slug="beasiswa-2026",
            summary="Ringkasan",
            status="approved",
            body_html="<p>Isi</p>",
        )
        db.session.add(post)
        db.session.commit()

        started = time.monotonic()
        publishing.publish_now(post, editor)  # the first batch runs inline (HUEY_IMMEDIATE)
        release = db.session.scalar(select(WaRelease).where(WaRelease.post_id == post.id))
        runs = 1
        while service.run_release(release.id) in ("paused", "throttled", "waiting"):
            runs += 1  # what the worker does with the job's own continuation
        elapsed = time.monotonic() - started

        meta = MetaWebhook(app.test_client(), SECRET)
        webhook_started = time.monotonic()
        for i, sent in enumerate(fake.sent):
            wa_id = sent["to"]
            if i % 100 == 0:
                meta.status(sent["wamid"], "failed", wa_id, {"code": 131026, "title": "Message undeliverable"})
                continue
            meta.status(sent["wamid"], "delivered", wa_id)
            if i % 2 == 0:
                meta.status(sent["wamid"], "read", wa_id)
        webhook_elapsed = time.monotonic() - webhook_started

        db.session.expire_all()
        statuses = Counter(
            dict(
                db.session.execute(
                    select(WaMessage.status, func.count())
                    .where(WaMessage.release_id == release.id)
                    .group_by(WaMessage.status)
                ).all()
            )
        )
        counts = service.counts(release.id)
        times = [m["at"] for m in fake.sent]
        duplicates = len(fake.sent) - len({m["to"] for m in fake.sent})
        unrecorded = db.session.scalar(
            select(func.count())
            .select_from(WaMessage)
            .where(WaMessage.release_id == release.id, WaMessage.delivered_at.is_(None), WaMessage.failed_at.is_(None))
        )

    fake.stop()
    print(f"subscribers            {args.subscribers}")
    print(f"configured rate        {args.rate}/s, tier {args.tier} unique recipients per 24 h")
    print(
        f"messages accepted      {len(fake.sent)} in {elapsed:.1f} s ({len(fake.sent) / elapsed:.1f}/s), "
        f"{runs} job runs of ≤{args.batch:g} s"
    )
    print(f"busiest second at API  {busiest_second(times)} (limit {args.rate})")
    print(f"duplicates             {duplicates}")
    print(f"status webhooks        {int(webhook_elapsed * 1000)} ms for {len(fake.sent) * 3 // 2} posts")
    print(f"recorded               {dict(statuses)}  counts {counts}")
    print(f"statuses not recorded  {unrecorded}")
    if duplicates or unrecorded or busiest_second(times) > args.rate or len(fake.sent) != args.subscribers:
        sys.exit(1)


if __name__ == "__main__":
    main()
