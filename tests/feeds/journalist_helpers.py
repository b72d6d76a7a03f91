"""Helpers for the journalist-account tests: an approved journalist made
through the real services, and links read back from the mails they got."""

from __future__ import annotations

import re

from cms import accounts
from cms.feeds import journalist_accounts
from cms.models import User
from tests.conftest import PASSWORD
from tests.feeds.conftest import body_of

PREVIEW = re.compile(r"https://warta\.test(/pratinjau/[A-Za-z0-9_\-]+)")
SET_PASSWORD = re.compile(r"https://warta\.test(/jurnalis/sandi/[A-Za-z0-9_.\-]+)")


def editor(email="humas@warta.test") -> User:
    return accounts.find_user(email) or accounts.create_user(email, "editor", PASSWORD, name="Humas")


def approved_journalist(name="Sari Dewi", email="sari@koran.test", outlet="Harian Kota"):
    """(account, journalist, user) approved by humas, password set to PASSWORD."""
    data = journalist_accounts.SignUp(name, outlet, email, "0812 3456 7890")
    account = journalist_accounts.request_account(data)
    journalist_accounts.approve(account, editor())
    journalist_accounts.set_password(account.user, PASSWORD, PASSWORD)
    return account, account.journalist, account.user


def links_in(smtp, pattern=PREVIEW, to=None) -> list[str]:
    found = []
    for msg in smtp.messages:
        if to is None or msg["To"] == to:
            found += pattern.findall(body_of(msg))
    return found
