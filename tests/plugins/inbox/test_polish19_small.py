"""Small findings of the issue-19 trial: windows opening on a day off, field
errors naming their field once, future sengketa dates, raw values in letters
and mail, the KI's address."""

from __future__ import annotations

import re

import time_machine

from tests.plugins.inbox.test_roads_by_ground import _mail, _track


def test_a_keberatan_window_opening_on_a_saturday_says_when_the_counter_opens(client, submit, mailbox):
    with time_machine.travel("2026-10-02 02:00:00", tick=False):  # a Friday: due Friday 16 Oct
        number, code = submit(email="budi@contoh.id")
        expected = (
            "Bila pemberitahuan tertulis belum Anda terima sampai Jumat, 16 Oktober 2026, Anda dapat mengajukan "
            "keberatan mulai Sabtu, 17 Oktober 2026 sampai "
        )
        note = (
            "Hari itu bukan hari kerja: keberatan dapat diajukan melalui laman PPID hari itu juga, "
            "di loket PPID mulai Senin, 19 Oktober 2026."
        )
        for text in (_mail(mailbox, "Tanda terima permohonan"), _track(client, number, code)):
            assert expected in text and note in text
    with time_machine.travel("2026-10-05 02:00:00", tick=False):  # a Monday due: no note
        submit(email="budi@contoh.id")
        assert "bukan hari kerja" not in _mail(mailbox, "Tanda terima permohonan")
        assert re.search("mulai Selasa, 20 Oktober 2026", _mail(mailbox, "Tanda terima permohonan"))


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_field_error_names_its_field_once(client, submit, login, make_user):
    from cms.errors import named_error
    from tests.plugins.inbox.test_after_decision import _decided

    assert named_error("Tanggal Mediasi", "Tanggal Mediasi tidak boleh sebelum X.") == (
        "Tanggal Mediasi tidak boleh sebelum X."
    )
    assert named_error("Pemilik akun", "Pilih unit yang Anda kelola.") == "Pemilik akun: Pilih unit yang Anda kelola."
    ppid = make_user("ppid")
    _req, obj = _decided(client, submit, login, ppid, make_user("atasan"))
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        login(ppid)
        resp = client.post(
            f"/admin/inbox/keberatan/{obj.id}/sengketa",
            data={"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "mediasi_on": "2026-01-12"},
        )
    page = _text(resp.text)
    assert resp.status_code == 400
    assert "Tanggal Mediasi tidak boleh sebelum tanggal Registrasi di Komisi Informasi" in page
    assert "Tanggal Mediasi: Tanggal Mediasi" not in page
    # The summary at the top still links the message to its field.
    assert re.search(r'<a href="#mediasi_on">Tanggal Mediasi tidak boleh sebelum', resp.text)


def test_sengketa_stage_dates_in_the_future_are_refused(client, submit, login, make_user):
    from sqlalchemy import func, select

    from cms.extensions import db
    from plugins.inbox.models import Dispute
    from tests.plugins.inbox.test_after_decision import _decided

    ppid = make_user("ppid")
    _req, obj = _decided(client, submit, login, ppid, make_user("atasan"))
    url = f"/admin/inbox/keberatan/{obj.id}/sengketa"
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        login(ppid)
        ahead = client.post(
            url, data={"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "mediasi_on": "2026-03-03"}
        )
        assert ahead.status_code == 400
        assert "Tanggal Mediasi tidak boleh di masa depan." in _text(ahead.text)
        assert 'id="mediasi_on-error"' in ahead.text
        assert db.session.scalar(select(func.count()).select_from(Dispute)) == 0
        data = {"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "putusan_on": "2026-02-20"}
        late = client.post(url, data={**data, "result": "ditolak", "executed_on": "2026-03-09"})
        assert late.status_code == 400 and "Tanggal pelaksanaan tidak boleh di masa depan." in _text(late.text)
        today = {"ki_number": "012/I/KI-JBR-PS/2026", "registrasi_on": "2026-01-19", "mediasi_on": "2026-03-02"}
        assert client.post(url, data=today).status_code == 302  # today is fine


def test_staff_see_when_the_ki_address_is_not_set_and_applicants_do_not(inbox_app, client, submit, login, make_user):
    from plugins.inbox import objections
    from tests.plugins.inbox.conftest import get_request
    from tests.plugins.inbox.test_after_decision import _objection, _reject

    assert inbox_app.config["INBOX_KI_ADDRESS"] == ""
    ppid = make_user("ppid")
    with time_machine.travel("2025-11-24 02:00:00", tick=False):
        number, code = submit()
        req = get_request(number)
        _reject(client, login, ppid, req)
    with time_machine.travel("2025-12-01 02:00:00", tick=False):
        obj = objections.file_objection(req, {"grounds": ["a"], "case_summary": "Bukan rahasia."})
    with time_machine.travel("2026-01-05 02:00:00", tick=False):
        objections.decide(obj, "ditolak", "Menguatkan putusan PPID.", "Sekda", "Atasan PPID")
    obj = _objection(req)
    login(ppid)
    case = _text(client.get(f"/admin/inbox/keberatan/{obj.id}").text)
    assert "Komisi Informasi Komisi Informasi Provinsi Jawa Barat — alamat belum diatur" in case
    pages = _text(client.get("/admin/inbox/halaman-ppid").text)
    assert "alamat belum diatur" in pages and "INBOX_KI_ADDRESS di instance/config.py" in pages
    client.post("/logout")
    with time_machine.travel("2026-01-06 02:00:00", tick=False):
        track = _track(client, number, code)
    assert "Komisi Informasi Provinsi Jawa Barat" in track and "belum diatur" not in track
    inbox_app.config["INBOX_KI_ADDRESS"] = "Jl. Contoh No. 2, Bandung"
    login(ppid)
    case = _text(client.get(f"/admin/inbox/keberatan/{obj.id}").text)
    assert "Komisi Informasi Provinsi Jawa Barat, Jl. Contoh No. 2, Bandung" in case and "belum diatur" not in case


def test_the_two_routing_forms_say_which_to_use(client, submit, login, make_user):
    from tests.plugins.inbox.conftest import get_request

    number, _code = submit()
    req = get_request(number)
    login(make_user("ppid"))
    page = client.get(f"/admin/inbox/{req.id}").text
    assert re.search(r'id="disposisi-help">Untuk menugaskan permohonan pertama kali atau memilih petugasnya', page)
    assert re.search(r'id="teruskan-help">Bila unit yang sekarang tidak menguasai informasinya', page)


def test_the_form_of_the_information_reads_in_indonesian(client, submit, login, make_user, mailbox):
    from tests.plugins.inbox.conftest import get_request

    number, _code = submit(email="budi@contoh.id")
    req = get_request(number)
    login(make_user("ppid"))
    answer = {"outcome": "dikabulkan_seluruhnya", "material": "Daftar hibah", "info_form": "hardcopy"}
    assert client.post(f"/admin/inbox/{req.id}/jawab", data=answer).status_code == 302
    mail = _mail(mailbox, "Pemberitahuan tertulis")
    assert "Bentuk informasi: Hardcopy (salinan cetak)" in mail and "Bentuk informasi: hardcopy" not in mail
    page = _text(client.get(f"/admin/inbox/{req.id}/surat").text)  # no letter issued: the page renders
    assert "Bentuk informasi Hardcopy (salinan cetak)" in page


def test_request_numbers_do_not_wrap_in_the_officer_lists(inbox_app, client, submit, login, make_user):
    from pathlib import Path

    import plugins.inbox

    number, _code = submit()
    login(make_user("ppid"))
    page = client.get("/admin/inbox/").text
    assert re.search(rf'<td class="number"><a href="/admin/inbox/\d+">{re.escape(number)}</a>', page)
    assert "inbox.css" in page
    css = (Path(plugins.inbox.__file__).parent / "static" / "inbox.css").read_text()
    assert re.search(r"\.list td\.number > a[^{]*\{\s*white-space: nowrap;", css)
