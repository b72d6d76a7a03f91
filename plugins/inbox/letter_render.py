"""A letter as HTML (printable page) and PDF, from ``templates/inbox/letters``.

One template per kind extends ``_base.html`` (kop, nomor/sifat/lampiran/
perihal, tempat-tanggal, Yth., signature, tembusan, verification QR).  An
installation edits the wording by placing a file of the same name in the
app's own ``templates/inbox/letters/`` (searched before the plugin's).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, render_template

from cms.api import html_to_pdf, rupiah, tanggal
from plugins.inbox import models
from plugins.inbox.letter_kinds import KINDS


@dataclass
class Sheet:
    """The facts printed on a letter (a preview has no number or code yet)."""

    kind: str
    number: str
    day: date
    code: str
    signer: object
    replaces: object = None
    correction_note: str = ""
    will_sign: bool = False


def verify_url(code: str) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + f"/ppid/surat/{code}"


def qr_uri(url: str) -> str:
    import segno  # imported when a letter is printed, not by every web worker

    return segno.make(url, error="m").png_data_uri(scale=3, border=1)


def recipient(req, obj=None) -> dict:
    """Yth.: the kuasa on the applicant's behalf when there is one."""
    kuasa_name = (obj.kuasa_name if obj is not None and obj.kuasa_name else req.kuasa_name).strip()
    if kuasa_name:
        kuasa_address = obj.kuasa_address if obj is not None and obj.kuasa_name else req.kuasa_address
        return {"name": kuasa_name, "on_behalf": req.organisation or req.name, "address": kuasa_address.strip()}
    return {"name": req.name, "organisation": req.organisation, "address": (req.address or "").strip()}


def attachments_count(kind: str, req) -> int:
    if kind != "pemberitahuan":
        return 0
    return sum(1 for f in req.files if f.kind == "answer" and not f.purged_at)


def context(sheet: Sheet, req, kop, obj=None) -> dict:
    cfg = current_app.config
    url = verify_url(sheet.code) if sheet.code else ""
    count = attachments_count(sheet.kind, req)
    return {
        "sheet": sheet,
        "title": KINDS[sheet.kind].title,
        "kop": kop,
        "req": req,
        "obj": obj,
        "to": recipient(req, obj),
        "sifat": cfg["INBOX_LETTER_SIFAT"],
        "lampiran": f"{count} berkas" if count else "-",
        "place_date": f"{kop.place}, {tanggal(sheet.day)}",
        "verify_url": url,
        "qr": qr_uri(url) if url else "",
        "valid_without_wet": bool(cfg["INBOX_LETTER_VALID_WITHOUT_WET_SIGNATURE"]),
        "labels": {
            "outcomes": models.OUTCOMES,
            "access": models.ACCESS_METHODS,
            "delivery": models.DELIVERY,
            "pasal17": models.PASAL17,
            "grounds": models.GROUNDS,
            "channels": models.CHANNELS,
            "applicant_types": models.APPLICANT_TYPES,
        },
        "rupiah": rupiah,
        "tanggal": tanggal,
    }


def html(sheet: Sheet, req, kop, obj=None) -> str:
    """Always in Indonesian, whatever the reader's interface language."""
    from flask_babel import force_locale

    with force_locale("id"):
        return render_template(f"inbox/letters/{sheet.kind}.html", **context(sheet, req, kop, obj))


def pdf(page: str) -> bytes:
    return html_to_pdf(page)
