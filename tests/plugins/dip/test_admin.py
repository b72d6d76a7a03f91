"""Staff editing: roles and units, uploads, validation, audit, the yearly cycle and flags."""

from __future__ import annotations

import io
from datetime import date, datetime

import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.dip.models import DikEntry, DipDecree, DipEntry
from tests.plugins.dip.conftest import FILES, PDF


def _form(**over):
    data = {
        "year": "2025",
        "category": "berkala",
        "jenis": "Regulasi",
        "title": "Perwal layanan informasi",
        "description": "<p>Isi</p>",
        "unit_id": "0",
        "official": "",
        "responsible": "Kabag Hukum",
        "made_on": "2025-01-10",
        "made_place": "Bekasi",
        "softcopy": "y",
        "retention": "5 tahun",
        "reviewed_on": "",
        "links": "",
    }
    data.update(over)
    return data


def test_ppid_creates_an_entry_with_a_document_and_it_is_audited(client, login, make_user):
    login(make_user("ppid"))
    data = _form(publish="y", links="https://jdih.example.go.id/a.pdf", document=(io.BytesIO(PDF), "perwal final.pdf"))
    response = client.post("/admin/dip/baru", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    entry = db.session.scalar(select(DipEntry))
    assert entry.published_at is not None and entry.kode == f"WRT-{entry.id}"
    assert [d.file_name for d in entry.documents] == ["perwal_final.pdf"]
    assert [link.url for link in entry.links] == ["https://jdih.example.go.id/a.pdf"]
    actions = db.session.scalars(select(AuditLog.action).where(AuditLog.object_type == "dip_entry")).all()
    assert {"dip.create", "dip.publish", "dip.document.add"} <= set(actions)
    public = client.get(f"/ppid/dip/dokumen/{entry.documents[0].id}/perwal_final.pdf")
    assert public.data == PDF


def test_bad_input_names_the_field_and_keeps_what_was_typed(client, login, make_user):
    login(make_user("ppid"))
    response = client.post(
        "/admin/dip/baru", data=_form(title="Judul yang diketik", made_on="32/13/2025", links="javascript:alert(1)")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tanggal tidak dapat dibaca" in page or "Tautan harus diawali" in page
    assert "Judul yang diketik" in page
    response = client.post("/admin/dip/baru", data=_form(links="javascript:alert(1)"))
    assert "Tautan harus diawali http:// atau https:// (ditolak: javascript)" in response.get_data(as_text=True)
    response = client.post("/admin/dip/baru", data=_form(title=""))
    assert "Ringkasan isi informasi wajib diisi." in response.get_data(as_text=True)
    fake = client.post(
        "/admin/dip/baru",
        data=_form(document=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "laporan.pdf")),
        content_type="multipart/form-data",
    )
    assert "Jenis berkas tidak diizinkan" in fake.get_data(as_text=True)
    assert db.session.scalar(select(DipEntry)) is None


def test_upload_size_limit(client, login, make_user, dip_app):
    dip_app.config["DIP_MAX_UPLOAD_MB"] = 1
    login(make_user("ppid"))
    big = PDF + b"0" * (1024 * 1024 + 10)
    response = client.post(
        "/admin/dip/baru", data=_form(document=(io.BytesIO(big), "besar.pdf")), content_type="multipart/form-data"
    )
    assert "Berkas terlalu besar" in response.get_data(as_text=True)


def test_ppid_unit_edits_only_its_units_entries(client, login, make_user, make_entry):
    own = make_entry("Milik Dinkes", unit="Dinas Kesehatan")
    other = make_entry("Milik Dishub", unit="Dinas Perhubungan")
    utama = make_entry("Milik PPID Utama", unit=None)
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    listing = client.get("/admin/dip/").get_data(as_text=True)
    assert "Milik Dinkes" in listing and "Milik Dishub" not in listing and "Milik PPID Utama" not in listing
    assert client.get(f"/admin/dip/{own.id}").status_code == 200
    assert client.get(f"/admin/dip/{other.id}").status_code == 403
    assert client.get(f"/admin/dip/{utama.id}").status_code == 403
    assert client.post(f"/admin/dip/{other.id}/hapus").status_code == 403
    dishub = other.unit_id
    response = client.post("/admin/dip/baru", data=_form(unit_id=str(dishub)))
    assert "Pilihan tidak valid." in response.get_data(as_text=True)
    assert client.get("/admin/dip/impor").status_code == 403  # import is for the PPID Utama
    denied = db.session.scalars(select(AuditLog).where(AuditLog.action == "access.denied")).all()
    assert len(denied) >= 3
    response = client.post(
        f"/admin/dip/{own.id}", data=_form(title="Milik Dinkes (diperbarui)", unit_id=str(own.unit_id))
    )
    assert response.status_code == 302
    assert db.session.get(DipEntry, own.id).title == "Milik Dinkes (diperbarui)"
    update = db.session.scalar(select(AuditLog).where(AuditLog.action == "dip.update"))
    assert update.detail["title"] == ["Milik Dinkes", "Milik Dinkes (diperbarui)"]


def test_roles_without_dip_rights_are_refused(client, login, make_user):
    assert client.get("/admin/dip/").status_code == 302  # guests go to the login page
    login(make_user("writer"))
    assert client.get("/admin/dip/").status_code == 403
    assert client.get("/admin/dip/dik/").status_code == 403


def test_forms_require_csrf(make_app, events):
    app = make_app(enabled=["dip"], WTF_CSRF_ENABLED=True)
    with app.app_context():
        from cms import accounts
        from tests.conftest import PASSWORD, csrf_token_from

        user = accounts.create_user("ppid-csrf@warta.test", "ppid", PASSWORD)
        client = app.test_client()
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/admin/dip/baru", data=_form()).status_code in (200, 400)
        assert db.session.scalar(select(DipEntry)) is None
        token = csrf_token_from(client.get("/admin/dip/baru").get_data(as_text=True))
        assert client.post("/admin/dip/baru", data=_form(csrf_token=token)).status_code == 302
        assert db.session.scalar(select(DipEntry)).title == "Perwal layanan informasi"


def test_yearly_copy_makes_reviewable_drafts_and_keeps_the_old_year(client, login, make_user, make_entry):
    make_entry("Profil 2025", year=2025, kode="K-1")
    make_entry("Laporan 2025", year=2025, kode="K-2", category="setiap_saat")
    login(make_user("ppid"))
    response = client.post("/admin/dip/tahun/salin", data={"salin-source": "2025", "salin-target": "2026"})
    assert response.status_code == 302
    copies = db.session.scalars(select(DipEntry).where(DipEntry.year == 2026)).all()
    assert sorted(c.kode for c in copies) == ["K-1", "K-2"]
    assert all(c.published_at is None and c.reviewed_on is None for c in copies)
    assert "Profil 2025" in client.get("/ppid/dip?tahun=2025").get_data(as_text=True)
    assert "Profil" not in client.get("/ppid/dip?tahun=2026").get_data(as_text=True)
    # Copying again adds nothing.
    client.post("/admin/dip/tahun/salin", data={"salin-source": "2025", "salin-target": "2026"})
    assert len(db.session.scalars(select(DipEntry).where(DipEntry.year == 2026)).all()) == 2
    # Review publishes the item in the new year; the old year stays exportable.
    client.post(f"/admin/dip/{copies[0].id}/tinjau")
    assert db.session.get(DipEntry, copies[0].id).reviewed_on == date.today()
    assert copies[0].title in client.get("/ppid/dip?tahun=2026").get_data(as_text=True)
    assert "Profil 2025" in client.get("/ppid/dip.csv?tahun=2025").get_data(as_text=True)
    client.post(
        "/admin/dip/tahun/sk",
        data={
            "sk-year": "2026",
            "sk-number": "SK 1/2026",
            "sk-signed_on": "2026-01-05",
            "sk-place": "Bekasi",
            "sk-official_name": "Ibu PPID",
        },
    )
    assert db.session.scalar(select(DipDecree.number).where(DipDecree.year == 2026)) == "SK 1/2026"
    bad = client.post("/admin/dip/tahun/sk", data={"sk-year": "2026", "sk-number": "X", "sk-signed_on": "kemarin"})
    assert bad.status_code == 422 and "Tanggal tidak dapat dibaca" in bad.get_data(as_text=True)


def test_flags_for_unreviewed_and_old_berkala_items(client, login, make_user, make_entry):
    with time_machine.travel(datetime(2025, 1, 15, 3, 0), tick=False):
        make_entry("Berkala baru", made_on=date(2025, 1, 10), reviewed_on=date(2025, 1, 10))
        make_entry("Berkala lama", made_on=date(2024, 5, 1), reviewed_on=date(2025, 1, 2))
        make_entry("Setiap saat lama", category="setiap_saat", made_on=date(2023, 3, 1))
        login(make_user("ppid"))
        page = client.get("/admin/dip/?tanda=berkala").get_data(as_text=True)
        assert "Berkala lama" in page and "Berkala baru" not in page and "Setiap saat lama" not in page
        page = client.get("/admin/dip/?tanda=tinjau").get_data(as_text=True)
        assert "Setiap saat lama" in page and "Berkala lama" not in page
        assert "Belum ditinjau lebih dari setahun" in page
        dashboard = client.get("/admin/").get_data(as_text=True)
        assert "1 entri belum ditinjau lebih dari setahun" in dashboard


def test_dik_admin_validates_legal_basis_and_reminds_before_expiry(client, login, make_user, smtp, dip_app):
    from plugins.dip.reminders import dik_expiry_reminders
    from tests.plugins.dip.conftest import body

    login(make_user("ppid"))
    data = {
        "year": "2025",
        "unit_id": "0",
        "information": "Dokumen penawaran tender sebelum pengumuman",
        "consequence": "Mengganggu persaingan usaha yang sehat.",
        "public_interest": "Dibuka setelah pemenang.",
        "period_text": "Sampai pengumuman pemenang",
        "exempt_until": "2025-03-01",
        "published": "y",
    }
    missing = client.post("/admin/dip/dik/baru", data=data)
    assert "Isi dasar hukum" in missing.get_data(as_text=True)
    assert "Dokumen penawaran tender" in missing.get_data(as_text=True)
    response = client.post("/admin/dip/dik/baru", data=data | {"pasal17": ["b", "z"]})
    assert "Huruf Pasal 17 hanya a–j." in response.get_data(as_text=True)
    response = client.post("/admin/dip/dik/baru", data=data | {"pasal17": ["b"]})
    assert response.status_code == 302
    dik = db.session.scalar(select(DikEntry))
    assert dik.legal_basis == "Pasal 17 huruf b UU 14/2008"
    assert client.get("/ppid/dik").get_data(as_text=True).count("Dokumen penawaran tender") == 1
    with time_machine.travel(datetime(2025, 2, 10, 2, 0), tick=False):
        assert dik_expiry_reminders() == 1
        assert dik_expiry_reminders() == 0  # once only
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert "akan berakhir" in message["Subject"] and "Dokumen penawaran tender" in body(message)


def test_admin_upload_runs_the_importer_and_shows_the_summary(client, login, make_user):
    login(make_user("ppid"))
    upload = (FILES / "hostile.csv").read_bytes()
    response = client.post(
        "/admin/dip/impor",
        data={"file": (io.BytesIO(upload), "hostile.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Selesai" in page
    assert "hostile.csv baris 5" in page and "Kategori tidak dikenal" in page
    assert "<script>alert" not in page
    assert db.session.scalar(select(DipEntry).where(DipEntry.kode == "H-3")) is not None
    empty = client.post("/admin/dip/impor", data={}, content_type="multipart/form-data")
    assert "Pilih berkas" in empty.get_data(as_text=True)


def test_big_uploads_go_through_the_worker_job(make_app, events):
    app = make_app(enabled=["dip"], DIP_IMPORT_INLINE_KB=0)
    with app.app_context():
        from cms import accounts
        from plugins.dip.models import DipImport
        from tests.conftest import PASSWORD

        user = accounts.create_user("ppid-big@warta.test", "ppid", PASSWORD)
        client = app.test_client()
        client.post("/login", data={"email": user.email, "password": PASSWORD})
        response = client.post(
            "/admin/dip/impor",
            data={"file": (io.BytesIO((FILES / "hostile.csv").read_bytes()), "hostile.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        run = db.session.scalar(select(DipImport))
        db.session.refresh(run)
        assert run.status == "done" and run.processed == run.total == 13
        assert run.summary["created"] == 4 and run.summary["failed"] == 9


def test_staff_preview_a_draft_but_the_public_cannot(client, login, make_user, make_entry):
    draft = make_entry("Draf perwal", published=False, unit="Dinas Kesehatan")
    assert client.get(f"/ppid/dip/{draft.id}").status_code == 404
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    page = client.get(f"/ppid/dip/{draft.id}").get_data(as_text=True)
    assert "Draf: belum tampil untuk publik." in page
    login(make_user("ppid_unit", unit="Dinas Perhubungan"))
    assert client.get(f"/ppid/dip/{draft.id}").status_code == 404
