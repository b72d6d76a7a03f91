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

from cryptography.fernet import InvalidToken
from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cms import crypto, job_runs
from cms.audit import record
from cms.errors import FieldError
from cms.extensions import db
from cms.i18n import format_datetime
from cms.inputs import valid_id
from cms.jobs import enqueue, job
from cms.mail import enqueue_mail
from cms.models.content import Post
from cms.models.distribution import EmbargoAccess, Journalist, Mailing, Subscriber
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
    _send(
        sub,
        _("Konfirmasi langganan siaran pers"),
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
    sub_id, _dot, mac = (token or "").partition(".")
    sub_id = valid_id(sub_id)  # "²" is a digit to isdigit(); 20 digits overflow the column
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


def _send(sub: Subscriber, subject: str, template: str, **context) -> None:
    unsubscribe_url = site_url(f"/feeds/langganan/berhenti/{unsubscribe_token(sub)}")
    with force_locale("id"):
        text = render_template(f"feeds/mail/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
        html = render_template(f"feeds/mail/{template}.html", unsubscribe_url=unsubscribe_url, **context)
    enqueue_mail(email_of(sub), subject, text, html=html, headers=unsubscribe_headers(sub))


def wants(sub: Subscriber, post: Post) -> bool:
    return sub.all_categories or bool(set(sub.category_ids or []) & {c.id for c in post.categories})


MAILING_JOB = "feeds.mailing"


def _start_mailing(post_id: int) -> bool:
    """Record the mailing and its tracked run together; False when it was
    mailed before runs were tracked (nothing to resume, never mail again)."""
    if db.session.scalar(select(Mailing.id).where(Mailing.post_id == post_id)) is None:
        db.session.add(Mailing(post_id=post_id))
        job_runs.track(MAILING_JOB, post_id)
        try:
            db.session.commit()
        except IntegrityError:  # queued twice at once: the other one recorded it
            db.session.rollback()
    return job_runs.find(MAILING_JOB, post_id) is not None


def _recipients(post: Post, cursor: dict) -> list[Subscriber]:
    """Who still needs this release: past the cursor, plus those whose mail failed to queue."""
    after, failed = int(cursor.get("after", 0)), set(cursor.get("failed", []))
    subs = db.session.scalars(select(Subscriber).where(Subscriber.status == "active").order_by(Subscriber.id)).all()
    return [s for s in subs if (s.id > after or s.id in failed) and wants(s, post)]


@job("feeds.mail_release", retries=3, retry_delay=60)
def mail_release(post_id: int) -> int:
    """Mail a just-published press release to confirmed subscribers, each once.

    A tracked run (``cms.job_runs``): the cursor (last subscriber done, mails
    that failed to queue) is committed after every mail, so a run whose
    worker died resumes after it, and one bad address never stops the rest.
    """
    from cms.newsroom.publishing import is_public, public_url

    post = db.session.get(Post, post_id)
    if post is None or post.kind != "siaran-pers" or not is_public(post) or not _start_mailing(post_id):
        return 0
    claim = job_runs.claim(MAILING_JOB, post_id)
    if claim is None:
        return 0  # running in another worker, or finished
    cursor = {"after": 0, "sent": 0, "failed": []} | claim.cursor
    chosen = _recipients(post, cursor)
    retrying = set(cursor["failed"])
    cursor["failed"] = []
    total = cursor["sent"] + len(chosen)
    db.session.execute(update(Mailing).where(Mailing.post_id == post_id).values(recipients=total))
    subject = f"[{post.kind_label}] {post.title}"
    try:
        claim.beat(cursor["sent"], total, cursor=cursor)
        for sub in chosen:
            try:
                _send(sub, subject, "release", post=post, url=public_url(post))
                cursor["sent"] += 1
            except Exception:  # noqa: BLE001 - recorded on the run; the others still get theirs
                log.exception("release %s: mail to subscriber %s not queued", post_id, sub.id)
                cursor["failed"].append(sub.id)
            if sub.id not in retrying:
                cursor["after"] = max(cursor["after"], sub.id)
            claim.beat(cursor["sent"], total, cursor=dict(cursor, failed=list(cursor["failed"])))
    except job_runs.Superseded:
        return cursor["sent"]  # declared dead and resumed elsewhere: that run reports
    except Exception as exc:
        claim.fail(f"pengiriman gagal: {type(exc).__name__}")
        raise
    if cursor["failed"]:
        claim.fail(f"{len(cursor['failed'])} e-mail gagal diantrekan")
    else:
        claim.finish(done=cursor["sent"])
    return cursor["sent"]


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
    _queue_embargo_notice()  # releases already under embargo reach the new journalist too
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
    enqueue_mail(email_of(journalist), _("Akses feed embargo siaran pers"), text)


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
    for post in posts or [None]:
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


def notify_embargoed(session=None) -> int:
    """Mail each embargoed release once to every active accredited journalist.

    Queued when a release is scheduled under embargo or a journalist is
    accredited, and swept every minute as a safety net."""
    from cms.newsroom.publishing import preview_url

    session = session or db.session
    sent = 0
    posts = embargoed_posts(session)
    if not posts:
        return 0
    journalists = session.scalars(select(Journalist).where(Journalist.active.is_(True))).all()
    for post in posts:
        done = set(
            session.scalars(
                select(EmbargoAccess.journalist_id).where(
                    EmbargoAccess.post_id == post.id, EmbargoAccess.channel == "mail"
                )
            )
        )
        for journalist in journalists:
            if journalist.id in done:
                continue
            embargo = format_datetime(post.embargo_until)
            try:
                with force_locale("id"):
                    context = {
                        "post": post,
                        "journalist": journalist,
                        "embargo": embargo,
                        "url": preview_url(post),
                        "feed_url": private_feed_url(journalist),
                    }
                    text = render_template("feeds/mail/embargo.txt", **context)
                    html = render_template("feeds/mail/embargo.html", **context)
                    subject = _("EMBARGO hingga %(when)s: %(title)s", when=embargo, title=post.title)
                enqueue_mail(email_of(journalist), subject, text, html=html)
            except Exception:  # noqa: BLE001 - not recorded as mailed: the next sweep tries again
                log.exception("embargo notice for post %s to journalist %s not queued", post.id, journalist.id)
                continue
            # Recorded once queued: a mail that failed to queue is never marked as sent.
            log_access(journalist, [post], "mail", session=session)
            sent += 1
    return sent


@job("feeds.embargo_notify", retries=3, retry_delay=60)
def notify_embargoed_job() -> int:
    # Its own session: when jobs run inline (tests) this runs inside the
    # caller's ``after_commit``, where the scoped session cannot query.
    with Session(db.engine) as session:
        return notify_embargoed(session)


def _queue_embargo_notice() -> None:
    try:
        enqueue("feeds.embargo_notify")
    except Exception:  # noqa: BLE001 - the sweep catches up; never break the commit
        log.exception("could not queue the embargo notice")


@event.listens_for(Session, "after_flush")
def _watch_embargo(session, flush_context) -> None:
    """A release just put under embargo (history is still there in after_flush)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Post) and obj.status == "scheduled" and obj.embargo_until is not None:
            attrs = inspect(obj).attrs
            if attrs.status.history.has_changes() or attrs.embargo_until.history.has_changes():
                session.info["feeds_embargo_scheduled"] = True


@event.listens_for(Session, "after_commit")
def _after_embargo_commit(session) -> None:
    if session.info.pop("feeds_embargo_scheduled", False) and has_app_context():
        _queue_embargo_notice()


@event.listens_for(Session, "after_rollback")
def _forget_embargo(session) -> None:
    session.info.pop("feeds_embargo_scheduled", None)
