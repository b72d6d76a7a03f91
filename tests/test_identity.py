"""Identity settings: the admin form, its refusals, and where the identity shows."""

from __future__ import annotations

import io

from PIL import Image

from cms import identity
from cms.extensions import db

GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#0b5394"/></svg>'
)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (11, 83, 148)).save(out, "PNG")
    return out.getvalue()


def _post(client, logo=None, **fields):
    data = {"name": "Pemerintah Kota Bekasi", "tagline": "Bagian Humas", "accent": "#0b5394", **fields}
    if logo is not None:
        data["logo"] = (io.BytesIO(logo[1]), logo[0])
    return client.post("/admin/identitas", data=data, content_type="multipart/form-data")


def _as_admin(make_user, login):
    login(make_user("admin"))


def test_fresh_install_uses_config_defaults(client):
    page = client.get("/").get_data(as_text=True)
    assert 'class="brand-name">Pemerintah Kota</span>' in page
    assert "/static/lambang.svg" in page
    css = client.get("/identitas/warna.css").get_data(as_text=True)
    assert "--brand: #0b5394" in css


def test_only_an_admin_edits_the_identity(client, make_user, login):
    login(make_user("editor"))
    assert client.get("/admin/identitas").status_code == 403
    assert _post(client).status_code == 403


def test_saved_identity_shows_on_every_public_page_and_footer(client, make_user, login):
    _as_admin(make_user, login)
    response = _post(
        client,
        logo=("lambang.svg", GOOD_SVG),
        address="Jl. Jenderal Ahmad Yani No. 1, Bekasi",
        phone="(021) 8894 0101",
        email="humas@bekasikota.test",
        social_instagram="https://instagram.com/humaskota",
        accent="#7a1f1f",
    )
    assert response.status_code == 302
    client.post("/logout")
    for path in ("/", "/siaran-pers/", "/cari?q=jalan", "/feeds/", "/kebijakan-privasi", "/ppid/"):
        page = client.get(path).get_data(as_text=True)
        assert 'class="brand-name">Pemerintah Kota Bekasi</span>' in page, path
        assert "Jl. Jenderal Ahmad Yani No. 1, Bekasi" in page, path
        assert 'href="tel:(021)88940101"' not in page and 'href="tel:02188940101"' in page
        assert 'href="https://instagram.com/humaskota"' in page
        assert "/ppid/permohonan" in page  # PPID links: the inbox plugin is on
    logo = client.get(identity_logo_path(client))
    assert logo.mimetype == "image/svg+xml" and b"circle" in logo.data
    assert "sandbox" in logo.headers["Content-Security-Policy"]
    assert "--brand: #7a1f1f" in client.get("/identitas/warna.css").get_data(as_text=True)


def identity_logo_path(client) -> str:
    page = client.get("/").get_data(as_text=True)
    start = page.index('src="/identitas/lambang') + 5
    return page[start : page.index('"', start)]


def test_footer_has_no_ppid_links_without_the_plugins(make_app):
    app = make_app(enabled=[])
    page = app.test_client().get("/").get_data(as_text=True)
    assert "/ppid/permohonan" not in page and "Layanan informasi publik" not in page
    assert "/kebijakan-privasi" in page and "/feeds/" in page


def test_pale_accent_is_refused_with_the_ratio(client, make_user, login):
    _as_admin(make_user, login)
    page = _post(client, accent="#ffcc00").get_data(as_text=True)
    assert "Kontras warna dengan putih hanya 1,51:1" in page
    assert "4,5:1" in page
    assert db.session.get(identity.SiteIdentity, 1) is None


def test_contrast_ratio_matches_wcag():
    assert round(identity.contrast_with_white("#000000"), 1) == 21.0
    assert round(identity.contrast_with_white("#767676"), 2) == 4.54
    assert identity.check_accent("#0B5394") == "#0b5394"


def test_svg_with_script_or_handler_or_external_ref_is_refused(client, make_user, login):
    _as_admin(make_user, login)
    bad = {
        "script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "onload": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>',
        "href": b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a></svg>',
        "css": b'<svg xmlns="http://www.w3.org/2000/svg"><style>rect{fill:url(https://evil.test/x)}</style></svg>',
        "entity": b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    }
    for name, data in bad.items():
        response = _post(client, logo=("lambang.svg", data))
        assert response.status_code == 400, name
        page = response.get_data(as_text=True)
        assert "Lambang (SVG atau PNG)" in page and "SVG" in page, name
    assert db.session.get(identity.SiteIdentity, 1) is None


def test_wrong_type_and_too_large_logo_are_refused(client, make_user, login, app):
    _as_admin(make_user, login)
    page = _post(client, logo=("lambang.gif", b"GIF89a" + b"\0" * 50)).get_data(as_text=True)
    assert "Lambang harus berupa berkas SVG atau PNG." in page
    app.config["CMS_IDENTITY_LOGO_MAX_KB"] = 1
    page = _post(client, logo=("lambang.png", _png() + b"\0" * 2048)).get_data(as_text=True)
    assert "melebihi batas 1 KB" in page


def test_png_logo_is_stored_without_metadata(client, make_user, login):
    _as_admin(make_user, login)
    assert _post(client, logo=("lambang.png", _png())).status_code == 302
    stored = db.session.get(identity.SiteIdentity, 1)
    assert stored.logo_mime == "image/png" and stored.logo.startswith(b"\x89PNG")


def test_bad_social_link_and_email_name_their_field(client, make_user, login):
    _as_admin(make_user, login)
    page = _post(client, social_facebook="javascript:alert(1)").get_data(as_text=True)
    assert 'id="social_facebook-error"' in page and "https://" in page
    page = _post(client, email="bukan-email").get_data(as_text=True)
    assert 'id="email-error"' in page


def test_kop_defaults_follow_the_identity(client, make_user, login):
    _as_admin(make_user, login)
    _post(client, logo=("lambang.png", _png()), address="Jl. Ir. H. Juanda No. 100")
    kop = identity.kop_defaults()
    assert kop["instansi"] == "Pemerintah Kota Bekasi"
    assert kop["address"] == "Jl. Ir. H. Juanda No. 100"
    assert kop["logo_uri"].startswith("data:image/png;base64,")


def test_saving_the_identity_refreshes_cached_and_stored_pages(client, make_user, login, app):
    """Item pages are stored rendered (cms.cache.post_pages) and anonymous pages
    kept in memory: a new name must show on both at once."""
    from cms.cache import post_pages
    from cms.newsroom import publishing
    from tests.conftest import new_post

    post = new_post(title="Jembatan Kali Malang dibuka")
    db.session.commit()
    post_pages.refresh([post.id])
    path = publishing.public_url(post, external=False)
    assert "Pemerintah Kota</span>" in client.get(path).get_data(as_text=True)
    assert "Pemerintah Kota</span>" in client.get("/").get_data(as_text=True)
    assert post_pages.lookup(post.kind, post.slug) is not None
    identity.save({"name": "Pemerintah Kota Bekasi", "accent": "#0b5394"})
    db.session.commit()
    assert post_pages.lookup(post.kind, post.slug) is None
    assert "Pemerintah Kota Bekasi</span>" in client.get(path).get_data(as_text=True)
    assert "Pemerintah Kota Bekasi</span>" in client.get("/").get_data(as_text=True)


def test_privacy_page_is_editable_and_sanitized(client, make_user, login):
    assert "Undang-Undang Nomor 27 Tahun 2022" in client.get("/kebijakan-privasi").get_data(as_text=True)
    _as_admin(make_user, login)
    _post(client, privacy_html="<p>Data Anda aman.</p><script>alert(1)</script>")
    page = client.get("/kebijakan-privasi").get_data(as_text=True)
    assert "<p>Data Anda aman.</p>" in page and "<script>alert" not in page


def test_release_mail_ends_with_the_identity_signature(app, client, make_user, login):
    from flask import render_template

    _as_admin(make_user, login)
    _post(client, address="Jl. Jenderal Ahmad Yani No. 1", phone="(021) 8894 0101")
    with app.test_request_context():
        text = render_template("mail/_signature.txt")
    assert "Pemerintah Kota Bekasi — Bagian Humas" in text
    assert "Jl. Jenderal Ahmad Yani No. 1" in text and "(021) 8894 0101" in text
