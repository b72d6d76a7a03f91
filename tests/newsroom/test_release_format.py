"""Releases as journalists expect them: a number from the configured
pattern (once, yearly sequence, race-safe), the dateline, "###", the press
contacts at the foot, and a PDF on the kop (public releases only)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from cms.extensions import db
from cms.models import Post
from cms.newsroom import press_contacts, publishing, release_format, release_pdf
from tests.conftest import on_postgres


@pytest.fixture
def app(make_app, recorder, tmp_path):
    """On a database file (or PostgreSQL): the race below needs several connections."""
    url = None if on_postgres() else f"sqlite:///{tmp_path / 'releases.db'}"
    extra = {"SQLALCHEMY_DATABASE_URI": url} if url else {}
    app = make_app(plugins=[recorder], CMS_INSTITUTION="Pemerintah Kota Bekasi", CMS_RELEASE_CITY="Bekasi", **extra)
    with app.app_context():
        yield app


def contact(name="Rina Kusuma", **fields):
    data = {"name": name, "role": "Kepala Bagian Humas", "phone": "0812-3456-7890", "whatsapp": True}
    data.update(fields)
    return press_contacts.save(None, press_contacts.ContactData(**data), None)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_number_from_the_pattern_given_once_per_release(app, make_post):
    with time_machine.travel(datetime(2026, 12, 7, 3, 0, tzinfo=UTC), tick=False):
        first = make_post("published")
        second = make_post("published")
        news = make_post("published", kind="berita")
    assert first.release_number == "001/HUMAS/XII/2026"
    assert second.release_number == "002/HUMAS/XII/2026"
    assert news.release_number is None  # berita are not numbered
    # Withdrawn and published again: the same number, the counter untouched.
    editor = db.session.get(type(first.approved_by), first.approved_by_id)
    publishing.unpublish(first, editor)
    publishing.publish_now(first, editor)
    assert db.session.get(Post, first.id).release_number == "001/HUMAS/XII/2026"
    third = make_post("published")
    assert third.release_number.startswith("003/")


def test_the_sequence_starts_again_in_the_new_year_in_wib(app, make_post):
    # 31 December 16:59 UTC is 23:59 WIB; 17:00 UTC is already 1 January in Bekasi.
    with time_machine.travel(datetime(2026, 12, 31, 16, 59, tzinfo=UTC), tick=False):
        old_year = make_post("published")
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        new_year = make_post("published")
    assert old_year.release_number == "001/HUMAS/XII/2026"
    assert new_year.release_number == "001/HUMAS/I/2027"
    assert (new_year.release_year, new_year.release_seq) == (2027, 1)


def test_the_pattern_is_read_from_config_and_a_broken_one_falls_back(app, make_post):
    app.config["CMS_RELEASE_NUMBER_PATTERN"] = "SP-{year}-{month:02d}-{seq:04d}"
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        assert make_post("published").release_number == "SP-2026-03-0001"
        app.config["CMS_RELEASE_NUMBER_PATTERN"] = "{nomor}/HUMAS"
        assert make_post("published").release_number == "002/HUMAS/III/2026"


def test_concurrent_publications_get_distinct_numbers(app, users):
    from tests.conftest import new_post

    posts = [new_post("approved", via=(users["writer"], users["editor"])).id for _ in range(4)]
    editor_id = users["editor"].id
    barrier = threading.Barrier(len(posts), timeout=20)
    errors: list[BaseException] = []

    def publish(post_id):
        with app.app_context():
            try:
                post, editor = db.session.get(Post, post_id), db.session.get(type(users["editor"]), editor_id)
                barrier.wait()
                publishing.publish_now(post, editor)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=publish, args=(i,)) for i in posts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    db.session.expire_all()
    rows = db.session.execute(db.select(Post.release_seq, Post.release_number).where(Post.id.in_(posts))).all()
    assert sorted(seq for seq, _ in rows) == [1, 2, 3, 4]
    assert len({number for _, number in rows}) == 4


def test_release_page_has_dateline_end_mark_and_press_contacts(app, client, make_post):
    rina = contact(email="rina@bekasikota.go.id")
    budi = contact("Budi Santoso", phone="0813-1111-2222")
    post = make_post("published", title="Pemkot Buka Beasiswa")
    html = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    assert f"Nomor: {post.release_number}" in html
    assert '<span class="dateline">BEKASI —</span>' in html
    assert html.index("Isi naskah.") < html.index(">###</p>") < html.index("Rina Kusuma")
    assert "Budi Santoso" in html  # none chosen: every press contact
    assert 'href="https://wa.me/6281234567890"' in html
    assert f'href="/siaran-pers/{post.slug}.pdf"' in html

    press_contacts.choose_for_post(post, [budi.id], None)
    html = client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    assert "Budi Santoso" in html and "Rina Kusuma" not in html
    assert rina.id  # still in the press room, just not on this release


def test_news_items_keep_their_own_dateline_and_no_end_mark(app, client, make_post):
    contact()
    post = make_post("published", kind="berita", dateline="CIKARANG —")
    html = client.get(f"/berita/{post.slug}").get_data(as_text=True)
    assert '<span class="dateline">CIKARANG —</span>' in html
    assert ">###</p>" not in html and "Rina Kusuma" not in html


def test_release_pdf_has_kop_number_dateline_end_mark_and_contacts(app, client, make_post):
    contact(email="rina@bekasikota.go.id")
    post = make_post("published", title="Pemkot Buka Beasiswa", body="<p>Pendaftaran dibuka hingga Januari.</p>")
    response = client.get(f"/siaran-pers/{post.slug}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.get_data())
    assert "PEMERINTAH KOTA BEKASI" in text and "SIARAN PERS" in text
    assert f"Nomor: {post.release_number}" in text
    assert "BEKASI — Pendaftaran dibuka hingga Januari." in text
    assert "###" in text
    assert "Rina Kusuma" in text and "0812-3456-7890" in text and "rina@bekasikota.go.id" in text
    # nginx keeps it a second, so an unpublished release's PDF does not linger in the proxy.
    assert "s-maxage=1" in response.headers["Cache-Control"]
    # Printed once: the cached file answers, and the ETag revalidates.
    assert len(release_pdf.cached_files(post.id)) == 1
    etag = response.headers["ETag"]
    assert client.get(f"/siaran-pers/{post.slug}.pdf", headers={"If-None-Match": etag}).status_code == 304
    # A change to a contact changes the PDF.
    contact("Budi Santoso", phone="0813-1111-2222")
    changed = client.get(f"/siaran-pers/{post.slug}.pdf")
    assert changed.headers["ETag"] != etag and "Budi Santoso" in pdf_text(changed.get_data())
    assert len(release_pdf.cached_files(post.id)) == 1


def test_release_pdf_only_for_public_releases_or_a_valid_preview(app, client, make_post):
    draft = make_post("draft")
    assert client.get(f"/siaran-pers/{draft.slug}.pdf").status_code == 404
    embargoed = make_post("embargo")
    assert client.get(f"/siaran-pers/{embargoed.slug}.pdf").status_code == 404
    assert client.get(f"/siaran-pers/{embargoed.slug}.pdf?pratinjau=salah").status_code == 404
    preview = client.get(f"/siaran-pers/{embargoed.slug}.pdf?pratinjau={embargoed.preview_token}")
    assert preview.status_code == 200 and preview.headers["Cache-Control"] == "private, no-store"
    assert embargoed.title in pdf_text(preview.get_data())
    assert release_pdf.cached_files(embargoed.id) == []  # a preview is never kept on disk
    news = make_post("published", kind="berita")
    assert client.get(f"/siaran-pers/{news.slug}.pdf").status_code == 404
    assert release_format.END_MARK == "###"


def test_release_number_survives_an_embargo_lift(app, make_post):
    post = make_post("embargo")
    assert post.release_number is None
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=3)):
        publishing.publish_due()
    assert db.session.get(Post, post.id).release_number.startswith("001/HUMAS/")


def test_print_body_keeps_only_local_images_and_opens_with_the_dateline(app, tmp_path):
    from cms.storage import media_dir

    (media_dir() / "2026" / "12").mkdir(parents=True, exist_ok=True)
    (media_dir() / "2026" / "12" / "a.png").write_bytes(b"png")
    body = (
        '<p>Wali kota meninjau <img src="/media/2026/12/a.png" alt="a"> taman.</p>'
        '<p><img src="https://contoh.test/x.png" alt="x"><img src="/media/../../etc/passwd" alt="y">Akhir.</p>'
    )
    html = str(release_pdf.print_body(body, "BEKASI —"))
    assert html.startswith('<p><span class="dateline">BEKASI —</span> Wali kota meninjau')
    assert (media_dir() / "2026" / "12" / "a.png").resolve().as_uri() in html
    assert "contoh.test" not in html and "passwd" not in html and "Akhir." in html


def test_stored_release_pages_follow_contact_changes(app, client, make_post):
    post = make_post("published")
    assert "Sari Wulandari" not in client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)
    client.get(f"/siaran-pers/{post.slug}")  # the stored copy answers now
    contact("Sari Wulandari")
    assert "Sari Wulandari" in client.get(f"/siaran-pers/{post.slug}").get_data(as_text=True)


def test_choosing_a_releases_contacts_needs_the_right_to_edit_it(app, client, users, login, make_post):
    rina, budi = contact(), contact("Budi Santoso", phone="0813-1111-2222")
    post = make_post("draft")
    url = f"/admin/ruang-media/naskah/{post.id}/narahubung"
    login(users["writer2"])  # same unit: may edit the draft
    response = client.post(url, data={"contact_ids": [str(budi.id), "999999", "x"]})
    assert response.status_code == 302
    assert release_format.chosen_contact_ids(post.id) == [budi.id]
    login(users["ppid"])
    assert client.get(url).status_code == 403
    published = make_post("published")
    login(users["writer"])  # a writer cannot change a published release
    assert client.post(f"/admin/ruang-media/naskah/{published.id}/narahubung", data={}).status_code == 403
    assert rina.id != budi.id
