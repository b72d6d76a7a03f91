"""A small hand-built data set for 2025 whose every Monev figure was worked
out by hand (see the expected values in test_indicators.py)."""

from __future__ import annotations

import itertools
from datetime import date, datetime

from cms.extensions import db

_n = itertools.count(1)


def request(unit, received, due, *, answered=None, ext=None, days=None, status=None):
    from plugins.inbox.models import InfoRequest

    i = next(_n)
    row = InfoRequest(
        number=f"REQ/{i}/{received.year}",
        year=received.year,
        seq=i,
        tracking_hash=f"h{i}",
        name="Pemohon",
        address="Jl. Contoh",
        details="Data anggaran",
        purpose="Penelitian",
        access_method="softcopy",
        delivery="email",
        received_at=datetime.combine(received, datetime.min.time()),
        received_date=received,
        due_date=due,
        extended_due_date=ext,
        answered_date=answered,
        answer_working_days=days,
        unit_id=unit.id,
        status=status or ("selesai" if answered else "diproses"),
    )
    db.session.add(row)
    db.session.flush()
    return row


def objection(req, received, due, *, decided=None, grounds=("a",), outcome=None):
    from plugins.inbox.models import Objection

    i = next(_n)
    row = Objection(
        number=f"KEB/{i}",
        year=received.year,
        seq=i,
        request_id=req.id,
        grounds=list(grounds),
        case_summary="Tidak puas",
        received_at=datetime.combine(received, datetime.min.time()),
        received_date=received,
        due_date=due,
        decided_date=decided,
        outcome=outcome,
        status="diputus" if decided else "diterima",
    )
    db.session.add(row)
    db.session.flush()
    return row


def build(with_inbox=True, with_dip=True, with_crosspost=True):
    """Units A, B and C (C has no data at all); returns them by letter."""
    from cms import accounts
    from cms.models import Post
    from plugins.monev.models import MonevAnswer, MonevComplaint, MonevPeriod, MonevSocialAccount

    units = {k: accounts.get_or_create_unit(f"Dinas {k}") for k in "ABC"}
    a, b = units["A"], units["B"]
    period = MonevPeriod(year=2025, kind="year")
    db.session.add(period)
    db.session.flush()
    if with_inbox:
        from plugins.inbox.disposition_models import Disposition
        from plugins.inbox.models import Dispute

        request(a, date(2025, 2, 3), date(2025, 2, 17), answered=date(2025, 2, 10), days=5)
        request(a, date(2025, 3, 3), date(2025, 3, 17), answered=date(2025, 3, 20), ext=date(2025, 3, 26), days=13)
        r3 = request(a, date(2025, 4, 1), date(2025, 4, 15), answered=date(2025, 5, 2), days=20)
        request(a, date(2025, 5, 5), date(2025, 5, 19))  # open, long overdue
        request(a, date(2024, 12, 20), date(2025, 1, 8), answered=date(2025, 1, 6), days=10)  # previous year
        o3 = objection(
            r3, date(2025, 5, 10), date(2025, 6, 20), decided=date(2025, 6, 10), grounds=("a", "c"), outcome="ditolak"
        )
        db.session.add(Dispute(objection_id=o3.id))
        r6 = request(b, date(2025, 6, 2), date(2025, 6, 16), answered=date(2025, 6, 5), days=3)
        objection(r6, date(2025, 7, 1), date(2025, 8, 12))
        for action, when in (
            ("returned", datetime(2025, 3, 1)),
            ("forwarded", datetime(2025, 4, 1)),
            ("returned", datetime(2024, 3, 1)),
        ):
            db.session.add(Disposition(request_id=r3.id, action=action, from_unit_id=a.id, created_at=when))
    if with_dip:
        from plugins.dip.models import DipDecree, DipEntry

        old = datetime(2024, 12, 1)
        full = dict(
            official="Kepala Dinas",
            responsible="Sekretaris",
            made_place="Kota",
            made_on=date(2024, 1, 1),
            retention="5 tahun",
        )
        db.session.add_all(
            [
                DipEntry(
                    year=2025,
                    category="berkala",
                    title="Profil",
                    unit_id=a.id,
                    published_at=datetime(2025, 1, 10),
                    reviewed_on=date(2025, 6, 1),
                    updated_at=old,
                    **full,
                ),
                DipEntry(
                    year=2025,
                    category="serta_merta",
                    title="Banjir",
                    unit_id=a.id,
                    published_at=datetime(2025, 2, 1),
                    updated_at=old,
                    **{**full, "retention": ""},
                ),
                DipEntry(year=2025, category="berkala", title="Draf", unit_id=a.id, updated_at=old, **full),
                DipEntry(
                    year=2024,
                    category="setiap_saat",
                    title="Perda",
                    unit_id=b.id,
                    published_at=datetime(2024, 5, 1),
                    updated_at=old,
                    **full,
                ),
                DipDecree(year=2025, number="SK 1/2025", signed_on=date(2025, 1, 2)),
            ]
        )
    if with_crosspost:
        from plugins.crosspost.models import CrosspostAccount, CrosspostDelivery

        acct = CrosspostAccount(channel="mastodon", name="Dinas A", unit_id=a.id)
        db.session.add(acct)
        db.session.flush()
        for i, status in enumerate(("sent", "failed", "sent")):
            db.session.add(
                CrosspostDelivery(
                    source_ref=f"post:{i}",
                    account_id=acct.id,
                    status=status,
                    action="create",
                    idempotency_key=f"k{i}",
                    published_at=datetime(2025, 3, 1 + i),
                    sent_at=datetime(2025, 3, 1 + i) if status == "sent" else None,
                )
            )
    for kind, status, month in (
        ("siaran-pers", "published", 2),
        ("siaran-pers", "published", 3),
        ("berita", "published", 4),
        ("berita", "draft", 5),
    ):
        n = next(_n)
        db.session.add(
            Post(
                title=f"Naskah {n}",
                slug=f"naskah-m{n}",
                kind=kind,
                status=status,
                body_html="<p>x</p>",
                unit_id=a.id,
                published_at=datetime(2025, month, 1) if status == "published" else None,
            )
        )
    db.session.add_all(
        [
            MonevComplaint(
                unit_id=a.id, received_on=date(2025, 1, 5), category="Layanan", resolved_on=date(2025, 1, 9)
            ),
            MonevComplaint(
                unit_id=a.id, received_on=date(2025, 2, 1), category="Layanan", resolved_on=date(2025, 2, 21)
            ),
            MonevComplaint(unit_id=a.id, received_on=date(2025, 3, 1), category="Jalan"),
            MonevSocialAccount(unit_id=a.id, platform="Instagram", url="https://instagram.com/a"),
            MonevSocialAccount(unit_id=a.id, platform="X", url="https://x.com/a"),
            MonevSocialAccount(unit_id=b.id, platform="Instagram", url="https://instagram.com/b"),
        ]
    )
    for item, status in (
        ("sk_ppid", "diterima"),
        ("petugas_terlatih", "diterima"),
        ("meja_layanan", "diterima"),
        ("sop_dipajang", "dikembalikan"),
    ):
        db.session.add(
            MonevAnswer(period_id=period.id, unit_id=a.id, item=item, present=True, status=status, evidence_stored="x")
        )
    db.session.commit()
    return period, units
