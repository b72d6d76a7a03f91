"""E-mails to applicants and officers (queued via ``cms.mail``).

Only what the applicant typed goes out, and the NIK only masked.  Every
mail is in Indonesian, the language of the letters it carries, whatever
language the officer whose action sends it has chosen for the pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from cms.api import enqueue_mail, format_date

P = ParamSpec("P")


def _in_indonesian(send: Callable[P, None]) -> Callable[P, None]:
    """Compose the mail (subject, body, letter) in the site's own language."""

    @functools.wraps(send)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            send(*args, **kwargs)

    return wrapper


def _track_url() -> str:
    # Built from SITE_URL, not url_for: mail is also composed by the worker and CLI.
    return current_app.config["SITE_URL"].rstrip("/") + "/ppid/permohonan/lacak"


def _send(to: str, subject: str, template: str, record=None, *, attachments=(), **ctx) -> None:
    """``record``: an issued letter, attached as its stored PDF; ``attachments``:
    further ``(filename, mime, bytes)``."""
    if not to:
        return
    text = render_template(f"inbox/mail/{template}.txt", track_url=_track_url(), letter_record=record, **ctx)
    files = list(attachments)
    if record is not None:
        from plugins.inbox.letter_records import attachment

        files = attachment(record) + files
    enqueue_mail(to, subject, text, attachments=files or None)


@_in_indonesian
def receipt(req, code: str, letter=None) -> None:
    _send(
        req.email,
        _("Tanda terima permohonan informasi %(n)s", n=req.number),
        "receipt",
        letter,
        req=req,
        code=code,
        due=format_date(req.due_date),
    )


@_in_indonesian
def extended(req, letter=None) -> None:
    _send(
        req.email,
        _("Perpanjangan waktu permohonan %(n)s", n=req.number),
        "extended",
        letter,
        req=req,
        due=format_date(req.extended_due_date),
    )


@_in_indonesian
def completeness(req, letter=None) -> None:
    _send(req.email, _("Permohonan %(n)s perlu dilengkapi", n=req.number), "completeness", letter, req=req)


@_in_indonesian
def answered(req, letter=None) -> None:
    from plugins.inbox.letters import letter_text

    _send(
        req.email,
        _("Pemberitahuan tertulis atas permohonan %(n)s", n=req.number),
        "answered",
        letter,
        req=req,
        letter=letter_text(req),
    )


@_in_indonesian
def objection_receipt(obj, letter=None) -> None:
    _send(
        obj.request.email,
        _("Tanda terima keberatan %(n)s", n=obj.number),
        "objection_receipt",
        letter,
        obj=obj,
        due=format_date(obj.due_date),
    )


@_in_indonesian
def objection_decided(obj, letter=None) -> None:
    _send(
        obj.request.email,
        _("Tanggapan atas keberatan %(n)s", n=obj.number),
        "objection_decided",
        letter,
        obj=obj,
    )


@_in_indonesian
def overdue(req) -> None:
    """The notice is overdue: the applicant learns the keberatan right and its window."""
    _send(req.email, _("Permohonan %(n)s belum dijawab: hak keberatan Anda", n=req.number), "overdue", req=req)


@_in_indonesian
def new_code(req, code: str) -> None:
    _send(req.email, _("Kode pelacakan baru untuk permohonan %(n)s", n=req.number), "new_code", req=req, code=code)


@_in_indonesian
def kuitansi(req, payment, pdf: bytes) -> None:
    """The kuitansi as issued, to the applicant who gave an e-mail address."""
    _send(
        req.email,
        _("Kuitansi pembayaran %(k)s atas permohonan %(n)s", k=payment.receipt_number, n=req.number),
        "kuitansi",
        attachments=[(payment.filename, "application/pdf", pdf)],
        req=req,
        p=payment,
    )


def _officer_link(req) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + f"/admin/inbox/{req.id}"


@_in_indonesian
def draft_waiting(req, draft, recipients: list[str]) -> None:
    """To the PPID Utama: a Pembantu's answer waits for approval (``drafts``)."""
    from plugins.inbox.models import OUTCOMES

    subject = _("Jawaban menunggu persetujuan: permohonan %(n)s", n=req.number)
    outcome = OUTCOMES.get(draft.data.get("outcome"), "-")
    for to in sorted(set(r for r in recipients if r)):
        _send(to, subject, "draft_waiting", req=req, draft=draft, outcome=outcome, link=_officer_link(req))


@_in_indonesian
def draft_sent_back(req, draft, recipients: list[str]) -> None:
    """To the Pembantu's officers: the Utama sent the answer back with a comment."""
    subject = _("Jawaban dikembalikan PPID Utama: permohonan %(n)s", n=req.number)
    for to in sorted(set(r for r in recipients if r)):
        _send(to, subject, "draft_sent_back", req=req, draft=draft, link=_officer_link(req))


@_in_indonesian
def reminder(recipients: list[str], subject: str, lines: list[str]) -> None:
    for to in sorted(set(r for r in recipients if r)):
        enqueue_mail(to, subject, "\n".join(lines))
