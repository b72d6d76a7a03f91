"""Nothing typed is lost: autosave creates a new post's draft, the edit lock
(another person's fresh autosave) and read-only mode (issue 21)."""

from __future__ import annotations

from datetime import timedelta

from cms.extensions import db
from cms.models import Post
from cms.timeutil import naive_utc


def _lock(post, user, age=timedelta(0)):
    post.autosave_data = {"title": post.title, "by": user.id}
    post.autosave_at = naive_utc() - age
    db.session.commit()


def test_first_autosave_of_a_new_post_creates_its_draft(app, client, login, users):
    login(users["writer"])
    response = client.post("/admin/posts/autosave", json={"body_html": "<p>Warga antusias</p>", "title": ""})
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()
    post = db.session.get(Post, answer["post_id"])
    assert post.status == "draft" and post.author_id == users["writer"].id
    assert post.title == "Draf tanpa judul" and post.body_html == "<p>Warga antusias</p>"
    assert post.unit_id == users["writer"].unit_id
    assert answer["edit_url"] == f"/admin/posts/{post.id}"
    assert answer["autosave_url"] == f"/admin/posts/{post.id}/autosave"
    assert answer["version"] == post.version and answer["created"] is True
    # The next autosave goes to the draft; the manual save with that version is no conflict.
    again = client.post(answer["autosave_url"], json={"title": "Senam Pagi", "body_html": "<p>Warga antusias</p>"})
    assert again.status_code == 200 and again.get_json()["created"] is False
    saved = client.post(
        answer["edit_url"],
        data={
            "title": "Senam Pagi",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "body_html": "<p>Warga antusias</p>",
            "featured_image_id": 0,
            "version": answer["version"],
        },
    )
    assert saved.status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 1


def test_new_post_autosave_is_refused_to_non_writers(app, client, login, users):
    login(users["ppid"])
    assert client.post("/admin/posts/autosave", json={"title": "x"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 0


def test_someone_elses_fresh_autosave_locks_the_post(app, client, login, users, make_post):
    post = make_post("draft", title="Rapat Koordinasi Banjir")
    _lock(post, users["writer"])
    login(users["editor"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert "sedang disunting oleh Wulan Penulis" in page
    assert '<fieldset class="bare" id="post-fields" disabled>' in page
    assert 'data-read-only="1"' in page
    response = client.post(f"/admin/posts/{post.id}/autosave", json={"title": "Diubah editor"})
    assert response.status_code == 423
    assert response.get_json() == {
        "ok": False,
        "read_only": True,
        "holder": "Wulan Penulis",
        "error": response.get_json()["error"],
    }
    assert "Wulan Penulis" in response.get_json()["error"]
    # A form posted anyway is refused too, and nothing changes.
    refused = client.post(
        f"/admin/posts/{post.id}",
        data={
            "title": "Diubah editor",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "featured_image_id": 0,
            "version": post.version,
        },
    )
    assert refused.status_code == 423 and "Isian Anda belum disimpan" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, post.id).title == "Rapat Koordinasi Banjir"


def test_the_holder_types_on_and_the_lock_lapses(app, client, login, users, make_post):
    post = make_post("draft")
    _lock(post, users["writer"])
    login(users["writer"])
    assert client.post(f"/admin/posts/{post.id}/autosave", json={"title": "Lanjut"}).status_code == 200
    login(users["editor"])
    assert client.post(f"/admin/posts/{post.id}/autosave", json={"title": "x"}).status_code == 423
    app.config["NEWSROOM_EDIT_LOCK_SECONDS"] = 60
    _lock(db.session.get(Post, post.id), users["writer"], age=timedelta(minutes=2))
    assert client.post(f"/admin/posts/{post.id}/autosave", json={"title": "x"}).status_code == 200


def test_a_manual_save_by_the_holder_releases_the_lock(app, client, login, users, make_post):
    post = make_post("draft")
    _lock(post, users["writer"])
    post = db.session.get(Post, post.id)
    post.updated_at = naive_utc() + timedelta(seconds=1)  # saved as a version after the autosave
    db.session.commit()
    login(users["editor"])
    assert "sedang disunting" not in client.get(f"/admin/posts/{post.id}").get_data(as_text=True)


def test_a_finished_post_is_read_only_for_its_writer(app, client, login, users, make_post):
    post = make_post("approved")
    login(users["writer"])
    page = client.get(f"/admin/posts/{post.id}").get_data(as_text=True)
    assert "Naskah berstatus Disetujui" in page and 'id="post-fields" disabled' in page
    response = client.post(f"/admin/posts/{post.id}/autosave", json={"title": "x"})
    assert response.status_code == 403
    assert response.get_json()["read_only"] is True and response.get_json()["holder"] is None


def test_submitting_sends_the_text_on_screen_not_the_first_autosave(app, client, login, users):
    """A draft made by autosave holds the first keystrokes; later typing lives in
    the autosave copy until "Simpan". "Ajukan" stores that copy first."""
    login(users["writer"])
    first = client.post("/admin/posts/autosave", json={"title": "Senam", "body_html": "<p>Warga</p>"}).get_json()
    later = {"title": "Senam Pagi Bersama", "body_html": "<p>Warga antusias mengikuti senam pagi.</p>"}
    assert client.post(first["autosave_url"], json=later).status_code == 200
    response = client.post(f"/admin/posts/{first['post_id']}/submit", data={"comment": ""})
    assert response.status_code == 302
    post = db.session.get(Post, first["post_id"])
    db.session.refresh(post)
    assert post.status == "review"
    assert post.title == "Senam Pagi Bersama" and "mengikuti senam pagi" in post.body_html
