"""Newsroom fixtures: users per role, posts in any state, images/PDFs, a
SQL statement counter and an event recorder plugin."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import event

from cms.extensions import db
from cms.hookspecs import hookimpl
from tests.conftest import new_post


class EventRecorder:
    """A tiny plugin that records content events (and whether the commit happened)."""

    def __init__(self):
        self.events: list[tuple[str, int, str]] = []

    def _seen(self, name, post):
        # No open transaction when the event arrives: it fires after the commit.
        committed = not db.session().in_transaction()
        self.events.append((name, post.id, post.status if committed else "UNCOMMITTED"))

    @hookimpl
    def cms_post_published(self, post):
        self._seen("published", post)

    @hookimpl
    def cms_post_updated(self, post):
        self._seen("updated", post)

    @hookimpl
    def cms_post_unpublished(self, post):
        self._seen("unpublished", post)

    def names(self, post_id=None):
        return [name for name, pid, _ in self.events if post_id is None or pid == post_id]


@pytest.fixture
def recorder():
    return EventRecorder()


@pytest.fixture
def app(make_app, recorder):
    """Core newsroom only (no bundled plugins), with the recorder plugin."""
    app = make_app(plugins=[recorder])
    with app.app_context():
        yield app


class LazyUsers(dict):
    """Users per role, created on first use (password hashing is slow)."""

    ROLES = {
        "writer": ("writer", True, "Wulan Penulis"),
        "writer2": ("writer", True, "Wawan Penulis"),
        "editor": ("editor", True, "Eka Editor"),
        "editor2": ("editor", False, "Edi Editor"),
        "ppid": ("ppid", False, "Pipit PPID"),
        "admin": ("admin", False, "Ada Admin"),
    }

    def __init__(self, make_user, unit):
        super().__init__(unit=unit)
        self._make = make_user

    def __missing__(self, key):
        role, in_unit, name = self.ROLES[key]
        self[key] = self._make(role, unit=self["unit"] if in_unit else None, name=name)
        return self[key]


@pytest.fixture
def users(make_user):
    from cms import accounts

    return LazyUsers(make_user, accounts.get_or_create_unit("Dinas Komunikasi dan Informatika"))


@pytest.fixture
def make_post(users):
    """``make_post(status, **fields)`` walks a post through the real workflow."""

    def _make(status="published", title="Pemkot Resmikan Taman Kota", body="<p>Isi naskah.</p>", **fields):
        return new_post(status, via=(users["writer"], users["editor"]), title=title, body=body, **fields)

    return _make


@pytest.fixture
def count_queries(app):
    """``with count_queries() as n: …``; ``n[0]`` is the number of statements."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        seen = [0]

        def before(conn, cursor, statement, parameters, context, executemany):
            seen[0] += 1

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return _count


def jpeg_with_gps(size=(1600, 1000), color=(30, 120, 200)) -> bytes:
    """A real JPEG carrying EXIF with GPS coordinates and a camera serial."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"  # Make
    exif[0xA431] = "SERIAL-12345"  # BodySerialNumber
    gps = {1: "S", 2: (6.0, 14.0, 0.0), 3: "E", 4: (106.0, 59.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def flask_runs(app):
    """How many requests reached Flask's request handling."""
    seen = []

    @app.before_request
    def _count():
        seen.append(1)

    return seen
