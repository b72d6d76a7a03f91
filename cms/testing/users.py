"""Users for each role and clients signed in through the real login form."""

from __future__ import annotations

import itertools
import re
from typing import Any

PASSWORD = "kata-sandi-rahasia-123"
_counter = itertools.count(1)


def make_user(
    role: str = "admin", unit: Any = None, email: str | None = None, password: str = PASSWORD, name: str = ""
):
    """A committed, active user; ``unit`` may be a name (created when new).
    Needs an app context."""
    from cms import accounts

    if isinstance(unit, str):
        unit = accounts.get_or_create_unit(unit)
    email = email or f"{role}{next(_counter)}@warta.test"
    return accounts.create_user(email, role, password, unit=unit, name=name)


def user_for_role(role: str):
    """A user of ``role``; a PPID Pembantu belongs to the unit "Dinas Uji"."""
    from cms.policy import UNIT_BOUND_ROLES

    return make_user(role, unit="Dinas Uji" if role in UNIT_BOUND_ROLES else None)


def roles() -> list[str]:
    from cms.models import ROLES

    return list(ROLES)


def login(client, user, password: str = PASSWORD, follow: bool = False):
    """Sign ``user`` in on ``client`` through the real ``/login`` form."""
    client.post("/logout")
    return client.post("/login", data={"email": user.email, "password": password}, follow_redirects=follow)


def signed_in(app, user, password: str = PASSWORD):
    """A new test client of ``app`` with ``user`` signed in."""
    client = app.test_client()
    reply = login(client, user, password)
    assert reply.status_code in (302, 303), f"login of {user.email} failed ({reply.status_code})"
    return client


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form in ``html`` (apps with WTF_CSRF_ENABLED)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in page"
    return match.group(1)
