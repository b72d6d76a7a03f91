"""Journalist accounts: public sign-up, approval by humas, a password chosen
from the mailed link, a sign-in that never reaches the admin."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from cms import crypto
from cms.extensions import db, limiter
from cms.models import AuditLog, JournalistAccount, User
from cms.policy import can
from cms.storage import private_dir
from tests.conftest import PASSWORD, csrf_token_from
from tests.feeds.conftest import NOW
from tests.feeds.journalist_helpers import SET_PASSWORD, approved_journalist, editor, links_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FORM = {"name": "Sari Dewi", "outlet": "Harian Kota", "email": "sari@koran.test", "phone": "0812 3456 7890"}


def count_requests() -> int:
    return db.session.scalar(select(func.count()).select_from(JournalistAccount))


def test_sign_up_approve_set_password_and_land_on_the_embargo_desk(fclient, smtp):
    page = fclient.post(
        "/jurnalis/daftar",
        data={**FORM, "press_card": (io.BytesIO(PNG), "kartu.png")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "Permohonan terkirim" in page.get_data(as_text=True)
    account = db.session.scalar(select(JournalistAccount))
    assert account.status == "pending" and account.outlet == "Harian Kota"
    # Personal data is encrypted at rest, the press card too.
    assert "sari@koran.test" not in account.email_enc and account.phone_enc and "0812" not in account.phone_enc
    stored = (private_dir("press_cards") / account.press_card).read_bytes()
    assert PNG not in stored and crypto.decrypt_bytes(stored) == PNG

    fclient.post("/login", data={"email": editor().email, "password": PASSWORD})
    listing = fclient.get("/admin/feeds/permohonan").get_data(as_text=True)
    assert "Sari Dewi" in listing and "sari@koran.test" not in listing and "s***@koran.test" in listing
    detail = fclient.get(f"/admin/feeds/permohonan/{account.id}").get_data(as_text=True)
    assert "sari@koran.test" in detail and "+6281234567890" in detail
    card = fclient.get(f"/admin/feeds/permohonan/{account.id}/kartu-pers")
    assert card.data == PNG and card.headers["Content-Disposition"].startswith("attachment")
    assert fclient.post(f"/admin/feeds/permohonan/{account.id}/setujui").status_code == 302
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"journalist_account.view", "journalist_account.press_card", "journalist_account.approve"} <= actions
    user = db.session.scalar(select(User).where(User.email == "sari@koran.test"))
    assert user.role == "journalist" and db.session.get(JournalistAccount, account.id).journalist.active
    fclient.post("/logout")

    [link] = links_in(smtp, SET_PASSWORD, to="sari@koran.test")
    assert fclient.get(link).status_code == 200
    short = fclient.post(link, data={"password": "pendek", "confirm": "pendek"})
    assert short.status_code == 400 and "minimal 10 karakter" in short.get_data(as_text=True)
    done = fclient.post(link, data={"password": "sandi-jurnalis-2024", "confirm": "sandi-jurnalis-2024"})
    assert done.status_code == 302
    used = fclient.get(link)  # single use: the password changed
    assert used.status_code == 410 and "sudah dipakai atau kedaluwarsa" in used.get_data(as_text=True)

    signed_in = fclient.post("/login", data={"email": "sari@koran.test", "password": "sandi-jurnalis-2024"})
    assert signed_in.headers["Location"] == "/jurnalis/"
    desk = fclient.get("/jurnalis/").get_data(as_text=True)
    assert "Meja embargo" in desk and "Sari Dewi" in desk and "/kalender.ics" in desk


def test_rejected_request_is_told_and_gets_no_account(fclient, smtp):
    fclient.post("/jurnalis/daftar", data=FORM)
    account = db.session.scalar(select(JournalistAccount))
    fclient.post("/login", data={"email": editor().email, "password": PASSWORD})
    fclient.post(
        f"/admin/feeds/permohonan/{account.id}/tolak", data={"reason": "Media tidak terverifikasi Dewan Pers."}
    )
    assert db.session.get(JournalistAccount, account.id).status == "rejected"
    assert "Media tidak terverifikasi" in smtp.messages[-1].get_payload(decode=True).decode()
    assert db.session.scalar(select(User).where(User.email == "sari@koran.test")) is None


def test_bad_email_keeps_the_typed_fields_and_names_the_field(fclient):
    page = fclient.post("/jurnalis/daftar", data={**FORM, "email": "sari-at-koran"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "E-mail kantor: Alamat e-mail tidak valid" in html
    assert 'value="Sari Dewi"' in html and 'value="Harian Kota"' in html and 'value="0812 3456 7890"' in html
    assert 'value="sari-at-koran"' in html
    assert count_requests() == 0


def test_bad_phone_and_missing_outlet_name_their_fields(fclient):
    html = fclient.post("/jurnalis/daftar", data={**FORM, "phone": "12"}).get_data(as_text=True)
    assert "Telepon / WhatsApp: Nomor telepon tidak valid" in html
    html = fclient.post("/jurnalis/daftar", data={**FORM, "outlet": ""}).get_data(as_text=True)
    assert "Nama media wajib diisi" in html and count_requests() == 0


def test_press_card_must_really_be_an_image_or_pdf(fclient):
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    page = fclient.post(
        "/jurnalis/daftar", data={**FORM, "press_card": (fake, "kartu.png")}, content_type="multipart/form-data"
    )
    assert page.status_code == 400
    assert "gambar (JPG, PNG, WebP) atau PDF" in page.get_data(as_text=True)
    assert count_requests() == 0


def test_sign_up_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, SITE_URL="https://warta.test")
    with app.app_context():
        client = app.test_client()
        assert client.post("/jurnalis/daftar", data=FORM).status_code == 400
        assert count_requests() == 0
        token = csrf_token_from(client.get("/jurnalis/daftar").get_data(as_text=True))
        assert client.post("/jurnalis/daftar", data={**FORM, "csrf_token": token}).status_code == 200
        assert count_requests() == 1


def test_sign_up_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PRESS_SIGNUP_RATE_LIMIT="2 per minute")
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        codes = [
            client.post("/jurnalis/daftar", data={**FORM, "email": f"j{i}@koran.test"}).status_code for i in range(3)
        ]
        assert codes == [200, 200, 429]
        assert count_requests() == 2


def test_a_journalist_cannot_open_the_admin(fclient, smtp):
    _account, _journalist, user = approved_journalist()
    assert not can(user, "admin.access") and can(user, "press.embargo")
    fclient.post("/login", data={"email": user.email, "password": PASSWORD})
    for path in ("/admin/", "/admin/posts", "/admin/feeds/permohonan", "/admin/feeds/jurnalis", "/admin/users"):
        assert fclient.get(path).status_code == 403, path
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "access.denied")) == 5


def test_a_disabled_or_rejected_journalist_gets_no_desk(fclient, smtp):
    _account, journalist, user = approved_journalist()
    journalist.active = False
    db.session.commit()
    fclient.post("/login", data={"email": user.email, "password": PASSWORD})
    assert fclient.get("/jurnalis/").status_code == 403


@pytest.mark.parametrize("who", ["journalist", "editor", "anonymous"])
def test_upcoming_embargoes_partial_is_for_approved_journalists_only(feeds_app, make_post, smtp, who):
    make_post("Rilis Jembatan", status="scheduled", embargo_until=NOW + timedelta(days=3650), publish_at=NOW)
    _account, _journalist, user = approved_journalist()
    with feeds_app.test_request_context("/media"):
        if who == "journalist":
            login_user(user)
        elif who == "editor":
            login_user(editor())
        html = render_template("press/_upcoming_embargoes.html")
    if who == "journalist":
        assert "Rilis Jembatan" in html and "WIB" in html and "Isi naskah" not in html
    else:
        assert html.strip() == ""


def test_mails_are_indonesian_subject_and_body_whatever_the_officers_language(fclient, smtp):
    """The subject was translated in the deciding officer's language (English
    admin: an English subject on an Indonesian letter)."""
    fclient.post("/jurnalis/daftar", data=FORM)
    fclient.post("/jurnalis/daftar", data={**FORM, "name": "Budi", "email": "budi@koran.test"})
    sari, budi = db.session.scalars(select(JournalistAccount).order_by(JournalistAccount.id)).all()
    fclient.post("/login", data={"email": editor().email, "password": PASSWORD})
    assert "Journalist" in fclient.get("/admin/feeds/permohonan?lang=en").get_data(as_text=True)
    assert fclient.post(f"/admin/feeds/permohonan/{sari.id}/setujui").status_code == 302
    assert (
        fclient.post(f"/admin/feeds/permohonan/{budi.id}/tolak", data={"reason": "Bukan wartawan"}).status_code == 302
    )
    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects == {
        "sari@koran.test": "Akun jurnalis Anda disetujui",
        "budi@koran.test": "Permohonan akun jurnalis",
    }
