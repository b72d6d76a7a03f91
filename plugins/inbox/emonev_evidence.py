"""The inbox's e-Monev evidence (``cms_monev_evidence``): the year's service
statistics, the register summary per unit, the annual report when it has been
built, and the SOP PDFs of the PPID pages — each a dated PDF."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from markupsafe import escape
from sqlalchemy import case, func, select

from cms.api import Unit, db, html_to_pdf, tanggal, to_wib, utcnow
from plugins.inbox import annual_build, ppid_pages
from plugins.inbox.models import CHANNELS, OUTCOMES, Dispute, InfoRequest, Objection

STYLE = """@page { size: A4; margin: 18mm; @bottom-center { content: counter(page); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; } h1 { font-size: 13pt; } h2 { font-size: 11pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; }
th, td { border: 0.5pt solid #000; padding: 1.5pt 3pt; }
th { background: #e6e6e6; text-align: left; } td.n { text-align: right; }"""


def documents(year: int) -> list[dict]:
    docs = [
        {"key": "inbox.statistik", "title": f"Statistik layanan informasi {year}", "make": lambda: statistics(year)},
        {
            "key": "inbox.register",
            "title": f"Ringkasan register permohonan dan keberatan {year}",
            "make": lambda: register(year),
        },
    ]
    report = annual_build.record(year, "year", None)
    if report is not None and report.pdf_name:
        docs.append(
            {
                "key": "inbox.laporan_tahunan",
                "title": f"Laporan tahunan layanan informasi {year}",
                "make": lambda: _annual_pdf(year),
            }
        )
    if ppid_pages.sop_files():
        docs.append({"key": "inbox.sop", "title": "SOP layanan informasi", "make": sops})
    return docs


def _doc(title: str, sections: list[tuple[str, list[str], list[list]]]) -> bytes:
    today = tanggal(to_wib(utcnow()).date())
    parts = [f'<!doctype html><html lang="id"><head><meta charset="utf-8"><style>{STYLE}</style></head><body>']
    parts.append(f"<h1>{escape(title)}</h1><p>Dicetak dari Warta pada {escape(today)}.</p>")
    for heading, head, rows in sections:
        parts.append(f"<h2>{escape(heading)}</h2><table><thead><tr>")
        parts.extend(f"<th>{escape(h)}</th>" for h in head)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            cells = "".join(
                f'<td class="n">{escape(c)}</td>' if isinstance(c, (int, float)) else f"<td>{escape(c)}</td>"
                for c in row
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return html_to_pdf("".join(parts))


def statistics(year: int) -> bytes:
    """The year's service in figures, counted in SQL (20,000 requests in well under a second)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    in_year = (InfoRequest.received_date >= start, InfoRequest.received_date <= end)
    on = InfoRequest.answered_date

    def n(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    total, answered, within_10, within_17, extended = db.session.execute(
        select(
            func.count(),
            func.count(on),
            n(on <= InfoRequest.due_date),
            n(on <= func.coalesce(InfoRequest.extended_due_date, InfoRequest.due_date)),
            func.count(InfoRequest.extended_due_date),
        ).where(*in_year)
    ).one()
    days = sorted(
        d for d in db.session.scalars(select(InfoRequest.answer_working_days).where(*in_year)) if d is not None
    )
    median = median_of(days)
    objections = db.session.scalar(
        select(func.count()).select_from(Objection).where(Objection.received_date.between(start, end))
    )
    disputes = db.session.scalar(
        select(func.count())
        .select_from(Dispute)
        .join(Objection, Objection.id == Dispute.objection_id)
        .where(Objection.received_date.between(start, end))
    )
    headline: list[list[Any]] = [
        ["Permohonan diterima", int(total)],
        ["Dijawab", int(answered)],
        ["Dijawab ≤ 10 hari kerja", int(within_10)],
        ["Dijawab ≤ 17 hari kerja (dengan perpanjangan)", int(within_17)],
        ["Dijawab terlambat", int(answered) - int(within_17)],
        ["Perpanjangan waktu", int(extended)],
        ["Median hari kerja menjawab", str(median).replace(".", ",") if median is not None else "—"],
        ["Keberatan", int(objections or 0)],
        ["Sengketa", int(disputes or 0)],
    ]
    return _doc(
        f"Statistik layanan informasi publik tahun {year}",
        [
            ("Ringkasan", ["Uraian", "Jumlah"], headline),
            ("Menurut saluran", ["Saluran", "Jumlah"], _grouped(InfoRequest.channel, CHANNELS, in_year)),
            ("Menurut hasil", ["Hasil", "Jumlah"], _grouped(InfoRequest.outcome, OUTCOMES, in_year)),
        ],
    )


def median_of(values: list[int]) -> float | None:
    if not values:
        return None
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _grouped(column, labels: dict, where) -> list[list]:
    found: dict[Any, int] = dict(db.session.execute(select(column, func.count()).where(*where).group_by(column)).all())
    return [[str(label), int(found.get(key, 0))] for key, label in labels.items()]


def register(year: int) -> bytes:
    start, end = date(year, 1, 1), date(year, 12, 31)
    answered = InfoRequest.answered_date.is_not(None)
    on_time = InfoRequest.answered_date <= InfoRequest.due_date
    rows = db.session.execute(
        select(
            func.coalesce(Unit.name, "PPID Utama"),
            func.count(),
            func.coalesce(func.sum(case((answered, 1), else_=0)), 0),
            func.coalesce(func.sum(case((on_time, 1), else_=0)), 0),
        )
        .select_from(InfoRequest)
        .outerjoin(Unit, Unit.id == InfoRequest.unit_id)
        .where(InfoRequest.received_date >= start, InfoRequest.received_date <= end)
        .group_by(Unit.name)
        .order_by(Unit.name)
    ).all()
    objections = db.session.scalar(
        select(func.count())
        .select_from(Objection)
        .where(Objection.received_date >= start, Objection.received_date <= end)
    )
    table = [[name, int(n), int(a), int(t)] for name, n, a, t in rows]
    return _doc(
        f"Ringkasan register permohonan informasi tahun {year}",
        [
            ("Per unit", ["Unit", "Diterima", "Dijawab", "Dijawab ≤ 10 hari kerja"], table),
            ("Register keberatan", ["Uraian", "Jumlah"], [["Keberatan diterima", int(objections or 0)]]),
        ],
    )


def sops() -> bytes:
    from pypdf import PdfWriter  # 16 MB: at first use, not in every web worker

    writer = PdfWriter()
    for row in ppid_pages.sop_files().values():
        writer.append(str(ppid_pages.sop_path(row)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annual_pdf(year: int) -> bytes:
    """The year's annual report as built (called in the worker, when the pack is made)."""
    report = annual_build.record(year, "year", None)
    if report is None:
        raise LookupError(f"annual report {year} is not built")
    return annual_build.file_bytes(report, "pdf")
