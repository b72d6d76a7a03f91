"""Fixtures for feeds and distribution: posts, a real SMTP server (aiosmtpd)
and a real WebSub hub (an HTTP server) on 127.0.0.1."""

from __future__ import annotations

import email
import itertools
from datetime import datetime, timedelta
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from cms.extensions import db
from cms.models import Media, Unit, User
from cms.testing.servers import in_thread, smtp_server
from tests.conftest import new_post

_n = itertools.count(1)
NOW = datetime(2024, 3, 7, 3, 0, 0)  # naive UTC = Kamis, 7 Maret 2024 10.00 WIB


@pytest.fixture
def feeds_app(make_app):
    app = make_app(SITE_URL="https://warta.test")
    with app.app_context():
        yield app


@pytest.fixture
def fclient(feeds_app):
    return feeds_app.test_client()


@pytest.fixture
def make_post(feeds_app):
    """``make_post(title=..., status="published", categories=[...], ...)`` committed."""

    def _make(
        title=None,
        kind="siaran-pers",
        status="published",
        published_at=None,
        categories=(),
        unit=None,
        author=None,
        pdf=None,
        image=None,
        embargo_until=None,
        body="<p>Isi naskah.</p>",
        summary="Ringkasan naskah.",
        **extra,
    ):
        i = next(_n)
        if author is None:
            author = db.session.query(User).filter_by(email="penulis@warta.test").first() or User(
                email="penulis@warta.test", name="Budi Santoso", role="writer", password_hash="x"
            )
        if pdf:
            extra["attachments"] = [
                Media(
                    kind="file", path=f"2024/03/kit-{i}.pdf", file_name="Kit pers.pdf", mime="application/pdf", size=pdf
                )
            ]
        if image:
            extra["featured_image"] = Media(
                kind="image",
                path=f"2024/03/foto-{i}.jpg",
                file_name="foto.jpg",
                mime="image/jpeg",
                size=image,
                alt="Foto kegiatan",
            )
        return new_post(
            status,
            title=title or f"Siaran pers {i}",
            body=body,
            categories=categories,
            kind=kind,
            slug=f"siaran-{i}",
            summary=summary,
            body_text="Isi naskah.",
            published_at=published_at or (NOW - timedelta(hours=i) if status == "published" else None),
            updated_at=published_at or NOW - timedelta(hours=i),
            created_at=NOW - timedelta(days=1),
            embargo_until=embargo_until,
            unit=unit,
            author=author,
            **extra,
        )

    return _make


@pytest.fixture
def make_unit(feeds_app):
    def _make(name="Dinas Kesehatan", slug="dinas-kesehatan"):
        unit = Unit(name=name, slug=slug)
        db.session.add(unit)
        db.session.commit()
        return unit

    return _make


# ------------------------------------------------------------------ SMTP


class _Inbox:
    def __init__(self):
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp(feeds_app):
    """A real SMTP server on 127.0.0.1; the app is pointed at it."""
    inbox = _Inbox()
    with smtp_server(inbox) as controller:
        feeds_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        yield inbox


def body_of(msg: Message, subtype: str = "plain") -> str:
    for part in msg.walk():
        if part.get_content_type() == f"text/{subtype}":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


# ------------------------------------------------------------------ hub


@pytest.fixture
def hub(feeds_app):
    """A tiny WebSub hub on 127.0.0.1 that records every publish ping."""
    pings: list[list[tuple[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            length = int(self.headers.get("Content-Length") or 0)
            pings.append(parse_qsl(self.rfile.read(length).decode()))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    with in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as base:
        url = base + "/hub"
        feeds_app.config["FEEDS_WEBSUB_HUB"] = url
        yield type("Hub", (), {"url": url, "pings": pings})
