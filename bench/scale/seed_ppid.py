"""PPID data for every bench: information requests (with keberatan and
sengketa) and DIP entries.  The one seeder of requests: the scale, inbox,
register, annual-report and monev benches all call ``seed_requests``.

Bulk inserts (``bench.scale.bulk``); columns the models do not have are
dropped, and what flush listeners would compute is filled in here.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from bench.scale.bulk import bulk, fix_sequences, next_id
from cms.timeutil import naive_utc

OUTCOMES = (
    "dikabulkan_seluruhnya",
    "dikabulkan_seluruhnya",
    "dikabulkan_sebagian",
    "ditolak_dikecualikan",
    "tidak_dikuasai",
)
OPEN = ("terdaftar", "diproses", "menunggu_kelengkapan")


def seed_requests(
    gen,
    n: int,
    *,
    unit_ids: list[int | None] | None = None,
    since: datetime | None = None,
    days: float = 3 * 365,
    objections_every: int = 0,
) -> dict:
    """``n`` requests received evenly from ``since`` over ``days`` (default: the
    last three years), spread over ``unit_ids`` (default: every unit; ``None``
    in the list = the PPID Utama's own desk).  Three in four older than 20
    days are answered; one in 17 is a badan hukum, one answered in five paid
    a fee.  With ``objections_every`` = k, one request in k gets a keberatan
    (decided) and one keberatan in four a sengketa.  Numbers continue the
    year's counter, so calling it again adds more."""
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
    if unit_ids is None:
        unit_ids = list(db.session.scalars(select(Unit.id))) or [None]
    now = naive_utc().replace(microsecond=0)
    since = since or now - timedelta(days=days)
    first = next_id(InfoRequest)
    seqs: dict[int, int] = {
        y: v for y, v in db.session.execute(select(Counter.year, Counter.value).where(Counter.kind == "request"))
    }
    rows = []
    for i in range(n):
        received = since + timedelta(seconds=int(days * 86400 * i / n))
        seqs[received.year] = seq = seqs.get(received.year, 0) + 1
        closed = gen.rng.random() < 0.75 and received < now - timedelta(days=20)
        cancelled = closed and i % 20 == 0
        outcome = gen.rng.choice(OUTCOMES) if closed and not cancelled else None
        answered = received + timedelta(days=gen.rng.randrange(2, 20)) if outcome else None
        company = (first + i) % 17 == 0
        name, due, nik = gen.person(), add_days(received.date()), "32" + gen.digits(14)
        fee = 5000 if outcome and i % 5 == 0 else 0
        rows.append(
            {
                "id": first + i,
                "number": numbering.format_number("request", seq, received.year),
                "year": received.year,
                "seq": seq,
                "tracking_hash": keyed_hash(secrets.token_hex(6), "bench"),
                "channel": gen.rng.choice(("web", "web", "web", "desk", "email", "letter", "phone")),
                "applicant_type": "badan_hukum" if company else "perseorangan",
                "name": name,
                "organisation": f"PT {gen.place()} {first + i}" if company else "",
                "sk_number": f"AHU-{first + i:07d}.AH.01.01" if company else "",
                "nik_enc": None if company else encrypt(nik),
                "nik_hash": None if company else keyed_hash(nik, "nik"),
                "nik_masked": "" if company else mask(nik),
                "address": f"Jl. {gen.title().split()[0]} No. {gen.rng.randint(1, 200)}, {gen.place()}",
                "phone": "08" + gen.digits(10),
                "email": f"{name.split()[0].lower()}{first + i}@contoh.test",
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
                "unit_id": gen.rng.choice(unit_ids),
                "status": ("dibatalkan_pemohon" if cancelled else "selesai") if closed else gen.rng.choice(OPEN),
                "outcome": outcome,
                "exemptions": ["h"] if outcome == "ditolak_dikecualikan" else [],
                "consequence_test": "uji" if outcome == "ditolak_dikecualikan" else "",
                "held_by": "BPN Kota Bekasi" if outcome == "tidak_dikuasai" else "",
                "info_form": "softcopy" if answered else "",
                "fee_total": fee,
                "payment_method": "Tunai" if fee else "",
                "answer_text": gen.paragraph(2) if answered else "",
                "answered_at": answered,
                "answered_date": answered.date() if answered else None,
                "answer_working_days": (answered - received).days if answered else None,
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
    fix_sequences(["inbox_request"])
    summary = {"requests": n}
    if objections_every:
        summary.update(seed_objections([r["id"] for r in rows[::objections_every]]))
    return summary


def seed_objections(request_ids: list[int]) -> dict:
    """A decided keberatan on each request, a sengketa on one in four."""
    from plugins.inbox.models import Dispute, Objection

    first = next_id(Objection)
    rows = []
    for k, request_id in enumerate(request_ids):
        day = date(2025, 6, 2) + timedelta(days=k % 150)
        rows.append(
            {
                "id": first + k,
                "number": f"KEB-{first + k:05d}/PPID/2025",
                "year": 2025,
                "seq": first + k,
                "request_id": request_id,
                "grounds": ["a", "g"],
                "case_summary": "Keberatan atas jawaban.",
                "received_at": datetime.combine(day, datetime.min.time()),
                "received_date": day,
                "due_date": day + timedelta(days=42),
                "filed_late": False,
                "status": "diputus",
                "outcome": "ditolak",
                "reasons": "Menguatkan putusan PPID.",
                "atasan_name": "Sekretaris Daerah",
                "atasan_position": "Atasan PPID",
                "decided_date": day + timedelta(days=20),
            }
        )
    bulk(Objection, rows)
    bulk(Dispute, [{"objection_id": r["id"], "stage": "mediasi", "ki_number": f"{r['id']}/KI/2025"} for r in rows[::4]])
    fix_sequences(["inbox_objection"])
    return {"objections": len(rows)}


def seed_dip(gen, n: int) -> dict:
    from cms.extensions import db
    from cms.models import Unit
    from plugins.dip.models import JENIS, DipEntry
    from plugins.dip.search import INDEX

    unit_ids = list(db.session.scalars(select(Unit.id)))
    first, today = next_id(DipEntry), date.today()
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
        rows[-1].update(INDEX.stems_of(rows[-1]))  # as the ORM writes them: PostgreSQL searches these alone
    bulk(DipEntry, rows)
    fix_sequences(["dip_entry"])
    return {"dip_entries": n}
