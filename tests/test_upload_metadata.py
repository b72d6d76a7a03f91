"""Uploaded images keep no metadata: no EXIF (GPS, camera), XMP, comments or
PNG text chunks, and the EXIF orientation is applied to the pixels.

Checked on real JPEG and PNG files made here with Pillow, through every way
an image is stored: the media library, KTP and other files on the PPID
request form (encrypted at rest: decrypted to check) and DIP documents.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin
from werkzeug.datastructures import FileStorage

from cms.testing.servers import smtp_server
from tests.plugins.inbox.conftest import Mailbox, form_data, get_request

SECRET = "RAHASIA-LOKASI-KTP"  # in the comment, XMP and text chunks: must not survive
XMP = (
    f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{SECRET}</dc:title>'
    f"</rdf:Description></rdf:RDF></x:xmpmeta>"
).encode()
WIDTH, HEIGHT = 120, 80  # stored landscape; orientation 6 says "rotate 90° to view": 80×120 upright


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW
    exif[0x010F] = "KameraPonsel"  # Make
    exif[0x0131] = SECRET  # Software
    exif[0x8825] = {1: "S", 2: (6.0, 14.0, 22.5), 3: "E", 4: (106.0, 49.0, 30.0)}  # GPS: Jakarta
    return exif


def _picture() -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), (240, 240, 240))
    image.paste((200, 20, 20), (0, 0, 20, 20))  # a red mark top-left, to see the rotation
    return image


def jpeg() -> bytes:
    out = io.BytesIO()
    _picture().save(out, "JPEG", exif=_exif(), comment=SECRET.encode(), xmp=XMP, quality=95)
    return out.getvalue()


def png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET)
    info.add_text("GPS", "-6.2395,106.8250", zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    _picture().save(out, "PNG", pnginfo=info, exif=_exif())
    return out.getvalue()


def test_the_fixtures_really_carry_gps_and_orientation():
    for data in (jpeg(), png()):
        image = Image.open(io.BytesIO(data))
        assert image.getexif()[0x0112] == 6 and image.getexif().get_ifd(0x8825)[1] == "S"
        assert SECRET.encode() in data


def assert_clean(data: bytes, fmt: str, upright: bool = True) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == fmt
    exif = image.getexif()
    assert not exif, dict(exif)
    assert not exif.get_ifd(0x8825)
    assert not ({"exif", "comment", "xmp", "XML:com.adobe.xmp", "Comment", "GPS"} & set(image.info)), image.info
    assert getattr(image, "text", {}) == {}
    for marker in (SECRET.encode(), b"KameraPonsel", b"Exif\x00\x00", b"eXIf", b"tEXt", b"zTXt", b"iTXt"):
        assert marker not in data, marker
    if upright:
        assert image.size == (HEIGHT, WIDTH)  # the orientation went into the pixels
        red = image.convert("RGB").getpixel((HEIGHT - 5, 5))  # the mark is now top-right
        assert red[0] > 150 and red[1] < 90, red
    return image


# ------------------------------------------------------------ media library


@pytest.mark.parametrize("name,make", [("foto.jpg", jpeg), ("foto.png", png)])
def test_media_library_stores_every_variant_without_metadata(make_app, name, make):
    from cms.newsroom import media
    from cms.storage import media_dir

    app = make_app()
    with app.test_request_context():
        saved = media.save_image(FileStorage(io.BytesIO(make()), filename=name), None, alt="Foto")
        assert (saved.width, saved.height) == (HEIGHT, WIDTH)
        fmt = "JPEG" if saved.mime == "image/jpeg" else "PNG"
        assert_clean((media_dir() / saved.path).read_bytes(), fmt)
        for variant in saved.variants.values():
            assert_clean((media_dir() / variant).read_bytes(), fmt, upright=False)


# ------------------------------------------------------------ PPID request form (KTP)


@pytest.fixture
def inbox_app(make_app):
    with smtp_server(Mailbox()) as controller:
        app = make_app(enabled=["inbox"], MAIL_PORT=controller.port, INBOX_MIN_SUBMIT_SECONDS=0)
        with app.app_context():
            yield app


@pytest.mark.parametrize("name,make,fmt", [("ktp.jpg", jpeg, "JPEG"), ("ktp.png", png, "PNG")])
def test_ktp_scan_is_stored_encrypted_and_without_metadata(inbox_app, name, make, fmt):
    from plugins.inbox.files import load, path_of

    client = inbox_app.test_client()
    data = form_data(
        ktp=(io.BytesIO(make()), name),
        represented="y",
        kuasa_name="Andi",
        surat_kuasa=(io.BytesIO(make()), "kuasa" + Path(name).suffix),
    )
    resp = client.post("/ppid/permohonan", data=data, content_type="multipart/form-data")
    assert resp.status_code == 303, resp.text[:2000]
    number = re.search(r'id="nomor">([^<]+)<', client.get(resp.headers["Location"]).text).group(1)
    files = get_request(number).files
    assert sorted(f.kind for f in files) == ["ktp", "surat_kuasa"]
    for entry in files:
        assert SECRET.encode() not in path_of(entry).read_bytes()  # encrypted at rest
        stored = load(entry)
        assert entry.size == len(stored) and entry.filename.endswith(Path(name).suffix)
        assert_clean(stored, fmt)


def test_a_broken_image_is_a_form_error_not_a_500(inbox_app):
    client = inbox_app.test_client()
    broken = jpeg()[:200]
    resp = client.post(
        "/ppid/permohonan", data=form_data(ktp=(io.BytesIO(broken), "ktp.jpg")), content_type="multipart/form-data"
    )
    assert resp.status_code == 400
    assert "Berkas gambar rusak" in resp.text


# ------------------------------------------------------------ DIP documents


@pytest.mark.parametrize("name,make,fmt", [("peta.jpg", jpeg, "JPEG"), ("peta.png", png, "PNG")])
def test_dip_image_documents_are_published_without_metadata(make_app, tmp_path, name, make, fmt):
    from plugins.dip import files

    app = make_app(enabled=["dip"])
    source = tmp_path / name
    source.write_bytes(make())
    with app.app_context():
        stored = files.store(source, name)
        data = (files.storage_dir() / stored["stored_name"]).read_bytes()
    assert stored["size"] == len(data)
    assert_clean(data, fmt)
