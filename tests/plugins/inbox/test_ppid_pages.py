"""The public PPID pages the PPID Utama edits: defaults, editing, sanitising,
SOP PDFs checked by content, the structure and a page per PPID Pembantu."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from cms import accounts
from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox.ppid_page_models import PpidOffice, PpidPage


def _pdf(text: str = "SOP") -> bytes:
    """A real one-page PDF (pypdf writes it)."""
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def utama(make_user, login):
    user = make_user("ppid", name="Petugas Utama")
    login(user)
    return user


PUBLIC = ["/ppid/", "/ppid/maklumat", "/ppid/jam-layanan", "/ppid/alur-layanan", "/ppid/sop", "/ppid/struktur"]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_fresh_install_shows_default_text_and_the_links(client, url):
    page = client.get(url)
    assert page.status_code == 200
    for href in ("/ppid/maklumat", "/ppid/jam-layanan", "/ppid/alur-layanan", "/ppid/sop", "/ppid/struktur"):
        assert f'href="{href}"' in page.text
    assert 'href="/ppid/standar-biaya"' in page.text


def test_defaults_are_real_indonesian_text(client):
    assert "sanggup menyelenggarakan pelayanan informasi publik" in client.get("/ppid/").text
    assert "Senin–Kamis" in client.get("/ppid/jam-layanan").text
    assert "paling lambat 14 hari kerja" in client.get("/ppid/alur-layanan").text
    sop = client.get("/ppid/sop").text
    assert "SOP uji konsekuensi" in sop and "dokumen belum diunggah" in sop
    assert "PPID Utama mengoordinasikan" in client.get("/ppid/struktur").text


@pytest.mark.parametrize(
    ("slug", "url"),
    [
        ("maklumat", "/ppid/maklumat"),
        ("jam-layanan", "/ppid/jam-layanan"),
        ("alur-layanan", "/ppid/alur-layanan"),
        ("sop", "/ppid/sop"),
        ("struktur", "/ppid/struktur"),
    ],
)
def test_the_utama_edits_each_page_and_scripts_are_stripped(client, utama, slug, url):
    body = f"<h2>Teks baru {slug}</h2><p onclick='x()'>Isi <strong>penting</strong></p><script>alert(1)</script>"
    resp = client.post(f"/admin/inbox/halaman-ppid/{slug}", data={"body": body})
    assert resp.status_code == 302
    stored = db.session.scalar(select(PpidPage).where(PpidPage.slug == slug)).body_html
    assert "<script" not in stored and "onclick" not in stored and "alert(1)" not in stored
    public = client.get(url).text
    assert f"<h2>Teks baru {slug}</h2>" in public and "<strong>penting</strong>" in public
    assert "alert(1)" not in public
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.ppid_page.update"))
    assert entry.object_id == slug and entry.user_id == utama.id


def test_the_edited_maklumat_replaces_the_hard_coded_one_on_the_landing_page(client, utama):
    client.post("/admin/inbox/halaman-ppid/maklumat", data={"body": "<p>Janji layanan Kota Contoh.</p>"})
    landing = client.get("/ppid/").text
    assert "Janji layanan Kota Contoh." in landing
    assert "sanggup menyelenggarakan" not in landing


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Isi halaman wajib diisi dengan teks."),
        ("<script>alert(1)</script>", "Isi halaman wajib diisi dengan teks."),
        ("<p>" + "x" * 50_001 + "</p>", "Isi halaman terlalu panjang"),
    ],
)
def test_bad_page_input_is_a_form_error_and_nothing_is_saved(client, utama, body, message):
    resp = client.post("/admin/inbox/halaman-ppid/maklumat", data={"body": body})
    assert resp.status_code == 400
    assert message in resp.text and 'id="body-error"' in resp.text
    assert db.session.scalar(select(PpidPage.id)) is None


def test_unknown_page_is_404(client, utama):
    assert client.get("/admin/inbox/halaman-ppid/tidak-ada").status_code == 404


@pytest.mark.parametrize("role", ["ppid_unit", "atasan", "editor"])
def test_only_the_utama_edits(client, make_user, login, role):
    user = make_user(role, unit="Dinas Kesehatan" if role == "ppid_unit" else None)
    login(user)
    assert client.get("/admin/inbox/halaman-ppid").status_code == 403
    assert client.post("/admin/inbox/halaman-ppid/maklumat", data={"body": "<p>x</p>"}).status_code == 403
    assert client.post("/admin/inbox/halaman-ppid/kantor/utama", data={"about": "<p>x</p>"}).status_code == 403
    upload = {"file": (io.BytesIO(_pdf()), "sop.pdf")}
    assert client.post("/admin/inbox/halaman-ppid/sop/permohonan", data=upload).status_code == 403
    assert db.session.scalar(select(PpidPage.id)) is None


def test_editing_needs_a_csrf_token(make_app, mailbox):
    from tests.conftest import PASSWORD, csrf_token_from

    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port, WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = accounts.create_user("utama-csrf@warta.test", "ppid", PASSWORD)
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/admin/inbox/halaman-ppid/maklumat", data={"body": "<p>Tanpa token</p>"}).status_code == 400
        assert db.session.scalar(select(PpidPage.id)) is None
        token = csrf_token_from(client.get("/admin/inbox/halaman-ppid/maklumat").get_data(as_text=True))
        resp = client.post(
            "/admin/inbox/halaman-ppid/maklumat", data={"body": "<p>Dengan token</p>", "csrf_token": token}
        )
        assert resp.status_code == 302
        assert "Dengan token" in client.get("/ppid/maklumat").text


def test_sop_upload_is_checked_by_content_and_served(client, utama):
    resp = client.post(
        "/admin/inbox/halaman-ppid/sop/keberatan",
        data={"file": (io.BytesIO(b"<html>not a pdf</html>"), "sop.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "Berkas bukan PDF." in resp.text
    scripted = _pdf().replace(b"%%EOF", b"<< /S /JavaScript /JS (app.alert(1)) >>\n%%EOF")
    resp = client.post(
        "/admin/inbox/halaman-ppid/sop/keberatan",
        data={"file": (io.BytesIO(scripted), "sop.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "PDF memuat skrip" in resp.text
    broken = b"%PDF-1.4\nnothing here"
    resp = client.post(
        "/admin/inbox/halaman-ppid/sop/keberatan",
        data={"file": (io.BytesIO(broken), "sop.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "PDF rusak" in resp.text
    assert client.get("/ppid/sop/keberatan.pdf").status_code == 404

    good = _pdf("SOP Keberatan")
    resp = client.post(
        "/admin/inbox/halaman-ppid/sop/keberatan",
        data={"file": (io.BytesIO(good), "apa saja.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    served = client.get("/ppid/sop/keberatan.pdf")
    assert served.status_code == 200 and served.data == good
    assert served.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert 'href="/ppid/sop/keberatan.pdf"' in client.get("/ppid/sop").text
    assert client.get("/ppid/sop/lain.pdf").status_code == 404


def test_structure_and_a_page_per_pembantu(client, utama):
    dinkes = accounts.get_or_create_unit("Dinas Kesehatan")
    db.session.commit()
    resp = client.post(
        f"/admin/inbox/halaman-ppid/kantor/{dinkes.id}",
        data={
            "about": "<p>Melayani informasi kesehatan.</p><script>x()</script>",
            "officers": "dr. Sari Dewi — Kepala Dinas\nAndi Wijaya — Petugas Layanan",
            "address": "Jl. Pahlawan No. 1",
            "phone": "(021) 880-1234",
            "email": "PPID@dinkes.example.go.id",
            "hours": "Senin–Jumat 08.00–15.00 WIB",
        },
    )
    assert resp.status_code == 302
    row = db.session.scalar(select(PpidOffice).where(PpidOffice.unit_key == dinkes.id))
    assert "<script" not in row.about_html and row.email == "ppid@dinkes.example.go.id"
    structure = client.get("/ppid/struktur").text
    assert f'href="/ppid/pembantu/{dinkes.slug}"' in structure and "PPID Pembantu Dinas Kesehatan" in structure
    page = client.get(f"/ppid/pembantu/{dinkes.slug}").text
    assert "Melayani informasi kesehatan." in page and "x()" not in page
    assert "<strong>dr. Sari Dewi</strong> — Kepala Dinas" in page
    assert "(021) 880-1234" in page and "mailto:ppid@dinkes.example.go.id" in page
    assert client.get("/ppid/pembantu/tidak-ada").status_code == 404


def test_a_pembantu_page_has_default_text_until_edited(client):
    unit = accounts.get_or_create_unit("Badan Pendapatan Daerah")
    db.session.commit()
    page = client.get(f"/ppid/pembantu/{unit.slug}").text
    assert "PPID Pembantu Badan Pendapatan Daerah membantu PPID Utama" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "bukan-email", "Alamat e-mail tidak valid."),
        ("phone", "telepon <b>", "Nomor telepon hanya boleh berisi angka"),
        ("about", "", "Uraian tugas wajib diisi dengan teks."),
        ("officers", "\n".join(f"Orang {i} — Staf" for i in range(31)), "Paling banyak 30"),
    ],
)
def test_bad_office_input_names_the_field(client, utama, field, value, message):
    data = {"about": "<p>Tugas.</p>", "officers": "", "address": "", "phone": "", "email": "", "hours": ""}
    data[field] = value
    resp = client.post("/admin/inbox/halaman-ppid/kantor/utama", data=data)
    assert resp.status_code == 400
    assert message in resp.text and f'id="{field}-error"' in resp.text
    assert db.session.scalar(select(PpidOffice.id)) is None


def test_the_utama_profile_edit_shows_on_the_structure(client, utama):
    client.post(
        "/admin/inbox/halaman-ppid/kantor/utama",
        data={"about": "<p>Koordinator layanan.</p>", "officers": "Budi — Sekretaris Daerah", "phone": "021 123"},
    )
    page = client.get("/ppid/struktur").text
    assert "Koordinator layanan." in page and "<strong>Budi</strong> — Sekretaris Daerah" in page
    assert client.get("/admin/inbox/halaman-ppid/kantor/999").status_code == 404


def test_the_editor_lists_every_page_sop_and_office(client, utama):
    unit = accounts.get_or_create_unit("Dinas Perhubungan")
    db.session.commit()
    page = client.get("/admin/inbox/halaman-ppid").text
    for slug in ("maklumat", "jam-layanan", "alur-layanan", "sop", "struktur"):
        assert f'href="/admin/inbox/halaman-ppid/{slug}"' in page
    for kind in ("permohonan", "keberatan", "uji-konsekuensi", "penetapan-dip"):
        assert f'action="/admin/inbox/halaman-ppid/sop/{kind}"' in page
    assert 'href="/admin/inbox/halaman-ppid/kantor/utama"' in page
    assert f'href="/admin/inbox/halaman-ppid/kantor/{unit.id}"' in page
    assert 'href="/admin/inbox/standar-biaya"' in page
    edit = client.get("/admin/inbox/halaman-ppid/maklumat").text
    assert "sanggup menyelenggarakan" in edit  # starts from the text shown today
