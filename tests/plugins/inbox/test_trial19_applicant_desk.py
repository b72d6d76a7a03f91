"""Found trying issue 19 as an applicant and a desk officer: the lost-code
page is reachable from the tracking page, the keberatan receipt e-mail names
its grounds, and the desk never says a receipt was issued when it was not."""

from __future__ import annotations

import time_machine
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox.letter_models import Letter
from plugins.inbox.models import Objection
from tests.plugins.inbox import letter_helpers
from tests.plugins.inbox.conftest import get_request


def test_tracking_page_offers_a_new_code(client):
    page = client.get("/ppid/permohonan/lacak").text
    assert 'id="kode-hilang"' in page and 'href="/ppid/permohonan/kode-baru"' in page
    failed = client.post("/ppid/permohonan/lacak", data={"number": "0001/PPID/2026", "code": "AAAA-BBBB-CCCC"})
    assert 'href="/ppid/permohonan/kode-baru"' in failed.text


def test_keberatan_receipt_mail_names_the_grounds(client, submit, mailbox):
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        number, code = submit(email="budi@contoh.id")
    with time_machine.travel("2026-03-20 02:00:00", tick=False):
        resp = client.post(
            "/ppid/keberatan",
            data={"number": number, "code": code, "grounds": ["c", "f"], "case_summary": "Tidak dijawab."},
        )
        assert resp.status_code == 200, resp.text[:2000]
    mail = next(m for m in mailbox.to("budi@contoh.id") if "Tanda terima keberatan" in m["Subject"])
    text = mailbox.text(mail)
    assert "Alasan keberatan: c. Tidak ditanggapinya permintaan informasi; f. Pengenaan biaya yang tidak wajar" in text


def _desk(client, req, when):
    data = {"channel": "letter", "grounds": ["a"], "case_summary": "Surat keberatan.", "received_at": when}
    resp = client.post(f"/admin/inbox/{req.id}/keberatan/baru", data=data)
    assert resp.status_code == 302, resp.text[:2000]
    return client.get(resp.headers["Location"]).text


def test_desk_keberatan_says_when_no_receipt_was_issued(client, submit, login, make_user):
    ppid = make_user("ppid")  # no jabatan, no kop: the receipt cannot be issued
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        number, _code = submit()
    with time_machine.travel("2026-03-04 02:00:00", tick=False):
        login(ppid)
        page = _desk(client, get_request(number), "2026-03-04T08:30")
    obj = db.session.scalar(select(Objection))
    assert db.session.scalar(select(Letter).where(Letter.objection_id == obj.id)) is None
    assert "tanda bukti penerimaan diterbitkan" not in page
    assert f"Keberatan {obj.number} dicatat; tanda bukti penerimaan belum diterbitkan." in page
    assert "Surat resmi belum terbit karena" in page and "nama instansi dan tempat surat pada kop" in page


def test_desk_keberatan_says_the_receipt_was_issued(client, submit, login, make_user):
    ppid = letter_helpers.officer(make_user)
    letter_helpers.configure(signer=ppid)
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        number, _code = submit()
    with time_machine.travel("2026-03-04 02:00:00", tick=False):
        login(ppid)
        page = _desk(client, get_request(number), "2026-03-04T08:30")
    obj = db.session.scalar(select(Objection))
    assert db.session.scalar(select(Letter).where(Letter.objection_id == obj.id)) is not None
    assert f"Keberatan {obj.number} dicatat; tanda bukti penerimaan diterbitkan." in page
    assert "Surat belum dapat diterbitkan" not in page
