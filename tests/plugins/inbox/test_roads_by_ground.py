"""The whole road for every keberatan ground of UU KIP Pasal 35(1) a–g, on
both channels (desk entry by staff, the public web form), with frozen time:

request → answer or lapse → keberatan → the Atasan's answer or lapse →
sengketa stages and their execution, or the order and its execution.

Every date the applicant is shown (tracking page and e-mails) is counted
here by hand on the SKB calendar below — not by the code under test — and
the guards, the registers and the report numbers are read back.  Half the
roads cross Lebaran 2026, half the year end 2025 → 2026.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select

from cms.extensions import db
from plugins.inbox import tasks
from plugins.inbox.models import Objection
from tests.plugins.inbox.conftest import get_request

KI_ADDRESS = "Jl. Kawaluyaan Indah Raya No. 2, Bandung"
KI = "Komisi Informasi Provinsi Jawa Barat"

# Weekdays closed by the SKB on libur nasional and cuti bersama (2025 end, 2026).
HOLIDAYS = {
    date(2025, 12, 25),  # Natal
    date(2025, 12, 26),  # cuti bersama Natal
    date(2026, 1, 1),  # Tahun Baru
    date(2026, 1, 16),  # Isra Mikraj
    date(2026, 2, 16),  # cuti bersama Imlek
    date(2026, 2, 17),  # Imlek
    date(2026, 3, 18),  # cuti bersama Nyepi
    date(2026, 3, 19),  # Nyepi
    date(2026, 3, 20),  # cuti bersama Idulfitri
    date(2026, 3, 23),  # cuti bersama Idulfitri
    date(2026, 3, 24),  # cuti bersama Idulfitri
    date(2026, 4, 3),  # Wafat Yesus Kristus
    date(2026, 5, 1),  # Hari Buruh
    date(2026, 5, 14),  # Kenaikan Yesus Kristus
    date(2026, 5, 15),  # cuti bersama Kenaikan
    date(2026, 5, 27),  # Iduladha
    date(2026, 5, 28),  # cuti bersama Iduladha
    date(2026, 6, 1),  # Pancasila
    date(2026, 6, 16),  # Tahun Baru Islam
}
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()  # noqa: SIM905
)


def wd(start: date, n: int) -> date:
    """The n-th working day after ``start`` (day 0), counted on HOLIDAYS."""
    day = start
    while n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in HOLIDAYS:
            n -= 1
    return day


def hari(day: date) -> str:
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def test_the_hand_count_matches_dates_counted_on_paper():
    """The counter itself, against dates counted on a printed calendar."""
    assert wd(date(2026, 3, 2), 10) == date(2026, 3, 16)
    # 11–13, 16–17, 25–27, 30–31 Mar, 1–2, 6–29 Apr (3 Apr closed)
    assert wd(date(2026, 3, 10), 30) == date(2026, 4, 29)
    assert wd(date(2025, 12, 10), 30) == date(2026, 1, 27)  # skips 25–26 Dec, 1 Jan, 16 Jan
    assert wd(date(2025, 12, 15), 7) == date(2025, 12, 24)
    assert wd(date(2026, 3, 16), 7) == date(2026, 4, 1)  # 17 Mar, then 25–27, 30–31 Mar, 1 Apr
    assert hari(date(2026, 5, 7)) == "Kamis, 7 Mei 2026"


# ------------------------------------------------------------------ the seasons


@dataclass(frozen=True)
class Season:
    received: date  # a Monday; the request is filed at 09:00 WIB
    answer_on: date  # a timely notice
    extend_on: date  # the one extension (ground g)
    late_answer_on: date  # after the extended deadline (ground g)
    filed_on: date  # the keberatan
    late_filed_on: date  # the keberatan on ground g, after the late notice
    decide_after: int  # working days after filing the Atasan answers


LEBARAN = Season(
    received=date(2026, 3, 2),
    answer_on=date(2026, 3, 10),
    extend_on=date(2026, 3, 13),
    late_answer_on=date(2026, 4, 2),
    filed_on=date(2026, 3, 25),  # the first working day after Lebaran
    late_filed_on=date(2026, 4, 9),
    decide_after=12,
)
YEAR_END = Season(
    received=date(2025, 12, 1),
    answer_on=date(2025, 12, 10),
    extend_on=date(2025, 12, 12),
    late_answer_on=date(2025, 12, 29),
    filed_on=date(2025, 12, 29),
    late_filed_on=date(2026, 1, 5),
    decide_after=15,
)

# What the PPID answered for each ground (None: the notice never came).
ANSWERS = {
    "a": {"outcome": "ditolak_dikecualikan", "exemptions": ["h"], "consequence_test": "Membuka data pribadi."},
    "b": {"outcome": "belum_didokumentasikan", "answer_text": "Laporan berkala belum disusun."},
    "c": None,
    "d": {"outcome": "dikabulkan_seluruhnya", "material": "APBD 2025", "info_form": "hardcopy"},
    "e": {"outcome": "tidak_dikuasai", "held_by": "Badan Pusat Statistik Kota Bekasi"},
    "f": {
        "outcome": "dikabulkan_seluruhnya",
        "material": "APBD 2025",
        "info_form": "hardcopy",
        "qty-salinan_lembar": "40",
        "payment_method": "Tunai di loket PPID",
    },
    "g": {"outcome": "dikabulkan_seluruhnya", "material": "APBD 2025", "info_form": "softcopy"},
}
REQUEST_OUTCOME_LABEL = {
    "ditolak_dikecualikan": "Ditolak",
    "belum_didokumentasikan": "Belum dikuasai",
    "dikabulkan_seluruhnya": "Dikabulkan seluruhnya",
    "tidak_dikuasai": "Tidak dikuasai",
}

# (ground, channel, season, what the Atasan does)
ROADS = [
    ("a", "web", YEAR_END, "ditolak"),
    ("a", "desk", LEBARAN, "dikabulkan"),
    ("b", "web", LEBARAN, "lapse"),
    ("b", "desk", YEAR_END, "ditolak"),
    ("c", "web", LEBARAN, "dikabulkan"),
    ("c", "desk", YEAR_END, "lapse"),
    ("d", "web", YEAR_END, "dikabulkan"),
    ("d", "desk", LEBARAN, "ditolak"),
    ("e", "web", LEBARAN, "ditolak"),
    ("e", "desk", YEAR_END, "dikabulkan"),
    ("f", "web", YEAR_END, "lapse"),
    ("f", "desk", LEBARAN, "dikabulkan"),
    ("g", "web", LEBARAN, "ditolak"),
    ("g", "desk", YEAR_END, "lapse"),
]


@pytest.fixture(autouse=True)
def _komisi(inbox_app):
    inbox_app.config["INBOX_KI_ADDRESS"] = KI_ADDRESS


def _at(day: date, hour_wib: int = 9):
    return time_machine.travel(f"{day.isoformat()} {hour_wib - 7:02d}:00:00", tick=False)


def _track(client, number, code) -> str:
    resp = client.application.test_client().post("/ppid/permohonan/lacak", data={"number": number, "code": code})
    assert resp.status_code == 200, resp.text[:2000]
    return " ".join(re.sub(r"<[^>]+>", " ", resp.text).split())


def _mail(mailbox, subject_part) -> str:
    found = [m for m in mailbox.to("budi@contoh.id") if subject_part in m["Subject"]]
    assert found, [m["Subject"] for m in mailbox.to("budi@contoh.id")]
    return " ".join(mailbox.text(found[-1]).split())


def _csv(client, url) -> list[list[str]]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))


def _report(client, year) -> str:
    resp = client.get(f"/admin/inbox/laporan?year={year}")
    assert resp.status_code == 200
    return resp.text


def _cell(page, key) -> int:
    return int(re.search(rf'id="{key}">(\d+)<', page).group(1))


def _keberatan_right(until: date) -> str:
    return f"Anda dapat mengajukan keberatan sampai {hari(until)}."


def _sengketa_right(until: date) -> str:
    return f"Anda dapat mengajukan permohonan penyelesaian sengketa informasi kepada {KI} sampai {hari(until)}."


def _file_keberatan(client, login, ppid, req, number, code, ground, channel, on: date):
    """The keberatan on ``on``: at the desk (recorded by staff at 10.30 WIB), or on the web."""
    summary = f"Keberatan atas dasar Pasal 35 ayat (1) huruf {ground}."
    if channel == "desk":
        login(ppid)
        resp = client.post(
            f"/admin/inbox/{req.id}/keberatan/baru",
            data={
                "channel": "desk",
                "received_at": f"{on.isoformat()}T10:30",
                "grounds": [ground],
                "case_summary": summary,
            },
        )
        client.post("/logout")
        return resp
    return client.application.test_client().post(
        "/ppid/keberatan", data={"number": number, "code": code, "grounds": [ground], "case_summary": summary}
    )


@pytest.mark.parametrize(
    "ground, channel, season, atasan_does",
    ROADS,
    ids=[f"{g}-{c}-{'lebaran' if s is LEBARAN else 'tahun_baru'}-{a}" for g, c, s, a in ROADS],
)
def test_road(client, submit, login, make_user, mailbox, ground, channel, season, atasan_does):
    ppid = make_user("ppid", name="Petugas PPID")
    atasan = make_user("atasan", name="Sekretaris Daerah")
    s = season
    due = wd(s.received, 10)
    answer = ANSWERS[ground]
    # (d) asked for softcopy, given hardcopy: "tidak sebagaimana yang diminta"; (f) a hardcopy is charged.
    access = "hardcopy" if ground == "f" else "softcopy"

    # 1. The request, and the right announced on its receipt.
    with _at(s.received):
        number, code = submit(access_method=access)
        req = get_request(number)
        assert req.due_date == due
        receipt = _mail(mailbox, "Tanda terima permohonan")
        assert (
            f"Bila pemberitahuan tertulis belum Anda terima sampai {hari(due)}, Anda dapat mengajukan keberatan "
            f"mulai {hari(due + timedelta(days=1))} sampai {hari(wd(due, 30))}." in receipt
        )

    # 2. The notice, or its lapse; the guards on the way.
    binding_due = due
    if ground == "g":
        with _at(s.extend_on):
            login(ppid)
            first = client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Dokumen di arsip pusat."})
            assert first.status_code == 302
            binding_due = wd(due, 7)
            assert get_request(number).extended_due_date == binding_due
            again = client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Masih dicari."})
            flashed = " ".join(re.sub(r"<[^>]+>", " ", client.get(again.headers["Location"]).text).split())
            assert "Perpanjangan hanya dapat diberikan satu kali" in flashed, flashed[:3000]
            assert get_request(number).extended_due_date == binding_due
            client.post("/logout")
        assert f"sampai {hari(binding_due)}, Anda dapat mengajukan keberatan mulai" in _mail(mailbox, "Perpanjangan")
    if ground in ("c", "g"):
        # On the binding due day a keberatan on (c)/(g) is premature and says from when it can be filed.
        with _at(binding_due, 15):
            early = _file_keberatan(client, login, ppid, req, number, code, ground, channel, binding_due)
            assert early.status_code == 400
            assert (
                f"keberatan dengan alasan tersebut dapat diajukan mulai {hari(binding_due + timedelta(days=1))}."
                in " ".join(early.text.split())
            )
            assert db.session.scalar(select(Objection)) is None
    if answer is None:
        ground_arose = due
        with _at(wd(due, 1)):
            login(ppid)
            late_ext = client.post(f"/admin/inbox/{req.id}/perpanjang", data={"reason": "Terlambat."})
            flashed = client.get(late_ext.headers["Location"]).text
            assert f"batas {hari(due)} sudah lewat" in flashed
            assert get_request(number).extended_due_date is None
            client.post("/logout")
            tasks.send_reminders()
            assert _keberatan_right(wd(due, 30)) in _mail(mailbox, "belum dijawab")
            assert _keberatan_right(wd(due, 30)) in _track(client, number, code)
    else:
        ground_arose = s.late_answer_on if ground == "g" else s.answer_on
        with _at(ground_arose):
            login(ppid)
            resp = client.post(f"/admin/inbox/{req.id}/jawab", data=answer)
            assert resp.status_code == 302, resp.text[:3000]
            client.post("/logout")
            answered = _mail(mailbox, "Pemberitahuan tertulis")
            page = _track(client, number, code)
            if ground == "d":  # a full grant in time invites no keberatan; one is still taken (below)
                assert "Anda dapat mengajukan keberatan" not in page + answered
            else:
                assert _keberatan_right(wd(ground_arose, 30)) in answered
                assert _keberatan_right(wd(ground_arose, 30)) in page

    # 3. The keberatan, on its channel; the Atasan owes an answer in 30 working days.
    filed = s.late_filed_on if ground == "g" else s.filed_on
    obj_due = wd(filed, 30)
    with _at(filed, 11):
        resp = _file_keberatan(client, login, ppid, req, number, code, ground, channel, filed)
        assert resp.status_code in (200, 302), resp.text[:3000]
        obj = db.session.scalar(select(Objection))
        assert obj.grounds == [ground] and obj.received_date == filed and obj.due_date == obj_due
        assert not obj.filed_late
        waiting = (
            f"Bila Atasan PPID tidak menanggapi sampai {hari(obj_due)}, Anda dapat mengajukan permohonan "
            f"penyelesaian sengketa informasi kepada {KI} mulai {hari(obj_due + timedelta(days=1))} "
            f"sampai {hari(wd(obj_due, 14))}."
        )
        opens = obj_due + timedelta(days=1)
        if wd(opens - timedelta(days=1), 1) != opens:  # a Saturday or holiday: the window keeps the day, says so
            waiting += (
                " Hari itu bukan hari kerja: permohonan dapat dikirim melalui surat atau e-mail hari itu juga, "
                f"diantar langsung mulai {hari(wd(opens, 1))}."
            )
        assert waiting in _mail(mailbox, "Tanda terima keberatan")
        page = _track(client, number, code)
        assert waiting in page and KI_ADDRESS in page and "Keberatan sedang diproses Atasan PPID" in page
        assert "terlambat" not in page.lower()

    # 4. The Atasan answers, or lets the 30 working days lapse.
    if atasan_does == "lapse":
        decided_on = None
        sengketa_until = wd(obj_due, 14)
        with _at(wd(obj_due, 1)):
            assert _sengketa_right(sengketa_until) in _track(client, number, code)
    else:
        decided_on = wd(filed, s.decide_after)
        sengketa_until = wd(decided_on, 14)
        with _at(decided_on):
            login(atasan)
            data = {
                "decide-outcome": atasan_does,
                "decide-reasons": "Pertimbangan Atasan PPID.",
                "decide-atasan_name": "Sekda",
                "decide-atasan_position": "Sekretaris Daerah",
            }
            if atasan_does == "dikabulkan":
                data |= {"decide-grant": "seluruhnya", "decide-order_what": "Informasi sebagaimana diminta"}
            resp = client.post(f"/admin/inbox/keberatan/{obj.id}", data=data)
            assert resp.status_code == 302, resp.text[:3000]
            client.post("/logout")
            decided = _mail(mailbox, "Tanggapan atas keberatan")
            assert _sengketa_right(sengketa_until) in decided and KI_ADDRESS in decided
            page = _track(client, number, code)
            assert _sengketa_right(sengketa_until) in page and "Keberatan sudah diputus Atasan PPID" in page

    # 5. A grant is carried out; otherwise the sengketa runs its stages at the KI.
    report_year = filed.year
    if atasan_does == "dikabulkan":
        order_due = wd(decided_on, 10)
        assert db.session.get(Objection, obj.id).order.due_date == order_due
        with _at(order_due):
            login(ppid)
            resp = client.post(
                f"/admin/inbox/keberatan/{obj.id}/pelaksanaan",
                data={"exec-executed_date": order_due.isoformat(), "exec-given": "Salinan APBD 2025"},
            )
            assert resp.status_code == 302, resp.text[:2000]
            report = _report(client, report_year)
            assert (_cell(report, "orders-ordered"), _cell(report, "orders-on_time")) == (1, 1)
            reg = _csv(client, f"/admin/inbox/register-keberatan.csv?year={report_year}")
            assert (
                f"dilaksanakan {order_due.day} {MONTHS[order_due.month - 1]} {order_due.year} (tepat waktu)"
                in (reg[-1][-3])
            )
    else:
        registered = wd(decided_on or obj_due, 5)
        mediasi, putusan = wd(registered, 15), wd(registered, 40)
        executed = wd(putusan, 10)
        with _at(registered):
            login(ppid)
            resp = client.post(
                f"/admin/inbox/keberatan/{obj.id}/sengketa",
                data={"ki_number": f"0{ord(ground)}/KI-JBR-PS", "registrasi_on": registered.isoformat()},
            )
            assert resp.status_code == 302, resp.text[:2000]
            client.post("/logout")
            page = _track(client, number, code)
            assert "Dalam sengketa di Komisi Informasi" in page and "Anda dapat mengajukan" not in page
        with _at(executed):
            login(ppid)
            resp = client.post(
                f"/admin/inbox/keberatan/{obj.id}/sengketa",
                data={
                    "ki_number": f"0{ord(ground)}/KI-JBR-PS",
                    "mediasi_on": mediasi.isoformat(),
                    "putusan_on": putusan.isoformat(),
                    "result": "dikabulkan_seluruhnya",
                    "executed_on": executed.isoformat(),
                },
            )
            assert resp.status_code == 302, resp.text[:2000]
            report = _report(client, report_year)
            assert _cell(report, "disputes") == 1 and _cell(report, "disputeresult-dikabulkan_seluruhnya") == 1
            assert _cell(report, "dispute-mediasi") == 1
            reg = _csv(client, f"/admin/inbox/register-keberatan.csv?year={report_year}")
            assert f"dilaksanakan {executed.day} {MONTHS[executed.month - 1]} {executed.year}" in reg[-1][-1]

    # 6. The registers and the report, read back at the end of the road.
    end = order_due if atasan_does == "dikabulkan" else executed
    with _at(end):
        login(ppid)
        row = reg[-1]
        assert obj.number in row and number in row
        assert any(cell.startswith(f"{ground}. ") for cell in row), row
        assert hari(obj_due) in row
        if decided_on:
            assert hari(decided_on) in row
        report = _report(client, report_year)
        assert _cell(report, "objections") == 1
        for g in "abcdefg":
            assert _cell(report, f"objground-{g}") == (1 if g == ground else 0), g
        if atasan_does != "lapse":
            assert _cell(report, f"objoutcome-{atasan_does}") == 1
        req_report = _report(client, s.received.year)
        if answer is not None:
            assert _cell(req_report, f"outcome-{answer['outcome']}") == 1
        assert _cell(req_report, "extensions") == (1 if ground == "g" else 0)
        if answer is not None:
            assert _cell(req_report, "late") == (1 if ground == "g" else 0)
        requests = _csv(client, f"/admin/inbox/register.csv?year={s.received.year}")
        assert number in requests[-1]
