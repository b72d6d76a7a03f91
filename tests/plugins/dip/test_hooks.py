"""The hooks the DIP implements and fires, plus demo data and periodic tasks."""

from __future__ import annotations

from datetime import datetime

import time_machine
from sqlalchemy import func, select

from cms.extensions import db
from cms.plugins import hook
from plugins.dip.models import DipEntry
from tests.plugins.dip.conftest import PDF


def test_hook_cms_dip_add_document(dip_app, tmp_path, client):
    source = tmp_path / "jawaban.pdf"
    source.write_bytes(PDF)
    entry_id = hook().cms_dip_add_document(
        title="Salinan kontrak pengadaan <b>jalan</b>",
        summary="Jawaban permohonan 012/PPID/2025",
        unit_id=None,
        year=2025,
        file_path=str(source),
        file_name="kontrak.pdf",
        source="012/PPID/2025",
    )
    entry = db.session.get(DipEntry, entry_id)
    assert entry.title == "Salinan kontrak pengadaan jalan"
    assert entry.category == "setiap_saat" and entry.published_at is not None
    assert entry.source == "012/PPID/2025"
    assert [d.file_name for d in entry.documents] == ["kontrak.pdf"]
    document = client.get(f"/ppid/dip/dokumen/{entry.documents[0].id}/kontrak.pdf")
    assert document.data == PDF
    source.unlink()  # the DIP keeps its own copy
    assert client.get(f"/ppid/dip/dokumen/{entry.documents[0].id}/kontrak.pdf").data == PDF
    # Without a file: a published entry that points nowhere yet.
    bare = hook().cms_dip_add_document(
        title="Data tanpa berkas",
        summary="",
        unit_id=None,
        year=2025,
        file_path=None,
        file_name=None,
        source="013/PPID/2025",
    )
    assert db.session.get(DipEntry, bare).documents == []


def test_hook_cms_dip_suggest(dip_app, make_entry):
    make_entry("Laporan realisasi anggaran Dinas Kesehatan 2024")
    make_entry("Struktur organisasi Dinas Perhubungan")
    make_entry("Anggaran rahasia draf", published=False)
    results = [
        r
        for group in hook().cms_dip_suggest(text="Saya meminta salinan laporan realisasi anggaran tahun 2024", limit=5)
        for r in group
    ]
    assert results[0]["title"] == "Laporan realisasi anggaran Dinas Kesehatan 2024"
    assert results[0]["url"].startswith("http://warta.test/ppid/dip/")
    assert all("draf" not in r["title"] for r in results)
    assert [r for g in hook().cms_dip_suggest(text="!!! ???", limit=5) for r in g] == []
    assert len([r for g in hook().cms_dip_suggest(text="dinas", limit=1) for r in g]) == 1


def test_hook_cms_serta_merta_published(client, login, make_user, events):
    login(make_user("ppid"))
    data = {
        "year": "2025",
        "category": "serta_merta",
        "title": "Banjir di Bekasi Utara: titik pengungsian",
        "description": "Warga diminta menuju posko di kantor kecamatan.",
        "unit_id": "0",
        "softcopy": "y",
        "publish": "y",
    }
    client.post("/admin/dip/baru", data=data)
    assert len(events.serta_merta) == 1
    event = events.serta_merta[0]
    entry = db.session.scalar(select(DipEntry))
    assert event["title"] == "Banjir di Bekasi Utara: titik pengungsian"
    assert event["summary"] == "Warga diminta menuju posko di kantor kecamatan."
    assert event["url"] == f"http://warta.test/ppid/dip/{entry.id}"
    # Editing a published item does not announce it again; berkala items are never announced.
    client.post(f"/admin/dip/{entry.id}", data=data | {"title": "Banjir: posko diperbarui"})
    client.post("/admin/dip/baru", data=data | {"category": "berkala", "title": "Profil"})
    assert len(events.serta_merta) == 1


def test_a_failing_listener_never_blocks_publication(make_app):
    from cms import hookimpl

    class Broken:
        @hookimpl
        def cms_serta_merta_published(self, title, summary, url):
            raise RuntimeError("social network down")

    app = make_app(enabled=["dip"], plugins=[Broken()])
    with app.app_context():
        from plugins.dip.services import save_entry

        entry = save_entry(
            None,
            {
                "year": 2025,
                "category": "serta_merta",
                "title": "Darurat",
                "jenis": "",
                "description_html": "",
                "description_text": "",
            },
            publish=True,
        )
        assert entry.published_at is not None


def test_hook_cms_tpl_home_top(client, dip_app):
    from plugins.dip.reminders import banner_expiry
    from plugins.dip.services import save_entry

    data = {
        "year": 2025,
        "category": "serta_merta",
        "title": "Peringatan <banjir> Kali Bekasi",
        "jenis": "",
        "description_html": "",
        "description_text": "",
    }
    with time_machine.travel(datetime(2025, 6, 1, 2, 0), tick=False):
        assert "Informasi serta merta" not in client.get("/").get_data(as_text=True)  # cached by core
        save_entry(None, dict(data), publish=True)
        save_entry(None, dict(data, category="berkala", title="Profil dinas"), publish=True)
        home = client.get("/").get_data(as_text=True)
        assert "Informasi serta merta" in home and "Peringatan &lt;banjir&gt; Kali Bekasi" in home
        assert "Profil dinas" not in home
    with time_machine.travel(datetime(2025, 6, 8, 2, 30), tick=False):
        assert banner_expiry() == 1  # the worker marks the home page as changed
        assert "Informasi serta merta" not in client.get("/").get_data(as_text=True)


def test_demo_data_is_idempotent(dip_app, client):
    hook().cms_demo_data()
    hook().cms_demo_data()
    assert db.session.scalar(select(func.count()).select_from(DipEntry)) == 5
    assert "Struktur organisasi Dinas Komunikasi" in client.get("/ppid/dip").get_data(as_text=True)
    assert "[Demo] Data pribadi penduduk" in client.get("/ppid/dik").get_data(as_text=True)


def test_periodic_tasks_are_declared(dip_app):
    from cms.jobs import periodic_tasks

    names = {task.name for task in periodic_tasks(dip_app)}
    assert {"dip.dik_expiry", "dip.stale_digest", "dip.banner_expiry"} <= names


def test_stale_digest_mails_the_ppid_utama(dip_app, make_entry, make_user, smtp):
    from plugins.dip.reminders import stale_digest
    from tests.plugins.dip.conftest import body

    make_user("ppid")
    with time_machine.travel(datetime(2025, 6, 1, 2, 0), tick=False):
        from datetime import date

        make_entry("Lama", category="berkala", made_on=date(2023, 1, 1))
        assert stale_digest() == {"stale": 1, "berkala": 1}
    assert len(smtp.messages) == 1
    assert "1 entri DIP belum ditinjau lebih dari setahun" in body(smtp.messages[0])


def test_hook_cms_dip_describe(dip_app, make_entry):
    entry = make_entry("Rencana kerja Dinas Kesehatan 2025")
    draft = make_entry("Rancangan belum terbit", published=False)
    found = hook().cms_dip_describe(entry_id=entry.id)
    assert found == {
        "title": "Rencana kerja Dinas Kesehatan 2025",
        "url": f"http://warta.test/ppid/dip/{entry.id}",
        "unit_id": entry.unit_id,
        "published": True,
    }
    assert hook().cms_dip_describe(entry_id=draft.id)["published"] is False
    assert hook().cms_dip_describe(entry_id=999_999) is None


def test_the_item_page_offers_a_request_about_it(client, make_entry):
    entry = make_entry("Data stunting 2025")
    draft = make_entry("Draf data gizi", published=False)
    page = client.get(f"/ppid/dip/{entry.id}").text
    assert f'href="/ppid/permohonan?dip={entry.id}"' in page and "Ajukan permohonan" in page
    assert db.session.get(DipEntry, draft.id) is not None
    assert client.get(f"/ppid/dip/{draft.id}").status_code == 404  # drafts are not public at all


def test_demo_data_creates_no_unit_named_ppid_utama(dip_app):
    """The PPID Utama is no unit: a demo unit of that name showed as
    "PPID Pembantu PPID Utama" on /ppid/struktur and in every unit list."""
    from sqlalchemy import select

    from cms.extensions import db
    from cms.models import Unit

    hook().cms_demo_data()
    names = db.session.scalars(select(Unit.name)).all()
    assert "Dinas Komunikasi dan Informatika" in names
    assert "PPID Utama" not in names
