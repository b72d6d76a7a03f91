"""The letter of results is an official letter: kop, nomor, tanggal and a
signer with jabatan and NIP, or a plain refusal naming what to set where."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from cms import accounts
from cms.extensions import db
from cms.letterforms import roman_month, tanggal
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset
from tests.plugins.monev.conftest import ALL


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _login(client, role="ppid", email="utama@x.test"):
    accounts.create_user(email, role, PASSWORD)
    client.post("/login", data={"email": email, "password": PASSWORD})


def _today():
    from cms.i18n import to_wib
    from cms.timeutil import utcnow

    return to_wib(utcnow()).date()


def _stored():
    from plugins.monev.models import MonevLetter

    return db.session.scalar(select(func.count()).select_from(MonevLetter))


def test_demo_letter_settings_issue_a_complete_letter(client):
    from plugins.inbox import demo_letters

    demo_letters.load()  # what `flask cms demo` sets: kop and a signer with NIP
    period, units = dataset.build()
    _login(client)
    resp = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf")
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="surat-monev-2025-tahunan-dinas-a.pdf"'
    text = pdf_text(resp.data)
    day = _today()
    assert "PEMERINTAH KOTA BEKASI" in text and "PPID UTAMA KOTA BEKASI" in text
    assert "Jl. Jenderal Ahmad Yani No. 1" in text
    assert f"Nomor : 001/MONEV/PPID-UTAMA/{roman_month(day)}/{day.year}" in text
    assert f"Bekasi, {tanggal(day)}" in text
    assert "Dewi Lestari, S.Sos." in text and "NIP 197805122003122004" in text
    assert "Kepala Bagian Hubungan Masyarakat selaku PPID" in " ".join(text.split())
    assert "Wali Kota Bekasi selaku Atasan PPID" in text  # the kop's tembusan
    assert "PPID Pembantu Dinas A" in text and "peringkat 2 dari 3" in text


def test_number_is_given_once_per_unit_and_period(client):
    from plugins.inbox import demo_letters

    demo_letters.load()
    period, units = dataset.build()
    _login(client)
    a = f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf"
    first = pdf_text(client.get(a).data)
    again = pdf_text(client.get(a).data)
    other = pdf_text(client.get(f"/admin/monev/{period.id}/unit/{units['B'].id}/surat.pdf").data)
    year = _today().year
    assert "001/MONEV/" in first and "001/MONEV/" in again and "002/MONEV/" not in again
    assert "002/MONEV/" in other and f"/{year}" in other
    assert _stored() == 2


def test_signer_without_nip_is_refused_with_where_to_set_it(client):
    from plugins.inbox import demo_letters

    demo_letters.load()
    signer = accounts.User.query.filter_by(email=demo_letters.SIGNER_EMAIL).one()
    signer.nip = ""
    db.session.commit()
    period, units = dataset.build()
    _login(client)
    resp = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf")
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/unit/{units['A'].id}")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Surat hasil Monev belum dapat diterbitkan" in page
    assert "NIP penanda tangan (Dewi Lestari, S.Sos.) belum diisi pada profil pengguna" in page
    assert _stored() == 0  # no number spent on a letter that was not printed


def test_no_letter_settings_names_the_settings_page(client):
    period, units = dataset.build()
    _login(client)
    resp = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf", follow_redirects=True)
    assert resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert "belum ada penanda tangan PPID Utama" in page
    assert "menu Pengaturan surat, kop PPID Utama (/admin/inbox/surat/pengaturan)" in page
    assert "tempat surat pada kop belum diisi" in page


def test_without_the_inbox_the_monev_settings_sign(make_app):
    app = make_app(
        enabled=[p for p in ALL if p != "inbox"],
        MONEV_LETTER_PLACE="Depok",
        MONEV_LETTER_SIGNER="Kepala@X.test",
    )
    with app.app_context():
        period, units = dataset.build(with_inbox=False)
        client = app.test_client()
        _login(client)
        url = f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf"
        refused = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "pengaturan MONEV_LETTER_PLACE dan MONEV_LETTER_SIGNER" in refused
        head = accounts.create_user("kepala@x.test", "ppid", PASSWORD)
        head.name, head.position, head.nip = "Budi Santoso", "Kepala Dinas Kominfo selaku PPID", "198001012005011001"
        db.session.commit()
        text = pdf_text(client.get(url).data)
        assert f"Depok, {tanggal(_today())}" in text
        assert "Budi Santoso" in text and "NIP 198001012005011001" in text and "001/MONEV/PPID-UTAMA/" in text


def test_flask_cms_demo_sets_what_the_letter_needs(monev_app, client):
    from plugins.monev.models import MonevPeriod

    assert monev_app.test_cli_runner().invoke(args=["cms", "demo"]).exit_code == 0
    period = db.session.scalar(select(MonevPeriod).where(MonevPeriod.year == _today().year))
    unit = accounts.get_or_create_unit("Dinas Komunikasi dan Informatika")
    _login(client)
    resp = client.get(f"/admin/monev/{period.id}/unit/{unit.id}/surat.pdf")
    assert resp.mimetype == "application/pdf", resp.get_data(as_text=True)[:300]
    text = pdf_text(resp.data)
    assert "PEMERINTAH KOTA BEKASI" in text and "/MONEV/PPID-UTAMA/" in text and "NIP 197805122003122004" in text


def test_an_issued_letter_is_kept_as_printed(client, caplog):
    """Its number and date were kept, but every download printed the letter
    again from today's figures and settings: after a late complaint or a new
    signer, letter 001 said something else than the letter the unit got."""
    from plugins.inbox import demo_letters
    from plugins.monev.letter import STORE
    from plugins.monev.models import MonevLetter

    demo_letters.load()
    period, units = dataset.build()
    _login(client)
    url = f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf"
    page = f"/admin/monev/{period.id}/unit/{units['A'].id}"
    assert "sudah terbit" not in client.get(page).get_data(as_text=True)
    first = client.get(url).data
    shown = " ".join(client.get(page).get_data(as_text=True).split())
    day = _today()
    assert f"sudah terbit: nomor 001/MONEV/PPID-UTAMA/{roman_month(day)}/{day.year}, tanggal {tanggal(day)}" in shown
    row = db.session.scalar(select(MonevLetter))
    folder = client.application.config["CMS_PRIVATE_DIR"] or f"{client.application.instance_path}/private"
    kept = Path(folder).joinpath(*STORE, row.stored)
    assert kept.read_bytes() == first and row.sha256 == hashlib.sha256(first).hexdigest()

    signer = accounts.User.query.filter_by(email=demo_letters.SIGNER_EMAIL).one()
    signer.name, signer.nip = "Pejabat Baru, M.Si.", "198001012005011001"
    db.session.commit()
    again = client.get(url)
    assert again.data == first
    assert "Dewi Lestari, S.Sos." in pdf_text(again.data) and "Pejabat Baru" not in pdf_text(again.data)

    kept.write_bytes(first[:-10])  # altered on disk: printed again under the same number
    with caplog.at_level("ERROR", logger="plugins.monev.letter"):
        reprinted = pdf_text(client.get(url).data)
    assert "does not match its SHA-256" in caplog.text
    assert "Pejabat Baru, M.Si." in reprinted and f"Nomor : 001/MONEV/PPID-UTAMA/{roman_month(_today())}" in reprinted
    assert _stored() == 1


def test_the_signature_is_never_alone_on_a_page(client):
    """A full indicator table pushed the signature block alone onto page 2:
    the closing paragraph now goes with it."""
    from plugins.inbox import demo_letters

    demo_letters.load()
    period, units = dataset.build()
    _login(client)
    data = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}/surat.pdf").data
    pages = [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]
    (signed,) = [text for text in pages if "NIP 197805122003122004" in text]
    assert "Atas perhatian dan kerja samanya kami ucapkan terima kasih." in signed
    assert len(pages) > 1  # the case this guards: the letter runs over a page
