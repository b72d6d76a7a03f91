"""Downloads: the period's report (PDF, XLSX) and a unit's letter of results.

The full report is the PPID Utama's; a PPID Pembantu downloads its own
unit's letter only."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user

from cms.api import PDFError, audit, require
from plugins.monev import letter as letters
from plugins.monev import outputs, scoring
from plugins.monev.access import period_or_404, unit_or_404
from plugins.monev.blueprint import admin_bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, mimetype: str, name: str) -> Response:
    resp = Response(data, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@admin_bp.route("/<int:period_id>/laporan.<any(pdf, xlsx):fmt>")
@require("monev.manage")
def report(period_id: int, fmt: str):
    period = period_or_404(period_id)
    card = scoring.build(period)
    audit.record("monev.report.exported", "monev_period", period.id, {"format": fmt}, commit=True)
    name = f"{period.file_stem}.{fmt}"
    if fmt == "xlsx":
        return _download(outputs.report_xlsx(card), XLSX, name)
    try:
        return _download(outputs.report_pdf(card), "application/pdf", name)
    except PDFError:
        abort(503)


@admin_bp.route("/<int:period_id>/unit/<int:unit_id>/surat.pdf")
@require("monev.view")
def letter(period_id: int, unit_id: int):
    period = period_or_404(period_id)
    unit = unit_or_404(unit_id)
    issued = letters.issued(period, unit.id)
    pdf = letters.stored_pdf(issued) if issued is not None else None
    if pdf is None:  # its first printing (or a lost file): from today's figures
        card = scoring.build(period)  # the rank needs every unit
        unit_card = card.card(unit.id)
        if unit_card is None:
            abort(404)
        head = letters.head()
        try:
            gaps = letters.missing(head, numbered=issued is not None)
            if gaps:
                raise letters.LetterMissing(gaps)
            issued = letters.number(period, unit.id, head, current_user.id)
        except letters.LetterMissing as exc:
            flash(str(exc), "error")
            return redirect(url_for(".unit", period_id=period.id, unit_id=unit.id)), 303
        try:
            pdf = letters.keep_pdf(issued, outputs.letter_pdf(card, unit_card, head, issued))
        except PDFError:
            abort(503)
    assert issued is not None  # the stored letter's row, or the one just numbered
    audit.record(
        "monev.letter.exported", "monev_period", period.id, {"unit": unit.id, "number": issued.number}, commit=True
    )
    return _download(pdf, "application/pdf", f"surat-{period.file_stem}-{_slug(unit)}.pdf")


def _slug(unit) -> str:
    """The unit in a file name: its slug's safe characters, else its id."""
    text = "".join(ch for ch in (unit.slug or "").lower() if ch.isascii() and (ch.isalnum() or ch == "-"))
    return text.strip("-")[:60] or f"unit-{unit.id}"
