"""Permissions per role, self-approval, revisions (diff, restore), conflicts, corrections."""

from __future__ import annotations

import pytest

from cms.extensions import db
from cms.models import AuditLog, Post
from cms.newsroom import drafts, publishing
from cms.newsroom.posts import PostData


def test_anonymous_is_sent_to_login(app, client):
    response = client.get("/admin/posts")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["ppid"])
def test_roles_without_newsroom_rights_get_403(app, client, login, users, make_post, role):
    post = make_post("review")
    login(users[role])
    assert client.get("/admin/posts").status_code == 403
    assert client.get(f"/admin/posts/{post.id}").status_code == 403
    assert client.post(f"/admin/posts/{post.id}/approve").status_code == 403
    assert db.session.scalar(db.select(AuditLog).where(AuditLog.action == "access.denied")) is not None


def test_writer_cannot_approve_publish_or_edit_published(app, client, login, users, make_post):
    post = make_post("review")
    login(users["writer"])
    for action in ("approve", "publish", "unpublish", "cancel-schedule"):
        assert client.post(f"/admin/posts/{post.id}/{action}").status_code == 403
    published = make_post("published", title="Sudah Terbit")
    response = client.post(
        f"/admin/posts/{published.id}",
        data={
            "title": "Diubah Penulis",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "featured_image_id": 0,
            "version": published.version,
        },
    )
    assert response.status_code == 403
    assert db.session.get(Post, published.id).title == "Sudah Terbit"


def test_writer_sees_only_own_and_unit_posts(app, client, login, users, make_user):
    other = make_user("writer", unit="Dinas Perhubungan")
    drafts.create_post(other, PostData(title="Milik Dishub", body_html="<p>x</p>"))
    drafts.create_post(users["writer2"], PostData(title="Milik Rekan Unit", body_html="<p>x</p>"))
    login(users["writer"])
    html = client.get("/admin/posts").get_data(as_text=True)
    assert "Milik Rekan Unit" in html and "Milik Dishub" not in html


def test_self_approval_is_refused_unless_allowed(app, users):
    editor = users["editor"]
    post = drafts.create_post(editor, PostData(title="Tulisan Editor", body_html="<p>x</p>"))
    publishing.submit(post, editor)
    with pytest.raises(publishing.WorkflowError, match="tulisan sendiri"):
        publishing.approve(post, editor)
    assert post.status == "review"
    app.config["NEWSROOM_ALLOW_SELF_APPROVAL"] = True
    publishing.approve(post, editor)
    assert post.status == "approved"


def test_request_changes_needs_a_comment_and_returns_to_draft(app, client, login, users, make_post):
    post = make_post("review")
    login(users["editor"])
    response = client.post(f"/admin/posts/{post.id}/request-changes", data={"comment": ""}, follow_redirects=True)
    assert "Tuliskan apa yang perlu diperbaiki." in response.get_data(as_text=True)
    client.post(f"/admin/posts/{post.id}/request-changes", data={"comment": "Tambahkan kutipan Wali Kota."})
    post = db.session.get(Post, post.id)
    assert post.status == "draft" and post.comments[-1].body == "Tambahkan kutipan Wali Kota."
    login(users["writer"])
    assert "Tambahkan kutipan Wali Kota." in client.get(f"/admin/posts/{post.id}").get_data(as_text=True)


def test_every_change_is_a_revision_with_diff_and_restore(app, client, login, users, make_post):
    post = make_post("draft", title="Judul Awal", body="<p>Kalimat pertama.</p>")
    drafts.save_post(
        post, users["writer"], PostData(title="Judul Kedua", body_html="<p>Kalimat kedua.</p>"), post.version
    )
    versions = [r.version for r in post.revisions]
    assert versions == sorted(versions, reverse=True) and len(versions) == 2
    assert post.revisions[0].user.name == "Wulan Penulis"
    login(users["writer"])
    first, second = post.revisions[-1], post.revisions[0]
    html = client.get(f"/admin/posts/{post.id}/revisions?rev={second.id}").get_data(as_text=True)
    assert "<del>Awal</del><ins>Kedua</ins>" in html and "<del>pertama.</del><ins>kedua.</ins>" in html
    client.post(f"/admin/posts/{post.id}/revisions/{first.id}/restore")
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.title == "Judul Awal" and post.body_html == "<p>Kalimat pertama.</p>"
    assert len(post.revisions) == 3  # restoring is itself a new revision


def test_two_editors_get_a_conflict_not_a_silent_overwrite(app, client, login, users, make_post):
    post = make_post("published", title="Jadwal Car Free Day")
    opened_version = post.version
    # Someone else saves first.
    drafts.save_post(
        post, users["editor2"], PostData(title="Jadwal Car Free Day", body_html="<p>Versi B</p>"), opened_version
    )
    login(users["editor"])
    response = client.post(
        f"/admin/posts/{post.id}",
        data={
            "title": "Jadwal Car Free Day",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "featured_image_id": 0,
            "body_html": "<p>Versi A yang saya ketik</p>",
            "version": opened_version,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Konflik penyuntingan." in html and "Edi Editor" in html
    assert "Versi A yang saya ketik" in html  # nothing typed is lost
    assert db.session.get(Post, post.id).body_html == "<p>Versi B</p>"


def test_stale_write_at_flush_is_a_conflict_too(app, users, make_post):
    """The ORM's version column catches a save racing past the form check."""
    post = make_post("draft", title="Asli")
    loaded_version = post.version
    # Another request bumps the row after this one loaded it (same transaction, unseen by the ORM).
    db.session.execute(
        db.update(Post)
        .where(Post.id == post.id)
        .values(title="Milik orang lain", version=Post.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(publishing.ConflictError):
        drafts.save_post(post, users["writer"], PostData(title="Tulisan saya", body_html="<p>x</p>"), loaded_version)


def test_correction_keeps_url_and_shows_dated_note(app, client, login, users, make_post):
    post = make_post("published", title="Anggaran Jalan 2025", body="<p>Rp10 miliar.</p>")
    url = publishing.public_url(post, external=False)
    login(users["editor"])
    client.post(
        f"/admin/posts/{post.id}",
        data={
            "title": "Anggaran Jalan 2025",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "featured_image_id": 0,
            "body_html": "<p>Rp12 miliar.</p>",
            "version": post.version,
            "correction": "Nilai anggaran semula tertulis Rp10 miliar.",
        },
    )
    client.post("/logout")
    html = client.get(url).get_data(as_text=True)
    assert "Rp12 miliar." in html and "Ralat" in html
    assert "Nilai anggaran semula tertulis Rp10 miliar." in html and "WIB" in html
    assert db.session.get(Post, post.id).revisions[0].action == "correction"


def test_autosave_keeps_text_aside_without_new_version(app, client, login, users, make_post):
    post = make_post("draft")
    version = post.version
    login(users["writer"])
    response = client.post(
        f"/admin/posts/{post.id}/autosave", json={"title": "Judul Sementara", "body_html": "<p>Sedang ditulis</p>"}
    )
    assert response.status_code == 200 and response.get_json()["ok"] is True
    db.session.expire_all()
    post = db.session.get(Post, post.id)
    assert post.version == version and post.autosave_data["body_html"] == "<p>Sedang ditulis</p>"
    assert post.title != "Judul Sementara"
    assert "Pulihkan isian tersebut" in client.get(f"/admin/posts/{post.id}").get_data(as_text=True)


def test_staff_preview_renders_the_public_template(app, client, login, users, make_post):
    post = make_post("draft", title="Pratinjau Naskah", body="<p>Isi pratinjau.</p>")
    login(users["writer"])
    html = client.get(f"/admin/posts/{post.id}/preview").get_data(as_text=True)
    assert "PRATINJAU" in html and 'class="post-body"' in html and "Isi pratinjau." in html
    unsaved = client.post(
        "/admin/posts/preview",
        data={
            "title": "Belum Disimpan",
            "kind": "berita",
            "language": "id",
            "unit_id": 0,
            "featured_image_id": 0,
            "body_html": "<p>Ketikan <script>x()</script>baru</p>",
        },
    )
    text = unsaved.get_data(as_text=True)
    assert unsaved.status_code == 200 and "Belum Disimpan" in text and "Ketikan baru" in text
    assert "<script>x()" not in text
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1  # preview stored nothing


def test_writer_cannot_open_another_units_draft(app, client, login, users, make_user):
    other = make_user("writer", unit="Dinas Perhubungan")
    post = drafts.create_post(other, PostData(title="Draf Dishub", body_html="<p>x</p>"))
    login(users["writer"])
    for url in (f"/admin/posts/{post.id}", f"/admin/posts/{post.id}/preview", f"/admin/posts/{post.id}/revisions"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/admin/posts/{post.id}/comment", data={"comment": "x"}).status_code == 403
    login(users["editor"])
    assert "Draf Dishub" in client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
