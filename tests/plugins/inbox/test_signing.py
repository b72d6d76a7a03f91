"""PAdES signatures with the bundled PKCS#12 signer, checked against a throwaway CA."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest

from cms.pdf import html_to_pdf
from plugins.inbox import signing
from tests.plugins.inbox.pki import make_pki

LETTER = SimpleNamespace(number="001/PPID/XII/2026")
HTML = "<html><body><h1>PEMBERITAHUAN TERTULIS</h1><p>Bekasi, 7 Desember 2026</p></body></html>"


@pytest.fixture(scope="module")
def pki():
    return make_pki()


@pytest.fixture
def signed_app(make_app, tmp_path, pki, monkeypatch):
    (tmp_path / "penanda.p12").write_bytes(pki.p12)
    monkeypatch.setenv("WARTA_TEST_SIGN_PASS", pki.passphrase.decode())
    app = make_app(
        enabled=["inbox"],
        INBOX_SIGN_PKCS12=str(tmp_path / "penanda.p12"),
        INBOX_SIGN_PASSPHRASE_ENV="WARTA_TEST_SIGN_PASS",
        INBOX_SIGN_LOCATION="Bekasi",
    )
    with app.app_context():
        yield app


def validate(pdf: bytes, ca_der: bytes):
    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    assert len(reader.embedded_signatures) == 1
    context = ValidationContext(trust_roots=[x509.Certificate.load(ca_der)])
    return signing.outside_event_loop(lambda: validate_pdf_signature(reader.embedded_signatures[0], context))


def test_signed_pdf_validates_against_the_test_ca(signed_app, pki):
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pypdf import PdfReader

    pdf = html_to_pdf(HTML)
    signed = signing.sign(pdf, LETTER)
    assert signed != pdf and signed.startswith(pdf)  # an incremental update of the printed PDF
    status = validate(signed, pki.ca_der)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert "Petugas PPID Uji" in status.signing_cert.subject.human_friendly
    text = PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    assert "PEMBERITAHUAN TERTULIS" in text and "7 Desember 2026" in text


def test_signature_from_another_ca_is_not_trusted(signed_app):
    signed = signing.sign(html_to_pdf(HTML), LETTER)
    status = validate(signed, make_pki().ca_der)
    assert status.intact and not status.trusted


def test_tampered_pdf_is_not_intact(signed_app, pki):
    signed = bytearray(signing.sign(html_to_pdf(HTML), LETTER))
    at = signed.index(b"/MediaBox")
    signed[at + 1 : at + 2] = b"m"  # one byte inside the signed range
    status = validate(bytes(signed), pki.ca_der)
    assert not status.intact


def test_passphrase_from_a_key_file(make_app, tmp_path, pki):
    (tmp_path / "penanda.p12").write_bytes(pki.p12)
    (tmp_path / "penanda.pass").write_bytes(pki.passphrase + b"\n")
    app = make_app(
        enabled=["inbox"],
        INBOX_SIGN_PKCS12=str(tmp_path / "penanda.p12"),
        INBOX_SIGN_PASSPHRASE_FILE=str(tmp_path / "penanda.pass"),
    )
    with app.app_context():
        assert validate(signing.sign(html_to_pdf(HTML), LETTER), pki.ca_der).trusted


def test_relative_path_is_in_the_instance_folder(make_app, pki, monkeypatch):
    app = make_app(enabled=["inbox"], INBOX_SIGN_PKCS12="ttd/penanda.p12", INBOX_SIGN_PASSPHRASE_ENV="WARTA_T")
    monkeypatch.setenv("WARTA_T", pki.passphrase.decode())
    with app.app_context():
        with pytest.raises(signing.SigningError, match="ttd/penanda.p12"):
            signing.sign(html_to_pdf(HTML), LETTER)
        (signing._instance_file("ttd/penanda.p12")).parent.mkdir(parents=True, exist_ok=True)
        signing._instance_file("ttd/penanda.p12").write_bytes(pki.p12)
        try:
            assert validate(signing.sign(html_to_pdf(HTML), LETTER), pki.ca_der).intact
        finally:
            signing._instance_file("ttd/penanda.p12").unlink()


def test_unconfigured_signer_leaves_the_pdf_alone(make_app):
    app = make_app(enabled=["inbox"])
    with app.app_context():
        pdf = html_to_pdf(HTML)
        assert signing.sign(pdf, LETTER) == pdf


def test_missing_certificate_is_a_clear_error(make_app, tmp_path):
    app = make_app(enabled=["inbox"], INBOX_SIGN_PKCS12=str(tmp_path / "tidak-ada.p12"))
    with app.app_context(), pytest.raises(signing.SigningError, match="tidak ditemukan"):
        signing.sign(html_to_pdf(HTML), LETTER)


def test_wrong_passphrase_is_a_clear_error(make_app, tmp_path, pki, monkeypatch):
    (tmp_path / "penanda.p12").write_bytes(pki.p12)
    monkeypatch.setenv("WARTA_TEST_SIGN_PASS", "salah")
    app = make_app(
        enabled=["inbox"],
        INBOX_SIGN_PKCS12=str(tmp_path / "penanda.p12"),
        INBOX_SIGN_PASSPHRASE_ENV="WARTA_TEST_SIGN_PASS",
    )
    with app.app_context(), pytest.raises(signing.SigningError, match="kata sandi salah"):
        signing.sign(html_to_pdf(HTML), LETTER)


def test_hook_cms_inbox_sign_letter(signed_app):
    """A plugin (e.g. the institution's certificate service) answers before the bundled signer."""
    from cms.api import hookimpl, manager

    class Service:
        @hookimpl
        def cms_inbox_sign_letter(self, pdf, letter):
            return pdf + b"%service-signed\n"

    manager().register(Service(), name="bsre-test")
    pdf = html_to_pdf(HTML)
    assert signing.sign(pdf, LETTER) == pdf + b"%service-signed\n"
