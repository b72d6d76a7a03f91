"""The outbox: which deliveries a publication, correction or withdrawal creates.

Rows are written in their own transaction right after the newsroom's commit
(the events fire after commit) and again by the periodic sweep, which also
recovers rows a crashed worker left behind.  The unique idempotency key makes
writing the same row twice impossible, so handler and sweep may race.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from cms.api import Post, db, is_public, naive_utc
from plugins.crosspost import channels
from plugins.crosspost.accounts import accounts_for_unit, active_accounts
from plugins.crosspost.models import OPEN_STATUSES, CrosspostAccount, CrosspostChoice, CrosspostDelivery
from plugins.crosspost.scheduling import schedule
from plugins.crosspost.story import Story, story_from_post, story_to_dict

log = logging.getLogger(__name__)


def idempotency_key(source_ref: str, account_id: int, revision: int, action: str) -> str:
    """Derived from (post, account, revision, action): a retry reuses it, a new revision does not."""
    raw = f"{source_ref}|{account_id}|{revision}|{action}".encode()
    return "warta-" + hashlib.sha256(raw).hexdigest()[:40]


def public_from(post) -> datetime:
    """The moment the post may be shared: never before publication or embargo lift."""
    moments = [m for m in (getattr(post, "published_at", None), getattr(post, "embargo_until", None)) if m]
    return max(moments) if moments else naive_utc()


def started_before(account: CrosspostAccount, post) -> bool:
    """Whether the account existed (and was active) when the post became public."""
    start = account.starts_at or account.created_at
    return start is None or public_from(post) >= start


def chosen_accounts(post) -> list[tuple[CrosspostAccount, str]]:
    """Accounts a post goes to (the editor's choice, else the account defaults) with custom text.

    By default an account gets only what became public after it was added;
    an editor's explicit choice or ``send_named`` reaches further back."""
    choices = {
        c.account_id: c for c in db.session.scalars(select(CrosspostChoice).where(CrosspostChoice.post_id == post.id))
    }
    slugs = {getattr(c, "slug", "") for c in (getattr(post, "categories", None) or ())}
    chosen = []
    for account in accounts_for_unit(getattr(post, "unit_id", None)):
        choice = choices.get(account.id)
        if choice is not None:
            if choice.enabled:
                chosen.append((account, choice.text or ""))
            continue
        if not started_before(account, post):
            continue
        kinds, cats = account.kinds(), account.categories()
        if (not kinds or getattr(post, "kind", "") in kinds) and (not cats or cats & slugs):
            chosen.append((account, ""))
    return chosen


def _add(
    story: Story,
    account: CrosspostAccount,
    *,
    action: str,
    revision: int,
    text: str = "",
    source: str = "post",
    post_id: int | None = None,
    status: str = "pending",
    not_before: datetime | None = None,
    note: str = "",
) -> CrosspostDelivery:
    """A new (unsaved) outbox row; ``_commit_and_enqueue`` stores the ones that are new."""
    return CrosspostDelivery(
        source=source,
        post_id=post_id,
        source_ref=story.ref,
        account_id=account.id,
        revision=revision,
        action=action,
        status=status,
        idempotency_key=idempotency_key(story.ref, account.id, revision, action),
        payload={"story": story_to_dict(story), "text": text},
        last_error=note,
        next_attempt_at=not_before or naive_utc(),
        published_at=story.published_at or naive_utc(),
    )


def _store(rows: list[CrosspostDelivery]) -> list[CrosspostDelivery]:
    """Insert rows whose key is new, in one flush; on a race, one by one."""
    if not rows:
        return []
    keys = [r.idempotency_key for r in rows]
    existing = set(
        db.session.scalars(select(CrosspostDelivery.idempotency_key).where(CrosspostDelivery.idempotency_key.in_(keys)))
    )
    rows = [r for r in rows if r.idempotency_key not in existing]
    try:
        with db.session.begin_nested():
            db.session.add_all(rows)
        return rows
    except IntegrityError:  # the sweep or another process wrote some of them first
        stored = []
        for row in rows:
            copy = make_transient_copy(row)
            try:
                with db.session.begin_nested():
                    db.session.add(copy)
                stored.append(copy)
            except IntegrityError:
                continue
        return stored


def make_transient_copy(row: CrosspostDelivery) -> CrosspostDelivery:
    columns = (
        "source",
        "post_id",
        "source_ref",
        "account_id",
        "revision",
        "action",
        "status",
        "idempotency_key",
        "payload",
        "last_error",
        "next_attempt_at",
        "published_at",
    )
    return CrosspostDelivery(**{c: getattr(row, c) for c in columns})


def _commit_and_enqueue(rows: list[CrosspostDelivery]) -> list[int]:
    stored = _store(rows)
    db.session.flush()
    plan = [(r.id, r.status, r.next_attempt_at) for r in stored]  # read before commit expires them
    db.session.commit()
    for delivery_id, status, when in plan:
        if status in OPEN_STATUSES:
            schedule(delivery_id, when)
    return [delivery_id for delivery_id, _, _ in plan]


def on_published(post) -> list[int]:
    story = story_from_post(post)
    when = public_from(post)
    rows = [
        _add(story, account, action="create", revision=story.version, text=text, post_id=post.id, not_before=when)
        for account, text in chosen_accounts(post)
    ]
    return _commit_and_enqueue(rows)


def _sent_creates(post_id: int) -> list[CrosspostDelivery]:
    return list(
        db.session.scalars(
            select(CrosspostDelivery).where(
                CrosspostDelivery.post_id == post_id,
                CrosspostDelivery.source == "post",
                CrosspostDelivery.action == "create",
                CrosspostDelivery.status == "sent",
            )
        )
    )


def on_updated(post) -> list[int]:
    """Propagate a correction to every network that has the post and allows edits."""
    story = story_from_post(post)
    choices = {
        c.account_id: c.text
        for c in db.session.scalars(select(CrosspostChoice).where(CrosspostChoice.post_id == post.id))
    }
    # An older correction still waiting would only repeat this one: this one replaces it.
    for older in db.session.scalars(
        select(CrosspostDelivery).where(
            CrosspostDelivery.post_id == post.id,
            CrosspostDelivery.action == "update",
            CrosspostDelivery.status.in_(OPEN_STATUSES),
            CrosspostDelivery.revision < story.version,
        )
    ):
        older.status, older.last_error = "cancelled", f"Digantikan koreksi revisi {story.version}."
    rows = []
    for sent in _sent_creates(post.id):
        channel = channels.get(sent.account.channel)
        editable = channel is not None and channel.supports_edit
        rows.append(
            _add(
                story,
                sent.account,
                action="update",
                revision=story.version,
                text=choices.get(sent.account_id, ""),
                post_id=post.id,
                status="pending" if editable else "skipped",
                note=""
                if editable
                else "Jaringan ini tidak mendukung penyuntingan: perbarui atau hapus pos di jaringan secara manual.",
            )
        )
    return _commit_and_enqueue(rows)


def on_unpublished(post) -> list[int]:
    """Cancel what has not gone out; delete what has, where the network allows."""
    now = naive_utc()
    for row in db.session.scalars(
        select(CrosspostDelivery).where(
            CrosspostDelivery.post_id == post.id,
            CrosspostDelivery.source == "post",
            CrosspostDelivery.status.in_(OPEN_STATUSES),
        )
    ):
        row.status, row.last_error, row.updated_at = "cancelled", "Pos ditarik sebelum terkirim.", now
    story = story_from_post(post)
    rows = []
    for sent in _sent_creates(post.id):
        channel = channels.get(sent.account.channel)
        deletable = channel is not None and channel.supports_delete
        rows.append(
            _add(
                story,
                sent.account,
                action="delete",
                revision=story.version,
                post_id=post.id,
                status="pending" if deletable else "skipped",
                note=""
                if deletable
                else "Jaringan ini tidak mendukung penghapusan: hapus pos di jaringan secara manual.",
            )
        )
    return _commit_and_enqueue(rows)


def recent_releases(account: CrosspostAccount, days: int, limit: int = 50) -> list:
    """Public releases of the last ``days`` this account has no delivery of (newest first)."""
    now = naive_utc()
    delivered = select(CrosspostDelivery.post_id).where(
        CrosspostDelivery.account_id == account.id,
        CrosspostDelivery.source == "post",
        CrosspostDelivery.action == "create",
        CrosspostDelivery.post_id.is_not(None),
    )
    stmt = select(Post).where(
        Post.status == "published", Post.published_at >= now - timedelta(days=days), Post.id.not_in(delivered)
    )
    if account.unit_id is not None:  # a unit's account carries only that unit's releases
        stmt = stmt.where(Post.unit_id == account.unit_id)
    posts = db.session.scalars(stmt.order_by(Post.published_at.desc(), Post.id.desc()).limit(limit))
    return [p for p in posts if is_public(p, now)]


def send_named(account: CrosspostAccount, posts: list, actor=None) -> list[int]:
    """Queue the releases an admin picked by name for this account."""
    from cms.api import audit

    rows = []
    for post in posts:
        story = story_from_post(post)
        rows.append(_add(story, account, action="create", revision=story.version, post_id=post.id))
    audit.record(
        "crosspost.account.backfill", "crosspost_account", account.id, {"posts": [p.id for p in posts]}, user=actor
    )
    return _commit_and_enqueue(rows)


def on_serta_merta(title: str, summary: str, url: str) -> list[int]:
    from cms.api import plain_text  # the hook passes plain text

    ref = "serta-merta:" + hashlib.sha256(url.encode()).hexdigest()[:16]
    story = Story(
        ref=ref,
        title=plain_text(title),
        summary=plain_text(summary),
        url=url,
        kind="serta-merta",
        published_at=naive_utc(),
    )
    accounts = [a for a in active_accounts() if a.share_serta_merta]
    rows = [_add(story, a, action="create", revision=1, source="serta-merta") for a in accounts]
    return _commit_and_enqueue(rows)


def recover_stale(now: datetime | None = None) -> int:
    """Rows left in "sending" by a worker that died: safe networks retry, others need a person."""
    now = now or naive_utc()
    limit = now - timedelta(seconds=float(current_app.config["CROSSPOST_STALE_AFTER"]))
    # populate_existing: a row already in this session was claimed (version
    # bumped) elsewhere since; act on it as it is now, not as first read
    stale = list(
        db.session.scalars(
            select(CrosspostDelivery)
            .where(CrosspostDelivery.status == "sending", CrosspostDelivery.claimed_at < limit)
            .execution_options(populate_existing=True)
        )
    )
    for row in stale:
        channel = channels.get(row.account.channel)
        window = getattr(channel, "idempotency_window", None)
        in_window = not window or (now - row.claimed_at).total_seconds() < window
        if channel is not None and channel.idempotent and in_window:
            row.status, row.next_attempt_at = "retry", now
            row.last_error = "Pengiriman terputus; dicoba lagi dengan kunci idempotensi yang sama."
        else:
            row.status = "unknown"
            row.last_error = (
                "Pengiriman terputus di tengah jalan; periksa akun apakah pesan sudah "
                "terbit, lalu tandai terkirim atau kirim ulang."
            )
    db.session.commit()
    return len(stale)


def sweep() -> dict[str, int]:
    """Periodic: recover stale rows, write rows for missed publications, enqueue what is due."""
    now = naive_utc()
    recovered = recover_stale(now)
    created = 0
    horizon = now - timedelta(hours=float(current_app.config["CROSSPOST_SWEEP_HOURS"]))
    missing = select(Post).where(
        Post.status == "published",
        Post.published_at >= horizon,
        ~exists().where(CrosspostDelivery.post_id == Post.id, CrosspostDelivery.source == "post"),
    )
    for post in db.session.scalars(missing):
        if is_public(post, now):
            created += len(on_published(post))
    due = list(
        db.session.scalars(
            select(CrosspostDelivery.id).where(
                CrosspostDelivery.status.in_(OPEN_STATUSES), CrosspostDelivery.next_attempt_at <= now
            )
        )
    )
    for delivery_id in due:
        schedule(delivery_id, None)
    return {"recovered": recovered, "created": created, "enqueued": len(due)}
