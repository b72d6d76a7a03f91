"""The one HTML policy against an XSS corpus, Word paste, and checked media."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from cms.extensions import db
from cms.models import Media
from cms.newsroom import publishing
from cms.sanitize import clean_html

from .conftest import MINIMAL_PDF, jpeg_with_gps

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<body onload="alert(1)">',
    '<div onmouseover="alert(1)">x</div>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    '<img """><script>alert(1)</script>">',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name="x"><button formaction="javascript:alert(1)">x</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<p>unclosed <b>bold <i>italic",
    "</p></div></body></html><script>alert(1)</script>",
]
DANGEROUS = re.compile(
    r"<\s*(script|iframe|svg|style|object|embed|form|base|meta|link|video|details|math)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:|style=",
    re.I,
)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_clean_html_neutralises(payload):
    assert not DANGEROUS.search(str(clean_html(payload))), clean_html(payload)


def test_xss_corpus_through_editor_to_public_page(app, client, make_post):
    post = make_post("published", title="Uji Keamanan", body="<p>Teks aman.</p>" + "".join(XSS_CORPUS))
    html = client.get(publishing.public_url(post, external=False)).get_data(as_text=True)
    body = html[html.index('class="post-body"') : html.index("</article>")]
    assert "Teks aman." in body
    assert not DANGEROUS.search(body), DANGEROUS.search(body)


def test_word_paste_is_cleaned_but_keeps_structure():
    word = (
        "<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml>"
        '<![endif]--><p class="MsoNormal" style="mso-margin-top-alt:auto;font-family:Calibri">'
        '<b><span lang="IN" style="font-size:12.0pt">Wali Kota</span></b><span lang="IN"> menghadiri'
        '&nbsp;acara.<o:p></o:p></span></p><ul><li class="MsoListParagraph">Poin satu</li></ul>'
        '<table class="MsoTableGrid"><tr><td width="300" style="border:solid">Sel</td></tr></table>'
    )
    cleaned = str(clean_html(word))
    assert "mso" not in cleaned.lower() and "<o:" not in cleaned and "style=" not in cleaned
    assert "class=" not in cleaned
    assert "<b><span>Wali Kota</span></b>" in cleaned and "<li>Poin satu</li>" in cleaned
    assert "<td>Sel</td>" in cleaned


def test_featured_image_is_reencoded_without_exif_and_resized(app, client, login, users):
    login(users["writer"])
    original = jpeg_with_gps(size=(3000, 2000))
    assert b"SERIAL-12345" in original
    response = client.post(
        "/admin/media",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(original), "foto rapat.jpg"), "alt": "Rapat koordinasi"},
    )
    assert response.status_code == 302
    media = db.session.scalar(db.select(Media))
    assert media.kind == "image" and media.alt == "Rapat koordinasi" and media.width == 2400
    for path in [media.path, *media.variants.values()]:
        served = client.get(f"/media/{path}")
        assert served.status_code == 200
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert b"SERIAL-12345" not in served.data and b"KameraMerek" not in served.data
        image = Image.open(io.BytesIO(served.data))
        assert not image.getexif().get(0x8825)  # no GPS block
    card = Image.open(io.BytesIO(client.get(f"/media/{media.variants['card']}").data))
    assert card.size == (1200, 630)
    assert Image.open(io.BytesIO(client.get(f"/media/{media.variants['thumb']}").data)).width == 480


def test_library_image_needs_alt_and_rejects_fakes(app, client, login, users):
    login(users["writer"])
    response = client.post(
        "/admin/media",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(jpeg_with_gps()), "foto.jpg"), "alt": ""},
    )
    assert response.status_code == 400
    assert "Teks alternatif wajib diisi untuk gambar." in response.get_data(as_text=True)
    fake = b"<html><script>alert(1)</script></html>"
    response = client.post(
        "/admin/media", content_type="multipart/form-data", data={"file": (io.BytesIO(fake), "foto.png"), "alt": "x"}
    )
    assert response.status_code == 400 and "foto.png" in response.get_data(as_text=True)
    response = client.post(
        "/admin/media",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"MZ\x90\x00payload"), "setup.exe")},
    )
    assert response.status_code == 400 and "tidak diizinkan" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0


def test_pdf_attachment_is_served_as_pdf(app, client, login, users):
    login(users["writer"])
    client.post(
        "/admin/media", content_type="multipart/form-data", data={"file": (io.BytesIO(MINIMAL_PDF), "Kit Media.pdf")}
    )
    media = db.session.scalar(db.select(Media))
    assert media.mime == "application/pdf" and media.file_name == "Kit Media.pdf"
    served = client.get(f"/media/{media.path}")
    assert served.mimetype == "application/pdf" and served.data == MINIMAL_PDF
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert client.get("/media/../instance/secret_key").status_code == 404


def test_writers_without_media_right_cannot_upload(app, client, login, users):
    login(users["ppid"])
    assert client.get("/admin/media").status_code == 403
