"""Connected accounts: settings, encrypted secrets and the connection test.

Secrets (tokens, app passwords) are encrypted with ``cms.crypto`` and never
leave this module in full except to the channel that uses them; the admin
sees them masked and an empty secret field on edit keeps the stored one.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from cms.api import audit, crypto, db, naive_utc
from plugins.crosspost import channels
from plugins.crosspost.channels.base import Account, ChannelError
from plugins.crosspost.models import CrosspostAccount
from plugins.crosspost.scheduling import schedule


def _secrets(row: CrosspostAccount) -> dict[str, str]:
    return json.loads(crypto.decrypt(row.secrets_enc)) if row.secrets_enc else {}


def view(row: CrosspostAccount) -> Account:
    """The channel's view of an account: settings with secrets decrypted."""
    state = json.loads(crypto.decrypt(row.state_enc)) if row.state_enc else {}
    return Account(id=row.id, name=row.name, settings={**(row.settings or {}), **_secrets(row)}, state=state)


def keep_state(row: CrosspostAccount, account: Account) -> None:
    """Store what the channel kept between calls (e.g. a session), encrypted."""
    encoded = crypto.encrypt(json.dumps(account.state)) if account.state else ""
    if encoded != row.state_enc and (account.state or row.state_enc):
        row.state_enc = encoded


def masked_secrets(row: CrosspostAccount) -> dict[str, str]:
    return {name: crypto.mask(value) for name, value in _secrets(row).items()}


def save(
    row: CrosspostAccount | None,
    channel_key: str,
    name: str,
    values: dict[str, str],
    *,
    default_kinds: str = "",
    default_categories: str = "",
    share_serta_merta: bool = False,
    active: bool = True,
    unit_id: int | None = None,
) -> CrosspostAccount:
    """Create or update an account; an empty secret keeps the stored value."""
    cls = channels.available()[channel_key]
    creating = row is None
    if row is None:
        row = CrosspostAccount(channel=channel_key)
        db.session.add(row)
    secrets = _secrets(row) if not creating else {}
    plain = {}
    for setting in cls.settings:
        value = (values.get(setting.name) or "").strip()
        if setting.secret:
            if value:
                secrets[setting.name] = value
        else:
            plain[setting.name] = value or setting.default
    if active and (creating or not row.active):
        row.starts_at = naive_utc()  # a new or reactivated account does not post the past
    new_credentials = creating or any((values.get(s.name) or "").strip() for s in cls.settings if s.secret)
    row.name, row.settings, row.active = name.strip(), plain, active
    row.secrets_enc = crypto.encrypt(json.dumps(secrets)) if secrets else ""
    row.state_enc = ""  # new credentials: forget any session
    row.default_kinds, row.default_categories = default_kinds, default_categories
    row.share_serta_merta = share_serta_merta
    row.unit_id = unit_id
    db.session.flush()
    audit.record(
        "crosspost.account.create" if creating else "crosspost.account.update",
        "crosspost_account",
        row.id,
        {
            "channel": channel_key,
            "name": row.name,
            "unit_id": unit_id,
            "secrets_changed": sorted(k for k in values if k in secrets and values.get(k)),
        },
    )
    db.session.commit()
    if new_credentials and row.reconnect_since is not None:
        reconnected(row)
    return row


def missing_required(channel_key: str, values: dict[str, str], row: CrosspostAccount | None) -> list[str]:
    """Names of required settings left empty (a stored secret counts as given)."""
    stored = _secrets(row) if row is not None else {}
    cls = channels.available()[channel_key]
    return [
        s.name for s in cls.settings if s.required and not (values.get(s.name) or "").strip() and s.name not in stored
    ]


def test_connection(row: CrosspostAccount) -> tuple[bool, str]:
    channel = channels.get(row.channel)
    if channel is None:
        ok, message = False, "Jenis kanal ini tidak terpasang lagi."
    else:
        account = view(row)
        try:
            ok, message = True, channel.test_connection(account)
            keep_state(row, account)
        except ChannelError as exc:
            ok, message = False, str(exc)
    row.last_test_at, row.last_test_ok, row.last_test_message = naive_utc(), ok, message[:500]
    audit.record("crosspost.account.test", "crosspost_account", row.id, {"ok": ok})
    db.session.commit()
    if ok and row.reconnect_since is not None:
        reconnected(row)
    return ok, message


def reconnected(row: CrosspostAccount) -> int:
    """New credentials: clear the mark and send the deliveries that waited for them."""
    from plugins.crosspost.models import OPEN_STATUSES, CrosspostDelivery

    row.reconnect_since, row.reconnect_reason = None, ""
    waiting = list(
        db.session.scalars(
            select(CrosspostDelivery).where(
                CrosspostDelivery.account_id == row.id, CrosspostDelivery.status.in_(OPEN_STATUSES)
            )
        )
    )
    audit.record("crosspost.account.reconnected", "crosspost_account", row.id, {"requeued": len(waiting)})
    db.session.commit()
    for item in waiting:
        schedule(item.id, item.next_attempt_at)
    return len(waiting)


def active_accounts() -> list[CrosspostAccount]:
    return list(
        db.session.scalars(
            select(CrosspostAccount).where(CrosspostAccount.active.is_(True)).order_by(CrosspostAccount.name)
        )
    )


def accounts_for_unit(unit_id: int | None) -> list[CrosspostAccount]:
    """Active accounts a release of ``unit_id`` may go to: the central ones and
    that unit's own, never another unit's."""
    from plugins.crosspost.scope import for_post_unit

    return list(
        db.session.scalars(
            for_post_unit(select(CrosspostAccount).where(CrosspostAccount.active.is_(True)), unit_id).order_by(
                CrosspostAccount.unit_id.is_not(None), CrosspostAccount.name
            )
        )
    )
