"""Buku register permohonan and register keberatan in the official columns
(the Perki 1/2010 model forms), masked unless the exporter may see identities."""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.inbox import law
from plugins.inbox.models import ACCESS_METHODS, GROUNDS, OBJECTION_OUTCOMES, OUTCOMES, InfoRequest, Objection
from plugins.inbox.privacy import mask_address, mask_contact, mask_name


def request_header() -> list[str]:
    return [
        _("No"),
        _("Nomor pendaftaran"),
        _("Tanggal permohonan diterima"),
        _("Nama"),
        _("Alamat"),
        _("Nomor kontak (telp/e-mail)"),
        _("Pekerjaan"),
        _("NIK"),
        _("Informasi yang diminta"),
        _("Tujuan penggunaan informasi"),
        _("Status informasi (di bawah penguasaan)"),
        _("Bentuk informasi yang dikuasai"),
        _("Jenis permohonan"),
        _("Keputusan"),
        _("Alasan penolakan"),
        _("Tanggal pemberitahuan tertulis"),
        _("Tanggal pemberian informasi"),
        _("Biaya dan cara pembayaran"),
        _("Unit"),
        _("Saluran"),
    ]


def _held(req: InfoRequest) -> str:
    held = law.possession(req.outcome)
    if held == "tidak":
        return _("Tidak") + f" ({req.held_by})"
    if held == "belum":
        return _("Belum didokumentasikan")
    return _("Ya") if held else ""


def _rejection(req: InfoRequest) -> str:
    parts = [_("Pasal 17 huruf %(h)s UU KIP", h=h) for h in req.exemptions or []]
    if req.other_law:
        parts.append(req.other_law)
    return "; ".join(parts)


def request_rows(requests: list[InfoRequest], unmasked: bool) -> list[list]:
    rows = []
    for i, r in enumerate(requests, 1):
        contact = " / ".join(x for x in (r.phone, r.email) if x)
        rows.append(
            [
                i,
                r.number,
                r.received_date,
                r.name if unmasked else mask_name(r.name),
                r.address if unmasked else mask_address(r.address),
                contact if unmasked else " / ".join(mask_contact(x) for x in (r.phone, r.email) if x),
                r.occupation,
                r.nik_masked,
                r.details,
                r.purpose,
                _held(r),
                r.info_form,
                _("Melihat/mengetahui")
                if r.access_method == "melihat"
                else _("Meminta salinan") + f" ({ACCESS_METHODS.get(r.access_method, '')})",
                str(OUTCOMES.get(r.outcome, "")) if r.outcome else "",
                _rejection(r),
                r.answered_date,
                r.delivered_at.date() if r.delivered_at else None,
                f"Rp{r.fee_total}" + (f" — {r.payment_method}" if r.payment_method else ""),
                r.unit.name if r.unit else _("PPID Utama"),
                r.channel,
            ]
        )
    return rows


def objection_header() -> list[str]:
    return [
        _("No"),
        _("Nomor registrasi keberatan"),
        _("Tanggal diterima"),
        _("Identitas pemohon"),
        _("Identitas kuasa"),
        _("Nomor pendaftaran permohonan"),
        _("Informasi yang diminta"),
        _("Tujuan penggunaan informasi"),
        _("Alasan keberatan (Pasal 35)"),
        _("Keputusan Atasan PPID"),
        _("Hari dan tanggal tanggapan"),
        _("Nama dan posisi Atasan PPID"),
        _("Tanggapan pemohon"),
        _("Diajukan melewati batas waktu"),
    ]


def objection_rows(items: list[Objection], unmasked: bool) -> list[list]:
    rows = []
    for i, o in enumerate(items, 1):
        r = o.request
        rows.append(
            [
                i,
                o.number,
                o.received_date,
                r.name if unmasked else mask_name(r.name),
                o.kuasa_name if unmasked else mask_name(o.kuasa_name),
                r.number,
                r.details,
                o.purpose or r.purpose,
                "; ".join(str(GROUNDS[g]) for g in o.grounds),
                str(OBJECTION_OUTCOMES.get(o.outcome, "")) if o.outcome else "",
                o.decided_date,
                ", ".join(x for x in (o.atasan_name, o.atasan_position) if x),
                o.applicant_response,
                _("Ya") if o.filed_late else _("Tidak"),
            ]
        )
    return rows
