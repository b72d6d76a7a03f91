"""The public request form: fields, bad input, spam defence, receipt and e-mail."""

from __future__ import annotations

import io
import re

import time_machine
from sqlalchemy import select

from cms.crypto import decrypt
from cms.extensions import db
from cms.models import AuditLog
from tests.conftest import csrf_token_from
from tests.plugins.inbox.conftest import NIK, PDF, PNG, form_data, get_request


def test_form_shows_every_field_and_the_privacy_notice(client):
    page = client.get("/ppid/permohonan").text
    for name in (
        "applicant_type",
        "name",
        "organisation",
        "nik",
        "sk_number",
        "address",
        "phone",
        "email",
        "occupation",
        "kuasa_name",
        "surat_kuasa",
        "ktp",
        "details",
        "purpose",
        "access_method",
        "delivery",
        "website",
    ):
        assert f'name="{name}"' in page, name
    assert "Pasal 20 ayat (2)" in page and "ppid@example.go.id" in page and "365 hari" in page
    # works without JavaScript: no inline scripts or styles (files with src= only)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and 'style="' not in page


@time_machine.travel("2025-10-06 03:00:00", tick=False)  # Monday 10.00 WIB
def test_submit_gives_number_code_receipt_and_email(client, submit, mailbox):
    number, code = submit()
    assert number == "0001/PPID/2025"
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    req = get_request(number)
    # NIK encrypted at rest, masked for display, never stored plainly.
    assert req.nik_enc != NIK and decrypt(req.nik_enc) == NIK
    assert req.nik_masked == "************0001"
    assert req.due_date.isoformat() == "2025-10-20"
    assert code not in req.tracking_hash
    (mail,) = mailbox.to("budi@contoh.id")
    text = mailbox.text(mail)
    assert number in mail["Subject"] and code in text
    assert "************0001" in text and NIK not in text
    assert "Senin, 20 Oktober 2025" in text
    # the receipt is shown once; a second visit finds nothing
    client.post("/logout")
    second_number, _ = submit(email="ani@contoh.id", name="Ani")
    assert second_number == "0002/PPID/2025"


def test_bad_input_names_the_field_and_keeps_what_was_typed(client):
    resp = client.post(
        "/ppid/permohonan", data=form_data(nik="12345", phone="", email="", details="Data anggaran sekolah")
    )
    assert resp.status_code == 400
    page = resp.text
    assert "NIK harus 16 digit angka." in page
    assert "Isi nomor telepon atau e-mail" in page
    assert 'value="12345"' in page and "Data anggaran sekolah" in page and 'value="Budi Santoso"' in page
    assert (
        db.session.scalar(
            select(db.func.count()).select_from(AuditLog).where(AuditLog.action == "inbox.request.created")
        )
        == 0
    )


def test_nik_shape_rules(client, submit):
    """16 digits, nothing more: the digits' meaning is not judged."""
    arabic_indic = "".join(chr(0x0660 + int(d)) for d in "3275014101900001")
    for bad in ("327501410190000", "32750141019000011", "3275O14101900001", arabic_indic):
        resp = client.post("/ppid/permohonan", data=form_data(nik=bad))
        assert resp.status_code == 400 and "NIK harus 16 digit angka." in resp.text
    number, _ = submit(nik="1234567890123456")
    assert get_request(number).nik_masked == "************3456"


def test_copy_delivery_is_asked_only_for_copies(client, submit):
    """Who only sees or reads the information comes to the office: no
    delivery to choose; a copy needs one, and only a listed one."""
    number, _ = submit(access_method="melihat", delivery=None)
    assert get_request(number).delivery == "ambil"
    number, _ = submit(access_method="melihat", delivery="email", email="ani@contoh.id", name="Ani")
    assert get_request(number).delivery == "email"
    for method in ("hardcopy", "softcopy"):
        resp = client.post("/ppid/permohonan", data=form_data(access_method=method, delivery=None))
        assert resp.status_code == 400 and "Pilih cara mendapatkan salinan." in resp.text
        assert "Dokumen APBD Kota Bekasi 2025" in resp.text  # what was typed stays
    resp = client.post("/ppid/permohonan", data=form_data(delivery="merpati"))
    assert resp.status_code == 400 and "Pilih cara mendapatkan salinan dari daftar." in resp.text


def test_badan_hukum_needs_sk_and_name(client, submit):
    resp = client.post("/ppid/permohonan", data=form_data(applicant_type="badan_hukum", nik=""))
    assert resp.status_code == 400
    assert "Nomor SK pengesahan badan hukum wajib diisi." in resp.text
    assert "Nama kelompok/badan hukum wajib diisi." in resp.text
    number, _ = submit(
        applicant_type="badan_hukum", nik="", sk_number="AHU-0012345.AH.01.07.2020", organisation="Yayasan Warga Peduli"
    )
    assert get_request(number).sk_number.startswith("AHU-")


def test_kuasa_requires_surat_kuasa_and_uploads_are_checked(client, submit):
    resp = client.post("/ppid/permohonan", data=form_data(represented="y", kuasa_name="Andi"))
    assert resp.status_code == 400 and "Surat kuasa wajib diunggah" in resp.text
    wrong = form_data(
        represented="y", kuasa_name="Andi", surat_kuasa=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "kuasa.pdf")
    )
    resp = client.post("/ppid/permohonan", data=wrong, content_type="multipart/form-data")
    assert resp.status_code == 400 and "Jenis berkas tidak diterima" in resp.text
    big = form_data(ktp=(io.BytesIO(PNG + b"\x00" * (5 * 1024 * 1024)), "ktp.png"))
    resp = client.post("/ppid/permohonan", data=big, content_type="multipart/form-data")
    assert resp.status_code == 400 and "melebihi batas 5 MB" in resp.text
    assert 'value="Budi Santoso"' in resp.text
    number, _ = submit(
        represented="y", kuasa_name="Andi", surat_kuasa=(io.BytesIO(PDF), "kuasa.pdf"), ktp=(io.BytesIO(PNG), "ktp.png")
    )
    req = get_request(number)
    assert sorted(f.kind for f in req.files) == ["ktp", "surat_kuasa"]
    from plugins.inbox.files import load, path_of

    ktp = next(f for f in req.files if f.kind == "ktp")
    assert path_of(ktp).read_bytes()[:4] != PNG[:4]  # encrypted at rest
    assert load(ktp) == PNG


def test_ktp_required_setting(inbox_app, client):
    inbox_app.config["INBOX_KTP_UPLOAD"] = "required"
    resp = client.post("/ppid/permohonan", data=form_data())
    assert resp.status_code == 400 and "Salinan KTP wajib diunggah." in resp.text
    inbox_app.config["INBOX_KTP_UPLOAD"] = "off"
    assert 'name="ktp"' not in client.get("/ppid/permohonan").text


def test_honeypot_and_time_to_submit(inbox_app, client):
    resp = client.post("/ppid/permohonan", data=form_data(website="http://spam.example"))
    assert resp.status_code == 400 and "tidak wajar" in resp.text
    inbox_app.config["INBOX_MIN_SUBMIT_SECONDS"] = 3
    with time_machine.travel("2025-10-06 03:00:00", tick=False):
        page = client.get("/ppid/permohonan").text
        stamp = re.search(r'name="form_ts" type="hidden" value="([^"]+)"', page).group(1)
        fast = client.post("/ppid/permohonan", data=form_data(form_ts=stamp))
        assert fast.status_code == 400 and "terlalu cepat" in fast.text
    with time_machine.travel("2025-10-06 03:01:00", tick=False):
        slow = client.post("/ppid/permohonan", data=form_data(form_ts=stamp))
        assert slow.status_code == 303


def test_rate_limit_per_ip(make_app, mailbox):
    app = make_app(
        enabled=["inbox"],
        MAIL_PORT=mailbox.port,
        RATELIMIT_ENABLED=True,
        INBOX_SUBMIT_RATE_LIMIT="2 per hour",
        INBOX_MIN_SUBMIT_SECONDS=0,
    )
    with app.app_context():
        client = app.test_client()
        # Forms sent back with an error do not count: a citizen may correct.
        wrong = [client.post("/ppid/permohonan", data=form_data(nik="123")).status_code for _ in range(3)]
        assert wrong == [400, 400, 400]
        codes = [client.post("/ppid/permohonan", data=form_data()).status_code for _ in range(3)]
        assert codes == [303, 303, 429]
        assert client.get("/ppid/permohonan").status_code == 200


def test_csrf_is_enforced(make_app, mailbox):
    app = make_app(enabled=["inbox"], MAIL_PORT=mailbox.port, WTF_CSRF_ENABLED=True, INBOX_MIN_SUBMIT_SECONDS=0)
    with app.app_context():
        client = app.test_client()
        assert client.post("/ppid/permohonan", data=form_data()).status_code == 400
        token = csrf_token_from(client.get("/ppid/permohonan").text)
        assert client.post("/ppid/permohonan", data=form_data(csrf_token=token)).status_code == 303


def test_tracking_shows_status_and_same_error_for_bad_code_or_number(client, submit):
    number, code = submit()
    ok = client.post("/ppid/permohonan/lacak", data={"number": number, "code": code.lower().replace("-", "")})
    assert ok.status_code == 200 and "Terdaftar" in ok.text and "hari kerja lagi" in ok.text
    assert NIK not in ok.text and "Jl. Melati" not in ok.text
    wrong_code = client.post("/ppid/permohonan/lacak", data={"number": number, "code": "AAAA-BBBB-CCCC"})
    unknown = client.post("/ppid/permohonan/lacak", data={"number": "9999/PPID/2099", "code": code})
    message = "Nomor pendaftaran atau kode pelacakan tidak cocok."
    assert wrong_code.status_code == unknown.status_code == 400
    assert message in wrong_code.text and message in unknown.text
    assert 'value="9999/PPID/2099"' in unknown.text


def test_tracking_is_rate_limited(make_app, mailbox):
    app = make_app(
        enabled=["inbox"], MAIL_PORT=mailbox.port, RATELIMIT_ENABLED=True, INBOX_TRACK_RATE_LIMIT="3 per hour"
    )
    with app.app_context():
        client = app.test_client()
        codes = [client.post("/ppid/permohonan/lacak", data={"number": "1", "code": "x"}).status_code for _ in range(4)]
        assert codes == [400, 400, 400, 429]


def test_landing_page_documents_the_counting_rule(client):
    page = client.get("/ppid/").text
    assert "hari ke-0" in page and "10 hari kerja" in page and "/ppid/permohonan" in page


def test_tracking_link_prefills_the_number_without_errors(client, submit):
    number, _ = submit()
    resp = client.get(f"/ppid/permohonan/lacak?number={number}")
    assert resp.status_code == 200 and f'value="{number}"' in resp.text and "wajib diisi" not in resp.text


def test_mails_are_in_indonesian_whatever_the_page_language(client, mailbox):
    """The receipt carries an official Indonesian letter: its mail is not
    half English because the page was read in English."""
    resp = client.post("/ppid/permohonan?lang=en", data=form_data(), content_type="multipart/form-data")
    assert resp.status_code == 303
    (mail,) = mailbox.to("budi@contoh.id")
    text = mailbox.text(mail)
    assert mail["Subject"].startswith("Tanda terima permohonan informasi")
    assert "Permohonan informasi Anda telah kami terima dan terdaftar." in text
    assert re.search(r"(Senin|Selasa|Rabu|Kamis|Jumat), \d+ \w+ 20\d\d", text)  # the due date, in Indonesian
    assert "We have received" not in text and "day, " not in text
