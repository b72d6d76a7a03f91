"""What a person does to deliveries and per-post choices in the admin."""

from __future__ import annotations

from sqlalchemy import select

from cms.api import audit, db, naive_utc
from plugins.crosspost import channels
from plugins.crosspost.accounts import accounts_for_unit
from plugins.crosspost.audience import chosen_accounts
from plugins.crosspost.models import CrosspostChoice, CrosspostDelivery
from plugins.crosspost.story import story_from_post

RETRYABLE = ("failed", "unknown", "cancelled", "retry", "pending")
CANCELLABLE = ("pending", "retry", "failed", "unknown")


class ActionError(Exception):
    pass


def retry(row: CrosspostDelivery) -> None:
    """Send again now (for "unknown": the person checked that it did not go out)."""
    if row.status not in RETRYABLE:
        raise ActionError(f"Pengiriman berstatus {row.status_label} tidak dapat dikirim ulang.")
    previous = row.status
    row.status, row.next_attempt_at, row.updated_at = "pending", naive_utc(), naive_utc()
    audit.record("crosspost.delivery.retry", "crosspost_delivery", row.id, {"from": previous})
    db.session.commit()
    from plugins.crosspost.scheduling import schedule

    schedule(row.id, None)


def cancel(row: CrosspostDelivery) -> None:
    if row.status not in CANCELLABLE:
        raise ActionError(f"Pengiriman berstatus {row.status_label} tidak dapat dibatalkan.")
    previous = row.status
    row.status, row.updated_at = "cancelled", naive_utc()
    row.last_error = (row.last_error + " " if row.last_error else "") + "Dibatalkan oleh petugas."
    audit.record("crosspost.delivery.cancel", "crosspost_delivery", row.id, {"from": previous})
    db.session.commit()


def mark_sent(row: CrosspostDelivery, url: str) -> None:
    """A person found the post on the network after an "unknown" outcome."""
    if row.status not in ("unknown", "failed"):
        raise ActionError("Hanya pengiriman yang hasilnya tidak pasti yang dapat ditandai terkirim.")
    if url and not url.startswith(("https://", "http://")):
        raise ActionError("Tautan harus diawali https://")
    row.status, row.remote_url, row.sent_at, row.updated_at = "sent", url or None, naive_utc(), naive_utc()
    audit.record("crosspost.delivery.mark_sent", "crosspost_delivery", row.id, {"url": url})
    db.session.commit()


def plan_for_post(post) -> list[dict]:
    """Each active account with: chosen?, custom text, default text, counter numbers."""
    story = story_from_post(post)
    choices = {
        c.account_id: c for c in db.session.scalars(select(CrosspostChoice).where(CrosspostChoice.post_id == post.id))
    }
    chosen = {a.id for a, _ in chosen_accounts(post)}
    plan = []
    for account in accounts_for_unit(post.unit_id):
        channel = channels.get(account.channel)
        if channel is None:
            continue
        choice = choices.get(account.id)
        text = choice.text if choice is not None else ""
        message = channel.build_message(story, text or None, settings=account.settings)
        plan.append(
            {
                "account": account,
                "channel": channel,
                "enabled": account.id in chosen,
                "text": text,
                "default_text": channel.build_message(story, settings=account.settings).text,
                "count": channel.count(message.text),
                "limit": channel.limit(message),
                "has_image": message.image is not None,
                "message": message,
                "images": preview_images(channel, message),
                "notice": channel.notice(message, account.settings),
            }
        )
    return plan


def preview_images(channel, message) -> tuple:
    """The images this network gets (lead then gallery, up to its count), for the preview."""
    from plugins.crosspost import images

    refs = images.refs_of(message)
    limits = images.LIMITS.get(channel.key)
    count = limits.max_count if limits is not None else getattr(channel, "max_children", len(refs))
    return refs[:count]


def save_choices(post, wanted: dict[int, tuple[bool, str]]) -> dict[int, list[str]]:
    """Store the editor's choices; returns length errors by account id (nothing saved then)."""
    story = story_from_post(post)
    errors: dict[int, list[str]] = {}
    accounts = {a.id: a for a in accounts_for_unit(post.unit_id)}  # never another unit's
    for account_id, (enabled, text) in wanted.items():
        channel = channels.get(accounts[account_id].channel) if account_id in accounts else None
        if channel is None or not enabled:
            continue
        message = channel.build_message(story, text or None, settings=accounts[account_id].settings)
        problems = channel.length_errors(message.text, message)
        if problems:
            errors[account_id] = problems
    if errors:
        return errors
    existing = {
        c.account_id: c for c in db.session.scalars(select(CrosspostChoice).where(CrosspostChoice.post_id == post.id))
    }
    for account_id, (enabled, text) in wanted.items():
        if account_id not in accounts:
            continue
        choice = existing.get(account_id) or CrosspostChoice(post_id=post.id, account_id=account_id)
        choice.enabled, choice.text = enabled, (text or "").strip()
        db.session.add(choice)
    audit.record("crosspost.choices", "post", post.id, {"accounts": sorted(k for k, (on, _) in wanted.items() if on)})
    db.session.commit()
    return {}
