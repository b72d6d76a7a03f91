"""Shared set-up for the DIP benchmarks: an app on a SQLite file (or DATABASE_URL)."""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BEKASI = ROOT / "tests" / "data" / "ppid-bekasi" / "data"


def make_app(workdir: str | None = None, plugins: tuple[str, ...] = ("dip",)):
    from cms import create_app
    from cms.extensions import db

    workdir = workdir or tempfile.mkdtemp(prefix="dip-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/bench.db"
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "CMS_PLUGINS": list(plugins),
            "HUEY_IMMEDIATE": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "CMS_MEDIA_DIR": f"{workdir}/media",
            "CMS_PRIVATE_DIR": f"{workdir}/private",
            "SITE_URL": "http://bench.test",
        }
    )
    with app.app_context():
        if url.startswith("postgres"):
            db.drop_all()
        db.create_all()
    return app


def seed(app, count: int = 50_000, batch: int = 5_000) -> None:
    """``count`` published entries built from the Bekasi titles plus random words."""
    from cms.accounts import get_or_create_unit
    from cms.extensions import db
    from cms.timeutil import naive_utc
    from plugins.dip.models import CATEGORIES, JENIS, DipEntry

    rows = []
    for path in sorted(BEKASI.glob("*/index")):
        rows.extend(json.loads(path.read_text()))
    rng = random.Random(6)
    vocab = sorted({w.lower() for r in rows for w in r["judul"].split() if w.isalpha() and len(w) > 3})
    with app.app_context():
        from sqlalchemy import func, select

        if db.session.scalar(select(func.count()).select_from(DipEntry)) >= count:
            return  # DIP_BENCH_DIR reused: already seeded
        units = [get_or_create_unit(f"OPD Bench {n}").id for n in range(60)]
        db.session.commit()
        now = naive_utc()
        table = DipEntry.__table__
        for start in range(0, count, batch):
            values = []
            for n in range(start, min(count, start + batch)):
                base = rows[n % len(rows)]
                extra = " ".join(rng.choices(vocab, k=12))
                text = f"{base['deskripsi'][:400]} {extra}"
                values.append(
                    {
                        "year": 2018 + n % 8,
                        "kode": f"B{n}",
                        "category": list(CATEGORIES)[n % 3],
                        "jenis": JENIS[n % len(JENIS)],
                        "title": f"{base['judul'][:300]} {extra[:60]}",
                        "description_html": text,
                        "description_text": text,
                        "unit_id": units[n % len(units)],
                        "official": "",
                        "responsible": "",
                        "made_on": date(2018 + n % 8, 1 + n % 12, 1),
                        "made_place": "",
                        "hardcopy": False,
                        "softcopy": True,
                        "retention": "",
                        "published_at": now,
                        "source": "bench",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            with db.engine.begin() as conn:
                conn.execute(table.insert(), values)
