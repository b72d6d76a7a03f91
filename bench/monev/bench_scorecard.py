"""Monev scorecard for 44 units over a year (target: renders in < 1 s).

    .venv/bin/python bench/monev/bench_scorecard.py [--requests 20000] [--dip 1400] [--deliveries 5000]

Seeds 44 units, the requests and DIP items with ``bench/scale/seed_ppid.py``
(the requests are then moved into last year, keeping each one's deadlines
and answer relative to its receipt), crosspost deliveries and posts, and
times the scorecard page (every indicator of every unit, the trend against
the year before, the ranking and the chart) through the full Flask stack.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

UNITS = 44
PASSWORD = "bench-password-123"


def make_app(workdir: str):
    from bench.dip.common import make_app as bench_app

    return bench_app(workdir, plugins=("inbox", "dip", "crosspost", "monev"))


def squeeze_into(year: int) -> None:
    """Spread the seeded requests evenly over ``year`` (each keeps its own intervals)."""
    from sqlalchemy import select, update

    from cms.extensions import db
    from plugins.inbox.models import InfoRequest

    rows = db.session.execute(select(InfoRequest.id, InfoRequest.received_date).order_by(InfoRequest.id)).all()
    first = date(year, 1, 1)
    params = []
    for i, (rid, received) in enumerate(rows):
        delta = first + timedelta(days=364 * i // max(len(rows) - 1, 1)) - received
        params.append((rid, delta))
    cols = ("received_date", "due_date", "extended_due_date", "answered_date", "received_at", "answered_at", "due_sort")
    current = {r[0]: r for r in db.session.execute(select(InfoRequest.id, *(getattr(InfoRequest, c) for c in cols)))}
    for rid, delta in params:
        values = {c: (v + delta if v is not None else None) for c, v in zip(cols, current[rid][1:], strict=True)}
        db.session.execute(update(InfoRequest).where(InfoRequest.id == rid).values(**values))
    db.session.commit()


def seed_outbox(year: int, n: int, unit_ids: list[int]) -> None:
    import random

    from bench.scale.seed import bulk
    from cms.extensions import db
    from cms.models import Post
    from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

    rng = random.Random(5)
    accounts = [
        CrosspostAccount(channel=rng.choice(("mastodon", "bluesky", "telegram")), name=f"Akun {u}", unit_id=u)
        for u in unit_ids
    ]
    db.session.add_all(accounts)
    db.session.commit()
    rows = []
    for i in range(n):
        acct = rng.choice(accounts)
        when = datetime(year, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        status = rng.choice(("sent", "sent", "sent", "sent", "failed", "pending"))
        rows.append(
            {
                "source": "post",
                "post_id": i + 1,
                "source_ref": f"post:{i + 1}",
                "account_id": acct.id,
                "revision": 1,
                "action": "create",
                "status": status,
                "idempotency_key": f"bench-{i}",
                "payload": {},
                "attempts": 1,
                "last_error": "",
                "published_at": when,
                "sent_at": when + timedelta(minutes=2) if status == "sent" else None,
            }
        )
    bulk(CrosspostDelivery, rows)
    posts = [
        {
            "title": f"Rilis {i}",
            "slug": f"rilis-bench-{i}",
            "kind": rng.choice(("siaran-pers", "berita")),
            "status": "published",
            "body_html": "<p>Isi.</p>",
            "unit_id": rng.choice(unit_ids),
            "published_at": datetime(year, 1, 1) + timedelta(hours=rng.randrange(365 * 24)),
        }
        for i in range(1000)
    ]
    bulk(Post, posts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--dip", type=int, default=1_400)
    parser.add_argument("--deliveries", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="monev-bench-")
    app = make_app(workdir)
    year = date.today().year - 1
    started = time.perf_counter()
    with app.app_context():
        from bench.scale.seed_ppid import seed_dip, seed_requests
        from bench.scale.textgen import Text
        from cms import accounts
        from cms.extensions import db
        from plugins.monev.models import MonevPeriod

        gen = Text()
        units = [accounts.get_or_create_unit(f"Perangkat Daerah {i + 1:02d}") for i in range(UNITS)]
        seed_requests(gen, args.requests)
        squeeze_into(year)
        seed_dip(gen, args.dip)
        seed_outbox(year, args.deliveries, [u.id for u in units])
        accounts.create_user("bench-utama@warta.test", "ppid", PASSWORD)
        period = MonevPeriod(year=year, kind="year")
        db.session.add(period)
        db.session.commit()
        period_id = period.id
    sizes = f"{UNITS} units, {args.requests} requests, {args.dip} DIP items, {args.deliveries} deliveries"
    print(f"seeded {sizes} in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    client.post("/login", data={"email": "bench-utama@warta.test", "password": PASSWORD})
    timings = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        resp = client.get(f"/admin/monev/{period_id}/")
        timings.append(time.perf_counter() - t0)
        assert resp.status_code == 200 and "Perangkat Daerah 01" in resp.get_data(as_text=True)
    first, mid, worst = (round(t * 1000) for t in (timings[0], statistics.median(timings), max(timings)))
    print(f"scorecard ({UNITS} units, with trend): first {first} ms, median {mid} ms, max {worst} ms (target < 1 s)")


if __name__ == "__main__":
    main()
