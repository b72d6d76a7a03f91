"""Failed sign-ins are throttled per account and per address together; good
sign-ins never count, so one office behind NAT is not locked out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from cms import accounts
from cms.extensions import db
from cms.models import AuditLog
from cms.timeutil import naive_utc
from tests.conftest import PASSWORD

OFFICE = "203.0.113.10"
WRONG = "bukan-kata-sandinya"


@pytest.fixture
def throttled(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True, CMS_LOGIN_ACCOUNT_FAILURES=5, CMS_LOGIN_IP_FAILURES=8, CMS_LOGIN_FAILURE_WINDOW=30 * 60
    )
    with app.app_context():
        yield app


def attempt(app, email, password, ip=OFFICE):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client.post("/login", data={"email": email, "password": password})


def test_many_good_sign_ins_from_one_office_address_are_fine(throttled):
    users = [accounts.create_user(f"staf{i}@warta.test", "writer", PASSWORD) for i in range(25)]
    codes = [attempt(throttled, user.email, PASSWORD).status_code for user in users]
    assert codes == [302] * 25
    assert attempt(throttled, users[0].email, PASSWORD).status_code == 302


def test_guessing_one_account_from_rotating_addresses_locks_that_account(throttled):
    victim = accounts.create_user("kepala@warta.test", "editor", PASSWORD)
    codes = [attempt(throttled, victim.email, WRONG, ip=f"198.51.100.{i}").status_code for i in range(1, 5)]
    assert codes == [401] * 4
    fifth = attempt(throttled, victim.email, WRONG, ip="198.51.100.5")
    assert fifth.status_code == 429
    page = fifth.get_data(as_text=True)
    assert "Terlalu banyak percobaan masuk yang gagal" in page and "Coba lagi setelah" in page
    assert "WIB" in page and 1700 < int(fifth.headers["Retry-After"]) <= 1801
    # even the right password is refused while locked, from yet another address
    locked = attempt(throttled, victim.email, PASSWORD, ip="192.0.2.77")
    assert locked.status_code == 429 and "Coba lagi setelah" in locked.get_data(as_text=True)
    # when the window has passed the owner signs in again
    with time_machine.travel(naive_utc() + timedelta(minutes=31), tick=False):
        assert attempt(throttled, victim.email, PASSWORD, ip="192.0.2.77").status_code == 302


def test_the_lockout_names_the_local_time_it_ends(throttled):
    victim = accounts.create_user("jam@warta.test", "editor", PASSWORD)
    start = naive_utc().replace(hour=1, minute=0, second=0, microsecond=0) + timedelta(days=1)
    with time_machine.travel(start, tick=False):
        for i in range(5):
            response = attempt(throttled, victim.email, WRONG, ip=f"198.51.100.{i}")
    assert response.status_code == 429
    assert "08.30 WIB" in response.get_data(as_text=True)  # 01:30 UTC is 08:30 in Jakarta


def test_another_account_from_the_same_office_still_signs_in(throttled):
    victim = accounts.create_user("target@warta.test", "editor", PASSWORD)
    colleague = accounts.create_user("rekan@warta.test", "writer", PASSWORD)
    for _ in range(5):
        attempt(throttled, victim.email, WRONG)
    assert attempt(throttled, victim.email, PASSWORD).status_code == 429
    assert attempt(throttled, colleague.email, PASSWORD).status_code == 302  # 5 < 8 failures from the office


def test_too_many_failures_from_one_address_lock_that_address(throttled):
    colleague = accounts.create_user("rekan2@warta.test", "writer", PASSWORD)
    for i in range(8):  # a spray over many accounts, each below its own limit
        attempt(throttled, f"tebak{i}@warta.test", WRONG, ip="192.0.2.66")
    assert attempt(throttled, colleague.email, PASSWORD, ip="192.0.2.66").status_code == 429
    assert attempt(throttled, colleague.email, PASSWORD, ip=OFFICE).status_code == 302


def test_unknown_and_known_e_mails_are_locked_alike(throttled):
    accounts.create_user("ada@warta.test", "writer", PASSWORD)
    # one frozen moment: both messages name the same time, not two sides of a minute
    with time_machine.travel(datetime.now(UTC), tick=False):
        known = [attempt(throttled, "ada@warta.test", WRONG, ip=f"198.51.100.{i}") for i in range(5)]
        unknown = [attempt(throttled, "tidak-ada@warta.test", WRONG, ip=f"192.0.2.{i}") for i in range(5)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401] * 4 + [429]
    strip = lambda r: r.get_data(as_text=True).replace("ada@warta.test", "").replace("tidak-", "")  # noqa: E731
    assert strip(known[-1]) == strip(unknown[-1])


def test_lockouts_are_audited(throttled):
    victim = accounts.create_user("audit@warta.test", "editor", PASSWORD)
    for i in range(7):
        attempt(throttled, "Audit@Warta.test ", WRONG, ip=f"198.51.100.{i}")
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "auth.lockout")).all()
    assert len(entries) == 1  # once when the limit is reached, not on every refused try
    assert entries[0].detail["email"] == victim.email and entries[0].detail["scope"] == ["account"]
    assert entries[0].ip == "198.51.100.4" and entries[0].detail["until"].endswith("Z")
    failed = db.session.scalars(select(AuditLog).where(AuditLog.action == "auth.login_failed")).all()
    assert len(failed) == 5  # refused attempts never tried a password


def test_a_good_sign_in_forgives_the_accounts_earlier_failures(throttled):
    user = accounts.create_user("lupa@warta.test", "writer", PASSWORD)
    for _ in range(4):
        attempt(throttled, user.email, WRONG)
    assert attempt(throttled, user.email, PASSWORD).status_code == 302
    codes = [attempt(throttled, user.email, WRONG).status_code for _ in range(4)]
    assert codes == [401] * 3 + [429]  # the office's count (4 + 4 = 8) is kept


def test_a_bad_form_is_a_400_and_does_not_count(throttled):
    user = accounts.create_user("kosong@warta.test", "writer", PASSWORD)
    for _ in range(10):
        response = attempt(throttled, user.email, "")
        assert response.status_code == 400 and "Kata sandi wajib diisi" in response.get_data(as_text=True)
    assert attempt(throttled, user.email, PASSWORD).status_code == 302


def test_tracking_lookups_count_only_failures(make_app):
    """The same class on the public tracking page: a desk helping applicants
    from one address is not locked out by lookups that succeed."""
    import re

    from cms.testing.servers import smtp_server
    from tests.plugins.inbox.conftest import Mailbox, form_data

    with smtp_server(Mailbox()) as controller:
        app = make_app(
            enabled=["inbox"],
            MAIL_PORT=controller.port,
            INBOX_MIN_SUBMIT_SECONDS=0,
            RATELIMIT_ENABLED=True,
            INBOX_TRACK_RATE_LIMIT="3 per hour",
            INBOX_SUBMIT_RATE_LIMIT="100 per hour",
        )
        with app.app_context():
            client = app.test_client()
            resp = client.post("/ppid/permohonan", data=form_data(), content_type="multipart/form-data")
            page = client.get(resp.headers["Location"]).text
            number = re.search(r'id="nomor">([^<]+)<', page).group(1)
            code = re.search(r'id="kode">([^<]+)<', page).group(1)
            desk = app.test_client()
            found = [desk.post("/ppid/permohonan/lacak", data={"number": number, "code": code}) for _ in range(6)]
            assert [r.status_code for r in found] == [200] * 6 and "Terdaftar" in found[-1].text
            wrong = [
                desk.post("/ppid/permohonan/lacak", data={"number": number, "code": "AAAA-BBBB-CCCC"}).status_code
                for _ in range(4)
            ]
            assert wrong == [400, 400, 400, 429]
