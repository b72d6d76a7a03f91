"""The one-click ringkasan: the year's report summary published to the DIP as
informasi berkala through ``cms_dip_publish_berkala`` (the dip plugin
implements it).  It uses the figures and PDF of the last consolidated build,
so nothing is computed for the whole year inside the web request.
"""

from __future__ import annotations

from flask_babel import gettext as _

from cms.api import audit, db, manager
from plugins.inbox import annual_build, annual_document, services

HOOK = "cms_dip_publish_berkala"


def dip_available() -> bool:
    """A plugin that takes berkala documents is enabled (else the button says so)."""
    caller = getattr(manager().hook, HOOK, None)
    return bool(caller and caller.get_hookimpls())


def published_entry(year: int) -> int | None:
    row = annual_build.record(year, "year", None)
    return row.dip_entry_id if row else None


def publish(year: int) -> int:
    """Publish the ringkasan of ``year``; ``InboxError`` says why not."""
    if not dip_available():
        raise services.InboxError(_("Modul DIP tidak aktif; ringkasan tidak dapat diterbitkan."), None)
    row = annual_build.record(year, "year", None)
    if row is None or not row.pdf_name or not row.figures:
        raise services.InboxError(_("Susun laporan tahunan gabungan terlebih dahulu."), None)
    dip_id = services.offer_to_dip(
        title=f"Ringkasan Laporan Layanan Informasi Publik Tahun {year}",
        summary=annual_document.summary_text(row.figures),
        unit_id=None,
        year=year,
        blob=annual_build.file_bytes(row, "pdf"),
        file_name=f"laporan-layanan-informasi-publik-{year}.pdf",
        source=f"inbox:laporan:{year}",
        hook_name=HOOK,
    )
    if dip_id is None:
        raise services.InboxError(_("Modul DIP gagal menerima ringkasan; coba lagi."), None)
    row = annual_build.record(year, "year", None)
    if row is None:  # deleted while the DIP took the ringkasan
        raise services.InboxError(_("Susun laporan tahunan gabungan terlebih dahulu."), None)
    row.dip_entry_id = dip_id
    audit.record("inbox.report.published", "inbox_report", year, {"dip_id": dip_id})
    db.session.commit()
    return dip_id
