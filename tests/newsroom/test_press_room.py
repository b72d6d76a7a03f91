"""The press room (/media): contacts with vCards, boilerplate, media kit,
latest releases and feeds; and its admin (bad input keeps what was typed)."""

from __future__ import annotations

import io
import zipfile

import pytest
import vobject
from PIL import Image
from pypdf import PdfReader

from cms.extensions import db
from cms.models import PressContact
from cms.newsroom import media_kit, press_contacts, press_room
from tests.newsroom.conftest import jpeg_with_gps


@pytest.fixture
def app(make_app, recorder):
    app = make_app(plugins=[recorder], CMS_INSTITUTION="Pemerintah Kota Bekasi", CMS_RELEASE_CITY="Bekasi")
    with app.app_context():
        yield app


def add_contact(**fields) -> PressContact:
    data = {"name": "Rina Kusuma", "role": "Kepala Bagian Humas", "phone": "0812-3456-7890", "whatsapp": True}
    data.update(fields)
    return press_contacts.save(None, press_contacts.ContactData(**data), None)


def upload_photo(client, name="taman.jpg"):
    data = {"file": (io.BytesIO(jpeg_with_gps((2400, 1600))), name), "alt": "Taman kota"}
    response = client.post("/admin/media", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]


def test_press_room_lists_contacts_boilerplate_kit_releases_and_feeds(app, client, make_post):
    add_contact(email="rina@bekasikota.go.id")
    add_contact(name="Budi Santoso", role="Staf Humas", phone="(021) 8897 0001", whatsapp=False)
    press_room.save_boilerplate("Kota Bekasi dihuni 2,6 juta jiwa.\n\nPemerintah kota melayani 12 kecamatan.", None)
    make_post("published", title="Pemkot Buka Pendaftaran Beasiswa")
    make_post("draft", title="Naskah Rahasia Belum Terbit")

    html = client.get("/media").get_data(as_text=True)
    assert client.get("/media/").status_code == 200
    assert "Rina Kusuma" in html and "Kepala Bagian Humas" in html
    assert 'href="https://wa.me/6281234567890"' in html
    assert 'href="mailto:rina@bekasikota.go.id"' in html
    assert "Budi Santoso" in html and "wa.me/62218897" not in html  # a landline gets no WhatsApp link
    assert "/media/narahubung/" in html and ".vcf" in html
    assert "Tentang Pemerintah Kota Bekasi" in html and "<p>Pemerintah kota melayani 12 kecamatan.</p>" in html
    assert 'href="/media/kit-media.zip"' in html
    assert "Pemkot Buka Pendaftaran Beasiswa" in html and "Naskah Rahasia" not in html
    assert 'href="/feeds/siaran-pers/rss.xml"' in html and 'href="/feeds/langganan"' in html


def test_media_files_keep_their_urls_beside_the_press_room(app, client, users, login):
    login(users["editor"])
    upload_photo(client)
    from cms.models import Media

    media = db.session.scalars(db.select(Media)).first()
    response = client.get(f"/media/{media.path}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"


def test_vcards_parse_back_with_vobject(app, client):
    contact = add_contact(email="rina@bekasikota.go.id")
    response = client.get(f"/media/narahubung/{contact.id}.vcf")
    assert response.mimetype == "text/vcard"
    card = vobject.readOne(response.get_data(as_text=True))
    assert card.fn.value == "Rina Kusuma"
    assert card.n.value.family == "Kusuma" and card.n.value.given == "Rina"
    assert card.tel.value == "+6281234567890" and "CELL" in card.tel.params["TYPE"]
    assert card.email.value == "rina@bekasikota.go.id"
    assert card.org.value == ["Pemerintah Kota Bekasi"]
    assert card.title.value == "Kepala Bagian Humas"
    assert card.url.value == "https://wa.me/6281234567890"
    contact.active = False
    db.session.commit()
    assert client.get(f"/media/narahubung/{contact.id}.vcf").status_code == 404


def test_media_kit_zip_holds_logos_fact_sheet_photos_and_credits(app, client, users, login):
    login(users["editor"])
    upload_photo(client, "taman-kota.jpg")
    from cms.models import Media

    media = db.session.scalars(db.select(Media)).first()
    add_contact(email="rina@bekasikota.go.id")
    press_room.save_boilerplate("Kota Bekasi dihuni 2,6 juta jiwa.", None)
    response = client.post(
        "/admin/ruang-media/foto", data={"photo": [str(media.id)], f"credit-{media.id}": "Humas/Andi"}
    )
    assert response.status_code == 302

    response = client.get("/media/kit-media.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    etag = response.headers["ETag"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = set(archive.namelist())
    assert {"logo/logo-128.png", "logo/logo-256.png", "logo/logo-512.png", "logo/logo-1024.png"} <= names
    for size in (128, 1024):
        with Image.open(io.BytesIO(archive.read(f"logo/logo-{size}.png"))) as logo:
            assert logo.format == "PNG" and max(logo.size) == size
    photo = "foto/01-taman-kota.jpg"
    assert photo in names
    with Image.open(io.BytesIO(archive.read(photo))) as image:
        assert image.size == (media.width, media.height) and max(image.size) >= 1600
    credits = archive.read("credits.txt").decode()
    assert f"{photo}: Humas/Andi" in credits
    fact = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("lembar-fakta.pdf"))).pages)
    assert "Tentang Pemerintah Kota Bekasi" in fact and "2,6 juta jiwa" in fact and "Rina Kusuma" in fact
    assert vobject.readOne(archive.read("narahubung/rina-kusuma.vcf").decode()).fn.value == "Rina Kusuma"

    # Unchanged: the same file, and a conditional request gets 304.
    assert client.get("/media/kit-media.zip", headers={"If-None-Match": etag}).status_code == 304
    # A change to what it holds rebuilds it under a new ETag.
    add_contact(name="Budi Santoso", phone="0813-1111-2222")
    again = client.get("/media/kit-media.zip")
    assert again.headers["ETag"] != etag
    assert "narahubung/budi-santoso.vcf" in zipfile.ZipFile(io.BytesIO(again.get_data())).namelist()
    assert len(list(media_kit.kit_path("x").parent.glob("media-kit-*.zip"))) == 1  # the old kit is gone


def test_kit_photos_need_a_credit(app, client, users, login):
    login(users["editor"])
    upload_photo(client, "pasar.jpg")
    from cms.models import Media

    media = db.session.scalars(db.select(Media)).first()
    response = client.post("/admin/ruang-media/foto", data={"photo": [str(media.id)], f"credit-{media.id}": " "})
    assert response.status_code == 400
    assert "Tulis kredit foto untuk: pasar.jpg" in response.get_data(as_text=True)


def test_contact_form_refuses_bad_email_and_phone_keeping_what_was_typed(app, client, users, login):
    login(users["editor"])
    typed = {"name": "Sari Wulandari", "role": "Pranata Humas", "phone": "12ab", "email": "sari@", "active": "y"}
    response = client.post("/admin/ruang-media/narahubung/baru", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Sari Wulandari"' in html and 'value="Pranata Humas"' in html
    assert 'value="12ab"' in html and 'value="sari@"' in html
    assert "Telepon: “12ab” bukan nomor telepon yang sah" in html
    assert "E-mail: “sari@” bukan alamat e-mail yang sah" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(PressContact)) == 0

    landline = {**typed, "phone": "(021) 8897 0001", "email": "sari@bekasikota.go.id", "whatsapp": "y"}
    html = client.post("/admin/ruang-media/narahubung/baru", data=landline).get_data(as_text=True)
    assert "bukan nomor seluler; WhatsApp tidak dapat dipakai" in html

    ok = {**landline, "whatsapp": ""}
    assert client.post("/admin/ruang-media/narahubung/baru", data=ok).status_code == 302
    saved = db.session.scalars(db.select(PressContact)).one()
    assert saved.email == "sari@bekasikota.go.id" and saved.phone == "(021) 8897 0001"


def test_only_humas_editors_manage_the_press_room(app, client, users, login):
    login(users["writer"])
    assert client.get("/admin/ruang-media/").status_code == 403
    assert (
        client.post("/admin/ruang-media/narahubung/baru", data={"name": "X", "phone": "08123456789"}).status_code == 403
    )
    login(users["editor"])
    assert client.get("/admin/ruang-media/").status_code == 200


def test_demo_fills_the_press_room_and_numbers_the_demo_releases(app, client):
    from cms.newsroom import press_demo
    from cms.timeutil import naive_utc
    from tests.conftest import new_post

    older = new_post("published", published_at=naive_utc().replace(year=2025, month=5))
    newer = new_post("published", published_at=naive_utc())
    assert press_demo.load() == 2
    assert press_demo.load() == 0  # run again: nothing doubled
    assert older.release_number.endswith("/V/2025") and older.release_number.startswith("001/")
    assert newer.release_number.startswith("001/")
    html = client.get("/media").get_data(as_text=True)
    assert "Rahmawati Putri" in html and "dua belas kecamatan" in html


def test_a_png_logo_is_never_enlarged_and_a_new_logo_rebuilds_the_kit(app, client, tmp_path):
    logo = tmp_path / "lambang.png"
    Image.new("RGBA", (300, 300), (200, 30, 30, 255)).save(logo)
    app.config["CMS_LOGO_PATH"] = str(logo)
    first = media_kit.build_media_kit()
    names = zipfile.ZipFile(media_kit.kit_path(first)).namelist()
    assert [n for n in names if n.startswith("logo/")] == ["logo/logo-128.png", "logo/logo-256.png"]
    Image.new("RGBA", (300, 300), (30, 30, 200, 255)).save(logo)
    assert media_kit.build_media_kit() != first  # the periodic check finds the new logo


def test_press_room_urls_refuse_bad_input_without_500(app, client):
    assert client.get("/media/narahubung/99999999999999999999.vcf").status_code == 404
    assert client.get("/media/narahubung/abc.vcf").status_code == 404
    assert client.get("/siaran-pers/%00.pdf").status_code in (400, 404)
    assert client.get("/siaran-pers/tidak-ada.pdf").status_code == 404


def test_the_worker_rebuilds_the_kit_on_change_and_reading_the_room_writes_nothing(app, client):
    from cms.models import PressRoom

    assert client.get("/media").status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(PressRoom)) == 0
    add_contact()  # queues press.build_media_kit (run inline in tests)
    room = db.session.get(PressRoom, 1)
    assert room.kit_digest == media_kit.digest() and media_kit.kit_path(room.kit_digest).is_file()


def test_the_lambang_set_in_identity_is_the_press_rooms_logo(app, client):
    """The admin's identity, not only the config keys, feeds the kit and the kop."""
    import io

    from cms import identity as site_identity
    from cms.newsroom.press_identity import identity

    png = io.BytesIO()
    Image.new("RGBA", (600, 600), (10, 120, 60, 255)).save(png, "PNG")
    site_identity.save(
        {"name": "Pemerintah Kota Contoh", "address": "Jl. Contoh No. 9"}, logo=(png.getvalue(), "lambang.png")
    )
    db.session.commit()
    press = identity()
    assert press.name == "Pemerintah Kota Contoh" and press.address == "Jl. Contoh No. 9"
    assert Image.open(press.logo).size == (600, 600)  # re-encoded without metadata, same picture
    names = zipfile.ZipFile(media_kit.kit_path(media_kit.build_media_kit())).namelist()
    assert "logo/logo-512.png" in names and "logo/logo-1024.png" not in names  # 600 px: never enlarged


def test_two_kit_builds_at_once_do_not_share_a_temporary_file(app, tmp_path):
    """The worker and a periodic run may build together; each writes its own file."""
    import threading

    targets = [tmp_path / "kit-a.zip", tmp_path / "kit-a.zip"]
    errors: list[BaseException] = []

    def build(target):
        try:
            with app.app_context():
                media_kit.write_zip(target)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(t,)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert "lembar-fakta.pdf" in zipfile.ZipFile(targets[0]).namelist()
    assert list(tmp_path.glob("*.tmp")) == []
