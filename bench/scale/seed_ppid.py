"""PPID data for the scale bench: information requests and DIP entries.

Bulk inserts like ``bench.scale.seed``; columns the models do not have are
dropped, and what flush listeners would compute is filled in here.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bench.scale.seed import _fix_sequences, _next_id, bulk
from cms.timeutil import naive_utc


def seed_requests(gen, n: int) -> dict:
    from cms.crypto import encrypt, keyed_hash, mask
    from cms.extensions import db
    from cms.models import Unit
    from plugins.inbox import numbering
    from plugins.inbox.models import Counter, InfoRequest

    try:
        from plugins.inbox import clock

        add_days = lambda d: clock.add(d, 10)  # noqa: E731 - the legal 10 working days
    except (ImportError, AttributeError):
        add_days = lambda d: d + timedelta(days=14)  # noqa: E731
    unit_ids = list(db.session.scalars(select(Unit.id)))
    first, now = _next_id(InfoRequest), naive_utc().replace(microsecond=0)
    seqs: dict[int, int] = {
        y: v for y, v in db.session.execute(select(Counter.year, Counter.value).where(Counter.kind == "request"))
    }
    rows = []
    for i in range(n):
        received = now - timedelta(seconds=3 * 365 * 86400 * (n - i) / n)
        seqs[received.year] = seq = seqs.get(received.year, 0) + 1
        nik = "32" + gen.digits(14)
        closed = gen.rng.random() < 0.75 and received < now - timedelta(days=20)
        outcome = (
            gen.rng.choice(
                (
                    "dikabulkan_seluruhnya",
                    "dikabulkan_seluruhnya",
                    "dikabulkan_sebagian",
                    "ditolak_dikecualikan",
                    "tidak_dikuasai",
                )
            )
            if closed
            else None
        )
        name, due = gen.person(), add_days(received.date())
        rows.append(
            {
                "id": first + i,
                "number": numbering.format_number("request", seq, received.year),
                "year": received.year,
                "seq": seq,
                "tracking_hash": keyed_hash(secrets.token_hex(6), "bench"),
                "channel": gen.rng.choice(("web", "web", "web", "desk", "email", "letter")),
                "applicant_type": "perseorangan",
                "name": name,
                "nik_enc": encrypt(nik),
                "nik_hash": keyed_hash(nik, "nik"),
                "nik_masked": mask(nik),
                "address": f"Jl. {gen.title().split()[0]} No. {gen.rng.randint(1, 200)}, {gen.place()}",
                "phone": "08" + gen.digits(10),
                "email": f"{name.split()[0].lower()}{i}@contoh.test",
                "occupation": "Wiraswasta",
                "details": gen.sentence(12, 40),
                "purpose": gen.sentence(5, 12),
                "access_method": gen.rng.choice(("softcopy", "hardcopy", "melihat")),
                "delivery": gen.rng.choice(("email", "ambil", "pos")),
                "category": "setiap_saat",
                "received_at": received,
                "received_date": received.date(),
                "due_date": due,
                # Bulk inserts skip flush listeners: fill the officer-list sort keys here.
                "queue_rank": 1 if closed else 0,
                "due_sort": due,
                "unit_id": gen.rng.choice(unit_ids) if unit_ids else None,
                "status": "selesai" if closed else gen.rng.choice(("terdaftar", "diproses", "menunggu_kelengkapan")),
                "outcome": outcome,
                "exemptions": ["h"] if outcome == "ditolak_dikecualikan" else [],
                "answer_text": gen.paragraph(2) if closed else "",
                "answered_at": received + timedelta(days=7) if closed else None,
                "answered_date": (received + timedelta(days=7)).date() if closed else None,
                "created_at": received,
            }
        )
    bulk(InfoRequest, rows)
    for year, value in seqs.items():
        counter = db.session.get(Counter, ("request", year))
        if counter is None:
            db.session.add(Counter(kind="request", year=year, value=value))
        else:
            counter.value = value
    db.session.commit()
    _fix_sequences(["inbox_request"])
    return {"requests": n}


def seed_dip(gen, n: int) -> dict:
    from cms.extensions import db
    from cms.models import Unit
    from plugins.dip.models import JENIS, DipEntry

    unit_ids = list(db.session.scalars(select(Unit.id)))
    first, today = _next_id(DipEntry), date.today()
    years = (today.year - 2, today.year - 1, today.year)
    rows = []
    for i in range(n):
        year = years[i * len(years) // max(n, 1)]
        text_ = gen.paragraph(2)
        rows.append(
            {
                "id": first + i,
                "year": year,
                "kode": f"B{first + i:07d}",
                "category": gen.rng.choice(("berkala", "berkala", "setiap_saat", "serta_merta")),
                "jenis": gen.rng.choice(JENIS),
                "title": gen.title(),
                "description_html": f"<p>{text_}</p>",
                "description_text": text_,
                "unit_id": gen.rng.choice(unit_ids) if unit_ids else None,
                "official": "Kepala Dinas",
                "responsible": gen.person(),
                "made_on": date(year, 1, 1) + timedelta(days=i % 300),
                "made_place": gen.place(),
                "softcopy": True,
                "hardcopy": gen.rng.random() < 0.3,
                "retention": "5 tahun",
                "reviewed_on": date(year, 12, 1) if year < today.year else None,
                "published_at": datetime(year, 1, 15),
                "source": "bench",
            }
        )
    bulk(DipEntry, rows)
    _fix_sequences(["dip_entry"])
    return {"dip_entries": n}
