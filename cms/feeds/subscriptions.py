# Over 300 lines on purpose: subscribers and journalists share one personal-data handling (encrypt, hash, mask).
"""E-mail subscriptions (double opt-in) and accredited journalists (embargo).

Addresses are personal data: encrypted at rest, looked up by keyed hash,
masked in lists, and every view, export and deletion is audited.  Mail goes
out through ``cms.mail`` (the worker, with retries); every subscriber mail
carries a one-click unsubscribe link and ``List-Unsubscribe`` headers
(RFC 2369/8058).  Answers to the subscribe form never reveal whether an
address is already on the list.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from flask_babel import LazyString, force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cms import crypto
from cms.audit import record
from cms.crypto import InvalidToken
from cms.errors import FieldError
from cms.extensions import db
from cms.inputs import valid_id
from cms.jobs import enqueue
from cms.mail import enqueue_mail
from cms.models.content import Post
from cms.models.distribution import EmbargoAccess, Journalist, Subscriber
from cms.timeutil import naive_utc

log = logging.getLogger(__name__)


class DistributionError(FieldError):
    """A user-facing problem with one form field."""


def site_url(path: str = "/") -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def normalize_email(raw: str) -> str:
    try:
        # No DNS look-ups in a request; ``.test`` domains are allowed for staging sites.
        return validate_email((raw or "").strip(), check_deliverability=False, test_environment=True).normalized.lower()
    except EmailNotValidError as exc:
        raise DistributionError(_("Alamat e-mail tidak valid. Contoh: nama@media.co.id"), "email") from exc


def email_hash(email: str) -> str:
    return crypto.keyed_hash(email.lower(), "feeds-email")


def email_of(row) -> str:
    return crypto.decrypt(row.email_enc)


def masked_email(row) -> str:
    """``b***@redaksi.test``: enough to recognise, not enough to harvest."""
    try:
        local, _at, domain = email_of(row).partition("@")
    except InvalidToken:  # one unreadable address must not take the whole list down
        return _("(alamat tidak terbaca)")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"


# -------------------------------------------------------------- subscribers


def _confirm_hash(token: str) -> str:
    return crypto.keyed_hash(token, "feeds-confirm")


def subscribe(raw_email: str, category_ids: list[int] | None) -> None:
    """Start a double opt-in.  At most one confirmation mail per address per
    hour; an active subscription is left alone (same answer either way)."""
    email = normalize_email(raw_email)
    now = naive_utc()
    sub = db.session.scalar(select(Subscriber).where(Subscriber.email_hash == email_hash(email)))
    if sub is not None and sub.status == "active":
        return
    if sub is not None and sub.confirm_sent_at and now - sub.confirm_sent_at < timedelta(hours=1):
        return
    if sub is None:
        sub = Subscriber(email_enc=crypto.encrypt(email), email_hash=email_hash(email), nonce=secrets.token_urlsafe(16))
        db.session.add(sub)
    token = secrets.token_urlsafe(24)
    sub.status = "pending"
    sub.all_categories = not category_ids
    sub.category_ids = sorted(set(category_ids or []))
    sub.confirm_hash = _confirm_hash(token)
    sub.confirm_sent_at = now
    try:
        db.session.commit()
    except IntegrityError:  # the same address submitted twice at once
        db.session.rollback()
        return
    send(
        sub,
        _l("Konfirmasi langganan siaran pers"),
        "confirm",
        confirm_url=site_url(f"/feeds/langganan/konfirmasi/{token}"),
    )


def confirm(token: str) -> Subscriber | None:
    sub = db.session.scalar(select(Subscriber).where(Subscriber.confirm_hash == _confirm_hash(token or "")))
    hours = int(current_app.config.get("FEEDS_CONFIRM_HOURS", 72))
    if sub is None or not sub.confirm_sent_at or naive_utc() - sub.confirm_sent_at > timedelta(hours=hours):
        return None
    sub.status, sub.confirmed_at, sub.confirm_hash, sub.unsubscribed_at = "active", naive_utc(), None, None
    record("subscriber.confirm", "feeds_subscriber", sub.id)
    db.session.commit()
    return sub


def unsubscribe_token(sub: Subscriber) -> str:
    return f"{sub.id}.{crypto.keyed_hash(f'{sub.id}:{sub.nonce}', 'feeds-unsubscribe')}"


def subscriber_by_unsubscribe_token(token: str) -> Subscriber | None:
    """Only the token mailed to an address unsubscribes that address."""
    raw_id, _dot, mac = (token or "").partition(".")
    sub_id = valid_id(raw_id)  # "²" is a digit to isdigit(); 20 digits overflow the column
    if sub_id is None or not mac:
        return None
    sub = db.session.get(Subscriber, sub_id)
    if sub is None or not hmac.compare_digest(unsubscribe_token(sub), token):
        return None
    return sub


def unsubscribe(sub: Subscriber) -> None:
    if sub.status != "unsubscribed":
        sub.status, sub.unsubscribed_at, sub.confirm_hash = "unsubscribed", naive_utc(), None
        record("subscriber.unsubscribe", "feeds_subscriber", sub.id)
        db.session.commit()


def delete_subscriber(sub: Subscriber) -> None:
    record("subscriber.delete", "feeds_subscriber", sub.id, {"email": masked_email(sub)})
    db.session.delete(sub)
    db.session.commit()


class UnfoldedHeader(str):
    """A header value the ``email`` package writes as is: its default policy
    turns a long URL into RFC 2047 encoded-words, which breaks
    ``List-Unsubscribe`` (mail clients expect ``<https://…>``).  Lines up to
    998 characters are valid (RFC 5322 §2.1.1)."""

    name: str

    def __new__(cls, name: str, value: str):
        obj = super().__new__(cls, value)
        obj.name = name
        return obj

    def __reduce__(self):  # jobs are pickled on their way to the worker
        return (UnfoldedHeader, (self.name, str(self)))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def purge_stale_subscribers() -> int:
    """Data minimisation (UU PDP): drop addresses never confirmed and those
    unsubscribed long ago.  Runs daily in the worker."""
    cfg = current_app.config
    now = naive_utc()
    stale = db.session.scalars(
        select(Subscriber).where(
            (
                (Subscriber.status == "pending")
                & (Subscriber.confirm_sent_at < now - timedelta(days=int(cfg.get("FEEDS_PENDING_DAYS", 7))))
            )
            | (
                (Subscriber.status == "unsubscribed")
                & (Subscriber.unsubscribed_at < now - timedelta(days=int(cfg.get("FEEDS_UNSUBSCRIBED_DAYS", 30))))
            )
        )
    ).all()
    for sub in stale:
        db.session.delete(sub)
    if stale:
        record("subscriber.purge", "feeds_subscriber", "", {"count": len(stale)})
    db.session.commit()
    return len(stale)


def unsubscribe_headers(sub: Subscriber) -> dict[str, str]:
    url = site_url(f"/feeds/langganan/berhenti/{unsubscribe_token(sub)}")
    return {
        "List-Unsubscribe": UnfoldedHeader("List-Unsubscribe", f"<{url}>"),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send(sub: Subscriber, subject: str | LazyString, template: str, **context) -> None:
    """Mail in Indonesian, the subject too: a lazy ``subject`` is translated
    here, not in the language of the visitor whose request sent it."""
    unsubscribe_url = site_url(f"/feeds/langganan/berhenti/{unsubscribe_token(sub)}")
    with force_locale("id"):
        line = str(subject)
        text = render_template(f"feeds/mail/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
        html = render_template(f"feeds/mail/{template}.html", unsubscribe_url=unsubscribe_url, **context)
    enqueue_mail(email_of(sub), line, text, html=html, headers=unsubscribe_headers(sub))


MAILING_JOB = "feeds.mailing"  # the tracked run of ``release_mailing.mail_release``


# -------------------------------------------------------------- journalists


@dataclass
class JournalistData:
    name: str
    outlet: str
    email: str
    note: str = ""


def _token_hash(token: str) -> str:
    return crypto.keyed_hash(token, "feeds-journalist")


def private_feed_url(journalist: Journalist, fmt: str = "rss.xml") -> str:
    return site_url(f"/feeds/embargo/{crypto.decrypt(journalist.token_enc)}/{fmt}")


def _issue_token(journalist: Journalist) -> None:
    token = secrets.token_urlsafe(32)
    journalist.token_enc, journalist.token_hash = crypto.encrypt(token), _token_hash(token)
    journalist.token_issued_at, journalist.active, journalist.revoked_at = naive_utc(), True, None


def create_journalist(data: JournalistData, actor) -> Journalist:
    if not data.name.strip():
        raise DistributionError(_("Nama wajib diisi."), "name")
    email = normalize_email(data.email)
    if db.session.scalar(select(Journalist.id).where(Journalist.email_hash == email_hash(email))):
        raise DistributionError(_("E-mail ini sudah terdaftar sebagai jurnalis terakreditasi."), "email")
    journalist = Journalist(
        name=data.name.strip(),
        outlet=data.outlet.strip(),
        note=data.note.strip(),
        email_enc=crypto.encrypt(email),
        email_hash=email_hash(email),
        created_by_id=getattr(actor, "id", None),
    )
    _issue_token(journalist)
    db.session.add(journalist)
    db.session.flush()
    record("journalist.create", "feeds_journalist", journalist.id, {"outlet": journalist.outlet}, user=actor)
    db.session.commit()
    mail_private_feed(journalist)
    queue_embargo_notice()  # releases already under embargo reach the new journalist too
    return journalist


def reissue_token(journalist: Journalist, actor) -> None:
    """A new private URL; the old one stops working at once."""
    _issue_token(journalist)
    record("journalist.reissue", "feeds_journalist", journalist.id, user=actor)
    db.session.commit()
    mail_private_feed(journalist)


def revoke(journalist: Journalist, actor) -> None:
    journalist.active, journalist.revoked_at = False, naive_utc()
    record("journalist.revoke", "feeds_journalist", journalist.id, user=actor)
    db.session.commit()


def journalist_by_token(token: str) -> Journalist | None:
    return db.session.scalar(select(Journalist).where(Journalist.token_hash == _token_hash(token or "")))


def mail_private_feed(journalist: Journalist) -> None:
    with force_locale("id"):
        context = {
            "journalist": journalist,
            "feed_url": private_feed_url(journalist),
            "atom_url": private_feed_url(journalist, "atom.xml"),
            "json_url": private_feed_url(journalist, "feed.json"),
        }
        text = render_template("feeds/mail/journalist.txt", **context)
        subject = _("Akses feed embargo siaran pers")
    enqueue_mail(email_of(journalist), subject, text)


def embargoed_posts(session=None) -> list[Post]:
    """Releases scheduled for later with an embargo: shared early, never public."""
    session = session or db.session
    return list(
        session.scalars(
            select(Post)
            .where(Post.embargo_until > naive_utc(), Post.status.in_(("scheduled", "published")))
            .order_by(Post.embargo_until, Post.id)
        )
    )


def log_access(
    journalist: Journalist, posts: list[Post], channel: str, ip: str | None = None, user_agent: str = "", session=None
) -> None:
    session = session or db.session
    for post in posts or [None]:  # type: ignore[list-item]  # no posts: one row for the access itself
        session.add(
            EmbargoAccess(
                journalist_id=journalist.id,
                post_id=getattr(post, "id", None),
                channel=channel,
                ip=ip,
                user_agent=(user_agent or "")[:300],
            )
        )
    session.commit()


def queue_embargo_notice() -> None:
    try:
        enqueue("feeds.embargo_notify")
    except Exception:  # noqa: BLE001 - the sweep catches up; never break the commit
        log.exception("could not queue the embargo notice")
