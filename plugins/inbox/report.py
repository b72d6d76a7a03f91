"""Laporan layanan informasi publik (Perki 1/2021): its statistics per period and unit.

Requests count in the period they were received; answer times are in
working days from receipt (day 0) to the written notice.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import db
from plugins.inbox import after_decision, clock, law, payments, standing
from plugins.inbox.models import (
    APPLICANT_TYPES,
    CATEGORIES,
    CHANNELS,
    DISPUTE_STAGES,
    GROUNDS,
    OBJECTION_OUTCOMES,
    OUTCOMES,
    PASAL17,
    REPORT_SECTIONS,
    InfoRequest,
    Objection,
    ReportText,
)


@dataclass(frozen=True)
class Period:
    year: int
    kind: str = "year"  # year | s1 | s2 | q1..q4

    @property
    def bounds(self) -> tuple[date, date]:
        months = {
            "year": (1, 12),
            "s1": (1, 6),
            "s2": (7, 12),
            "q1": (1, 3),
            "q2": (4, 6),
            "q3": (7, 9),
            "q4": (10, 12),
        }[self.kind]
        start = date(self.year, months[0], 1)
        end = date(self.year + (months[1] == 12), (months[1] % 12) + 1, 1)
        return start, end  # end exclusive

    @property
    def label(self) -> str:
        names = {
            "year": _("Tahun"),
            "s1": _("Semester I"),
            "s2": _("Semester II"),
            "q1": _("Triwulan I"),
            "q2": _("Triwulan II"),
            "q3": _("Triwulan III"),
            "q4": _("Triwulan IV"),
        }
        return f"{names[self.kind]} {self.year}"

    @property
    def file_part(self) -> str:
        """``tahun``, ``semester-1``, ``triwulan-4``: Indonesian in file names."""
        if self.kind == "year":
            return "tahun"
        return ("semester-" if self.kind.startswith("s") else "triwulan-") + self.kind[1:]


PERIOD_KINDS = ("year", "s1", "s2", "q1", "q2", "q3", "q4")


def _count(values, labels) -> list[tuple[str, str, int]]:
    found = Counter(values)
    return [(key, str(label), found.get(key, 0)) for key, label in labels.items()]


UNCLASSIFIED = "belum_diklasifikasikan"


def _asked(r: InfoRequest) -> str:
    """What was asked for, as ``law.asked_category`` reads it (never the column's default)."""
    classified = r.category if r.categorised_at is not None else None
    return law.asked_category(r.outcome, classified=classified, dik_ref=r.dik_ref) or UNCLASSIFIED


def build(period: Period, unit_ids: set[int] | None = None, unit_id: int | None = None) -> dict:
    start, end = period.bounds
    stmt = select(InfoRequest).where(InfoRequest.received_date >= start, InfoRequest.received_date < end)
    if unit_id is not None:
        stmt = stmt.where(InfoRequest.unit_id == unit_id)
    if unit_ids is not None:
        stmt = stmt.where(InfoRequest.unit_id.in_(unit_ids or {-1}))
    requests = db.session.scalars(stmt).all()
    answered = [r for r in requests if r.answered_date]
    days = [r.answer_working_days for r in answered if r.answer_working_days is not None]
    timeliness = Counter(
        law.answer_timeliness(r.answered_date, r.due_date, r.extended_due_date) for r in answered if r.answered_date
    )
    today = clock.today()
    late_open = sum(1 for r in requests if standing.of(r, today) == "terlambat")
    rejected = [r for r in answered if r.outcome == law.REJECTED]
    grounds = Counter(h for r in rejected for h in (r.exemptions or []))
    other_law = sum(1 for r in rejected if r.other_law)

    ostmt = select(Objection).join(InfoRequest).where(Objection.received_date >= start, Objection.received_date < end)
    if unit_id is not None:
        ostmt = ostmt.where(InfoRequest.unit_id == unit_id)
    if unit_ids is not None:
        ostmt = ostmt.where(InfoRequest.unit_id.in_(unit_ids or {-1}))
    objs = db.session.scalars(ostmt).all()
    disputes = [d for o in objs for d in o.disputes]
    after = after_decision.counts(answered, objs, disputes)
    return {
        **after,
        "period": period,
        "total": len(requests),
        "by_channel": _count([r.channel for r in requests], CHANNELS),
        "by_applicant": _count([r.applicant_type for r in requests], APPLICANT_TYPES),
        "by_category": _count([_asked(r) for r in requests], CATEGORIES | {UNCLASSIFIED: _("Belum diklasifikasikan")}),
        "by_outcome": _count([r.outcome for r in answered], OUTCOMES),
        "by_ground": [(k, str(v), grounds.get(k, 0)) for k, v in PASAL17.items()]
        + [("uu_lain", _("Undang-undang lain"), other_law)],
        "closed_incomplete": sum(1 for r in requests if r.status == "ditutup_tidak_lengkap"),
        "withdrawn": sum(1 for r in requests if r.status == "dibatalkan_pemohon"),
        "pending": sum(1 for r in requests if law.is_open(r.status)),
        "answered": len(answered),
        "days_avg": round(statistics.fmean(days), 1) if days else None,
        "days_median": statistics.median(days) if days else None,
        "days_max": max(days) if days else None,
        "within_10": timeliness["within_10"],
        "within_17": timeliness["within_17"],
        "late": timeliness["late"] + late_open,
        "extensions": sum(1 for r in requests if r.extended_due_date),
        **_fees(start, end, unit_ids, unit_id),
        "objections": len(objs),
        "objections_by_ground": _count([g for o in objs for g in o.grounds], GROUNDS),
        "objections_by_outcome": _count([o.outcome for o in objs if o.outcome], OBJECTION_OUTCOMES),
        "objections_pending": sum(1 for o in objs if law.is_objection_open(o.status)),
        "objections_late_filed": sum(1 for o in objs if o.filed_late),
        "disputes": len(disputes),
        "disputes_by_status": _count([d.stage for d in disputes], DISPUTE_STAGES),
    }


def _fees(start: date, end: date, unit_ids: set[int] | None, unit_id: int | None) -> dict:
    """Fees charged by notices and collected by payments in the period
    (``payments.fee_totals``: by notice date and by payment date)."""
    units = [unit_id] if unit_id is not None else (sorted(unit_ids) if unit_ids is not None else None)
    totals = payments.consolidated(payments.fee_totals(units, start, end - timedelta(days=1)))
    return {"fees": totals.charged, "fees_collected": totals.collected, "fee_payments": totals.payments}


def narrative(year: int, unit_id: int | None) -> dict[str, str]:
    rows = db.session.scalars(
        select(ReportText).where(ReportText.year == year, ReportText.unit_key == (unit_id or 0))
    ).all()
    return {row.section: row.text for row in rows}


def save_narrative(year: int, unit_id: int | None, texts: dict[str, str]) -> None:
    from cms.api import audit, strip_control_chars

    current = {
        r.section: r
        for r in db.session.scalars(
            select(ReportText).where(ReportText.year == year, ReportText.unit_key == (unit_id or 0))
        )
    }
    for section in REPORT_SECTIONS:
        text = strip_control_chars(texts.get(section) or "").strip()
        row = current.get(section)
        if row is None:
            db.session.add(ReportText(year=year, unit_key=unit_id or 0, section=section, text=text))
        else:
            row.text = text
    audit.record("inbox.report.narrative", "inbox_report", f"{year}/{unit_id or 0}", {})
    db.session.commit()


def flat_rows(data: dict, texts: dict[str, str] | None = None) -> list[list]:
    """Section / item / value rows for CSV and XLSX."""
    rows = [
        [_("Ringkasan"), _("Jumlah permohonan"), data["total"]],
        [_("Ringkasan"), _("Dijawab"), data["answered"]],
        [_("Ringkasan"), _("Belum selesai"), data["pending"]],
        [_("Ringkasan"), _("Ditutup tidak lengkap"), data["closed_incomplete"]],
        [_("Waktu"), _("Rata-rata hari kerja"), data["days_avg"]],
        [_("Waktu"), _("Median hari kerja"), data["days_median"]],
        [_("Waktu"), _("Maksimum hari kerja"), data["days_max"]],
        [_("Waktu"), _("Dijawab dalam 10 hari kerja"), data["within_10"]],
        [_("Waktu"), _("Dijawab dalam 11–17 hari kerja (perpanjangan)"), data["within_17"]],
        [_("Waktu"), _("Terlambat"), data["late"]],
        [_("Waktu"), _("Perpanjangan"), data["extensions"]],
        [_("Biaya"), _("Biaya dikenakan (Rp)"), data["fees"]],
        [_("Biaya"), _("Biaya diterima (Rp)"), data["fees_collected"]],
    ]
    sections = (
        ("by_channel", _("Saluran")),
        ("by_applicant", _("Jenis pemohon")),
        ("by_category", _("Kategori informasi")),
        ("by_outcome", _("Keputusan")),
        ("by_ground", _("Alasan penolakan")),
        ("objections_by_ground", _("Keberatan menurut alasan")),
        ("objections_by_outcome", _("Keberatan menurut keputusan")),
        ("disputes_by_stage", _("Sengketa menurut tahap yang dicapai")),
        ("disputes_by_result", _("Hasil sengketa di Komisi Informasi")),
        ("disputes_by_court_result", _("Hasil putusan pengadilan")),
        ("withheld_by_ground", _("Bagian dikecualikan pada pengabulan sebagian")),
        ("orders", _("Pelaksanaan tanggapan atas keberatan")),
    )
    for key, title in sections:
        rows += [[title, label, value] for _k, label, value in data[key]]
    rows += [
        [_("Keberatan"), _("Jumlah keberatan"), data["objections"]],
        [_("Keberatan"), _("Belum diputus"), data["objections_pending"]],
        [_("Sengketa"), _("Jumlah sengketa"), data["disputes"]],
        [_("Sengketa"), _("Gugatan ke pengadilan"), data["disputes_court"]],
        [_("Sengketa"), _("Putusan sengketa yang dilaksanakan"), data["disputes_executed"]],
    ]
    rows += [[_("Narasi"), str(label), (texts or {}).get(key, "")] for key, label in REPORT_SECTIONS.items()]
    return rows
