"""On a fresh install (no kop, no jabatan) a decision stands but its letter
cannot be issued: the officer reads one message saying what was recorded,
what the applicant was sent and what the letter lacks — never a success note
claiming the notice was sent beside a warning that it was not."""

from __future__ import annotations

import re

import time_machine

from plugins.inbox import objections
from tests.plugins.inbox.conftest import get_request
from tests.plugins.inbox.test_after_decision import _objection, _reject
from tests.plugins.inbox.test_dispositions import ANSWER, _require_approval

SETTINGS = 'href="/admin/inbox/surat/pengaturan"'


def _flashes(page: str) -> list[tuple[str, str]]:
    """The flashes about the decision (earlier steps' notes may be pending)."""
    found = re.findall(r'<p class="alert alert-(\w+)">(.*?)</p>', page, re.S)
    return [f for f in found if re.search("surat|tercatat|pemohon", f[1])]


def test_approving_a_draft_without_a_kop_says_what_was_sent_and_what_is_missing(client, submit, login, make_user):
    utama = make_user("ppid")  # fresh install: no jabatan, no letter settings
    health = make_user("ppid_unit", unit="Dinas Kesehatan", email="kesehatan@warta.test")
    with time_machine.travel("2026-11-02 02:00:00", tick=False):
        number, _ = submit(email="budi@contoh.id")
        req = get_request(number)
        _require_approval(client, login, utama, health.unit_id)
        client.post(f"/admin/inbox/{req.id}/disposisi", data={"unit_id": health.unit_id, "assignee_id": 0})
        login(health)
        assert client.post(f"/admin/inbox/{req.id}/jawab", data=ANSWER).status_code == 302
        login(utama)
        page = client.post(f"/admin/inbox/{req.id}/jawaban/setujui", follow_redirects=True).text
    [(category, text)] = _flashes(page)
    assert category == "warning"
    assert text.startswith(
        "Jawaban disetujui dan pemberitahuan tercatat; isinya dikirim ke e-mail pemohon tanpa surat resmi. "
        "Surat resmi belum terbit karena "
    )
    assert "nama instansi dan tempat surat pada kop belum diisi" in text
    assert SETTINGS in text  # the Utama may edit the letter settings
    assert "dikirim ke pemohon." not in page
    assert get_request(number).outcome == "dikabulkan_sebagian"


def test_atasan_decision_and_execution_without_a_kop(client, submit, login, make_user):
    ppid = make_user("ppid")
    atasan = make_user("atasan", name="Ir. Atasan")
    with time_machine.travel("2026-02-23 02:00:00", tick=False):
        number, _code = submit(email="")
        req = get_request(number)
        _reject(client, login, ppid, req)
    with time_machine.travel("2026-03-02 02:00:00", tick=False):
        obj = objections.file_objection(req, {"grounds": ["a"], "case_summary": "Bukan rahasia pribadi."})
    with time_machine.travel("2026-03-10 02:00:00", tick=False):
        login(atasan)
        data = {
            "decide-outcome": "dikabulkan",
            "decide-reasons": "Informasi publik.",
            "decide-atasan_name": atasan.name,
            "decide-atasan_position": "Sekretaris Daerah",
        }
        page = client.post(f"/admin/inbox/keberatan/{obj.id}", data=data, follow_redirects=True).text
        [(category, text)] = _flashes(page)
        assert category == "warning"
        assert text.startswith(
            "Tanggapan Atasan PPID tercatat; pemohon tidak mencantumkan e-mail, jadi belum ada yang dikirim. "
            "Surat resmi belum terbit karena "
        )
        assert SETTINGS not in text and "Minta PPID Utama atau admin mengaturnya di Pengaturan surat." in text
    obj = _objection(req)
    with time_machine.travel("2026-03-12 02:00:00", tick=False):
        login(ppid)
        page = client.post(
            f"/admin/inbox/keberatan/{obj.id}/pelaksanaan",
            data={"exec-executed_date": "2026-03-12", "exec-given": "Daftar diberikan."},
            follow_redirects=True,
        ).text
    [(category, text)] = _flashes(page)
    assert category == "warning" and text.startswith("Pelaksanaan tercatat; pemohon tidak mencantumkan e-mail")
    assert SETTINGS in text and "dikirim ke pemohon." not in page


def test_the_demo_fills_a_kop_and_signer_so_its_letters_are_issued(inbox_app):
    from sqlalchemy import select

    from cms.extensions import db
    from plugins.inbox import demo, letterhead
    from plugins.inbox.letter_models import Letter

    demo.load()
    kop = letterhead.resolve(None)
    assert kop.instansi == "PEMERINTAH KOTA BEKASI" and kop.place == "Bekasi"
    assert kop.signer is not None and kop.signer.position.endswith("selaku PPID Utama")
    kinds = sorted(db.session.scalars(select(Letter.kind)))
    assert kinds.count("tanda_terima") == 3 and kinds.count("pemberitahuan") == 2
    demo.load()  # idempotent, and an officer's own settings are never overwritten
    assert len(db.session.scalars(select(Letter.id)).all()) == len(kinds)


def test_create_user_takes_the_jabatan(inbox_app):
    from cms.accounts import find_user
    from tests.conftest import PASSWORD

    args = ["cms", "create-user", "utama@kota.go.id", "--role", "ppid", "--name", "Drs. Sutrisno"]
    args += ["--position", "Kepala Bagian Humas", "--password-stdin"]
    result = inbox_app.test_cli_runner().invoke(args=args, input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert find_user("utama@kota.go.id").position == "Kepala Bagian Humas"
