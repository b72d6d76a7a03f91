import io

import pytest
from pypdf import PdfReader

from cms.pdf import PDFError, html_to_pdf


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_html_prints_to_a_pdf_with_its_words(make_app):
    app = make_app()
    with app.app_context():
        pdf = html_to_pdf("<html><body><h1>Pemberitahuan Tertulis</h1><p>Bekasi, 7 Desember 2026</p></body></html>")
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    assert "Pemberitahuan Tertulis" in text
    assert "7 Desember 2026" in text


def test_remote_resources_are_never_fetched(make_app):
    app = make_app()
    with app.app_context(), pytest.raises(PDFError):
        html_to_pdf('<img src="http://127.0.0.1:9/logo.png">')


def test_embedded_images_print(app):
    """A data: image (the kop's logo, the QR code) is fetched, not an error."""
    import segno

    with app.app_context():
        uri = segno.make("https://contoh.go.id/ppid/surat/ABC").png_data_uri(scale=3)
        pdf = html_to_pdf(f'<html><body><img src="{uri}"><p>Kop</p></body></html>')
    assert pdf.startswith(b"%PDF-") and b"/Image" in pdf
