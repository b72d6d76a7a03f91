"""Monev's own e-Monev evidence: the year's Monev report of the PPID
Pembantu (komitmen organisasi) and the official social accounts."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from cms.api import Unit, db, html_to_pdf, tanggal, to_wib, utcnow
from plugins.monev.models import MonevPeriod, MonevSocialAccount


def documents(year: int) -> list[dict]:
    docs = [{"key": "monev.akun", "title": f"Akun media sosial resmi ({year})", "make": _accounts}]
    period = db.session.scalar(select(MonevPeriod).where(MonevPeriod.year == year, MonevPeriod.kind == "year"))
    if period is not None:
        docs.append(
            {
                "key": "monev.hasil",
                "title": f"Laporan hasil Monev PPID Pembantu {year}",
                "make": lambda: _report(period.id),
            }
        )
    return docs


def _report(period_id: int) -> bytes:
    """The ranking of the year's Monev (the full report, a page per unit, is
    at /admin/monev/<period>/laporan.pdf; the ranking is what e-Monev asks)."""
    from plugins.monev import outputs, scoring
    from plugins.monev.catalogue import CATEGORIES

    period = db.session.get(MonevPeriod, period_id)
    if period is None:  # deleted between listing and building
        raise LookupError(f"monev period {period_id}")
    card = scoring.build(period, with_trend=False)
    rows = [
        [
            uc.rank,
            uc.name,
            *(outputs.fmt(uc.categories[c]) for c in CATEGORIES),
            outputs.fmt(uc.total),
            uc.qualification,
        ]
        for uc in card.cards
    ]
    html = render_template(
        "monev/emonev/print/table.html",
        title=f"Hasil Monev PPID Pembantu — {card.period.label}",
        intro="Peringkat PPID Pembantu menurut nilai total Monev PPID Utama."
        + ("" if card.has_data else " Tidak ada data pada periode ini; semua angka bernilai nol."),
        head=["Peringkat", "Unit", *CATEGORIES.values(), "Nilai total", "Kualifikasi"],
        rows=rows,
        today=tanggal(to_wib(utcnow()).date()),
    )
    return html_to_pdf(html)


def _accounts() -> bytes:
    rows = db.session.execute(
        select(Unit.name, MonevSocialAccount.platform, MonevSocialAccount.url, MonevSocialAccount.last_activity_on)
        .join(Unit, Unit.id == MonevSocialAccount.unit_id)
        .order_by(Unit.name, MonevSocialAccount.platform)
    ).all()
    html = render_template(
        "monev/emonev/print/table.html",
        title="Akun media sosial resmi",
        head=["Unit", "Platform", "URL", "Aktivitas terakhir"],
        rows=[[n, p, u, tanggal(d) if d else "—"] for n, p, u, d in rows],
        today=tanggal(to_wib(utcnow()).date()),
    )
    return html_to_pdf(html)
