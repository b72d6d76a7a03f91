""" "Lupa kata sandi?": the mailed link through a real SMTP server (aiosmtpd),
one answer for every address, single use, expiry, throttles, CSRF, and the
account signed out everywhere after the reset."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from cms.extensions import db
from cms.jobs import queue
from cms.models import AuditLog, PasswordReset
from cms.testing.mail import Mailbox, mail_catcher
from cms.testing.users import PASSWORD, csrf_token_from, make_user, signed_in
from cms.timeutil import naive_utc

NEW_PASSWORD = "kata-sandi-baru-99"
LINK = re.compile(r"http://warta\.test(/lupa-sandi/[A-Za-z0-9_-]+)")


@pytest.fixture
def reset_app(make_app):
    app = make_app()
    with app.app_context(), mail_catcher(app) as box:
        app.mailbox = box
        yield app


def _ask(client, email: str):
    return client.post("/lupa-sandi", data={"email": email})


def _link_in(box: Mailbox, email: str) -> str:
    (message,) = box.to(email)
    found = LINK.search(Mailbox.body(message))
    assert found, Mailbox.body(message)
    return found.group(1)


def _actions(user_id: int) -> list[str]:
    return list(
        db.session.scalars(select(AuditLog.action).where(AuditLog.object_id == str(user_id)).order_by(AuditLog.id))
    )


def test_sign_in_page_offers_the_reset(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/lupa-sandi"' in page and "Lupa kata sandi?" in page


@pytest.mark.parametrize("role", ["editor", "journalist"])
def test_full_road_from_forgotten_to_new_password(reset_app, role):
    user = make_user(role, name="Sri Lestari")
    old_device = signed_in(reset_app, user)  # a session signed in with the old password
    visitor = reset_app.test_client()

    answer = _ask(visitor, user.email.upper())
    assert answer.status_code == 200
    assert "Periksa e-mail Anda" in answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "private, no-store"
    (mail,) = reset_app.mailbox.to(user.email)
    assert mail["Subject"] == "Atur ulang kata sandi"
    body = Mailbox.body(mail)
    assert "Yth. Sri Lestari," in body and "berlaku 2 jam, sekali pakai" in body
    path = _link_in(reset_app.mailbox, user.email)
    secret = path.rsplit("/", 1)[1]
    stored = db.session.scalars(select(PasswordReset.token_hash)).all()
    assert stored == [hashlib.sha256(secret.encode()).hexdigest()]  # the secret itself is nowhere at rest

    form = visitor.get(path)
    assert form.status_code == 200 and user.email in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    short = visitor.post(path, data={"password": "pendek", "confirm": "pendek"})
    assert short.status_code == 400 and "Kata sandi minimal 10 karakter." in short.get_data(as_text=True)
    differ = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert differ.status_code == 400 and "Kedua kata sandi tidak sama." in differ.get_data(as_text=True)

    done = visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Kata sandi baru tersimpan" in visitor.get("/login").get_data(as_text=True)

    landing = "/jurnalis/" if role == "journalist" else "/admin/"
    assert old_device.get(landing).status_code == 302  # the old session was ended on the server
    old = visitor.post("/login", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    new = visitor.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert new.status_code == 302 and new.headers["Location"] == landing
    actions = _actions(user.id)
    assert actions.index("auth.password_reset_request") < actions.index("user.password_reset")
    assert "session.end_all" in actions
    ended = db.session.scalar(select(AuditLog).where(AuditLog.action == "session.end_all"))
    assert ended.detail["reason"] == "password_reset" and ended.detail["ended"] == 1


def test_a_used_link_does_not_work_again(reset_app):
    user = make_user("writer")
    visitor = reset_app.test_client()
    _ask(visitor, user.email)
    path = _link_in(reset_app.mailbox, user.email)
    assert visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302

    again = visitor.get(path)
    assert again.status_code == 410 and "Tautan tidak berlaku" in again.get_data(as_text=True)
    replay = visitor.post(path, data={"password": "orang-lain-123", "confirm": "orang-lain-123"})
    assert replay.status_code == 410
    assert visitor.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_an_expired_link_does_not_work(reset_app):
    user = make_user("writer")
    visitor = reset_app.test_client()
    _ask(visitor, user.email)
    path = _link_in(reset_app.mailbox, user.email)
    (link,) = db.session.scalars(select(PasswordReset)).all()
    assert link.expires_at - link.created_at == timedelta(hours=2)
    db.session.execute(update(PasswordReset).values(expires_at=naive_utc() - timedelta(seconds=1)))
    db.session.commit()

    page = visitor.get(path)
    assert page.status_code == 410 and "sudah dipakai atau kedaluwarsa" in page.get_data(as_text=True)
    assert visitor.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 410
    db.session.expire_all()
    assert visitor.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302


def test_asking_again_retires_the_earlier_link(reset_app):
    user = make_user("writer")
    visitor = reset_app.test_client()
    _ask(visitor, user.email)
    first = _link_in(reset_app.mailbox, user.email)
    reset_app.mailbox.messages.clear()
    _ask(visitor, user.email)
    second = _link_in(reset_app.mailbox, user.email)
    assert first != second
    assert visitor.get(first).status_code == 410
    assert visitor.get(second).status_code == 200


def test_an_unknown_address_gets_the_same_page_and_no_mail(reset_app):
    user = make_user("writer")
    disabled = make_user("writer", email="mantan@warta.test")
    disabled.active = False
    db.session.commit()
    known = _ask(reset_app.test_client(), user.email)
    answers = [
        _ask(reset_app.test_client(), email) for email in ("tidak-ada@warta.test", disabled.email, "bukan-email")
    ]
    for answer in answers:
        assert (answer.status_code, answer.get_data(as_text=True)) == (known.status_code, known.get_data(as_text=True))
    assert [m["To"] for m in reset_app.mailbox.messages] == [user.email]
    unknown = db.session.scalar(
        select(AuditLog).where(AuditLog.action == "auth.password_reset_request", AuditLog.object_id == "")
    )
    assert unknown.detail == {"email": "tidak-ada@warta.test", "sent": False, "why": "unknown"}


def test_an_account_gets_few_links_per_hour_with_the_same_answer(reset_app):
    user = make_user("writer")
    visitor = reset_app.test_client()
    pages = [_ask(visitor, user.email).get_data(as_text=True) for _ in range(4)]
    assert len(set(pages)) == 1
    assert len(reset_app.mailbox.to(user.email)) == 3  # CMS_PASSWORD_RESET_PER_ACCOUNT
    assert db.session.scalar(
        select(AuditLog.detail).where(AuditLog.action == "auth.password_reset_request").order_by(AuditLog.id.desc())
    ) == {"sent": False, "why": "throttled"}


def test_one_address_may_ask_only_so_often(make_app):
    app = make_app(RATELIMIT_ENABLED=True, CMS_PASSWORD_RESET_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [_ask(client, f"orang{i}@warta.test").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert "Terlalu banyak" in _ask(client, "lagi@warta.test").get_data(as_text=True)
    assert client.get("/lupa-sandi").status_code == 200  # reading the form is not limited


def test_both_forms_need_a_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context(), mail_catcher(app) as box:
        user = make_user("writer")
        assert _ask(client, user.email).status_code == 400
        assert box.messages == []
        token = csrf_token_from(client.get("/lupa-sandi").get_data(as_text=True))
        assert client.post("/lupa-sandi", data={"email": user.email, "csrf_token": token}).status_code == 200
        path = _link_in(box, user.email)
        refused = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert refused.status_code == 400
        token = csrf_token_from(client.get(path).get_data(as_text=True))
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
        assert client.post(path, data=data).status_code == 302
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        data = {"email": user.email, "password": NEW_PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302


def test_the_request_does_the_same_work_for_every_address(make_app, tmp_path):
    """The form only queues the sealed address; the account is looked up in
    the worker.  Answering a known address in the request took a lookup, a
    link and a mail more than an unknown one: time enough to tell who has an
    account."""
    app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'warta.db'}",
        HUEY_IMMEDIATE=False,
        REDIS_URL=None,
        HUEY_SQLITE_PATH=str(tmp_path / "huey.db"),
    )
    with app.app_context(), mail_catcher(app) as box:
        user = make_user("writer")
        huey = queue(app).huey

        def statements_of(email: str) -> tuple[list[str], bytes]:
            seen: list[str] = []

            def note(conn, cursor, statement, *args):
                seen.append(statement)

            event.listen(db.engine, "before_cursor_execute", note)
            try:
                answer = _ask(app.test_client(), email)
            finally:
                event.remove(db.engine, "before_cursor_execute", note)
            assert answer.status_code == 200
            return seen, answer.get_data()

        app.test_client().get("/lupa-sandi")  # what the first page loads once (the identity)
        known = statements_of(user.email)
        unknown = statements_of("tidak-ada@warta.test")
        assert known == unknown
        assert huey.pending_count() == 2
        queued = huey.storage.conn.execute("select data from task").fetchall()
        assert not any(user.email.encode() in row[0] for row in queued)  # sealed, not readable in the queue
        assert box.messages == [] and db.session.scalar(select(PasswordReset.id)) is None

        while (task := huey.dequeue()) is not None:  # the worker: the two asks, then the mail
            huey.execute(task)
        assert [m["To"] for m in box.messages] == [user.email]
        _link_in(box, user.email)
        asks = db.session.execute(
            select(AuditLog.object_id, AuditLog.ip, AuditLog.detail)
            .where(AuditLog.action == "auth.password_reset_request")
            .order_by(AuditLog.id)
        ).all()
        assert [(row.object_id, row.ip, row.detail["sent"]) for row in asks] == [
            (str(user.id), "127.0.0.1", True),
            ("", "127.0.0.1", False),
        ]


def test_the_mail_reads_in_the_language_the_visitor_asked_in(reset_app):
    """The worker has no request: the page's language travels with the job."""
    user = make_user("journalist", name="Sri Lestari")
    visitor = reset_app.test_client()
    assert visitor.post("/lupa-sandi?lang=en", data={"email": user.email}).status_code == 200
    (mail,) = reset_app.mailbox.to(user.email)
    body = Mailbox.body(mail)
    assert mail["Subject"] == "Reset your password"
    assert "Dear Sri Lestari," in body and "valid for 2 hours, single use" in body
    assert "kata sandi" not in body.lower()
