"""The inbox's legal rules (``plugins.inbox.law``), called directly: no app,
no database.  Dates are counted by hand on the 2025–2026 SKB calendars."""

from __future__ import annotations

from datetime import date

import pytest

from plugins.inbox import law

CB_COUNTS = {"count_cuti_bersama": True}


@pytest.mark.parametrize(
    "received, due",
    [
        (date(2025, 10, 6), date(2025, 10, 20)),  # two plain weeks
        (date(2025, 10, 4), date(2025, 10, 17)),  # received on Saturday: still day 0
        (date(2025, 10, 5), date(2025, 10, 17)),  # ... and on Sunday
        (date(2025, 3, 24), date(2025, 4, 16)),  # across Nyepi and Lebaran (LN + cuti bersama)
        (date(2025, 8, 11), date(2025, 8, 26)),  # 18 Aug 2025: cuti bersama added mid-year
    ],
)
def test_answer_due_counts_ten_working_days_from_day_zero(received, due):
    assert law.answer_due(received) == due


def test_answer_due_with_cuti_bersama_as_working_days():
    assert law.answer_due(date(2025, 8, 11), CB_COUNTS) == date(2025, 8, 25)


def test_answer_due_follows_the_calendar_overrides():
    closed = {"extra_holidays": [date(2025, 10, 20)]}
    assert law.answer_due(date(2025, 10, 6), closed) == date(2025, 10, 21)
    opened = {"extra_working_days": [date(2025, 10, 11)]}  # a Saturday reopened
    assert law.answer_due(date(2025, 10, 6), opened) == date(2025, 10, 17)
    saturday_unit = {"working_weekdays": (0, 1, 2, 3, 4, 5)}
    assert law.answer_due(date(2025, 10, 6), saturday_unit) == date(2025, 10, 17)


def test_extended_due_is_seventeen_working_days_from_receipt():
    assert law.extended_due(date(2025, 3, 24)) == date(2025, 4, 28)
    assert law.extended_due(date(2025, 10, 6)) == date(2025, 10, 29)
    # an installation reading of the counts, passed in
    assert law.extended_due(date(2025, 10, 6), days=10, extension=0) == date(2025, 10, 20)


def test_effective_due_and_lateness_boundaries():
    due, ext = date(2025, 10, 20), date(2025, 10, 29)
    assert law.effective_due(due, None) == due
    assert law.effective_due(due, ext) == ext
    assert not law.is_late(date(2025, 10, 20), due)  # the last day itself is in time
    assert law.is_late(date(2025, 10, 21), due)


def test_working_days_taken_and_left():
    assert law.working_days_taken(date(2025, 3, 24), date(2025, 4, 16)) == 10
    assert law.working_days_taken(date(2025, 10, 6), date(2025, 10, 6)) == 0
    # 28 Mar CB, 31 Mar–1 Apr LN, 2–7 Apr CB: one working day to 8 Apr
    assert law.working_days_left(date(2025, 3, 27), date(2025, 4, 8)) == 1
    assert law.working_days_left(date(2025, 3, 27), date(2025, 4, 8), CB_COUNTS) == 6  # 28 Mar, 2–8 Apr
    assert law.working_days_left(date(2025, 4, 8), date(2025, 4, 8)) == 0
    assert law.working_days_left(date(2025, 4, 10), date(2025, 4, 8)) == -2  # two days late


def test_objection_window_opens_at_the_notice_or_at_the_lapse():
    assert law.objection_window_start(date(2025, 10, 10), date(2025, 10, 20)) == date(2025, 10, 10)
    assert law.objection_window_start(None, date(2025, 10, 29)) == date(2025, 10, 29)


def test_objection_window_is_thirty_working_days_across_lebaran():
    start = date(2025, 3, 17)
    assert law.objection_window_end(start) == date(2025, 5, 9)
    assert law.objection_window_end(start, CB_COUNTS) == date(2025, 5, 2)
    assert not law.objection_filed_late(start, date(2025, 5, 9))
    assert law.objection_filed_late(start, date(2025, 5, 12))
    assert law.objection_filed_late(start, date(2025, 5, 5), CB_COUNTS)
    # a holiday decreed on the last day moves the window to Monday
    assert not law.objection_filed_late(start, date(2025, 5, 12), {"extra_holidays": [date(2025, 5, 9)]})


def test_objection_answer_due_is_thirty_working_days():
    assert law.objection_answer_due(date(2025, 3, 17)) == date(2025, 5, 9)
    # received Saturday 15 Mar: day 0, so Monday 17 Mar is already day 1
    assert law.objection_answer_due(date(2025, 3, 15)) == date(2025, 5, 8)


def test_dispute_window_runs_from_the_answer_or_from_the_lapse():
    # Answer Fri 19 Dec 2025; 25 Dec LN, 26 Dec CB, 1 Jan 2026 LN.
    assert law.dispute_window_end(date(2025, 12, 19), date(2026, 2, 2)) == date(2026, 1, 13)
    assert law.dispute_window_end(date(2025, 12, 19), date(2026, 2, 2), CB_COUNTS) == date(2026, 1, 12)
    # No answer: 14 working days after the atasan's deadline lapsed.
    assert law.dispute_window_end(None, date(2025, 10, 6)) == date(2025, 10, 24)


def test_transitions():
    for status in law.OPEN_STATUSES:
        assert law.is_open(status)
        assert law.may("answer", status) and law.may("withdraw", status) and law.may("extend", status)
    for status in ("dijawab", "selesai", "ditutup_tidak_lengkap", "dibatalkan_pemohon"):
        assert not law.is_open(status)
        assert not law.may("answer", status) and not law.may("extend", status)
    assert law.may("deliver", "dijawab") and not law.may("deliver", "diproses")
    assert law.may("close_incomplete", "menunggu_kelengkapan") and not law.may("close_incomplete", "diproses")
    assert not law.may("resume", "diproses")
    assert not law.may("no_such_action", "terdaftar")
    assert law.status_after("answer", "menunggu_kelengkapan") == "dijawab"
    assert law.status_after("deliver", "dijawab") == "selesai"
    # disposisi and extension move only a fresh request on: the clock never restarts
    assert law.status_after("assign", "terdaftar") == "diproses"
    assert law.status_after("assign", "menunggu_kelengkapan") == "menunggu_kelengkapan"
    assert law.status_after("extend", "terdaftar") == "diproses"
    assert law.status_after("extend", "menunggu_kelengkapan") == "menunggu_kelengkapan"


def test_only_one_extension():
    assert law.may_extend("diproses", None)
    assert not law.may_extend("diproses", date(2025, 10, 29))
    assert not law.may_extend("dijawab", None)


def test_exactly_five_outcomes_and_the_pasal_17_and_35_letters():
    assert len(law.OUTCOMES) == 5 and law.REJECTED in law.OUTCOMES
    assert tuple("abcdefghij") == law.PASAL17
    assert tuple("abcdefg") == law.OBJECTION_GROUNDS
    assert law.lawful_exemptions(["h", "k", "a", ""]) == ["h", "a"]
    assert law.lawful_grounds(["g", "z", "a"]) == ["a", "g"]


@pytest.mark.parametrize(
    "outcome, parts, gap",
    [
        ("ditolak_dikecualikan", {}, "exemptions"),
        ("ditolak_dikecualikan", {"exemptions": ["k"]}, "exemptions"),  # not a Pasal 17 letter
        ("ditolak_dikecualikan", {"exemptions": ["h"]}, "consequence_test"),
        ("ditolak_dikecualikan", {"other_law": "UU 27/2022 Pasal 4", "consequence_test": " "}, "consequence_test"),
        ("ditolak_dikecualikan", {"exemptions": ["h"], "consequence_test": "Uji"}, None),
        ("tidak_dikuasai", {}, "held_by"),
        ("tidak_dikuasai", {"held_by": "Dinas Kesehatan"}, None),
        ("dikabulkan_sebagian", {"redaction_note": "  "}, "redaction_note"),
        ("dikabulkan_sebagian", {"redaction_note": "NIK dihitamkan"}, None),
        ("dikabulkan_seluruhnya", {}, None),
        ("belum_didokumentasikan", {}, None),
    ],
)
def test_notice_gap(outcome, parts, gap):
    assert law.notice_gap(outcome, **parts) == gap


def test_objection_decision_guard():
    assert law.may_decide("diterima", "dikabulkan") is None
    assert law.may_decide("diterima", "ditolak") is None
    assert law.may_decide("diterima", "lainnya") == "outcome"
    assert law.may_decide("diterima", None) == "outcome"
    assert law.may_decide("diputus", "dikabulkan") == "decided"
    assert law.is_objection_open("diterima") and not law.is_objection_open("diputus")


def test_case_settled():
    assert law.case_settled([], [])
    assert law.case_settled(["diputus"], ["selesai"])
    assert not law.case_settled(["diterima"], [])
    assert not law.case_settled(["diputus"], ["mediasi"])


def test_labels_cover_exactly_the_law_codes():
    from plugins.inbox import models

    assert tuple(models.OUTCOMES) == law.OUTCOMES
    assert tuple(models.GROUNDS) == law.OBJECTION_GROUNDS
    assert tuple(models.PASAL17) == law.PASAL17
    assert models.OPEN_STATUSES == law.OPEN_STATUSES


def test_law_and_calendar_are_strictly_typed(tmp_path):
    """``[tool.mypy]`` in pyproject.toml holds them to ``--strict``."""
    api = pytest.importorskip("mypy.api")
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    out, err, status = api.run(
        [
            "--config-file",
            str(root / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path),
            str(root / "plugins/inbox/law.py"),
            str(root / "plugins/inbox/workdays.py"),
        ]
    )
    assert status == 0, out + err


def test_possession_as_the_register_states_it():
    assert law.possession(None) is None
    assert law.possession("tidak_dikuasai") == "tidak"
    assert law.possession("belum_didokumentasikan") == "belum"
    assert {law.possession(o) for o in law.OUTCOMES} == {"ya", "tidak", "belum"}


def test_overdue_only_while_open_and_after_the_binding_day():
    due = date(2025, 10, 20)
    assert not law.is_overdue("diproses", date(2025, 10, 20), due)  # the last day itself is in time
    assert law.is_overdue("diproses", date(2025, 10, 21), due)
    assert law.is_overdue("menunggu_kelengkapan", date(2025, 10, 21), due)  # the clock keeps running
    assert not law.is_overdue("dijawab", date(2025, 11, 3), due)


@pytest.mark.parametrize(
    "answered, extended, counted",
    [
        (date(2025, 10, 20), None, "within_10"),  # on the tenth working day
        (date(2025, 10, 20), date(2025, 10, 29), "within_10"),  # extended but answered early
        (date(2025, 10, 21), date(2025, 10, 29), "within_17"),
        (date(2025, 10, 29), date(2025, 10, 29), "within_17"),
        (date(2025, 10, 30), date(2025, 10, 29), "late"),
        (date(2025, 10, 21), None, "late"),  # no extension: a day late is late
    ],
)
def test_answer_timeliness_as_the_report_counts_it(answered, extended, counted):
    assert law.answer_timeliness(answered, date(2025, 10, 20), extended) == counted


def test_only_what_withholds_information_records_its_legal_basis():
    assert law.rejection_basis("ditolak_dikecualikan", ["h", "k"], " UU 27/2022 Pasal 4 ") == (
        ["h"],
        "UU 27/2022 Pasal 4",
    )
    assert law.rejection_basis("dikabulkan_sebagian", ["h"], " UU lain ") == (["h"], "UU lain")
    assert law.rejection_basis("dikabulkan_seluruhnya", ["h"], "UU lain") == ([], "")
    assert law.rejection_basis("tidak_dikuasai", ["h"], "UU lain") == ([], "")
    assert law.states_grounds("dikabulkan_sebagian") and not law.states_grounds("belum_didokumentasikan")


def test_information_is_given_only_on_a_grant():
    assert law.gives_information("dikabulkan_seluruhnya") and law.gives_information("dikabulkan_sebagian")
    assert not any(law.gives_information(o) for o in (None, "ditolak_dikecualikan", "tidak_dikuasai"))


@pytest.mark.parametrize(
    "kind, parts, gaps",
    [
        ("perseorangan", {"email": "a@b.id"}, ["nik"]),
        ("perseorangan", {"nik": "3275010101900001", "phone": "021"}, []),
        ("kelompok", {"nik": "3275010101900001", "email": "a@b.id"}, ["organisation"]),
        ("badan_hukum", {"organisation": "PT A", "email": "a@b.id"}, ["sk_number"]),  # NIK not required
        ("badan_hukum", {"organisation": "PT A", "sk_number": "AHU-1", "phone": " "}, ["email"]),
        ("perseorangan", {"nik": "1", "email": "a@b.id", "represented": True}, ["kuasa_name"]),
        ("perseorangan", {"nik": "1", "email": "a@b.id", "represented": True, "kuasa_name": "Ani"}, []),
    ],
)
def test_identity_a_request_must_carry(kind, parts, gaps):
    assert law.identity_gaps(kind, **parts) == gaps


def test_required_documents():
    assert law.required_documents("perseorangan", represented=False, ktp_required=False) == []
    assert law.required_documents("perseorangan", represented=True, ktp_required=True) == ["ktp", "surat_kuasa"]
    assert law.required_documents("badan_hukum", represented=False, ktp_required=True) == []


def test_retention_cutoff():
    from datetime import datetime

    assert law.retention_cutoff(datetime(2026, 3, 1, 2, 30), 365) == datetime(2025, 3, 1, 2, 30)


def test_objection_statuses():
    assert law.OBJECTION_DECIDED in law.OBJECTION_STATUSES
    assert all(law.is_objection_open(s) != (s == law.OBJECTION_DECIDED) for s in law.OBJECTION_STATUSES)


@pytest.mark.parametrize(
    "outcome, kwargs, category",
    [
        ("ditolak_dikecualikan", {"classified": "setiap_saat"}, "dikecualikan"),  # Pasal 17 refusal decides
        ("dikabulkan_sebagian", {"classified": None, "dik_ref": "DIK 3/2025"}, "dikecualikan"),
        ("dikabulkan_seluruhnya", {"classified": "berkala"}, "berkala"),
        (None, {"classified": None, "dip_category": "serta_merta"}, "serta_merta"),
        ("dikabulkan_seluruhnya", {"classified": "setiap_saat", "dip_category": "berkala"}, "setiap_saat"),
        ("dikabulkan_seluruhnya", {"classified": None}, None),  # unclassified: never "setiap saat"
        ("tidak_dikuasai", {"classified": "bogus"}, None),
    ],
)
def test_asked_category(outcome, kwargs, category):
    assert law.asked_category(outcome, **kwargs) == category


@pytest.mark.parametrize("status", law.STATUSES)
def test_only_an_open_request_may_be_rerouted(status):
    assert law.may_reroute(status) == (status in law.OPEN_STATUSES)


@pytest.mark.parametrize(
    ("current", "target", "exists", "problem"),
    [
        (3, 4, True, None),
        (None, 4, True, None),
        (3, 3, True, "same"),
        (3, 9, False, "missing"),
        (3, None, False, "missing"),
    ],
)
def test_reroute_problem(current, target, exists, problem):
    assert law.reroute_problem(current, target, exists) == problem


# ------------------------------------------------ the applicant's next right and the guards (issue 19)


def test_extension_is_refused_twice_after_the_deadline_or_once_answered():
    due = date(2026, 3, 30)  # received 9 Mar 2026: 10 WD across Nyepi and Lebaran 2026
    assert law.answer_due(date(2026, 3, 9)) == due
    assert law.extension_refusal("diproses", None, due, date(2026, 3, 30)) is None  # the due day still counts
    assert law.extension_refusal("diproses", None, due, date(2026, 3, 31)) == "late"
    assert law.extension_refusal("diproses", date(2026, 4, 9), due, date(2026, 3, 20)) == "twice"
    assert law.extension_refusal("dijawab", None, due, date(2026, 3, 20)) == "closed"


@pytest.mark.parametrize(
    "grounds, filed, refused",
    [
        (["c"], date(2026, 3, 30), date(2026, 3, 31)),  # on the due day: not yet "tidak ditanggapi"
        (["a", "g"], date(2026, 3, 10), date(2026, 3, 31)),  # one late ground is enough to refuse
        (["c"], date(2026, 3, 31), None),  # the day after: the ground has arisen
        (["a", "d", "e", "f"], date(2026, 3, 10), None),  # other grounds: any day
    ],
)
def test_late_grounds_are_refused_before_the_deadline_with_the_opening_date(grounds, filed, refused):
    assert law.objection_refusal(grounds, filed, date(2026, 3, 30)) == refused


def test_the_right_to_object_is_offered_for_overdue_rejected_partial_charged_or_late_answers():
    due, on = date(2025, 12, 15), date(2025, 12, 16)
    assert law.objection_invited("diproses", None, 0, None, due, on)  # overdue
    assert not law.objection_invited("diproses", None, 0, None, due, due)  # due today: not yet
    assert not law.objection_invited("dibatalkan_pemohon", None, 0, None, due, on)
    assert law.objection_invited("dijawab", "ditolak_dikecualikan", 0, date(2025, 12, 10), due, on)
    assert law.objection_invited("dijawab", "dikabulkan_sebagian", 0, date(2025, 12, 10), due, on)
    assert law.objection_invited("dijawab", "dikabulkan_seluruhnya", 5000, date(2025, 12, 10), due, on)
    assert law.objection_invited("selesai", "dikabulkan_seluruhnya", 0, date(2025, 12, 16), due, on)  # late (g)
    assert not law.objection_invited("selesai", "dikabulkan_seluruhnya", 0, date(2025, 12, 10), due, on)


def test_sengketa_window_opens_on_the_answer_or_after_the_lapse_and_counts_14_working_days():
    answer_due = law.objection_answer_due(date(2026, 3, 17))  # keberatan received the day after the lapse
    assert answer_due == date(2026, 5, 7)  # across Lebaran 2026 (18–24 Mar) and Wafat Yesus Kristus
    assert not law.dispute_window_opened(None, answer_due, date(2026, 5, 7))
    assert law.dispute_window_opened(None, answer_due, date(2026, 5, 8))
    assert law.dispute_window_opened(date(2026, 4, 1), answer_due, date(2026, 4, 1))
    # 14 WD after the lapse: Kenaikan (14 May) + cuti bersama, Idul Adha (27 May) + cuti bersama, 1 Jun.
    assert law.dispute_window_end(None, answer_due) == date(2026, 6, 3)
    # After an answer across the year end: 20 Jan 2026 + 14 WD.
    assert law.dispute_window_end(date(2026, 1, 20), date(2026, 2, 6)) == date(2026, 2, 9)


def test_standing_puts_keberatan_and_sengketa_before_the_late_clock():
    due, on = date(2026, 3, 16), date(2026, 5, 20)
    assert law.standing("diproses", on, due) == "terlambat"
    assert law.standing("diproses", due, due) == "berjalan"
    assert law.standing("diproses", on, due, ["diterima"]) == "keberatan_diproses"
    assert law.standing("diproses", on, due, ["diputus"]) == "keberatan_diputus"
    assert law.standing("diproses", on, due, ["diputus"], ["mediasi"]) == "dalam_sengketa"
    assert law.standing("diproses", on, due, ["diputus"], ["selesai"]) == "sengketa_selesai"
    assert law.standing("dijawab", on, due) == "dijawab"
    assert law.standing("ditutup_tidak_lengkap", on, due, ["diterima"], ["mediasi"]) == "ditutup"


def test_order_due_crosses_lebaran_2026():
    # Fri 13 Mar 2026 + 10 WD: 18–24 Mar (Nyepi, Idulfitri, cuti bersama) and Good Friday 3 Apr are off.
    assert law.order_due(date(2026, 3, 13)) == date(2026, 4, 6)
    assert law.order_due(date(2026, 3, 13), days=5) == date(2026, 3, 27)


def test_execution_state():
    due = date(2026, 4, 6)
    assert law.execution_state(due, date(2026, 4, 6), date(2026, 5, 1)) == "on_time"
    assert law.execution_state(due, date(2026, 4, 7), date(2026, 5, 1)) == "late"
    assert law.execution_state(due, None, date(2026, 4, 6)) == "pending"
    assert law.execution_state(due, None, date(2026, 4, 7)) == "overdue"


def test_sengketa_stage_guards():
    received = date(2025, 11, 24)
    assert law.sengketa_gap({"registrasi": date(2026, 1, 12), "mediasi": date(2026, 2, 2)}, received) is None
    assert law.sengketa_gap({"putusan": date(2026, 4, 1)}, received) == ("putusan", "needs", "registrasi")
    assert law.sengketa_gap({"registrasi": date(2026, 1, 1), "gugatan": None}, received) == (
        "gugatan",
        "needs",
        "putusan",
    )
    assert law.sengketa_gap({"registrasi": date(2025, 11, 21)}, received) == ("registrasi", "before_receipt", "")
    assert law.sengketa_gap({"registrasi": date(2026, 2, 1), "ajudikasi": date(2026, 1, 5)}, received) == (
        "ajudikasi",
        "before",
        "registrasi",
    )
    # ajudikasi without mediasi is lawful (UU KIP Pasal 40(2))
    assert law.sengketa_gap({"registrasi": date(2026, 1, 5), "ajudikasi": date(2026, 2, 5)}, received) is None


def test_sengketa_results_and_status():
    assert law.result_gap(["registrasi"], "mediasi_berhasil", None) == "result"
    assert law.result_gap(["registrasi", "mediasi"], "mediasi_berhasil", None) is None
    assert law.result_gap(["registrasi"], "ditolak", None) == "result"
    assert law.result_gap(["registrasi"], "dicabut", None) is None
    assert law.result_gap(["registrasi", "putusan"], "ditolak", "ditolak") == "court_result"
    assert law.result_gap(["registrasi", "putusan", "gugatan"], "ditolak", "gugur") is None
    assert law.result_gap(["registrasi", "putusan", "gugatan"], "ditolak", "ditolak") == "court_result"
    assert law.sengketa_status(["registrasi", "mediasi"], None, None) == "mediasi"
    assert law.sengketa_status(["registrasi", "putusan"], "ditolak", None) == "selesai"
    assert law.sengketa_status(["registrasi", "putusan", "gugatan"], "ditolak", None) == "gugatan"
    assert law.sengketa_status(["registrasi", "putusan", "gugatan", "putusan_pengadilan"], "ditolak", "ditolak") == (
        "selesai"
    )


def test_withheld_gap():
    good = {"what": "NIK", "exemptions": ["h"], "consequence_test": "Data pribadi."}
    assert law.withheld_gap([good]) is None
    assert law.withheld_gap([good, {**good, "what": " "}]) == (1, "what")
    assert law.withheld_gap([{**good, "exemptions": ["z"]}]) == (0, "exemptions")
    assert law.withheld_gap([{**good, "exemptions": [], "other_law": "Pasal 40 UU 10/1998"}]) is None
    assert law.withheld_gap([{**good, "consequence_test": ""}]) == (0, "consequence_test")


def test_the_right_to_object_follows_a_notice_that_does_not_give_the_information():
    """Pasal 35(1)(b), (e): "tidak dikuasai" and "belum didokumentasikan" leave
    the request unfulfilled, so the applicant is told of the keberatan too."""
    due, on, answered = date(2025, 12, 15), date(2025, 12, 16), date(2025, 12, 10)
    for outcome in ("tidak_dikuasai", "belum_didokumentasikan"):
        assert law.objection_invited("selesai", outcome, 0, answered, due, on), outcome
    assert not law.objection_invited("selesai", "dikabulkan_seluruhnya", 0, answered, due, on)


def test_a_window_opening_on_a_day_off_keeps_its_day_and_names_the_counters_day():
    """UU KIP Pasal 36(1), 37(2): the ground arises the calendar day after the
    lapse (the web form and the KI's e-mail take it); a counter opens on the
    next hari kerja (Perpres 21/2023 Pasal 3, 6)."""
    assert law.desk_opens(date(2027, 1, 20)) is None  # a Wednesday
    assert law.desk_opens(date(2027, 1, 23)) == date(2027, 1, 25)  # Saturday → Monday
    assert law.desk_opens(date(2026, 5, 27)) == date(2026, 5, 29)  # Iduladha, then cuti bersama
    assert law.desk_opens(date(2026, 5, 27), {"count_cuti_bersama": True}) == date(2026, 5, 28)
    assert law.desk_opens(date(2027, 1, 20), {"extra_holidays": {date(2027, 1, 20)}}) == date(2027, 1, 21)
