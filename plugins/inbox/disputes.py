"""Sengketa as structured records: stages with dates and documents, a result
from the fixed list, and its execution (UU KIP Pasal 37–50).

``save`` checks everything (stage order, dates, results, documents) before
it changes anything, so a refused form leaves nothing half-saved; the
counts for the laporan layanan read the stage rows and result fields only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from flask_babel import gettext as _

from cms.api import audit, db, naive_utc
from plugins.inbox import clock, files, law
from plugins.inbox.errors import InboxError
from plugins.inbox.models import Dispute, Objection
from plugins.inbox.sengketa_models import SENGKETA_STAGES, DisputeDocument, DisputeStage


def current(obj: Objection) -> Dispute | None:
    return obj.disputes[-1] if obj.disputes else None


def stage_dates(dispute: Dispute | None) -> dict[str, date | None]:
    return {s.stage: s.day for s in dispute.stages} if dispute is not None else {}


def _label(stage: str) -> str:
    return str(SENGKETA_STAGES[stage])


def _check(obj: Objection, dispute: Dispute | None, data: dict, uploads: dict) -> dict[str, date | None]:
    """The stages after this save; ``InboxError`` naming the field otherwise."""
    if not (data.get("ki_number") or "").strip():
        raise InboxError(_("Nomor register sengketa di Komisi Informasi wajib diisi."), "ki_number")
    stages = stage_dates(dispute)
    for stage in law.SENGKETA_STAGES:
        if data.get(f"{stage}_on"):
            stages[stage] = data[f"{stage}_on"]
    if not stages:
        raise InboxError(_("Isi tanggal registrasi di Komisi Informasi."), "registrasi_on")
    today = clock.today()  # a stage is recorded once it took place, not when it is scheduled
    for stage in law.SENGKETA_STAGES:
        if data.get(f"{stage}_on") and data[f"{stage}_on"] > today:
            raise InboxError(_("Tanggal %(s)s tidak boleh di masa depan.", s=_label(stage)), f"{stage}_on")
    gap = law.sengketa_gap(stages, obj.request.received_date)
    if gap is not None:
        stage, kind, other = gap
        if kind == "needs":
            message = _("Tahap %(s)s tidak dapat dicatat sebelum tahap %(o)s.", s=_label(stage), o=_label(other))
        elif kind == "before_receipt":
            message = _("Tanggal %(s)s tidak boleh sebelum permohonan diterima.", s=_label(stage))
        else:
            message = _("Tanggal %(s)s tidak boleh sebelum tanggal %(o)s.", s=_label(stage), o=_label(other))
        raise InboxError(message, f"{stage}_on")
    bad = law.result_gap(stages, data.get("result") or None, data.get("court_result") or None)
    if bad == "result":
        raise InboxError(_("Hasil sengketa ini tidak sesuai dengan tahap yang sudah dicatat."), "result")
    if bad == "court_result":
        raise InboxError(_("Putusan pengadilan memerlukan tahap gugatan dan putusan pengadilan."), "court_result")
    executed = data.get("executed_on")
    if executed is not None:
        if not (data.get("result") or data.get("court_result")):
            raise InboxError(_("Pelaksanaan hanya dapat dicatat setelah ada hasil sengketa."), "executed_on")
        if executed > today:
            raise InboxError(_("Tanggal pelaksanaan tidak boleh di masa depan."), "executed_on")
        if executed < obj.request.received_date:
            raise InboxError(_("Tanggal pelaksanaan tidak boleh sebelum permohonan diterima."), "executed_on")
    for stage, docs in uploads.items():
        if docs and stage not in stages:
            raise InboxError(_("Isi tanggal tahap ini sebelum mengunggah dokumennya."), f"{stage}_docs")
    return stages


def save(obj: Objection, data: dict, uploads: dict | None = None) -> Dispute:
    """Record the sengketa of ``obj`` (one per keberatan; later saves add
    stages and correct dates).  ``uploads`` maps a stage to
    ``(bytes, mime, name)`` documents already checked by content."""
    uploads = uploads or {}
    dispute = current(obj)
    stages = _check(obj, dispute, data, uploads)
    if dispute is None:
        dispute = Dispute(objection=obj)
        db.session.add(dispute)
    before = {"stage": dispute.stage, "stages": {k: str(v) for k, v in stage_dates(dispute).items()}}
    dispute.ki_number = data["ki_number"].strip()
    dispute.result = data.get("result") or None
    dispute.court_result = data.get("court_result") or None
    for key in ("result_note", "execution_note", "notes"):
        setattr(dispute, key, (data.get(key) or "").strip())
    dispute.executed_on = data.get("executed_on")
    rows = {s.stage: s for s in dispute.stages}
    for stage in law.SENGKETA_STAGES:
        if stage not in stages:
            continue
        row = rows.get(stage)
        if row is None:
            row = rows[stage] = DisputeStage(stage=stage)
            dispute.stages.append(row)
        row.day = stages[stage]
        if data.get(f"{stage}_note") is not None and data[f"{stage}_note"].strip():
            row.note = data[f"{stage}_note"].strip()
        for blob, mime, name in uploads.get(stage) or []:
            entry = files.store("sengketa", blob, mime, name, objection_id=obj.id)
            db.session.add(entry)
            row.documents.append(DisputeDocument(file=entry))
    dispute.stage = law.sengketa_status(stages, dispute.result, dispute.court_result)
    obj.request.closed_at = naive_utc()
    db.session.flush()
    audit.record(
        "inbox.dispute.saved",
        "inbox_dispute",
        dispute.id,
        {
            "objection": obj.number,
            "before": before,
            "stage": dispute.stage,
            "stages": {k: str(v) for k, v in stages.items()},
            "result": dispute.result,
            "court_result": dispute.court_result,
        },
    )
    db.session.commit()
    return dispute


def counts(disputes: Iterable[Dispute]) -> dict:
    """What the laporan layanan reports of sengketa (Perban ORI 46/2020
    Pasal 31 c), from the stage rows and result fields: how many reached each
    stage, the results at the Komisi Informasi and in court, and how many
    results were carried out."""
    disputes = list(disputes)
    reached = Counter(s.stage for d in disputes for s in d.stages)
    results = Counter(d.result for d in disputes if d.result)
    court = Counter(d.court_result for d in disputes if d.court_result)
    return {
        "total": len(disputes),
        "by_stage": {stage: reached.get(stage, 0) for stage in law.SENGKETA_STAGES},
        "by_result": {r: results.get(r, 0) for r in law.SENGKETA_RESULTS},
        "by_court_result": {r: court.get(r, 0) for r in law.COURT_RESULTS},
        "running": sum(1 for d in disputes if d.stage != law.DISPUTE_CLOSED),
        "executed": sum(1 for d in disputes if d.executed_on is not None),
    }


def form_values(dispute: Dispute | None) -> dict:
    """The saved sengketa as the form's initial values."""
    if dispute is None:
        return {}
    values = {
        "ki_number": dispute.ki_number,
        "result": dispute.result or "",
        "court_result": dispute.court_result or "",
        "result_note": dispute.result_note,
        "executed_on": dispute.executed_on,
        "execution_note": dispute.execution_note,
        "notes": dispute.notes,
    }
    for row in dispute.stages:
        values[f"{row.stage}_on"] = row.day
        values[f"{row.stage}_note"] = row.note
    return values
