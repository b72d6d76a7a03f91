"""Notifications (in-app and e-mail through the queue, read from a real SMTP
catcher) and the writer's proposed embargo time (issue 21)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from cms.extensions import db
from cms.i18n import to_wib
from cms.models import Notification, Post
from cms.timeutil import naive_utc
from tests.browser.mailbox import Mailbox


@pytest.fixture
def mailbox():
    box = Mailbox().start()
    yield box
    box.stop()


@pytest.fixture
def app(make_app, recorder, mailbox):
    """The newsroom app sending mail (inline queue) to the catcher."""
    app = make_app(plugins=[recorder], MAIL_PORT=mailbox.port)
    with app.app_context():
        yield app


def _notices(user):
    return db.session.scalars(db.select(Notification).where(Notification.user_id == user.id)).all()


def test_editors_hear_of_a_submitted_release(app, client, login, users, make_post, mailbox):
    editors = users["editor"], users["editor2"]
    post = make_post("draft", title="Pemkot Resmikan Jembatan")
    login(users["writer"])
    assert (
        client.post(f"/admin/posts/{post.id}/submit", data={"comment": "Mohon ditinjau hari ini."}).status_code == 302
    )
    for editor in editors:
        mail = mailbox.wait_for(editor.email, "Naskah diajukan untuk ditinjau: Pemkot Resmikan Jembatan")
        text = mail.get_content()
        assert "oleh Wulan Penulis" in text and "Mohon ditinjau hari ini." in text
        assert f"http://warta.test/admin/posts/{post.id}" in text
        [notice] = _notices(editor)
        assert notice.kind == "submitted" and notice.post_id == post.id and notice.read_at is None
    assert mailbox.to(users["writer"].email) == [] and _notices(users["writer"]) == []

    # The badge in the admin header, then the list; opening a notice marks it read.
    login(users["editor"])
    page = client.get("/admin/posts").get_data(as_text=True)
    assert 'id="notice-badge"' in page and "Notifikasi <strong>(1 baru)</strong>" in page
    listing = client.get("/admin/notifikasi").get_data(as_text=True)
    assert "Naskah diajukan untuk ditinjau oleh Wulan Penulis: “Pemkot Resmikan Jembatan”." in listing
    notice = _notices(users["editor"])[0]
    opened = client.get(f"/admin/notifikasi/{notice.id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/admin/posts/{post.id}")
    db.session.expire_all()
    assert _notices(users["editor"])[0].read_at is not None
    assert "(1 baru)" not in client.get("/admin/posts").get_data(as_text=True)
    # Someone else's notice is not there for you.
    other = _notices(users["editor2"])[0]
    assert client.get(f"/admin/notifikasi/{other.id}").status_code == 404


def test_the_writer_hears_of_approval_sending_back_and_comments(app, client, login, users, make_post, mailbox):
    writer = users["writer"]
    post = make_post("review", title="Festival Kuliner")
    login(users["editor"])
    client.post(f"/admin/posts/{post.id}/comment", data={"comment": "Judul kurang jelas."})
    mail = mailbox.wait_for(writer.email, "Komentar baru pada naskah Anda: Festival Kuliner")
    assert "Judul kurang jelas." in mail.get_content()
    client.post(f"/admin/posts/{post.id}/request-changes", data={"comment": "Tambahkan jadwal."})
    mail = mailbox.wait_for(writer.email, "Naskah Anda dikembalikan untuk diperbaiki: Festival Kuliner")
    assert "Tambahkan jadwal." in mail.get_content() and "oleh Eka Editor" in mail.get_content()
    login(writer)
    client.post(f"/admin/posts/{post.id}/submit")
    login(users["editor"])
    client.post(f"/admin/posts/{post.id}/approve")
    mailbox.wait_for(writer.email, "Naskah Anda disetujui: Festival Kuliner")
    assert [n.kind for n in _notices(writer)] == ["commented", "sent_back", "approved"]


def test_a_refused_step_notifies_no_one(app, client, login, users, make_post, mailbox):
    post = make_post("draft", body="")  # an empty body cannot be submitted
    login(users["writer"])
    client.post(f"/admin/posts/{post.id}/submit")
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0
    assert mailbox.messages == []


def _form(post, **changes):
    data = {
        "title": post.title,
        "kind": post.kind,
        "language": "id",
        "unit_id": post.unit_id or 0,
        "body_html": post.body_html,
        "featured_image_id": 0,
        "version": post.version,
    }
    data.update(changes)
    return data


def test_writer_proposes_the_embargo_and_the_editor_confirms_it(app, client, login, users, make_post):
    post = make_post("draft", title="Peluncuran Aplikasi Warga")
    at = (to_wib(naive_utc()) + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    login(users["writer"])
    response = client.post(f"/admin/posts/{post.id}", data=_form(post, embargo_proposed=at.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.embargo_proposed_at == (at - timedelta(hours=7)).replace(tzinfo=None)  # kept in UTC
    assert f'value="{at.strftime("%Y-%m-%dT%H:%M")}"' in client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    client.post(f"/admin/posts/{post.id}/submit")

    login(users["editor"])
    client.post(f"/admin/posts/{post.id}/approve")
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert "Penulis mengusulkan embargo hingga" in page
    [field] = re.findall(r'<input[^>]*name="s-publish_at"[^>]*>', page)
    assert f'value="{at.strftime("%Y-%m-%dT%H:%M")}"' in field, field
    assert 'checked id="s-embargo"' in page
    revisions = client.get(f"/admin/posts/{post.id}/revisions").get_data(as_text=True)
    assert "Usulan waktu embargo" in revisions


def test_a_past_embargo_proposal_is_refused_naming_the_field(app, client, login, users, make_post):
    post = make_post("draft")
    login(users["writer"])
    past = (to_wib(naive_utc()) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/admin/posts/{post.id}", data=_form(post, embargo_proposed=past))
    assert response.status_code == 400
    assert "Usulan waktu embargo sudah lewat" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).embargo_proposed_at is None
