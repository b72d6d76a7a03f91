"""Demo Monev data (idempotent): this year's period, a few outside complaints
and social accounts for the demo units."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cms.api import db, get_or_create_unit, naive_utc
from plugins.monev.models import MonevComplaint, MonevPeriod, MonevSocialAccount

_UNITS = ("Dinas Komunikasi dan Informatika", "Badan Keuangan Daerah")


def load() -> None:
    today = naive_utc().date()
    if db.session.scalar(select(MonevPeriod).where(MonevPeriod.year == today.year, MonevPeriod.kind == "year")) is None:
        db.session.add(MonevPeriod(year=today.year, kind="year"))
    for name in _UNITS:
        unit = get_or_create_unit(name)
        db.session.flush()
        if db.session.scalar(select(MonevSocialAccount.id).where(MonevSocialAccount.unit_id == unit.id)) is None:
            slug = unit.slug or "unit"
            db.session.add(
                MonevSocialAccount(
                    unit_id=unit.id,
                    platform="Instagram",
                    url=f"https://www.instagram.com/{slug}",
                    last_activity_on=today,
                )
            )
        if db.session.scalar(select(MonevComplaint.id).where(MonevComplaint.unit_id == unit.id)) is None:
            start = today.replace(month=1, day=1)
            db.session.add_all(
                [
                    MonevComplaint(
                        unit_id=unit.id,
                        received_on=start + timedelta(days=10),
                        category="Pelayanan",
                        channel="SP4N-LAPOR!",
                        resolved_on=start + timedelta(days=14),
                    ),
                    MonevComplaint(
                        unit_id=unit.id,
                        received_on=start + timedelta(days=40),
                        category="Infrastruktur",
                        channel="Surat",
                    ),
                ]
            )
    db.session.commit()
