"""Buku register permohonan in the official columns (``objection_register``
has the register keberatan).

The columns follow the Perki 1/2010 model forms (research §2.10 and §2.9),
in that order, followed by the columns an officer needs to find a case
(saluran, unit, status).  Cells read as people write them: channel names,
"Senin, 20 Oktober 2025", "Rp5.000,00".  Names, addresses and contacts are
masked unless the exporter may see identities and asked for them.
"""

from __future__ import annotations

from datetime import date

from flask import g
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from cms.api import rupiah, tanggal
from plugins.inbox import law, standing
from plugins.inbox.models import (
    APPLICANT_TYPES,
    CHANNELS,
    DELIVERY,
    DISPUTE_STAGES,
    OBJECTION_OUTCOMES,
    OUTCOMES,
    STATUSES,
    InfoRequest,
)
from plugins.inbox.privacy import mask_address, mask_contact, mask_name

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# (label, column width in characters); the official ones first, in the form's order.
REQUEST_COLUMNS = (
    (_l("No"), 5),
    (_l("Nomor pendaftaran"), 18),
    (_l("Tanggal permohonan diterima"), 13),
    (_l("Nama"), 24),
    (_l("Alamat"), 28),
    (_l("Nomor kontak (telp/e-mail)"), 22),
    (_l("Pekerjaan"), 16),
    (_l("NIK / Nomor SK badan hukum"), 20),
    (_l("Informasi yang diminta"), 40),
    (_l("Tujuan penggunaan informasi"), 28),
    (_l("Status informasi (di bawah penguasaan)"), 20),
    (_l("Bentuk informasi yang dikuasai"), 14),
    (_l("Jenis permohonan"), 22),
    (_l("Keputusan"), 22),
    (_l("Alasan penolakan"), 26),
    (_l("Hari dan tanggal pemberitahuan tertulis"), 22),
    (_l("Hari dan tanggal pemberian informasi"), 22),
    (_l("Biaya dan cara pembayaran"), 22),
    (_l("Jenis pemohon"), 14),
    (_l("Saluran permohonan"), 16),
    (_l("Unit (PPID Pelaksana)"), 24),
    (_l("Status permohonan"), 30),
)


def _cache() -> dict:
    """Translations looked up once per export, not once per row (a register
    has tens of thousands of rows and the same few dozen labels)."""
    try:
        return g.inbox_register_labels  # one context lookup per call: ~400,000 in a large register
    except AttributeError:
        g.inbox_register_labels = {}
        return g.inbox_register_labels


def _(msgid: str, **values) -> str:
    cache = _cache()
    text = cache.get(msgid)
    if text is None:
        text = cache[msgid] = gettext(msgid)
    return text % values if values else text


def label(table: dict, key, default: str = "") -> str:
    """``str(table[key])`` of a lazy label table, cached like ``_``."""
    if key not in table:
        return default
    cache = _cache()
    text = cache.get((id(table), key))
    if text is None:
        text = cache[(id(table), key)] = str(table[key])
    return text


def headers(columns) -> list[str]:
    return [str(label) for label, _width in columns]


def widths(columns) -> list[int]:
    return [width for _label, width in columns]


def hari_tanggal(day: date | None) -> str:
    """``Senin, 20 Oktober 2025``: the register's "hari dan tanggal"."""
    return f"{DAYS[day.weekday()]}, {tanggal(day)}" if day else ""


def applicant_name(req: InfoRequest, unmasked: bool) -> str:
    """A badan hukum is named as such (its name is no personal data); the
    person acting for it or for a group is masked like anyone else."""
    person = req.name if unmasked else mask_name(req.name)
    if req.applicant_type in ("badan_hukum", "kelompok") and req.organisation:
        org = req.organisation if req.applicant_type == "badan_hukum" or unmasked else mask_name(req.organisation)
        return _("%(org)s (diwakili %(person)s)", org=org, person=person)
    return person


def _identity_number(req: InfoRequest) -> str:
    if req.applicant_type == "badan_hukum":
        return _("SK %(n)s", n=req.sk_number) if req.sk_number else ""
    return req.nik_masked


def contact(phone: str, email: str, unmasked: bool) -> str:
    values = [x for x in (phone, email) if x]
    return " / ".join(values if unmasked else [mask_contact(x) for x in values])


def _held(req: InfoRequest) -> str:
    held = law.possession(req.outcome)
    if held == "tidak":
        return _("Tidak (%(b)s)", b=req.held_by) if req.held_by else _("Tidak")
    if held == "belum":
        return _("Belum didokumentasikan")
    return _("Ya") if held else ""


def _access(req: InfoRequest) -> str:
    if req.access_method == "melihat":
        return _("Melihat/mengetahui")
    kind = {"softcopy": "softcopy", "hardcopy": "hardcopy"}.get(req.access_method, "")
    text = _("Meminta salinan %(k)s", k=kind).strip()
    if req.delivery in DELIVERY:
        text = _("%(t)s, melalui %(d)s", t=text, d=label(DELIVERY, req.delivery).lower())
    return text


def _rejection(req: InfoRequest) -> str:
    parts = [str(_("Pasal 17 huruf %(h)s UU KIP", h=h)) for h in req.exemptions or []]
    if req.other_law:
        parts.append(req.other_law)
    if req.outcome == "dikabulkan_sebagian" and req.withheld_parts:
        from plugins.inbox.withheld import summary

        parts.append(_("Bagian dikecualikan: %(s)s", s=summary(req)))
    return "; ".join(parts)


def _fee_lines(req: InfoRequest) -> str:
    """The computed lines of the notice (the JSON read directly: one per row)."""
    lines = (req.fee_detail or {}).get("lines") or []
    return "; ".join(
        f"{ln['label']}: {ln['quantity']} {ln['unit']} × {rupiah(ln['price'])}" for ln in lines if ln.get("quantity")
    )


def _fee(req: InfoRequest) -> str:
    """Fee charged with its lines, how to pay, and every payment recorded
    (date, amount, kuitansi number) — or that nothing was paid yet."""
    if not req.answered_date:
        return ""
    if not req.fee_total:
        return _("Tanpa biaya")
    text = rupiah(req.fee_total)
    lines = _fee_lines(req)
    if lines:
        text += f" ({lines})"
    elif req.fee_pages:
        text += " " + _("(%(n)s halaman)", n=req.fee_pages)
    if req.payment_method:
        text += f"; {req.payment_method}"
    paid = [
        _("dibayar %(d)s %(a)s, kuitansi %(k)s", d=tanggal(p.paid_on), a=rupiah(p.amount), k=p.receipt_number)
        for p in req.payments
    ]
    return "; ".join([text, *(paid or [_("belum dibayar")])])


def request_status(req: InfoRequest, today: date) -> str:
    """Where the case stands (``standing`` decides).  Withdrawal, closing and a
    keberatan or sengketa say so first: such a case is not "terlambat"."""
    code = standing.of(req, today)
    if code == "ditutup":
        return label(STATUSES, req.status)
    if code == "dalam_sengketa":
        running = [d for o in req.objections for d in o.disputes if d.stage != law.DISPUTE_CLOSED]
        return _("Sengketa di Komisi Informasi: %(s)s", s=label(DISPUTE_STAGES, running[-1].stage))
    if code == "sengketa_selesai":
        return _("Sengketa selesai")
    if code == "keberatan_diproses":
        return _("Keberatan sedang diproses Atasan PPID")
    if code == "keberatan_diputus":
        return _("Keberatan diputus: %(o)s", o=label(OBJECTION_OUTCOMES, req.objections[-1].outcome))
    due = req.effective_due
    if code == "terlambat":
        return _("Terlambat, belum dijawab (batas %(d)s)", d=tanggal(due))
    if code == "berjalan":
        return _("%(s)s (batas %(d)s)", s=label(STATUSES, req.status), d=tanggal(due))
    text = label(STATUSES, req.status)
    if req.answered_date and law.is_late(req.answered_date, due):
        text = _("%(s)s, dijawab terlambat", s=text)
    return text


def request_row(n: int, r: InfoRequest, unmasked: bool, today: date) -> list:
    return [
        n,
        r.number,
        r.received_date,
        applicant_name(r, unmasked),
        r.address if unmasked else mask_address(r.address),
        contact(r.phone, r.email, unmasked),
        r.occupation,
        _identity_number(r),
        r.details,
        r.purpose,
        _held(r),
        {"softcopy": "Softcopy", "hardcopy": "Hardcopy"}.get(r.info_form, ""),
        _access(r),
        label(OUTCOMES, r.outcome),
        _rejection(r),
        hari_tanggal(r.answered_date),
        hari_tanggal(r.delivered_at.date() if r.delivered_at else None),
        _fee(r),
        label(APPLICANT_TYPES, r.applicant_type),
        label(CHANNELS, r.channel, r.channel),
        r.unit.name if r.unit else _("PPID Utama"),
        request_status(r, today),
    ]
