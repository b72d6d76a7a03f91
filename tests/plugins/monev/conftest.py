"""Fixtures for the monev plugin: an app with every bundled plugin enabled."""

from __future__ import annotations

import pytest

ALL = ["inbox", "dip", "crosspost", "monev"]


@pytest.fixture
def monev_app(make_app):
    app = make_app(enabled=ALL)
    with app.app_context():
        yield app


@pytest.fixture
def app(monev_app):
    return monev_app


@pytest.fixture
def client(monev_app):
    return monev_app.test_client()
