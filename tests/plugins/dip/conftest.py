"""Fixtures for the DIP plugin: an app with only ``dip`` enabled, users, entries, SMTP."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from pathlib import Path

import pytest

from cms import hookimpl
from cms.extensions import db
from cms.testing.servers import smtp_server

FILES = Path(__file__).parent / "files"
# Kota Bekasi's public-domain export, vendored
BEKASI = Path(__file__).resolve().parents[2] / "data" / "ppid-bekasi" / "data"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Events:
    """A tiny plugin that records the events the DIP fires."""

    def __init__(self):
        self.serta_merta: list[dict] = []

    @hookimpl
    def cms_serta_merta_published(self, title, summary, url):
        self.serta_merta.append({"title": title, "summary": summary, "url": url})


@pytest.fixture
def events():
    return Events()


@pytest.fixture
def dip_app(make_app, events):
    app = make_app(enabled=["dip"], plugins=[events])
    with app.app_context():
        yield app


@pytest.fixture
def client(dip_app):
    return dip_app.test_client()


@pytest.fixture
def runner(dip_app):
    return dip_app.test_cli_runner()


@pytest.fixture
def make_user(dip_app):
    from cms import accounts
    from tests.conftest import PASSWORD

    counter = iter(range(1, 10_000))

    def _make(role="admin", unit=None):
        if isinstance(unit, str):
            unit = accounts.get_or_create_unit(unit)
            db.session.commit()
        return accounts.create_user(f"{role}{next(counter)}@warta.test", role, PASSWORD, unit=unit)

    return _make


@pytest.fixture
def login(client):
    from tests.conftest import PASSWORD

    def _login(user):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code in (302, 303), response.data[:300]
        return response

    return _login


@pytest.fixture
def make_entry(dip_app):
    from cms.accounts import get_or_create_unit
    from cms.timeutil import naive_utc
    from plugins.dip.models import DipEntry, DipLink

    def _make(
        title="Entri",
        *,
        category="berkala",
        unit="Dinas Kesehatan",
        year=2025,
        published=True,
        description="",
        jenis="Regulasi",
        made_on=None,
        links=(),
        kode=None,
        **extra,
    ):
        unit_id = get_or_create_unit(unit).id if unit else None
        entry = DipEntry(
            title=title,
            category=category,
            unit_id=unit_id,
            year=year,
            jenis=jenis,
            description_html=description,
            description_text=description,
            kode=kode,
            made_on=made_on or date(year, 1, 10),
            published_at=naive_utc() if published else None,
            **extra,
        )
        entry.links = [DipLink(url=url) for url in links]
        db.session.add(entry)
        db.session.flush()
        entry.kode = entry.kode or f"T-{entry.id}"
        db.session.commit()
        return entry

    return _make


class _Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(dip_app):
    """A real SMTP server on 127.0.0.1 that the app sends to."""
    box = _Mailbox()
    with smtp_server(box) as controller:
        dip_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        yield box


def body(msg) -> str:
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
