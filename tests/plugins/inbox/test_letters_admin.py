"""Letter settings in the inbox admin (kop, logo, patterns, signer; roles),
corrections as new letters, and the atasan's letter on a keberatan."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from cms.api import hookimpl
from cms.extensions import db
from plugins.inbox import letter_records
from plugins.inbox.letter_models import Letter, Letterhead
from tests.plugins.inbox.conftest import PDF, PNG, get_request
from tests.plugins.inbox.letter_helpers import configure, officer, pdf_text


@pytest.fixture
def letters_on(inbox_app):
    inbox_app.config["INBOX_LETTERS_ON_DECISION"] = "required"
    return inbox_app


def _settings(**overrides):
    data = {
        "instansi": "PEMERINTAH KOTA BEKASI",
        "unit_name": "PPID Utama",
        "unit_code": "UTAMA",
        "place": "Bekasi",
        "number_pattern": "{seq:03d}/{kode}/PPID-{unit}/{bulan_romawi}/{tahun}",
        "signer_id": "0",
        "tembusan": "Arsip",
    }
    data.update(overrides)
    return data


def test_ppid_saves_kop_with_a_logo_and_bad_input_gets_form_errors(letters_on, client, login, make_user):
    ppid = officer(make_user)
    login(ppid)
    bad_type = client.post(
        "/admin/inbox/surat/pengaturan",
        data={**_settings(), "logo": (io.BytesIO(PDF), "lambang.png")},
        content_type="multipart/form-data",
    )
    assert bad_type.status_code == 400 and "Logo harus berupa gambar PNG atau JPEG." in bad_type.text
    letters_on.config["INBOX_LETTER_LOGO_MAX_KB"] = 0
    too_big = client.post(
        "/admin/inbox/surat/pengaturan",
        data={**_settings(), "logo": (io.BytesIO(PNG), "lambang.png")},
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 400 and "Logo melebihi batas" in too_big.text
    letters_on.config["INBOX_LETTER_LOGO_MAX_KB"] = 512
    bad_pattern = client.post("/admin/inbox/surat/pengaturan", data=_settings(number_pattern="{nomor}/{tahun}"))
    assert bad_pattern.status_code == 400 and "tidak dikenal: {nomor}" in bad_pattern.text
    no_seq = client.post("/admin/inbox/surat/pengaturan", data=_settings(pattern_pemberitahuan="PT/{tahun}"))
    assert no_seq.status_code == 400 and "{seq}" in no_seq.text
    assert db.session.scalar(select(Letterhead.id)) is None
    ok = client.post(
        "/admin/inbox/surat/pengaturan",
        data={**_settings(signer_id=str(ppid.id), code_pemberitahuan="045.2"), "logo": (io.BytesIO(PNG), "l.png")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    head = db.session.scalar(select(Letterhead))
    assert head.logo and head.logo_mime == "image/png" and head.signer_id == ppid.id
    assert head.codes == {"pemberitahuan": "045.2"}


def test_ppid_pembantu_edits_only_its_own_unit_and_writers_none(letters_on, client, login, make_user):
    from cms import accounts

    own = accounts.get_or_create_unit("Dinas Kesehatan")
    other = accounts.get_or_create_unit("Dinas Pendidikan")
    helper = officer(make_user, "ppid_unit", unit=own, name="dr. Rina", position="Sekretaris Dinas")
    login(helper)
    resp = client.post(f"/admin/inbox/surat/pengaturan?unit={other.id}", data=_settings(unit_code="DINKES"))
    assert resp.status_code == 302
    [head] = db.session.scalars(select(Letterhead)).all()
    assert head.unit_key == own.id  # the ?unit of another unit is ignored for a PPID Pembantu
    login(make_user("writer"))
    assert client.get("/admin/inbox/surat/pengaturan").status_code == 403
    assert client.post("/admin/inbox/surat/pengaturan", data=_settings()).status_code == 403


def test_a_correction_is_a_new_letter_naming_the_old_one(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    number, _ = submit()
    req = get_request(number)
    [first] = letter_records.of_request(req)
    before = letter_records.load(first)
    login(ppid)
    assert client.post(f"/admin/inbox/surat/{first.id}/koreksi", data={"note": ""}).status_code == 302
    assert len(letter_records.of_request(req)) == 1  # no reason, no new letter
    client.post(f"/admin/inbox/surat/{first.id}/koreksi", data={"note": "alamat pemohon salah ketik"})
    db.session.expire_all()
    first, second = letter_records.of_request(req)
    assert second.replaces_id == first.id and second.number != first.number
    assert letter_records.load(first) == before  # the first is kept as issued
    text = pdf_text(letter_records.load(second))
    assert f"menggantikan surat Nomor {first.number}" in text and "alamat pemohon salah ketik" in text
    page = client.get(f"/ppid/surat/{first.code}").text
    assert f"digantikan oleh surat nomor {second.number}" in page
    # Officers of the unit download it; the access is logged.
    got = client.get(f"/admin/inbox/surat/{second.id}")
    assert got.status_code == 200 and got.data.startswith(b"%PDF-")


def test_atasan_letter_on_a_keberatan_carries_the_decision(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    atasan = officer(
        make_user, "atasan", name="Dr. H. Junaedi, M.M.", position="Sekretaris Daerah", nip="196805121990031007"
    )
    number, code = submit()
    req = get_request(number)
    from plugins.inbox import objections

    # Ground (c) arises only once the 10 working days lapsed (law.objection_refusal).
    lapsed = req.received_at + timedelta(days=21)
    obj = objections.file_objection(
        req, {"grounds": ["c"], "case_summary": "Permohonan tidak ditanggapi."}, received_at=lapsed
    )
    [receipt] = [x for x in letter_records.of_request(req) if x.kind == "tanda_terima_keberatan"]
    assert obj.number in pdf_text(letter_records.load(receipt))
    login(atasan)
    resp = client.post(
        f"/admin/inbox/keberatan/{obj.id}",
        data={
            "decide-outcome": "dikabulkan",
            "decide-reasons": "PPID wajib menjawab dalam 10 hari kerja.",
            "decide-atasan_name": atasan.name,
        },
    )
    assert resp.status_code == 302, resp.text[:1500]
    [letter] = [x for x in letter_records.of_request(req) if x.kind == "tanggapan_keberatan"]
    text = pdf_text(letter_records.load(letter))
    for words in (
        "MENGABULKAN keberatan",
        "PPID wajib menjawab dalam 10 hari kerja.",
        "Dr. H. Junaedi, M.M.",
        "Sekretaris Daerah",
        "NIP 196805121990031007",
        "Komisi Informasi",
        "/TA/",
    ):
        assert words in text, words
    assert db.session.scalar(select(Letter.signer_id).where(Letter.id == letter.id)) == atasan.id


def test_preview_is_the_printable_letter_before_issuing(letters_on, client, submit, login, make_user):
    ppid = officer(make_user)
    configure(signer=ppid)
    number, _ = submit()
    req = get_request(number)
    login(ppid)
    page = client.get(f"/admin/inbox/{req.id}/surat/tanda_terima/pratinjau")
    assert page.status_code == 200
    assert "Yth." not in page.text and "Tanda Bukti Penerimaan Permohonan Informasi Publik" in page.text
    assert "(diisi saat diterbitkan)" in page.text and "Drs. Sutrisno, M.Si." in page.text
    assert client.get(f"/admin/inbox/{req.id}/surat/perpanjangan/pratinjau").status_code == 404
    assert client.get(f"/admin/inbox/{req.id}/surat/bukan-jenis/pratinjau").status_code == 404


class AppendingSigner:
    """Stands in for a PAdES signer: returns new bytes that are still a PDF."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def cms_inbox_sign_letter(self, pdf, letter):
        self.seen.append((letter.number, letter.signer_name))
        return pdf + b"\n% signed by the test CA\n"


def test_hook_cms_inbox_sign_letter(make_app, make_user, mailbox):
    from plugins.inbox import services
    from tests.plugins.inbox.conftest import form_data

    signer = AppendingSigner()
    app = make_app(enabled=["inbox"], plugins=[signer], MAIL_PORT=mailbox.port)
    with app.app_context():
        configure(signer=officer(make_user))
        req, _ = services.create_request(form_data())
        [letter] = letter_records.of_request(req)
        data = letter_records.load(letter)
        assert signer.seen == [(letter.number, "Drs. Sutrisno, M.Si.")]
        assert letter.signed and data.endswith(b"% signed by the test CA\n")
        assert "ditandatangani secara elektronik" in pdf_text(data)
        page = app.test_client().get(f"/ppid/surat/{letter.code}").text
        assert letter.sha256 in page and "Tanda tangan elektronik</dt><dd>Ya" in page


def test_unsigned_letter_claims_no_wet_signature_validity_unless_set(letters_on, make_user):
    from plugins.inbox import services
    from tests.plugins.inbox.conftest import form_data

    configure(signer=officer(make_user))
    req, _ = services.create_request(form_data())
    text = pdf_text(letter_records.load(letter_records.of_request(req)[0]))
    assert "sah tanpa tanda tangan basah" not in text and "ditandatangani dan dibubuhi cap dinas" in text
    letters_on.config["INBOX_LETTER_VALID_WITHOUT_WET_SIGNATURE"] = True
    req, _ = services.create_request(form_data())
    text = pdf_text(letter_records.load(letter_records.of_request(req)[0]))
    assert "sah tanpa tanda tangan basah" in text
