"""Register keberatan in the columns of research §2.9 (Sumbar Panduan PPID
2021): the minimum columns in order, then kasus posisi, the written reasons,
the answer deadline, late filing and the unit.  Masked like the buku register."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from plugins.inbox.models import (
    DISPUTE_STAGES,
    GROUNDS,
    OBJECTION_CHANNELS,
    OBJECTION_OUTCOMES,
    InfoRequest,
    Objection,
)
from plugins.inbox.privacy import mask_address, mask_name
from plugins.inbox.registers import _, applicant_name, contact, hari_tanggal, label
from plugins.inbox.sengketa_register import after_decision_cells

OBJECTION_COLUMNS = (
    (_l("No"), 5),
    (_l("Nomor registrasi keberatan"), 20),
    (_l("Tanggal diterima"), 13),
    (_l("Identitas pemohon"), 32),
    (_l("Identitas kuasa"), 28),
    (_l("Nomor pendaftaran permohonan"), 18),
    (_l("Informasi yang diminta"), 36),
    (_l("Tujuan penggunaan informasi"), 26),
    (_l("Alasan keberatan (Pasal 35 UU KIP)"), 36),
    (_l("Kasus posisi"), 36),
    (_l("Keputusan Atasan PPID"), 24),
    (_l("Alasan tertulis keputusan"), 30),
    (_l("Hari dan tanggal tanggapan"), 22),
    (_l("Nama dan posisi Atasan PPID"), 26),
    (_l("Tanggapan pemohon"), 30),
    (_l("Batas waktu tanggapan"), 22),
    (_l("Diajukan melewati batas waktu"), 12),
    (_l("Saluran"), 16),
    (_l("Unit (PPID Pelaksana)"), 24),
    (_l("Pelaksanaan tanggapan Atasan PPID"), 36),
    (_l("Sengketa: nomor register KI, tahap dan tanggal"), 40),
    (_l("Hasil sengketa dan pelaksanaannya"), 32),
)


def _applicant(r: InfoRequest, unmasked: bool) -> str:
    parts = [applicant_name(r, unmasked), r.address if unmasked else mask_address(r.address)]
    parts += [r.occupation, contact(r.phone, r.email, unmasked)]
    if r.applicant_type == "badan_hukum" and r.sk_number:
        parts.append(_("SK %(n)s", n=r.sk_number))
    return "; ".join(p for p in parts if p)


def _kuasa(o: Objection, unmasked: bool) -> str:
    if not o.kuasa_name:
        return ""
    if not unmasked:
        return "; ".join(p for p in (mask_name(o.kuasa_name), mask_address(o.kuasa_address)) if p)
    return "; ".join(p for p in (o.kuasa_name, o.kuasa_address, o.kuasa_phone) if p)


def _response(o: Objection) -> str:
    if o.applicant_response:
        return o.applicant_response
    if o.disputes:
        d = o.disputes[-1]
        return _(
            "Mengajukan sengketa ke Komisi Informasi %(n)s (%(s)s)", n=d.ki_number, s=label(DISPUTE_STAGES, d.stage)
        ).replace("  ", " ")
    return ""


def objection_row(n: int, o: Objection, unmasked: bool) -> list:
    r = o.request
    return [
        n,
        o.number,
        o.received_date,
        _applicant(r, unmasked),
        _kuasa(o, unmasked),
        r.number,
        r.details,
        o.purpose or r.purpose,
        "; ".join(label(GROUNDS, code) for code in o.grounds if code in GROUNDS),
        o.case_summary,
        label(OBJECTION_OUTCOMES, o.outcome),
        o.reasons,
        hari_tanggal(o.decided_date),
        ", ".join(x for x in (o.atasan_name, o.atasan_position) if x),
        _response(o),
        hari_tanggal(o.due_date),
        _("Ya") if o.filed_late else _("Tidak"),
        label(OBJECTION_CHANNELS, o.channel),
        r.unit.name if r.unit else _("PPID Utama"),
        *after_decision_cells(o),
    ]
