"""Disposisi between the PPID Utama and the PPID Pembantu with frozen time:
return and forward keep the clock, bad targets and wrong roles are refused,
and a Pembantu's answer waits for the Utama's approval."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog
from plugins.inbox import drafts, letter_records
from plugins.inbox.disposition_models import Disposition
from plugins.inbox.errors import InboxError
from tests.plugins.inbox.conftest import PDF, get_request
from tests.plugins.inbox.letter_helpers import configure, officer


@pytest.fixture
def people(make_user):
    return {
        "utama": officer(make_user),
        "health": make_user("ppid_unit", unit="Dinas Kesehatan", email="kesehatan@warta.test"),
        "school": make_user("ppid_unit", unit="Dinas Pendidikan", email="pendidikan@warta.test"),
        "atasan": make_user("atasan"),
    }


def _timeline(client, req) -> str:
    resp = client.get(f"/admin/inbox/{req.id}")
    assert resp.status_code == 200, resp.status_code
    page = resp.text
    section = re.search(r'id="riwayat-disposisi">(.*?)</ol>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", section).split())


def _flash(resp) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", resp.text).split())


def test_return_and_forward_keep_the_clock_and_say_who_when_why(client, submit, login, people):
    utama, health, school = people["utama"], people["health"], people["school"]
    with time_machine.travel("2026-11-02 02:00:00", tick=False):  # Monday 09.00 WIB
        number, _ = submit()
        req = get_request(number)
        received, due = req.received_date, req.due_date
        login(utama)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
        client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Arsip di gudang."})
        extended = get_request(number).extended_due_date
        assert extended is not None
    with time_machine.travel("2026-11-04 03:30:00", tick=False):  # Wednesday 10.30 WIB
        login(health)
        resp = client.post(
            f"/admin/inbox/{req.id}/kembalikan", data={"reason": "Bukan kewenangan kami; data sekolah di Disdik."}
        )
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/inbox/")
        req = get_request(number)
        assert req.unit_id is None and req.assignee_id is None
        assert (req.received_date, req.due_date, req.extended_due_date) == (received, due, extended)
        assert client.get(f"/admin/inbox/{req.id}").status_code == 403  # no longer its request
    with time_machine.travel("2026-11-05 01:15:00", tick=False):  # Thursday 08.15 WIB
        login(utama)
        page = client.get(f"/admin/inbox/{req.id}").text
        assert "Dikembalikan oleh" in page and "Bukan kewenangan kami; data sekolah di Disdik." in page
        resp = client.post(
            f"/admin/inbox/{req.id}/teruskan",
            data={"unit_id": str(school.unit_id), "reason": "Data sekolah dikuasai Dinas Pendidikan."},
            follow_redirects=True,
        )
        assert "Permohonan diteruskan; batas waktu tidak berubah." in resp.text
        req = get_request(number)
        assert req.unit_id == school.unit_id
        assert (req.received_date, req.due_date, req.extended_due_date) == (received, due, extended)
        line = _timeline(client, req)
    moves = [
        "2 Nov 2026 09.00 WIB · " + utama.email + " · Disposisi · PPID Utama → Dinas Kesehatan",
        "4 Nov 2026 10.30 WIB · kesehatan@warta.test · Dikembalikan ke PPID Utama · Dinas Kesehatan → PPID Utama"
        " · Bukan kewenangan kami; data sekolah di Disdik.",
        "5 Nov 2026 08.15 WIB · " + utama.email + " · Diteruskan · PPID Utama → Dinas Pendidikan"
        " · Data sekolah dikuasai Dinas Pendidikan.",
    ]
    positions = [line.find(m) for m in moves]
    assert -1 not in positions and positions == sorted(positions), line
    login(school)
    assert client.get(f"/admin/inbox/{req.id}").status_code == 200
    actions = db.session.scalars(
        select(AuditLog.action).where(AuditLog.object_id == number, AuditLog.action.like("inbox.request.%ed"))
    ).all()
    assert "inbox.request.returned" in actions and "inbox.request.forwarded" in actions


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [
        ("999999", "Salah alamat.", "Unit tujuan tidak ditemukan atau tidak aktif."),
        ("bukan-angka", "Salah alamat.", "Unit tujuan tidak ditemukan atau tidak aktif."),
        ("", "Salah alamat.", "Unit tujuan tidak ditemukan atau tidak aktif."),
        ("same", "Salah alamat.", "Unit tujuan: Permohonan sudah berada di unit ini; pilih unit lain."),
        ("other", "  ", "Alasan penerusan wajib diisi."),
    ],
)
def test_bad_forward_targets_are_form_errors(client, submit, login, people, target, reason, message):
    from plugins.inbox import services

    number, _ = submit()
    req = get_request(number)
    services.assign(req, people["health"].unit, None)
    target = {"same": str(people["health"].unit_id), "other": str(people["school"].unit_id)}.get(target, target)
    login(people["utama"])
    resp = client.post(
        f"/admin/inbox/{req.id}/teruskan", data={"unit_id": target, "reason": reason}, follow_redirects=True
    )
    assert message in _flash(resp)
    assert get_request(number).unit_id == people["health"].unit_id
    assert db.session.scalars(select(Disposition).where(Disposition.action == "forwarded")).all() == []


def test_forward_and_return_are_authorised_per_role_and_unit(client, submit, login, people):
    from plugins.inbox import services

    number, _ = submit()
    req = get_request(number)
    services.assign(req, people["health"].unit, None)
    login(people["health"])
    resp = client.post(f"/admin/inbox/{req.id}/teruskan", data={"unit_id": people["school"].unit_id, "reason": "x"})
    assert resp.status_code == 403  # a Pembantu cannot forward
    login(people["school"])
    assert client.post(f"/admin/inbox/{req.id}/kembalikan", data={"reason": "bukan kami"}).status_code == 403
    login(people["atasan"])
    assert client.post(f"/admin/inbox/{req.id}/kembalikan", data={"reason": "bukan kami"}).status_code == 403
    login(people["health"])
    resp = client.post(f"/admin/inbox/{req.id}/kembalikan", data={"reason": ""}, follow_redirects=True)
    assert "Alasan pengembalian wajib diisi." in _flash(resp) and "Alasan pengembalian: Alasan" not in _flash(resp)
    assert get_request(number).unit_id == people["health"].unit_id
    assert db.session.scalars(select(Disposition)).all() == []
    # Only the PPID Utama decides which units need approval.
    for someone in ("health", "atasan"):
        login(people[someone])
        assert client.get("/admin/inbox/persetujuan").status_code == 403
        assert (
            client.post("/admin/inbox/persetujuan", data={"required": [str(people["health"].unit_id)]}).status_code
            == 403
        )
    from plugins.inbox import dispositions

    assert dispositions.approval_required(people["health"].unit_id) is False


def test_a_draft_left_behind_by_a_forward_is_not_the_next_units_answer(client, submit, login, people):
    utama, health, school = people["utama"], people["health"], people["school"]
    number, _ = submit()
    req = get_request(number)
    login(utama)
    client.post("/admin/inbox/persetujuan", data={"required": [str(health.unit_id), str(school.unit_id)]})
    client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
    login(health)
    client.post(
        f"/admin/inbox/{req.id}/jawab",
        data={**ANSWER, "attachments": (io.BytesIO(PDF), "salah.pdf")},
        content_type="multipart/form-data",
    )
    login(utama)
    client.post(f"/admin/inbox/{req.id}/teruskan", data={"unit_id": str(school.unit_id), "reason": "Milik Disdik."})
    assert "draf-jawaban" not in client.get(f"/admin/inbox/{req.id}").text  # the old unit's draft is not offered
    login(school)
    assert "Membuka NIK membahayakan" not in client.get(f"/admin/inbox/{req.id}/jawab").text
    client.post(f"/admin/inbox/{req.id}/jawab", data={**ANSWER, "material": "Data Disdik"})
    login(utama)
    client.post(f"/admin/inbox/{req.id}/jawaban/setujui")
    req = get_request(number)
    assert req.material == "Data Disdik"
    assert [f.kind for f in req.files if f.filename == "salah.pdf"] == ["draft_void"]


def _require_approval(client, login, utama, unit_id):
    login(utama)
    resp = client.post("/admin/inbox/persetujuan", data={"required": [str(unit_id)]}, follow_redirects=True)
    assert "Pengaturan persetujuan disimpan." in resp.text
    assert re.search(rf'value="{unit_id}" checked', client.get("/admin/inbox/persetujuan").text)


ANSWER = {
    "outcome": "dikabulkan_sebagian",
    "exemptions": ["h"],
    "consequence_test": "Membuka NIK membahayakan data pribadi.",
    "redaction_note": "Kolom NIK dihitamkan.",
    "material": "Daftar penerima hibah 2025",
    "info_form": "softcopy",
    "qty-salinan_lembar": "75",
    "payment_method": "Tunai di loket PPID",
    "answer_text": "Terlampir daftar yang Saudara minta.",
}


def test_answer_waits_for_approval_then_letter_and_mail_go_once(client, submit, login, people, mailbox):
    utama, health = people["utama"], people["health"]
    configure(signer=utama)
    with time_machine.travel("2026-11-02 02:00:00", tick=False):
        number, _ = submit(delivery="email")
        req = get_request(number)
        due = req.due_date
        _require_approval(client, login, utama, health.unit_id)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
    mails_before = len(mailbox.to("budi@contoh.id"))

    def notices():
        db.session.expire_all()
        return [x for x in letter_records.of_request(req) if x.kind == "pemberitahuan"]

    with time_machine.travel("2026-11-04 03:00:00", tick=False):
        login(health)
        form = client.get(f"/admin/inbox/{req.id}/jawab").text
        assert "Ajukan ke PPID Utama untuk disetujui" in form
        resp = client.post(
            f"/admin/inbox/{req.id}/jawab",
            data={**ANSWER, "attachments": (io.BytesIO(PDF), "hibah.pdf")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "Jawaban disimpan sebagai draf dan diajukan ke PPID Utama untuk disetujui." in resp.text
        req = get_request(number)
        assert req.outcome is None and req.is_open and req.answered_at is None and req.due_date == due
        assert notices() == [] and len(mailbox.to("budi@contoh.id")) == mails_before
        assert "Menunggu persetujuan PPID Utama" in resp.text
    with time_machine.travel("2026-11-05 03:00:00", tick=False):
        login(utama)
        resp = client.post(f"/admin/inbox/{req.id}/jawaban/kembalikan", data={"comment": ""}, follow_redirects=True)
        assert "Catatan untuk PPID Pembantu wajib diisi." in _flash(resp)
        client.post(f"/admin/inbox/{req.id}/jawaban/kembalikan", data={"comment": "Uji konsekuensi kurang rinci."})
    with time_machine.travel("2026-11-06 03:00:00", tick=False):
        login(health)
        form = client.get(f"/admin/inbox/{req.id}/jawab").text  # everything typed is still there
        assert "Catatan PPID Utama: Uji konsekuensi kurang rinci." in form
        for kept in (
            "Membuka NIK membahayakan data pribadi.",
            "Kolom NIK dihitamkan.",
            "Daftar penerima hibah 2025",
            "Tunai di loket PPID",
            "Terlampir daftar yang Saudara minta.",
        ):
            assert kept in form, kept
        assert re.search(r'name="qty-salinan_lembar"[^>]*value="75"', form)
        assert re.search(r'value="dikabulkan_sebagian"[^>]*checked|checked[^>]*value="dikabulkan_sebagian"', form)
        assert re.search(r'value="h"[^>]*checked|checked[^>]*value="h"', form)
        revised = {**ANSWER, "consequence_test": "Membuka NIK 75 penerima membahayakan data pribadi (Pasal 17 h)."}
        assert client.post(f"/admin/inbox/{req.id}/jawab", data=revised).status_code == 302
        assert notices() == [] and len(mailbox.to("budi@contoh.id")) == mails_before
    with time_machine.travel("2026-11-09 03:00:00", tick=False):  # Monday
        for someone in (health, people["atasan"]):
            login(someone)
            assert client.post(f"/admin/inbox/{req.id}/jawaban/setujui").status_code == 403
        with pytest.raises(InboxError) as refused:
            drafts.approve(get_request(number), health)
        db.session.rollback()
        assert refused.value.field == "decision" and "PPID Utama" in str(refused.value)
        assert get_request(number).outcome is None and notices() == []
        login(utama)
        resp = client.post(f"/admin/inbox/{req.id}/jawaban/setujui", follow_redirects=True)
        assert "Jawaban disetujui; pemberitahuan tertulis dikirim ke pemohon." in resp.text
        again = client.post(f"/admin/inbox/{req.id}/jawaban/setujui", follow_redirects=True)
        assert "Tidak ada jawaban yang menunggu persetujuan." in _flash(again)
        line = _timeline(client, req)
    req = get_request(number)
    assert req.outcome == "dikabulkan_sebagian" and req.answered_date == date(2026, 11, 9)
    assert req.consequence_test == "Membuka NIK 75 penerima membahayakan data pribadi (Pasal 17 h)."
    assert req.fee_total == 37_500 and req.due_date == due
    assert [f.kind for f in req.files if f.filename == "hibah.pdf"] == ["answer"]
    assert len(notices()) == 1
    mails = mailbox.to("budi@contoh.id")[mails_before:]
    assert len(mails) == 1 and "Dikabulkan sebagian" in mailbox.text(mails[0])
    order = ["Jawaban diajukan", "Jawaban dikembalikan untuk diperbaiki", "Uji konsekuensi kurang rinci."]
    order += ["Jawaban diajukan", "Jawaban disetujui PPID Utama"]
    at = 0
    for step in order:
        at = line.find(step, at)
        assert at != -1, (step, line)


def test_a_draft_does_not_stop_the_clock(client, submit, login, people):
    utama, health = people["utama"], people["health"]
    with time_machine.travel("2026-11-02 02:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        _require_approval(client, login, utama, health.unit_id)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
        login(health)
        assert client.post(f"/admin/inbox/{req.id}/jawab", data=ANSWER).status_code == 302
    assert drafts.pending(get_request(number)) is not None
    with time_machine.travel("2026-11-17 02:00:00", tick=False):  # one working day past the 10
        login(health)
        page = client.get(f"/admin/inbox/{req.id}").text
        assert "terlambat 1 hari kerja" in page
        assert number in client.get("/admin/inbox/?overdue=1").text


def test_public_form_offers_the_opd_and_keeps_the_pick(client, submit, login, people):
    from tests.plugins.inbox.conftest import form_data

    health = people["health"]
    page = client.get("/ppid/permohonan").text
    assert "OPD yang menurut Anda menguasai informasi" in page and "Dinas Kesehatan" in page
    resp = client.post(
        "/ppid/permohonan",
        data=form_data(name="", suggested_unit_id=str(health.unit_id)),
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400 and "Nama lengkap wajib diisi." in resp.text
    assert re.search(rf'<option selected value="{health.unit_id}">Dinas Kesehatan', resp.text), resp.text[-3000:]
    resp = client.post(
        "/ppid/permohonan", data=form_data(suggested_unit_id="999999"), content_type="multipart/form-data"
    )
    assert resp.status_code == 400
    assert "OPD yang menurut Anda menguasai informasi: Pilih OPD dari daftar, atau kosongkan." in resp.text
    number, _ = submit(suggested_unit_id=str(health.unit_id))
    req = get_request(number)
    assert req.suggested_unit_id == health.unit_id and req.unit_id is None  # a suggestion, not a routing
    login(people["utama"])
    page = client.get(f"/admin/inbox/{req.id}").text
    assert re.search(r'id="usulan-opd">[^<]*<strong>Dinas Kesehatan</strong>', page)
    number, _ = submit()  # the pick is optional
    assert get_request(number).suggested_unit_id is None


def test_approval_mail_goes_to_the_utama_then_the_comment_to_the_unit(
    client, submit, login, people, make_user, mailbox
):
    utama, health, school = people["utama"], people["health"], people["school"]
    health_colleague = make_user("ppid_unit", unit="Dinas Kesehatan", email="kesehatan2@warta.test")
    second_utama = make_user("ppid", email="utama2@warta.test")
    with time_machine.travel("2026-11-02 02:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        _require_approval(client, login, utama, health.unit_id)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
        login(health)
        assert client.post(f"/admin/inbox/{req.id}/jawab", data=ANSWER).status_code == 302
    waiting = [m for m in mailbox.messages if "menunggu persetujuan" in m["Subject"]]
    assert sorted(m["To"] for m in waiting) == sorted([utama.email, second_utama.email])
    body = mailbox.text(waiting[0])
    assert waiting[0]["Subject"] == f"Jawaban menunggu persetujuan: permohonan {number}"
    assert "Unit: Dinas Kesehatan" in body and "Keputusan yang diusulkan: Dikabulkan sebagian" in body
    assert "Batas waktu pemberitahuan tertulis: Senin, 16 November 2026" in body
    assert f"http://warta.test/admin/inbox/{req.id}" in body
    assert all(health.email not in m["To"] and school.email not in m["To"] for m in waiting)
    login(utama)  # the dashboard lists it too
    panel = client.get("/admin/").text
    assert "Jawaban menunggu persetujuan" in panel and number in panel.split('id="menunggu-persetujuan"')[1]

    with time_machine.travel("2026-11-03 02:00:00", tick=False):
        login(utama)
        client.post(f"/admin/inbox/{req.id}/jawaban/kembalikan", data={"comment": "Uji konsekuensi kurang rinci."})
    back = [m for m in mailbox.messages if "dikembalikan" in m["Subject"]]
    assert sorted(m["To"] for m in back) == sorted([health.email, health_colleague.email])  # not Disdik, not Utama
    assert back[0]["Subject"] == f"Jawaban dikembalikan PPID Utama: permohonan {number}"
    text = mailbox.text(back[0]).replace("\r\n", "\n")
    assert "Catatan PPID Utama:\nUji konsekuensi kurang rinci." in text
    assert f"http://warta.test/admin/inbox/{req.id}" in text
    assert "Jawaban menunggu persetujuan" not in client.get("/admin/").text  # nothing waits any more
    assert not mailbox.to("budi@contoh.id") or all(
        "persetujuan" not in m["Subject"] for m in mailbox.to("budi@contoh.id")
    )


def test_a_draft_meets_the_same_checks_as_an_answer(client, submit, login, people, mailbox):
    """One check for both: a withheld part without its uji konsekuensi is
    refused at submission; complete withheld parts stand for the redaction note."""
    utama, health = people["utama"], people["health"]
    with time_machine.travel("2026-11-02 02:00:00", tick=False):
        number, _ = submit()
        req = get_request(number)
        _require_approval(client, login, utama, health.unit_id)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
        login(health)
        partial = {k: v for k, v in ANSWER.items() if k not in ("redaction_note", "exemptions", "consequence_test")}
        row = {"withheld-0-what": "Kolom NIK", "withheld-0-exemptions": ["h"]}
        resp = client.post(f"/admin/inbox/{req.id}/jawab", data={**partial, **row})
        assert resp.status_code == 400 and "Isi hasil uji konsekuensi untuk bagian ini." in resp.text
        assert drafts.pending(get_request(number)) is None
        assert not [m for m in mailbox.messages if "menunggu persetujuan" in m["Subject"]]
        row["withheld-0-consequence_test"] = "Membuka NIK membahayakan data pribadi."
        assert client.post(f"/admin/inbox/{req.id}/jawab", data={**partial, **row}).status_code == 302
        assert drafts.pending(get_request(number)).data["withheld"][0]["what"] == "Kolom NIK"
