"""Fixtures for the inbox: an app with only ``inbox`` enabled, a real SMTP
server (aiosmtpd on 127.0.0.1), officers, and a helper that files a request
through the real public form."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.livesrv import free_port

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    """A real 8x8 PNG with no metadata (uploads are decoded and re-encoded;
    re-encoding this one gives the same bytes)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG", optimize=True)
    return out.getvalue()


PNG = _png()
NIK = "3275014101900001"


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]

    def text(self, msg) -> str:
        return msg.get_body(("plain",)).get_content()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Accounts are scenery here: a one-round hash keeps the many sign-ins fast.
    Core's own tests cover the real scrypt hashing."""
    from werkzeug.security import generate_password_hash

    from cms import accounts

    monkeypatch.setattr(accounts, "hash_password", lambda pw: generate_password_hash(pw, method="pbkdf2:sha256:1"))


@pytest.fixture
def mailbox():
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


@pytest.fixture
def inbox_app(make_app, mailbox):
    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port, INBOX_MIN_SUBMIT_SECONDS=0)
    with app.app_context():
        yield app


@pytest.fixture
def app(inbox_app):
    """The shared client, make_user and login fixtures run against the inbox app."""
    return inbox_app


@pytest.fixture
def login(client):
    from tests.conftest import PASSWORD

    def _login(user, password=PASSWORD):
        client.post("/logout")
        resp = client.post("/login", data={"email": user.email, "password": password})
        assert resp.status_code in (302, 303), resp.text  # fail early on a wrong fixture user
        return resp

    return _login


def form_data(**overrides) -> dict:
    data = {
        "applicant_type": "perseorangan",
        "name": "Budi Santoso",
        "nik": NIK,
        "address": "Jl. Melati No. 5, Bekasi",
        "phone": "081234567890",
        "email": "budi@contoh.id",
        "occupation": "Wartawan",
        "details": "Dokumen APBD Kota Bekasi 2025",
        "purpose": "Bahan liputan",
        "access_method": "softcopy",
        "delivery": "email",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def submit(client):
    """File a request through the public form; returns ``(number, code)``."""

    def _submit(**overrides):
        resp = client.post("/ppid/permohonan", data=form_data(**overrides), content_type="multipart/form-data")
        assert resp.status_code == 303, resp.text[:3000]
        page = client.get(resp.headers["Location"]).text
        number = re.search(r'id="nomor">([^<]+)<', page).group(1)
        code = re.search(r'id="kode">([^<]+)<', page).group(1)
        return number, code

    return _submit


def get_request(number: str):
    from sqlalchemy import select

    from cms.extensions import db
    from plugins.inbox.models import InfoRequest

    db.session.expire_all()
    return db.session.scalar(select(InfoRequest).where(InfoRequest.number == number))
