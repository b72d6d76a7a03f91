"""Who sees and manages which accounts: central ones and those of each unit (OPD).

Admins and editors manage every account.  A unit-bound officer (``ppid_unit``
in ``cms.policy.UNIT_BOUND_ROLES``) manages only the accounts of their own
unit.  ``cms.policy.can(user, perm, unit_id=None)`` answers True for a
unit-bound role (None means "no unit given"), so a central account
(``unit_id`` NULL) is checked here explicitly: unit officers never reach it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_

from cms.api import can, visible_unit_ids
from plugins.crosspost.models import CrosspostAccount


def unit_ids(user: Any) -> set[int] | None:
    """Units whose accounts ``user`` may see; None means every account, central ones included."""
    return visible_unit_ids(user)


def may_manage(user: Any, row: CrosspostAccount | None, permission: str = "crosspost.accounts") -> bool:
    """Whether ``user`` may see/edit/test ``row`` (or, for None, create an account)."""
    if not can(user, permission):
        return False
    visible = unit_ids(user)
    if visible is None:
        return True
    if row is None:
        return bool(visible)  # a unit officer without a unit cannot own accounts
    return row.unit_id is not None and row.unit_id in visible


def restrict_accounts(stmt: Select, user: Any) -> Select:
    """Limit a select over CrosspostAccount to what ``user`` may see."""
    visible = unit_ids(user)
    if visible is None:
        return stmt
    return stmt.where(CrosspostAccount.unit_id.in_(visible or {-1}))


def for_post_unit(stmt: Select, unit_id: int | None) -> Select:
    """Accounts a post of ``unit_id`` may go to: the central ones and that unit's own."""
    if unit_id is None:
        return stmt.where(CrosspostAccount.unit_id.is_(None))
    return stmt.where(or_(CrosspostAccount.unit_id.is_(None), CrosspostAccount.unit_id == unit_id))


def reaches(account: CrosspostAccount, unit_id: int | None) -> bool:
    """Python twin of ``for_post_unit`` for one account."""
    return account.unit_id is None or account.unit_id == unit_id


def unit_choices(user: Any, keep: int | None = None) -> list[tuple[str, str]]:
    """(value, label) for the account form's owner field; "" = central.

    Active units only, plus ``keep`` (the account's current unit, even if
    since deactivated, so saving it does not force a move)."""
    from flask_babel import gettext as _
    from sqlalchemy import select

    from cms.api import Unit, db

    visible = unit_ids(user)
    stmt = select(Unit).where(or_(Unit.active.is_(True), Unit.id == (keep or -1))).order_by(Unit.name)
    if visible is not None:
        stmt = stmt.where(Unit.id.in_(visible or {-1}))
    units = [(str(u.id), u.name) for u in db.session.scalars(stmt)]
    return units if visible is not None else [("", _("Pusat (Humas / PPID Utama)"))] + units
