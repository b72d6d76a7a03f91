"""The server's half of "paste keeps formatting": whatever reaches it from
Google Docs or Word (the editor's converted HTML, or the raw clipboard via
an import or a browser without JavaScript) goes through cms.sanitize, which
keeps structure and drops Office junk (issue 21).  The browser's half is in
tests/browser/test_editor_safety.py."""

from __future__ import annotations

import re
from pathlib import Path

from cms.extensions import db
from cms.models import Post
from cms.sanitize import clean_html

PASTE = Path(__file__).parent.parent / "data" / "paste"


def test_raw_google_docs_html_is_not_all_bold():
    html = str(clean_html((PASTE / "google-docs.html").read_text(encoding="utf-8")))
    # The docs-internal-guid <b> wrapper would make the whole fragment bold.
    assert "<b>" not in html and "docs-internal-guid" not in html
    assert '<a href="https://disdukcapil.bekasikota.go.id/jadwal">' in html
    assert "<h2><span>Dokumen yang dibawa</span></h2>" in html
    assert re.search(r"<ul><li><p><span>Kartu Keluarga asli</span></p></li>", html)
    assert "style=" not in html and "<meta" not in html


def test_raw_word_html_keeps_bold_italic_links_and_headings_without_office_junk():
    html = str(clean_html((PASTE / "word.html").read_text(encoding="utf-8")))
    assert "<b><span>BEKASI</span></b>" in html
    assert re.search(r"<b>vaksinasi\s+HPV</b>", html)
    assert "<i>buku KIA</i>" in html
    assert '<a href="https://dinkes.bekasikota.go.id/vaksin">' in html
    assert "<h2><span>Jadwal Vaksinasi Anak Sekolah</span></h2>" in html
    for junk in ("o:p", "mso-", "MsoNormal", "<!--", "<style", "@list", "supportLists", "xmlns", "class="):
        assert junk not in html, junk


def test_what_the_editor_sends_after_a_docs_paste_is_stored_as_is(app, client, login, users):
    """The converted HTML (as Quill's getSemanticHTML gives it) survives the save intact."""
    converted = (
        "<h2>Pemkot Bekasi Buka Layanan Adminduk Keliling</h2><p><strong>BEKASI</strong> — Dinas membuka "
        "<strong>layanan keliling</strong> mulai <em>Senin pekan depan</em>. Jadwal di "
        '<a href="https://disdukcapil.bekasikota.go.id/jadwal" rel="noopener noreferrer" target="_blank">'
        "laman Disdukcapil</a>.</p><ul><li>Kartu Keluarga asli</li></ul><ol><li>Ambil nomor antrean</li></ol>"
    )
    login(users["writer"])
    response = client.post(
        "/admin/posts/new",
        data={
            "title": "Adminduk Keliling",
            "kind": "siaran-pers",
            "language": "id",
            "unit_id": 0,
            "body_html": converted,
            "featured_image_id": 0,
            "version": 0,
        },
    )
    assert response.status_code == 302
    body = db.session.scalar(db.select(Post)).body_html
    assert "<strong>BEKASI</strong>" in body and "<em>Senin pekan depan</em>" in body
    assert (
        '<a href="https://disdukcapil.bekasikota.go.id/jadwal" rel="noopener noreferrer">laman Disdukcapil</a>' in body
    )
    assert "<ul><li>Kartu Keluarga asli</li></ul><ol><li>Ambil nomor antrean</li></ol>" in body
    assert "target=" not in body
