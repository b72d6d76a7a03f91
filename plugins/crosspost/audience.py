"""Who a post goes to, and from when: the accounts chosen for it and the moment it may be shared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from cms.api import db, naive_utc
from plugins.crosspost.accounts import accounts_for_unit
from plugins.crosspost.models import CrosspostAccount, CrosspostChoice


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
