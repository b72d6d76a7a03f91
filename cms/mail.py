"""Outgoing e-mail: the only module that speaks SMTP.

Mail is sent by the worker (``enqueue_mail``) with retries, never inside a
web request, so a slow or absent SMTP server cannot break a page.

A message travels to the worker sealed with the data key: bodies carry
tracking codes, confirm/unsubscribe links and private feed tokens, and the
queue (``instance/huey.db`` or Redis) is not where secrets may rest.
"""

from __future__ import annotations

import logging
import pickle
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from cms import crypto
from cms.jobs import JobDeferred, enqueue, job
from cms.sanitize import strip_control_chars


def build_message(
    to: str | list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    sender: str | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = ", ".join(to) if isinstance(to, list) else to
    # A subject is one line: a title with a line break must not fail the mail
    # (the email package refuses it) nor start a header of its own.
    msg["Subject"] = " ".join(strip_control_chars(subject).split())
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="warta")
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(text)
    if html:
        msg.add_alternative(html, subtype="html")
    for filename, mime, data in attachments or ():  # e.g. an official letter as PDF
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def send_now(msg: EmailMessage) -> None:
    """Deliver one message through the configured SMTP server (raises on failure)."""
    cfg = current_app.config
    smtp_cls = smtplib.SMTP_SSL if cfg.get("MAIL_USE_SSL") else smtplib.SMTP
    with smtp_cls(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg.get("MAIL_TIMEOUT", 20)) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
        smtp.send_message(msg)


log = logging.getLogger(__name__)
RETRIES = 5


def _deliver(msg: EmailMessage) -> None:
    """``send_now``, with an unreachable or refusing server logged as one
    line and retried by the queue (``JobDeferred``)."""
    try:
        send_now(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning(
            "mail %r not delivered (%s: %s); the queue tries again, up to %d times",
            msg["Subject"],
            type(exc).__name__,
            exc,
            RETRIES,
        )
        raise JobDeferred(str(exc)) from None


@job("cms.send_mail", retries=RETRIES, retry_delay=60)
def _send_mail_job(to, subject, text, html=None, headers=None, sender=None):
    # Kept for messages queued in the clear before an upgrade; new mail is sealed.
    _deliver(build_message(to, subject, text, html, headers, sender))


@job("cms.send_sealed_mail", retries=RETRIES, retry_delay=60)
def _send_sealed_mail_job(sealed: bytes):
    # Pickle is safe here: only this module, holding the data key, can seal.
    # Six parts before attachments existed, seven since.
    to, subject, text, html, headers, sender, *attachments = pickle.loads(crypto.decrypt_bytes(sealed))
    _deliver(build_message(to, subject, text, html, headers, sender, attachments[0] if attachments else None))


def seal(*parts) -> bytes:
    return crypto.encrypt_bytes(pickle.dumps(parts))


def enqueue_mail(
    to: str | list[str],
    subject: str,
    text: str,
    html: str | None = None,
    headers: dict[str, str] | None = None,
    sender: str | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
):
    """Queue a mail for the worker (sent inline when jobs run immediately).

    ``attachments``: ``(filename, mime, bytes)`` each, sealed with the rest."""
    return enqueue("cms.send_sealed_mail", seal(to, subject, text, html, headers, sender, attachments))
