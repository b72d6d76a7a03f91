"""Merging two units that are one OPD under two names: core moves users and
posts, each plugin moves its rows through ``cms_units_merged``, all in one
audited transaction behind a confirmation step that only the PPID Utama
(or an admin) may take."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cms import accounts, hookimpl
from cms.errors import FieldError
from cms.extensions import db
from cms.models import AuditLog, Post, Unit, User
from tests.conftest import PASSWORD


def _units(*names):
    units = [accounts.get_or_create_unit(name) for name in names]
    db.session.commit()
    return units


def _login(client, user):
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code in (302, 303)


class Recorder:
    def __init__(self, refuse=False):
        self.calls, self.refuse = [], refuse

    @hookimpl
    def cms_units_merged(self, source_id, target_id):
        self.calls.append((source_id, target_id))
        if self.refuse:
            raise FieldError("Plugin menolak penggabungan.", "source")
        return {"recorder_rows": 4}


def test_hook_cms_units_merged(make_app, make_user):
    recorder = Recorder()
    app = make_app(plugins=[recorder])
    with app.app_context():
        old, new = _units("Dinas Kominfo", "Dinas Komunikasi dan Informatika")
        officer = make_user("ppid_unit", unit=old)
        post = Post(kind="berita", title="Berita", slug="berita-kominfo", body_html="", unit_id=old.id)
        db.session.add(post)
        db.session.commit()
        old_id, new_id = old.id, new.id
        moved = accounts.merge_units(old, new)
        assert recorder.calls == [(old_id, new_id)]
        assert moved == {"user_account": 1, "post": 1, "recorder_rows": 4}
        db.session.expire_all()
        assert db.session.get(Unit, old_id) is None
        assert db.session.get(User, officer.id).unit_id == new_id
        assert db.session.get(Post, post.id).unit_id == new_id
        entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "unit.merge"))
        assert entry.object_id == str(new_id)
        assert entry.detail["source"] == "Dinas Kominfo" and entry.detail["moved"]["recorder_rows"] == 4


def test_a_refusing_plugin_undoes_the_whole_merge(make_app, make_user):
    app = make_app(plugins=[Recorder(refuse=True)])
    with app.app_context():
        old, new = _units("Bappeda", "Badan Perencanaan Pembangunan Daerah")
        officer = make_user("ppid_unit", unit=old)
        old_id = old.id
        with pytest.raises(FieldError, match="menolak"):
            accounts.merge_units(old, new)
        db.session.expire_all()
        assert db.session.get(Unit, old_id) is not None
        assert db.session.get(User, officer.id).unit_id == old_id
        assert db.session.scalar(select(AuditLog).where(AuditLog.action == "unit.merge")) is None


def _plugin_rows(old, new):
    """One row of each plugin's unit-bound tables on ``old`` (and a kop on both)."""
    from plugins.crosspost.models import CrosspostAccount
    from plugins.dip.models import DikEntry, DipEntry
    from plugins.inbox import services
    from plugins.inbox.letter_models import Letterhead
    from plugins.inbox.ppid_page_models import PpidOffice
    from tests.plugins.inbox.conftest import form_data

    req, _code = services.create_request(form_data())
    req.unit_id = old.id
    db.session.add_all(
        [
            DipEntry(title="Renstra", category="berkala", year=2025, unit_id=old.id),
            DikEntry(year=2025, unit_id=old.id, information="Data pribadi pegawai"),
            CrosspostAccount(channel="telegram", name="Kanal OPD", unit_id=old.id),
            Letterhead(unit_key=old.id, unit_name="Kop lama"),
            Letterhead(unit_key=new.id, unit_name="Kop tujuan"),
            PpidOffice(unit_key=old.id, about_html="<p>Profil lama</p>"),
        ]
    )
    db.session.commit()
    return req.id


def test_the_utama_merges_through_a_confirmation_and_every_plugin_moves_its_rows(app, client, make_user):
    from plugins.crosspost.models import CrosspostAccount
    from plugins.dip.models import DikEntry, DipEntry
    from plugins.inbox.letter_models import Letterhead
    from plugins.inbox.models import InfoRequest
    from plugins.inbox.ppid_page_models import PpidOffice

    old, new = _units("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil")
    old_id, new_id = old.id, new.id
    request_id = _plugin_rows(old, new)
    officer = make_user("ppid_unit", unit=old)
    _login(client, make_user("ppid"))

    step = client.post("/admin/units/merge", data={"source": old_id, "target": new_id})
    assert step.status_code == 200
    assert "Disdukcapil digabungkan ke Dinas Kependudukan dan Pencatatan Sipil; 1 pengguna ikut pindah." in step.text
    assert 'name="confirm" value="1"' in step.text
    assert "jawaban dan pengaduan e-Monev" in step.text  # the monev plugin moves its rows too
    assert "Nama Disdukcapil dan alamat /unit/disdukcapil/ tetap dikenali sebagai nama lama" in step.text
    assert db.session.get(Unit, old_id) is not None  # nothing happens before the confirmation

    done = client.post("/admin/units/merge", data={"source": old_id, "target": new_id, "confirm": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, old_id) is None
    assert db.session.get(User, officer.id).unit_id == new_id
    assert db.session.get(InfoRequest, request_id).unit_id == new_id
    assert db.session.scalar(select(DipEntry.unit_id)) == new_id
    assert db.session.scalar(select(DikEntry.unit_id)) == new_id
    assert db.session.scalar(select(CrosspostAccount.unit_id)) == new_id
    assert [h.unit_name for h in db.session.scalars(select(Letterhead))] == ["Kop tujuan"]  # the target's kop wins
    assert db.session.scalar(select(PpidOffice.unit_key)) == new_id
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "unit.merge"))
    assert entry.detail["moved"] == {
        "user_account": 1,
        "post": 0,
        "inbox_request": 1,
        "inbox_letter": 0,
        "inbox_letterhead": 0,
        "inbox_ppid_office": 1,
        "inbox_report_text": 0,
        "dip_entry": 1,
        "dip_dik": 1,
        "crosspost_account": 1,
    }


@pytest.mark.parametrize("role", ["ppid_unit", "atasan", "editor", "writer"])
def test_only_the_utama_or_an_admin_may_merge(app, client, make_user, role):
    old, new = _units("Dinas A", "Dinas B")
    _login(client, make_user(role, unit=old if role == "ppid_unit" else None))
    assert client.get("/admin/units/merge").status_code == 403
    resp = client.post("/admin/units/merge", data={"source": old.id, "target": new.id, "confirm": "1"})
    assert resp.status_code == 403
    assert db.session.get(Unit, old.id) is not None


def test_an_admin_may_merge(app, client, make_user):
    old, new = _units("Kecamatan X", "Kec. X")
    _login(client, make_user("admin"))
    assert "Gabungkan unit" in client.get("/admin/units/merge").text
    assert (
        client.post("/admin/units/merge", data={"source": old.id, "target": new.id, "confirm": "1"}).status_code == 302
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"source": "same", "target": "same"}, "target", "Pilih dua unit yang berbeda."),
        ({"source": "0", "target": "b"}, "source", "Pilih unit yang digabungkan."),
        ({"source": "a", "target": "0"}, "target", "Pilih unit tujuan."),
        ({"source": "99999", "target": "b"}, "source", ""),
    ],
)
def test_bad_choices_are_form_errors(app, client, make_user, data, field, message):
    a, b = _units("Unit A", "Unit B")
    ids = {"same": a.id, "a": a.id, "b": b.id}
    _login(client, make_user("ppid"))
    payload = {k: ids.get(v, v) for k, v in data.items()} | {"confirm": "1"}
    resp = client.post("/admin/units/merge", data=payload)
    assert resp.status_code == 400
    assert f'id="{field}-error"' in resp.text and message in resp.text
    assert db.session.get(Unit, a.id) is not None and db.session.get(Unit, b.id) is not None


def _merged_with_alias(client, make_user):
    """Merge "Disdukcapil" into the full name through the admin; returns both names' kept unit."""
    old, new = _units("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil")
    old_id, new_slug = old.id, new.slug
    _login(client, make_user("ppid"))
    client.post("/admin/units/merge", data={"source": old_id, "target": new.id, "confirm": "1"})
    db.session.expire_all()
    assert db.session.get(Unit, old_id) is None
    return new_slug


def test_the_merge_keeps_the_old_name_and_slug_as_an_alias_and_audits_it(app, client, make_user):
    from cms.models import UnitAlias

    new_slug = _merged_with_alias(client, make_user)
    alias = db.session.scalar(select(UnitAlias))
    assert (alias.name, alias.slug, alias.unit.slug) == ("Disdukcapil", "disdukcapil", new_slug)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "unit.merge"))
    assert entry.detail["alias"] == {"name": "Disdukcapil", "slug": "disdukcapil"}


def test_old_public_urls_of_the_merged_unit_redirect_for_good(app, client, make_user):
    new_slug = _merged_with_alias(client, make_user)
    client.post("/logout")
    for old, new in (
        ("/unit/disdukcapil/?page=1", f"/unit/{new_slug}/?page=1"),
        ("/feeds/unit/disdukcapil/rss.xml", f"/feeds/unit/{new_slug}/rss.xml"),
        ("/ppid/pembantu/disdukcapil", f"/ppid/pembantu/{new_slug}"),
    ):
        resp = client.get(old)
        assert resp.status_code == 301, old
        assert resp.headers["Location"] == new, old
        assert client.get(new).status_code == 200, new
    assert client.get("/unit/tidak-pernah-ada/").status_code == 404  # only aliases move
    assert client.get("/ppid/pembantu/tidak-pernah-ada").status_code == 404
    assert client.get("/feeds/unit/disdukcapil/bukan.xml").status_code == 404


def test_an_import_naming_the_old_unit_lands_on_the_kept_one(app, client, make_user, tmp_path):
    from plugins.dip.importer import Importer
    from plugins.dip.models import DipEntry

    new_slug = _merged_with_alias(client, make_user)
    path = tmp_path / "dip.csv"
    path.write_text("Ringkasan,Kategori,OPD\nData kependudukan semester I,Berkala,DISDUKCAPIL\n", encoding="utf-8")
    assert Importer(year=2025).run(path).created == 1
    entry = db.session.scalar(select(DipEntry))
    assert entry.unit_id == db.session.scalar(select(Unit.id).where(Unit.slug == new_slug))
    assert db.session.scalar(select(Unit).where(Unit.name.ilike("disdukcapil"))) is None  # not created again
    with pytest.raises(accounts.AccountError, match="sudah ada"):
        accounts.create_unit("Disdukcapil")


def test_a_second_merge_carries_the_first_alias_along(app, client, make_user):
    new_slug = _merged_with_alias(client, make_user)
    kept = db.session.scalar(select(Unit).where(Unit.slug == new_slug))
    (final,) = _units("Disdukcapil Kota")
    final_slug = final.slug
    accounts.merge_units(kept, final)
    client.post("/logout")
    assert client.get("/unit/disdukcapil/").headers["Location"] == f"/unit/{final_slug}/"
    assert client.get(f"/unit/{new_slug}/").headers["Location"] == f"/unit/{final_slug}/"
    assert accounts.find_unit("Disdukcapil").slug == final_slug
