"""Sign-in sessions live on the server: logout, password changes, disabling
an account and "keluar dari semua perangkat" end them for every copy of
their cookies; remember-me is a per-device token with a lifetime."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import event, select

from cms import accounts, kept_connection
from cms.extensions import db
from cms.models import AuditLog, UserSession
from cms.timeutil import naive_utc
from tests.conftest import PASSWORD, csrf_token_from

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
)


def browser(app, ua=FIREFOX, ip="127.0.0.1"):
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": ua, "REMOTE_ADDR": ip})
    return client


def sign_in(client, user, remember=False, password=PASSWORD):
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def copy_jar(client, app, ua=FIREFOX, ip="127.0.0.1", names=("session", "remember_token")):
    """A second browser holding copies of ``client``'s cookies (as a thief would)."""
    thief = browser(app, ua, ip)
    for name in names:
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def test_a_copied_cookie_jar_stops_working_after_logout(app, make_user):
    user = make_user("editor")
    client = browser(app)
    sign_in(client, user)
    before = copy_jar(client, app)
    assert signed_in(before)
    assert client.post("/logout").status_code == 302
    assert not signed_in(client)
    assert not signed_in(before)  # the old session cookie no longer signs anyone in
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert row.revoked_at is not None


def test_remember_cookie_alone_is_rejected_after_logout(app, make_user):
    user = make_user("editor")
    client = browser(app)
    sign_in(client, user, remember=True)
    only_remember = copy_jar(client, app, names=("remember_token",))
    assert signed_in(only_remember)  # restores the session from the remember cookie
    client.post("/logout")
    later = copy_jar(only_remember, app, names=("remember_token",))
    assert not signed_in(later)


def test_remember_token_is_per_device_and_not_the_user_id(app, make_user):
    user = make_user("editor")
    laptop, phone = browser(app), browser(app, ANDROID)
    sign_in(laptop, user, remember=True)
    sign_in(phone, user, remember=True)
    a, b = laptop.get_cookie("remember_token").value, phone.get_cookie("remember_token").value
    assert a != b and a.split("|")[0] != str(user.id)
    laptop.post("/logout")  # ends only the laptop's session
    assert signed_in(phone) and not signed_in(copy_jar(laptop, app))


def test_remember_lasts_the_configured_days_then_is_rejected(make_app):
    app = make_app(CMS_REMEMBER_DAYS=30)
    with app.app_context():
        user = accounts.create_user("ingat@warta.test", "editor", PASSWORD)
        client = browser(app)
        response = sign_in(client, user, remember=True)
        cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token="))
        assert "Max-Age=2592000" in cookie or "Expires=" in cookie
        assert client.get_cookie("remember_token").expires.date() == (naive_utc() + timedelta(days=30)).date()
        with time_machine.travel(naive_utc() + timedelta(days=29), tick=False):
            assert signed_in(copy_jar(client, app, names=("remember_token",)))
        with time_machine.travel(naive_utc() + timedelta(days=31), tick=False):
            # a browser that kept the cookie past its date still sends it
            assert not signed_in(copy_jar(client, app, names=("remember_token",)))


def test_without_remember_a_session_lasts_the_session_lifetime(app, make_user):
    user = make_user("editor")
    client = browser(app)
    sign_in(client, user)
    with time_machine.travel(naive_utc() + timedelta(hours=7), tick=False):
        assert signed_in(copy_jar(client, app))
    with time_machine.travel(naive_utc() + timedelta(hours=9), tick=False):
        assert not signed_in(copy_jar(client, app))


def test_admin_password_reset_ends_all_the_users_sessions(app, make_user):
    admin, user = make_user("admin"), make_user("writer")
    victim = browser(app)
    sign_in(victim, user, remember=True)
    stolen = copy_jar(victim, app)
    office = browser(app)
    sign_in(office, admin)
    response = office.post(
        f"/admin/users/{user.id}",
        data={
            "email": user.email,
            "name": user.name,
            "role": "writer",
            "unit_id": 0,
            "active": "y",
            "password": "kata-sandi-baru-456",
        },
    )
    assert response.status_code == 302
    assert not signed_in(victim) and not signed_in(stolen)
    assert not signed_in(copy_jar(victim, app, names=("remember_token",)))
    assert signed_in(office)  # the admin's own session is untouched
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "session.end_all")).one()
    assert entry.object_id == str(user.id) and entry.detail["reason"] == "password"
    assert entry.detail["ended"] == 1 and entry.actor == admin.email


def test_own_password_change_keeps_this_session_and_ends_the_others(app, make_user):
    user = make_user("editor")
    here, elsewhere = browser(app), browser(app, ANDROID)
    sign_in(here, user)
    sign_in(elsewhere, user, remember=True)
    wrong = here.post(
        "/admin/akun",
        data={
            "current_password": "bukan-ini-sandinya",
            "new_password": "sandi-baru-panjang-1",
            "confirm": "sandi-baru-panjang-1",
        },
    )
    assert wrong.status_code == 400 and "Kata sandi saat ini salah" in wrong.get_data(as_text=True)
    assert signed_in(elsewhere)
    done = here.post(
        "/admin/akun",
        data={"current_password": PASSWORD, "new_password": "sandi-baru-panjang-1", "confirm": "sandi-baru-panjang-1"},
    )
    assert done.status_code == 302
    assert signed_in(here) and not signed_in(elsewhere)
    assert not signed_in(copy_jar(elsewhere, app, ANDROID, names=("remember_token",)))
    assert db.session.scalars(
        select(AuditLog.action).where(AuditLog.user_id == user.id, AuditLog.action == "user.password_change")
    ).one()


def test_disabling_an_account_ends_its_sessions(app, make_user):
    user = make_user("writer")
    client = browser(app)
    sign_in(client, user, remember=True)
    accounts.update_user(user, email=user.email, role=user.role, name=user.name, unit=None, active=False)
    accounts.update_user(user, email=user.email, role=user.role, name=user.name, unit=None, active=True)
    # enabled again, the old cookies still do not sign anyone in
    assert not signed_in(client) and not signed_in(copy_jar(client, app, names=("remember_token",)))
    assert all(row.revoked_at is not None for row in db.session.scalars(select(UserSession)))


def test_sign_out_of_all_devices(app, make_user):
    user = make_user("ppid")
    laptop, phone = browser(app), browser(app, ANDROID)
    sign_in(laptop, user)
    sign_in(phone, user, remember=True)
    response = laptop.post("/admin/akun/keluar-semua")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not signed_in(laptop) and not signed_in(phone)
    assert not signed_in(copy_jar(phone, app, ANDROID, names=("remember_token",)))


def test_sessions_page_lists_device_ip_and_marks_this_one(app, make_user):
    user = make_user("editor")
    phone = browser(app, ANDROID, ip="198.51.100.7")
    sign_in(phone, user)
    laptop = browser(app, FIREFOX, ip="203.0.113.9")
    sign_in(laptop, user)
    page = laptop.get("/admin/akun").get_data(as_text=True)
    assert "Firefox di Windows" in page and "203.0.113.9" in page
    assert "Chrome di Android" in page and "198.51.100.7" in page
    mine = page.split('aria-current="true"')[1].split("</tr>")[0]
    assert "Firefox di Windows" in mine and "Sesi ini" in mine
    assert "Keluar dari semua perangkat" in page


def test_a_user_ends_one_of_their_other_sessions(app, make_user):
    user, other = make_user("editor"), make_user("editor")
    phone, laptop = browser(app, ANDROID), browser(app)
    sign_in(phone, user)
    sign_in(laptop, user)
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)).first()
    stranger = browser(app)
    sign_in(stranger, other)
    assert stranger.post(f"/admin/akun/sesi/{row.id}/akhiri").status_code == 404  # not theirs
    assert signed_in(phone)
    assert laptop.post(f"/admin/akun/sesi/{row.id}/akhiri").status_code == 302
    assert not signed_in(phone) and signed_in(laptop)


def test_admin_sees_and_ends_a_users_session(app, make_user):
    admin, user = make_user("admin"), make_user("writer")
    phone = browser(app, ANDROID, ip="198.51.100.7")
    sign_in(phone, user, remember=True)
    office = browser(app)
    sign_in(office, admin)
    page = office.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert "Chrome di Android" in page and "198.51.100.7" in page
    row = db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)).one()
    assert office.post(f"/admin/users/{user.id}/sesi/{row.id}/akhiri").status_code == 302
    assert not signed_in(phone) and not signed_in(copy_jar(phone, app, ANDROID, names=("remember_token",)))
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "session.end")).one()
    assert entry.actor == admin.email and entry.object_id == str(user.id)
    assert entry.detail == {"session": row.id, "reason": "admin"}
    assert "Tidak ada sesi aktif" in office.get(f"/admin/users/{user.id}").get_data(as_text=True)
    # a writer cannot end anyone's sessions
    sign_in(phone, user)
    assert phone.post(f"/admin/users/{admin.id}/sesi/akhiri-semua").status_code == 403
    assert signed_in(office)


def test_session_actions_need_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = accounts.create_user("csrf-sesi@warta.test", "editor", PASSWORD)
        client = browser(app)
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/admin/akun/keluar-semua").status_code == 400
        assert signed_in(client)
        token = csrf_token_from(client.get("/admin/akun").get_data(as_text=True))
        assert client.post("/admin/akun/keluar-semua", data={"csrf_token": token}).status_code == 302
        assert not signed_in(client)


def test_last_seen_is_written_at_most_once_a_minute(app, make_user, monkeypatch):
    user = make_user("editor")
    client = browser(app)
    sign_in(client, user)
    updates = []
    write_row = kept_connection.write_row

    def count(engine, sql, params=None):
        # The write goes around SQLAlchemy's events on a kept DBAPI
        # connection (pooled engines), so it is counted where it is made.
        if sql.lstrip().upper().startswith("UPDATE USER_SESSION"):
            updates.append(sql)
        return write_row(engine, sql, params)

    monkeypatch.setattr(kept_connection, "write_row", count)
    for _ in range(5):
        assert signed_in(client)
    assert updates == []
    later = naive_utc() + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        assert signed_in(client) and signed_in(client)
    assert len(updates) == 1
    db.session.expire_all()
    row = db.session.scalars(select(UserSession)).one()
    assert abs((row.last_seen_at - later).total_seconds()) < 1


@pytest.mark.parametrize("path", ["/", "/cari"])
def test_anonymous_pages_never_look_up_sessions(app, make_user, path):
    seen = []

    def count(conn, cursor, statement, *args):
        if "user_session" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert app.test_client().get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert seen == []


def test_a_dead_session_cookie_is_cleared_so_the_next_visit_is_anonymous(app, make_user):
    user = make_user("editor")
    client = browser(app)
    sign_in(client, user, remember=True)
    stolen = copy_jar(client, app)
    client.post("/logout")
    stolen.get("/cari")
    assert stolen.get_cookie("remember_token") is None
    with stolen.session_transaction() as session:
        assert "_user_id" not in session


def test_request_log_names_the_user_not_the_session_secret(app, make_user, caplog):
    import logging

    user = make_user("editor")
    client = browser(app)
    sign_in(client, user)
    with client.session_transaction() as session:
        secret = session["_user_id"].rsplit(".", 1)[1]
    caplog.clear()  # the sign-in is logged too when an earlier test left the level at INFO
    with caplog.at_level(logging.INFO, logger="cms.request"):
        client.get("/admin/")  # loads the user
        client.get("/health")  # does not: the id comes from the cookie
    lines = [r.getMessage() for r in caplog.records if r.name == "cms.request"]
    assert len(lines) == 2 and all(secret not in line for line in lines)
    assert all(f'"user_id": "{user.id}"' in line for line in lines)
