"""Worker jobs: DIK expiry reminders and the stale-item digest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from cms.api import User, audit, db, enqueue_mail, naive_utc
from plugins.dip import services
from plugins.dip.models import DikEntry, DipEntry


def _recipients(unit_id: int | None) -> list[str]:
    """PPID Utama officers, plus the owning unit's PPID Pembantu."""
    stmt = select(User.email).where(User.active.is_(True), User.role == "ppid")
    emails = set(db.session.scalars(stmt))
    if unit_id:
        emails |= set(
            db.session.scalars(
                select(User.email).where(User.active.is_(True), User.role == "ppid_unit", User.unit_id == unit_id)
            )
        )
    return sorted(emails)


def dik_expiry_reminders(today: date | None = None) -> int:
    """Remind once when an exemption ends within ``DIP_DIK_REMIND_DAYS`` (or has ended)."""
    today = today or date.today()
    horizon = today + timedelta(days=int(current_app.config["DIP_DIK_REMIND_DAYS"]))
    due = db.session.scalars(
        select(DikEntry).where(
            DikEntry.exempt_until.is_not(None), DikEntry.exempt_until <= horizon, DikEntry.reminded_on.is_(None)
        )
    )
    sent = 0
    for entry in due:
        if entry.exempt_until is None:  # the query takes dated ones only
            continue
        to = _recipients(entry.unit_id)
        if to:
            state = "telah berakhir" if entry.exempt_until < today else "akan berakhir"
            text = (
                f"Masa pengecualian informasi berikut {state} pada {entry.exempt_until:%d-%m-%Y}:\n\n"
                f"{entry.information}\nDasar hukum: {entry.legal_basis}\n\n"
                "Lakukan uji konsekuensi ulang: perpanjang dengan penetapan baru atau buka informasinya "
                "dan masukkan ke DIP."
            )
            enqueue_mail(to, f"[DIK] Masa pengecualian {state}: {entry.information[:80]}", text)
        entry.reminded_on = today
        audit.record("dik.reminder", "dip_dik", entry.id, {"to": to, "exempt_until": entry.exempt_until.isoformat()})
        sent += 1
    db.session.commit()
    return sent


def stale_digest(today: date | None = None) -> dict[str, int]:
    """Count flagged entries and tell the PPID Utama when there are any."""
    today = today or date.today()
    counts = {
        "stale": db.session.scalar(select(func.count()).select_from(DipEntry).where(services.stale_condition(today)))
        or 0,
        "berkala": db.session.scalar(
            select(func.count()).select_from(DipEntry).where(services.berkala_outdated_condition(today))
        )
        or 0,
    }
    to = _recipients(None)
    if to and any(counts.values()):
        enqueue_mail(
            to,
            "[DIP] Entri yang perlu ditinjau",
            f"{counts['stale']} entri DIP belum ditinjau lebih dari setahun.\n"
            f"{counts['berkala']} informasi berkala berumur lebih dari enam bulan.\n\n"
            "Buka Admin › DIP dan pilih tanda 'Perlu ditinjau' atau 'Berkala usang'.",
        )
    return counts


def banner_expiry(now: datetime | None = None) -> int:
    """Hourly: when a serta merta item leaves the home-page banner, count it as a
    content change so the cached home page is rendered again."""
    now = now or naive_utc()
    shown_until = now - timedelta(days=int(current_app.config["DIP_BANNER_DAYS"]))
    expired = (
        db.session.scalar(
            select(func.count())
            .select_from(DipEntry)
            .where(
                DipEntry.category == "serta_merta",
                DipEntry.published_at <= shown_until,
                DipEntry.published_at > shown_until - timedelta(hours=1, minutes=5),
            )
        )
        or 0
    )
    if expired:
        from cms.api import content_changed

        content_changed()
    return expired
