"""Bad input in the editor: a clear message naming the field, the form keeps
what was typed, nothing is published by accident."""

from __future__ import annotations

import io

from cms.extensions import db
from cms.models import Media, Post

from .conftest import MINIMAL_PDF, jpeg_with_gps


def _form(**overrides):
    data = {
        "title": "Judul Uji",
        "kind": "siaran-pers",
        "body_html": "<p>Isi naskah yang diketik.</p>",
        "summary": "",
        "dateline": "BEKASI —",
        "language": "id",
        "unit_id": 0,
        "featured_image_id": 0,
        "version": 0,
    }
    data.update(overrides)
    return data


def _post(client, url="/admin/posts/new", **overrides):
    return client.post(url, data=_form(**overrides), content_type="multipart/form-data")


def test_empty_title(app, client, login, users):
    login(users["writer"])
    response = _post(client, title="   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Judul wajib diisi." in html and "Judul: Judul" not in html
    assert "Isi naskah yang diketik." in html  # the body survives
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_thousand_character_title(app, client, login, users):
    login(users["writer"])
    response = _post(client, title="A" * 1000)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Judul terlalu panjang (1000 karakter); maksimal 200." in html
    assert "A" * 1000 in html  # kept, so the writer can shorten it


def test_duplicate_slug(app, client, login, users, make_post):
    make_post("published", title="Pengumuman CPNS")
    login(users["writer"])
    response = _post(client, title="Pengumuman Lain", slug="pengumuman-cpns")
    assert response.status_code == 400
    assert "Slug “pengumuman-cpns” sudah dipakai naskah lain" in response.get_data(as_text=True)
    # Without a typed slug a free one is chosen.
    assert _post(client, title="Pengumuman CPNS").status_code == 302
    assert db.session.scalar(db.select(Post.slug).order_by(Post.id.desc())) == "pengumuman-cpns-2"


def test_slug_is_readable_and_stable_after_publication(app, users, make_post):
    from cms.newsroom import drafts, publishing
    from cms.newsroom.posts import PostData

    post = make_post("published", title="Wali Kota: Bekasi Siap Hadapi Musim Hujan 2025!")
    assert post.slug == "wali-kota-bekasi-siap-hadapi-musim-hujan-2025"
    drafts.save_post(
        post, users["editor"], PostData(title="Judul Baru Sama Sekali", body_html="<p>x</p>"), post.version
    )
    assert post.slug == "wali-kota-bekasi-siap-hadapi-musim-hujan-2025"
    try:
        drafts.save_post(post, users["editor"], PostData(title="x", slug="lain", body_html="<p>x</p>"), post.version)
        raise AssertionError("slug change accepted")
    except publishing.WorkflowError as exc:
        assert exc.field == "slug"


def test_exe_renamed_pdf_is_refused(app, client, login, users):
    login(users["writer"])
    exe = b"MZ\x90\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode."
    response = _post(client, attachment_uploads=[(io.BytesIO(exe), "siaran-pers.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Isi berkas “siaran-pers.pdf” bukan PDF yang sah" in html
    assert "Isi naskah yang diketik." in html
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0


def test_corrupt_image_is_refused(app, client, login, users):
    login(users["writer"])
    broken = jpeg_with_gps()[:400]
    response = _post(client, featured_upload=(io.BytesIO(broken), "foto.jpg"), featured_alt="Foto")
    assert response.status_code == 400
    assert "foto.jpg" in response.get_data(as_text=True)
    assert "Unggah gambar utama" in response.get_data(as_text=True)


def test_oversized_upload_names_the_field(app, client, login, users):
    app.config["NEWSROOM_FILE_MAX_BYTES"] = 1024
    login(users["writer"])
    big = MINIMAL_PDF + b"%" * 5000
    response = _post(client, attachment_uploads=[(io.BytesIO(big), "kit-media.pdf")])
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Berkas “kit-media.pdf” terlalu besar; maksimal" in html


def test_request_larger_than_server_limit_gets_a_clear_page(app, client, login, users):
    app.config["MAX_CONTENT_LENGTH"] = 10_000  # stands in for a 200 MB upload
    login(users["writer"])
    response = _post(client, attachment_uploads=[(io.BytesIO(b"%PDF-" + b"0" * 20_000), "besar.pdf")])
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Berkas terlalu besar" in html and "Unggah lampiran" in html


def test_featured_image_requires_alt(app, client, login, users):
    login(users["writer"])
    response = _post(client, featured_upload=(io.BytesIO(jpeg_with_gps()), "foto.jpg"), featured_alt="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Teks alternatif (alt) gambar utama wajib diisi." in html
    # The upload was kept in the library and stays selected, so it need not be sent again.
    media = db.session.scalar(db.select(Media))
    assert media is not None and f'<option selected value="{media.id}">' in html


def test_script_in_body_never_reaches_the_page(app, client, login, users, make_post):
    login(users["writer"])
    response = _post(
        client,
        body_html='<p onclick="alert(1)">Halo<script>alert(2)</script>'
        '<img src=x onerror=alert(3)><a href="javascript:alert(4)">x</a></p>',
    )
    assert response.status_code == 302
    post = db.session.scalar(db.select(Post))
    assert "alert" not in post.body_html and "onclick" not in post.body_html
    assert post.body_html.startswith("<p>Halo")


def test_submit_of_empty_body_is_refused(app, client, login, users):
    login(users["writer"])
    _post(client, body_html="")
    post = db.session.scalar(db.select(Post))
    response = client.post(f"/admin/posts/{post.id}/submit", follow_redirects=True)
    assert "Isi naskah masih kosong" in response.get_data(as_text=True)
    assert db.session.get(Post, post.id).status == "draft"


def test_csrf_is_required(make_app, make_user):
    from tests.conftest import PASSWORD

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        writer = make_user("writer")
        client = app.test_client()
        from tests.conftest import csrf_token_from

        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": writer.email, "password": PASSWORD, "csrf_token": token})
        response = client.post("/admin/posts/new", data=_form())
        assert response.status_code == 400
        assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
        form = client.get("/admin/posts/new").get_data(as_text=True)
        assert 'name="csrf_token"' in form
