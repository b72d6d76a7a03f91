"""Defects a crawler of hostile values found on a fresh ``make run`` after
the first bad-input fixes: each answered 500.  JSON nested a few thousand
levels deep makes the standard parser raise RecursionError, which no
``except ValueError`` catches; and a failed small DIP import (run in the
request) re-raised into the view."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cms.extensions import db
from cms.inputs import JSONTooDeep, load_json

DEEP_ARRAY = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


@pytest.mark.parametrize("text", [DEEP_ARRAY, DEEP_OBJECT, "[" * 100_000])
def test_load_json_says_too_deep_as_a_value_error(text):
    with pytest.raises(JSONTooDeep) as caught:
        load_json(text)
    assert isinstance(caught.value, ValueError)
    assert load_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["cms", "demo"]).exit_code == 0


@pytest.mark.parametrize("body", [DEEP_ARRAY, DEEP_OBJECT, "[" * 100_000])
def test_autosave_answers_400_in_json_for_json_nested_too_deep(client, demo, make_user, login, body):
    from cms.models import Post

    login(make_user("editor"))
    post = db.session.scalar(select(Post).where(Post.status != "published").limit(1))
    resp = client.post(f"/admin/posts/{post.id}/autosave", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert resp.get_json() == {"ok": False, "error": "Isi kiriman harus objek JSON."}


def test_every_get_json_reader_gets_a_400_not_a_500(app):
    """The provider covers ``request.get_json`` wherever a view calls it."""
    with app.test_request_context("/", method="POST", data=DEEP_ARRAY, content_type="application/json"):
        from flask import request
        from werkzeug.exceptions import BadRequest

        assert request.get_json(silent=True) is None
    with (
        app.test_request_context("/", method="POST", data=DEEP_ARRAY, content_type="application/json"),
        pytest.raises(BadRequest),
    ):
        request.get_json()


def test_dip_import_of_json_nested_too_deep_reports_the_file(client, make_user, login):
    from plugins.dip.models import DipImport

    login(make_user("ppid"))
    resp = client.post(
        "/admin/dip/impor",
        data={"file": (io.BytesIO(DEEP_ARRAY.encode()), "dalam.json")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "dalam.json" in page and "bertingkat terlalu dalam" in page
    run = db.session.scalar(select(DipImport).order_by(DipImport.id.desc()))
    assert run.status == "done" and run.summary["file_errors"][0][0] == "dalam.json"


def test_a_small_import_that_fails_in_the_request_shows_its_status_page(client, make_user, login, monkeypatch):
    """Whatever the importer raises, the upload lands on the status page that
    says the import failed (as the worker path already did)."""
    from plugins.dip import importer
    from plugins.dip.models import DipImport

    def broken(self, path, name=None):
        raise OSError("disk gone")

    monkeypatch.setattr(importer.Importer, "run", broken)
    login(make_user("ppid"))
    resp = client.post(
        "/admin/dip/impor",
        data={"file": (io.BytesIO(b"kode,judul\nA,B\n"), "kecil.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    run = db.session.scalar(select(DipImport).order_by(DipImport.id.desc()))
    assert run.status == "failed"
    assert run.summary["file_errors"] == [["kecil.csv", "impor gagal: OSError"]]
    assert "kecil.csv" in client.get(resp.headers["Location"]).get_data(as_text=True)
