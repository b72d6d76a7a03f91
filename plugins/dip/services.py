"""Changing the DIP: staff edits, publication, review, the yearly copy and the SK."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import and_, or_, select

from cms.api import audit, db, naive_utc, notify
from plugins.dip import files, rules
from plugins.dip.models import DipDecree, DipDocument, DipEntry, DipLink

ENTRY_FIELDS = (
    "year",
    "kode",
    "category",
    "jenis",
    "title",
    "description_html",
    "description_text",
    "unit_id",
    "official",
    "responsible",
    "made_on",
    "made_place",
    "hardcopy",
    "softcopy",
    "retention",
    "reviewed_on",
)


def home_changed(entry: DipEntry) -> None:
    """The home page is cached per content version and shows serta merta
    items: count the change in the caller's transaction."""
    if entry.category == "serta_merta":
        from cms.api import content_changed

        content_changed(db.session.connection())


def months_ago(today: date, months: int) -> date:
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _older_than(cutoff: date):
    """reviewed_on, else made_on, else created_at — before ``cutoff`` (portable SQL)."""
    cutoff_dt = datetime.combine(cutoff, datetime.min.time())
    return or_(
        and_(DipEntry.reviewed_on.is_not(None), DipEntry.reviewed_on < cutoff),
        and_(DipEntry.reviewed_on.is_(None), DipEntry.made_on.is_not(None), DipEntry.made_on < cutoff),
        and_(DipEntry.reviewed_on.is_(None), DipEntry.made_on.is_(None), DipEntry.created_at < cutoff_dt),
    )


def stale_condition(today: date | None = None):
    """Not reviewed for more than a year."""
    return _older_than(months_ago(today or date.today(), 12))


def berkala_outdated_condition(today: date | None = None):
    """Informasi berkala must be renewed at least every six months."""
    cutoff = months_ago(today or date.today(), 6)
    newest = or_(
        DipEntry.made_on < cutoff,
        and_(DipEntry.made_on.is_(None), DipEntry.created_at < datetime.combine(cutoff, datetime.min.time())),
    )
    return and_(DipEntry.category == "berkala", newest)


def flags(entry: DipEntry, today: date | None = None) -> list[str]:
    """Human flags for one entry (the admin list shows them)."""
    today = today or date.today()
    found = []
    seen = entry.reviewed_on or entry.made_on or (entry.created_at.date() if entry.created_at else today)
    if seen < months_ago(today, 12):
        found.append("Belum ditinjau lebih dari setahun")
    made = entry.made_on or (entry.created_at.date() if entry.created_at else today)
    if entry.category == "berkala" and made < months_ago(today, 6):
        found.append("Informasi berkala lebih dari enam bulan")
    return found


def apply_fields(entry: DipEntry, data: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for name in ENTRY_FIELDS:
        if name not in data:
            continue
        old, new = getattr(entry, name), data[name]
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(entry, name, new)
    return changes


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str) and len(value) > 200:
        return value[:200] + "…"
    return value


def save_entry(
    entry: DipEntry | None, data: dict[str, Any], *, links: list[str] | None = None, publish: bool = False
) -> DipEntry:
    """Create or update an entry from validated form data; audited; commits."""
    created = entry is None
    entry = entry or DipEntry()
    changes = apply_fields(entry, data)
    if created:
        db.session.add(entry)
    if links is not None:
        current = [link.url for link in entry.links]
        if current != links:
            entry.links = [DipLink(url=url) for url in links]
            changes["links"] = [current, links]
    db.session.flush()
    if not entry.kode:
        entry.kode = f"WRT-{entry.id}"
    if created:
        audit.record("dip.create", "dip_entry", entry.id, {"title": entry.title, "year": entry.year})
    elif changes:
        audit.record("dip.update", "dip_entry", entry.id, changes)
    newly_public = publish and entry.published_at is None
    if newly_public:
        entry.published_at = naive_utc()
        audit.record("dip.publish", "dip_entry", entry.id, {"category": entry.category})
    if entry.published_at is not None and (newly_public or changes):
        home_changed(entry)
    db.session.commit()
    if newly_public:
        announce(entry)
    return entry


def public_url(entry: DipEntry) -> str:
    """Absolute URL from SITE_URL (works in the worker and CLI, not only in requests)."""
    base = str(current_app.config.get("SITE_URL") or "").rstrip("/")
    path = url_for("dip.item", entry_id=entry.id) if has_request_context() else f"/ppid/dip/{entry.id}"
    return base + path


def announce(entry: DipEntry) -> None:
    """After commit: serta merta items go to the crosspost plugin (and others)."""
    if entry.category == "serta_merta":
        summary = entry.description_text[:280] or entry.title
        notify("cms_serta_merta_published", title=entry.title, summary=summary, url=public_url(entry))


def set_published(entry: DipEntry, published: bool) -> None:
    if published == (entry.published_at is not None):
        return
    entry.published_at = naive_utc() if published else None
    audit.record("dip.publish" if published else "dip.unpublish", "dip_entry", entry.id, {"title": entry.title})
    home_changed(entry)
    db.session.commit()
    if published:
        announce(entry)


def mark_reviewed(entry: DipEntry, *, publish: bool = True) -> None:
    entry.reviewed_on = date.today()
    audit.record("dip.review", "dip_entry", entry.id, {"reviewed_on": entry.reviewed_on.isoformat()})
    db.session.commit()
    if publish:
        set_published(entry, True)


def delete_entry(entry: DipEntry) -> None:
    stored = [doc.stored_name for doc in entry.documents]
    audit.record("dip.delete", "dip_entry", entry.id, {"title": entry.title, "kode": entry.kode})
    home_changed(entry)
    db.session.delete(entry)
    db.session.commit()
    for name in stored:
        files.remove(name)


def attach_file(entry: DipEntry, fields: dict) -> DipDocument:
    document = DipDocument(entry=entry, **fields)
    db.session.add(document)
    db.session.flush()
    audit.record("dip.document.add", "dip_entry", entry.id, {"file": fields["file_name"], "size": fields["size"]})
    db.session.commit()
    return document


def remove_document(document: DipDocument) -> None:
    stored = document.stored_name
    audit.record("dip.document.remove", "dip_entry", document.entry_id, {"file": document.file_name})
    db.session.delete(document)
    db.session.commit()
    files.remove(stored)


def copy_year(source: int, target: int, unit_ids: set[int] | None = None) -> int:
    """Start ``target``'s DIP from ``source``'s: unpublished copies awaiting review.

    Items already copied (same kode in the target year) are left alone, so the
    copy can be repeated.  ``unit_ids`` limits a PPID Pembantu to its own OPD.
    """
    if source == target:
        raise files.DipError("Tahun sumber dan tujuan sama.", "target")
    existing = set(db.session.scalars(select(DipEntry.kode).where(DipEntry.year == target)))
    stmt = select(DipEntry).where(DipEntry.year == source).order_by(DipEntry.id)
    if unit_ids is not None:
        stmt = stmt.where(DipEntry.unit_id.in_(unit_ids))
    count = 0
    for old in db.session.scalars(stmt):
        if old.kode in existing:
            continue
        new = DipEntry(**{name: getattr(old, name) for name in ENTRY_FIELDS})
        new.year, new.reviewed_on, new.published_at = target, None, None
        new.source = f"salinan DIP {source}"
        new.links = [DipLink(url=link.url, label=link.label) for link in old.links]
        db.session.add(new)
        count += 1
    audit.record("dip.copy_year", "dip_year", target, {"from": source, "count": count})
    db.session.commit()
    return count


def save_decree(year: int, data: dict[str, Any]) -> DipDecree:
    decree = db.session.scalar(select(DipDecree).where(DipDecree.year == year)) or DipDecree(year=year)
    for key, value in data.items():
        setattr(decree, key, value)
    db.session.add(decree)
    audit.record("dip.decree", "dip_year", year, {"number": decree.number, "signed_on": decree.signed_on.isoformat()})
    db.session.commit()
    return decree


def decree_for(year: int | None) -> DipDecree | None:
    stmt = select(DipDecree).order_by(DipDecree.year.desc())
    if year:
        stmt = stmt.where(DipDecree.year == year)
    return db.session.scalars(stmt.limit(1)).first()


def add_document(
    title: str,
    summary: str,
    unit_id: int | None,
    year: int,
    file_path: str | None,
    file_name: str | None,
    source: str,
    *,
    category: str = "setiap_saat",
    jenis: str = "Informasi hasil permohonan",
) -> int:
    """The ``cms_dip_add_document`` service: a published setiap saat entry
    (``cms_dip_publish_berkala`` asks for a berkala one)."""
    html, plain = rules.description(summary)
    entry = DipEntry(
        year=year,
        category=category,
        jenis=jenis,
        title=rules.title(title),
        description_html=html,
        description_text=plain,
        unit_id=unit_id,
        source=rules.short(source, "source", "Sumber"),
        softcopy=bool(file_path),
        reviewed_on=date.today(),
        published_at=naive_utc(),
    )
    db.session.add(entry)
    db.session.flush()
    entry.kode = f"WRT-{entry.id}"
    if file_path:
        entry.documents.append(DipDocument(**files.store(Path(file_path), file_name or Path(file_path).name)))
    audit.record("dip.create", "dip_entry", entry.id, {"title": entry.title, "source": source})
    db.session.commit()
    return entry.id


def recent_serta_merta(days: int, limit: int = 3) -> list[DipEntry]:
    since = naive_utc() - timedelta(days=days)
    return list(
        db.session.scalars(
            select(DipEntry)
            .where(DipEntry.category == "serta_merta", DipEntry.published_at >= since)
            .order_by(DipEntry.published_at.desc())
            .limit(limit)
        )
    )
