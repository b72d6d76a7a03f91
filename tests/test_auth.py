"""Signing in and out: generic errors, disabled users, throttling, CSRF."""

from __future__ import annotations

from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from tests.conftest import PASSWORD, csrf_token_from


def test_login_with_right_password_reaches_dashboard(client, make_user, login):
    user = make_user("editor", name="Sri Editor")
    response = login(user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Sri Editor" in page and "Editor (Kepala Humas)" in page


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user("writer")
    wrong = client.post("/login", data={"email": user.email, "password": "salah-sekali-123"})
    unknown = client.post("/login", data={"email": "nobody@warta.test", "password": "salah-sekali-123"})
    assert wrong.status_code == unknown.status_code == 401
    msg = "E-mail atau kata sandi salah"
    assert msg in wrong.get_data(as_text=True) and msg in unknown.get_data(as_text=True)
    # the typed e-mail is kept
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)


def test_disabled_user_cannot_log_in_and_is_logged_out(client, make_user, login):
    from cms import accounts

    user = make_user("writer")
    assert login(user).status_code == 302
    accounts.update_user(user, email=user.email, role=user.role, name=user.name, unit=None, active=False)
    assert client.get("/admin/").status_code == 302  # session no longer valid
    response = login(user)
    assert response.status_code == 401


def test_login_is_throttled_after_repeated_failures(make_app):
    app = make_app(RATELIMIT_ENABLED=True, CMS_LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.post("/login", data={"email": "a@b.id", "password": "x" * 12}).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "Terlalu banyak percobaan" in client.post("/login", data={"email": "a@b.id", "password": "x"}).get_data(
        as_text=True
    )
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_login_requires_csrf_token(make_app):
    from cms import accounts

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        accounts.create_user("csrf@warta.test", "admin", PASSWORD)
    no_token = client.post("/login", data={"email": "csrf@warta.test", "password": PASSWORD})
    assert no_token.status_code == 400
    assert "Muat ulang halaman" in no_token.get_data(as_text=True)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    ok = client.post("/login", data={"email": "csrf@warta.test", "password": PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


def test_next_parameter_never_leaves_the_site(client, make_user):
    user = make_user("admin")
    response = client.post("/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/admin/")
    client.post("/logout")
    response = client.post("/login?next=/admin/users", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/admin/users")


def test_logout_ends_the_session_and_is_audited(client, make_user, login):
    user = make_user("ppid")
    login(user)
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.user_id == user.id)).all()
    assert "auth.login" in actions and "auth.logout" in actions


def test_failed_login_is_audited_without_password(client):
    client.post("/login", data={"email": "x@y.id", "password": "rahasia-sekali-1"})
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "auth.login_failed")).one()
    assert entry.detail == {"email": "x@y.id"}
    assert "rahasia" not in str(entry.detail)


def test_passwords_are_hashed_with_scrypt(make_user):
    user = make_user("writer")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_an_anonymous_visit_leaves_the_session_alone(client, make_user, login):
    """No user is loaded for a visitor who never signed in: the session
    check adds nothing to the cookie, and no admin link shows."""
    cookies = client.get("/cari?lang=en").headers.getlist("Set-Cookie")
    assert [c.split("=")[0] for c in cookies] == ["session"]  # the language; no remember cookie to clear
    again = client.get("/cari")  # rendered afresh for everyone
    assert "Set-Cookie" not in again.headers
    with client.session_transaction() as session:
        assert dict(session) == {"lang": "en"}
    assert 'lang="en"' in again.get_data(as_text=True) and ">Admin<" not in again.get_data(as_text=True)
    login(make_user("editor"))
    assert ">Admin<" in client.get("/cari").get_data(as_text=True)  # a signed-in user is still loaded


def test_a_sign_in_counts_only_while_the_session_carries_it(app, client, make_user, login):
    login(make_user("editor"))
    assert client.get("/admin/").status_code == 200
    app.test_client().get("/cari")  # an anonymous visitor in between (tests share one app context)
    assert client.get("/admin/").status_code == 200
    with client.session_transaction() as session:  # e.g. expired, or cleared by the browser
        session.clear()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_get_to_logout_asks_and_does_not_sign_out(client, make_user, login):
    """Another site's <img src=/logout> must not sign an officer out."""
    user = make_user("ppid")
    login(user)
    page = client.get("/logout")
    assert page.status_code == 200
    assert 'method="post"' in page.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200  # still signed in
    client.post("/logout")
    assert client.get("/admin/").status_code == 302


def test_sign_in_page_is_headed_for_staff_and_journalists_alike(client):
    """Approved journalists sign in on the same page: no "staf" in its heading."""
    page = client.get("/login").get_data(as_text=True)
    assert "<h1>Masuk</h1>" in page and "Masuk staf" not in page
