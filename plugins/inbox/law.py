# Over 300 lines on purpose: every legal rule of the inbox in one module, each a pure function with its article.
"""The law the inbox applies: UU 14/2008 (UU KIP) and Perki 1/2021, in one place.

Pure functions: dates and values in, an answer out; no database, no Flask.
Deadlines count hari kerja on the installation's calendar (``workdays``;
receipt day = day 0), passed in as ``calendar``.  The statutory day counts
are the defaults; the inbox's ``INBOX_*_DAYS`` settings pass their own where
an installation reads the law differently (DOMAIN.md: uncertain rules are
settings).  Each docstring names the article it implements.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from plugins.inbox import workdays
from plugins.inbox.workdays import CalendarOptions

# ------------------------------------------------------------ day counts

ANSWER_DAYS = 10  # UU KIP Pasal 22(7)
EXTENSION_DAYS = 7  # UU KIP Pasal 22(8)
OBJECTION_WINDOW_DAYS = 30  # UU KIP Pasal 36(1)
OBJECTION_ANSWER_DAYS = 30  # UU KIP Pasal 36(2)
DISPUTE_WINDOW_DAYS = 14  # UU KIP Pasal 37(2)

# ------------------------------------------------------------ the codes

# Workflow states of a request; the first three keep the legal clock running.
STATUSES = (
    "terdaftar",
    "menunggu_kelengkapan",
    "diproses",
    "dijawab",
    "selesai",
    "ditutup_tidak_lengkap",
    "dibatalkan_pemohon",
)
OPEN_STATUSES = ("terdaftar", "menunggu_kelengkapan", "diproses")
# UU KIP Pasal 22(7)(a)–(e) and Pasal 6(3): exactly these five outcomes.
OUTCOMES = (
    "dikabulkan_seluruhnya",
    "dikabulkan_sebagian",
    "ditolak_dikecualikan",
    "tidak_dikuasai",
    "belum_didokumentasikan",
)
REJECTED = "ditolak_dikecualikan"
# UU KIP Pasal 17 huruf a–j: the exemptions a rejection may rest on.
PASAL17 = tuple("abcdefghij")
# UU KIP Pasal 35(1) huruf a–g: the grounds of a keberatan.
OBJECTION_GROUNDS = tuple("abcdefg")
# UU KIP Pasal 36(2) (a written answer) as Perki 1/2021 frames it: the
# objection is upheld, or the PPID's decision is confirmed.
OBJECTION_OUTCOMES = ("dikabulkan", "ditolak")
# A keberatan is received, then decided once by the Atasan PPID (Pasal 36(2)).
OBJECTION_STATUSES = ("diterima", "diputus")
OBJECTION_DECIDED = "diputus"
# UU KIP Pasal 37–38 (Komisi Informasi) and Pasal 47–48 (court), then closed.
DISPUTE_STAGES = ("registrasi", "mediasi", "ajudikasi", "putusan", "gugatan", "putusan_pengadilan", "selesai")
DISPUTE_CLOSED = "selesai"

# ------------------------------------------------------------ transitions

# Action → the request states it may be taken from.  The clock runs from
# receipt whatever the state (UU KIP Pasal 22(7): "sejak diterimanya").
_ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "assign": STATUSES,
    "extend": OPEN_STATUSES,
    "request_completeness": OPEN_STATUSES,
    "resume": ("menunggu_kelengkapan",),
    "close_incomplete": ("menunggu_kelengkapan",),
    "withdraw": OPEN_STATUSES,
    "answer": OPEN_STATUSES,
    "deliver": ("dijawab",),
}
# Action → the state it leads to; absent: the state stays.
_LEADS_TO = {
    "extend": "diproses",
    "assign": "diproses",
    "request_completeness": "menunggu_kelengkapan",
    "resume": "diproses",
    "close_incomplete": "ditutup_tidak_lengkap",
    "withdraw": "dibatalkan_pemohon",
    "answer": "dijawab",
    "deliver": "selesai",
}
# Actions that only move a freshly registered request on (disposisi, extension).
_ONLY_FROM_REGISTERED = ("assign", "extend")


def is_open(status: str) -> bool:
    """Whether the request still awaits its written notice (UU KIP Pasal 22(7))."""
    return status in OPEN_STATUSES


def may(action: str, status: str) -> bool:
    """Whether ``action`` is lawful for a request in ``status``.

    Extension, the written notice and withdrawal only while the notice is
    due (UU KIP Pasal 22(7)–(8)); information is delivered only after the
    notice (Pasal 22(7)(d), (f)); closing for incompleteness only after the
    applicant was asked to complete it (Perki 1/2021; institution policy,
    never counted as a rejection).
    """
    return status in _ALLOWED_FROM.get(action, ())


def status_after(action: str, status: str) -> str:
    """The state a lawful ``action`` leaves the request in.  Disposisi and
    extension move only a ``terdaftar`` request on (routing never restarts
    the clock: UU KIP Pasal 22(7) counts from receipt)."""
    if action in _ONLY_FROM_REGISTERED and status != "terdaftar":
        return status
    return _LEADS_TO.get(action, status)


def may_extend(status: str, extended_due: date | None) -> bool:
    """Only one extension, only while open (UU KIP Pasal 22(8): "paling lambat 7 hari kerja")."""
    return may("extend", status) and extended_due is None


# ------------------------------------------------------------ request deadlines


def answer_due(received: date, calendar: CalendarOptions | None = None, *, days: int = ANSWER_DAYS) -> date:
    """Last day for the written notice: 10 working days after receipt (UU KIP Pasal 22(7))."""
    return workdays.add_working_days(received, days, **(calendar or {}))


def extended_due(
    received: date, calendar: CalendarOptions | None = None, *, days: int = ANSWER_DAYS, extension: int = EXTENSION_DAYS
) -> date:
    """Last day after the one extension: 7 more working days (UU KIP Pasal 22(8))."""
    return workdays.add_working_days(received, days + extension, **(calendar or {}))


def effective_due(due: date, extended: date | None) -> date:
    """The deadline that binds: the extended one when granted (UU KIP Pasal 22(7)–(8))."""
    return extended or due


def is_overdue(status: str, on: date, due: date) -> bool:
    """An open request whose binding deadline passed before ``on`` (UU KIP Pasal 22(7)–(8))."""
    return is_open(status) and is_late(on, due)


def answer_timeliness(answered: date, due: date, extended: date | None) -> str:
    """How the laporan layanan counts a written notice (UU KIP Pasal 12 "waktu
    yang diperlukan"; Perki 1/2021 Pasal 56): "within_10" by the first
    deadline (Pasal 22(7)), "within_17" inside the one extension (Pasal 22(8)),
    else "late"."""
    if not is_late(answered, due):
        return "within_10"
    if not is_late(answered, effective_due(due, extended)):
        return "within_17"
    return "late"


def is_late(done: date, due: date) -> bool:
    """A step taken after its last day is late (any UU KIP deadline: the due day itself still counts)."""
    return done > due


def working_days_taken(received: date, answered: date, calendar: CalendarOptions | None = None) -> int:
    """Working days from receipt (day 0) to the notice, for the laporan layanan
    (UU KIP Pasal 12: "waktu yang diperlukan"; Perki 1/2021 Pasal 56)."""
    return workdays.working_days_between(received, answered, **(calendar or {}))


def working_days_left(on: date, due: date, calendar: CalendarOptions | None = None) -> int:
    """Working days from ``on`` until ``due``: 0 = due today, negative = late
    by that many (the deadlines of UU KIP Pasal 22, 36, 37)."""
    return workdays.working_days_between(on, due, **(calendar or {}))


# ------------------------------------------------------------ the written notice


def lawful_exemptions(letters: Iterable[str]) -> list[str]:
    """Only the huruf of UU KIP Pasal 17 (a–j), in the order given."""
    return [h for h in letters if h in PASAL17]


def notice_gap(
    outcome: str,
    *,
    exemptions: Iterable[str] = (),
    other_law: str = "",
    consequence_test: str = "",
    held_by: str = "",
    redaction_note: str = "",
) -> str | None:
    """The first thing the written notice lacks for ``outcome``, as its field
    name, or ``None`` when it is complete (UU KIP Pasal 22(7)):

    - a rejection names Pasal 17 huruf and/or another law's article and
      carries the uji konsekuensi (Pasal 17, 22(7)(c); Perki 1/2021 Pasal 49);
    - "tidak dikuasai" names the body that holds it (Pasal 22(7)(b));
    - a partial grant explains what was blacked out (Pasal 22(7)(e)).
    """
    if outcome == REJECTED:
        if not lawful_exemptions(exemptions) and not other_law.strip():
            return "exemptions"
        if not consequence_test.strip():
            return "consequence_test"
    if outcome == "tidak_dikuasai" and not held_by.strip():
        return "held_by"
    if outcome == "dikabulkan_sebagian" and not redaction_note.strip():
        return "redaction_note"
    return None


def states_grounds(outcome: str | None) -> bool:
    """Whether the notice must state the exemption it rests on: a rejection
    and a partial grant, for the part withheld (UU KIP Pasal 17, 22(7)(c);
    Perki 1/2010 Pasal 15)."""
    return outcome in (REJECTED, "dikabulkan_sebagian")


def rejection_basis(outcome: str, exemptions: Iterable[str], other_law: str) -> tuple[list[str], str]:
    """The Pasal 17 huruf and other law a notice records: only what withholds
    information rests on them (see ``states_grounds``); other outcomes record none."""
    if not states_grounds(outcome):
        return [], ""
    return lawful_exemptions(exemptions), other_law.strip()


def gives_information(outcome: str | None) -> bool:
    """Whether the notice grants the information, wholly or in part, so it
    may be delivered and published (UU KIP Pasal 22(7)(d)–(e))."""
    return outcome in ("dikabulkan_seluruhnya", "dikabulkan_sebagian")


def possession(outcome: str | None) -> str | None:
    """Whether the body holds the information, as the register states it
    (UU KIP Pasal 22(7)(a)–(b); Pasal 6(3)): "tidak" (another body holds it),
    "belum" (not yet documented), "ya" for any other outcome, ``None`` before one."""
    if not outcome:
        return None
    return {"tidak_dikuasai": "tidak", "belum_didokumentasikan": "belum"}.get(outcome, "ya")


# ------------------------------------------------------------ the applicant and the fees


def identity_gaps(
    applicant_type: str,
    *,
    nik: str = "",
    sk_number: str = "",
    organisation: str = "",
    phone: str = "",
    email: str = "",
    represented: bool = False,
    kuasa_name: str = "",
) -> list[str]:
    """The fields a permohonan lacks, as field names (UU KIP Pasal 22(2): name
    and address; Perki 1/2021 as transposed in Permen P2MI 14/2025 Pasal 21):
    a person or group gives a NIK, a badan hukum its SK pengesahan; a group
    or badan hukum its name; a telephone or an e-mail (the missing pair is
    reported as "email"); the kuasa's name when represented."""
    gaps = []
    if applicant_type in ("perseorangan", "kelompok") and not nik.strip():
        gaps.append("nik")
    if applicant_type == "badan_hukum" and not sk_number.strip():
        gaps.append("sk_number")
    if applicant_type in ("kelompok", "badan_hukum") and not organisation.strip():
        gaps.append("organisation")
    if not phone.strip() and not email.strip():
        gaps.append("email")
    if represented and not kuasa_name.strip():
        gaps.append("kuasa_name")
    return gaps


def required_documents(applicant_type: str, *, represented: bool, ktp_required: bool) -> list[str]:
    """Documents a permohonan must carry: the surat kuasa khusus when
    represented (Perki 1/2021, P2MI 14/2025 Pasal 21(e)); a KTP copy from a
    person or group only where the installation asks for one (the law asks
    the NIK number, not a scan: UU PDP Pasal 16(2) minimisation)."""
    docs = []
    if ktp_required and applicant_type != "badan_hukum":
        docs.append("ktp")
    if represented:
        docs.append("surat_kuasa")
    return docs


# ------------------------------------------------------------ keberatan and sengketa


def lawful_grounds(letters: Iterable[str]) -> list[str]:
    """The keberatan grounds of UU KIP Pasal 35(1) huruf a–g, sorted, unknown ones dropped."""
    return sorted(g for g in letters if g in OBJECTION_GROUNDS)


def objection_window_start(answered: date | None, due: date) -> date:
    """When the ground of a keberatan arises (UU KIP Pasal 36(1)): the written
    notice, or — for an unanswered request — the lapse of its (extended)
    deadline (Pasal 35(1)(c), (g))."""
    return answered or due


def objection_window_end(
    start: date, calendar: CalendarOptions | None = None, *, days: int = OBJECTION_WINDOW_DAYS
) -> date:
    """Last day to file a keberatan: 30 working days after its ground arose (UU KIP Pasal 36(1))."""
    return workdays.add_working_days(start, days, **(calendar or {}))


def objection_filed_late(
    start: date, filed: date, calendar: CalendarOptions | None = None, *, days: int = OBJECTION_WINDOW_DAYS
) -> bool:
    """Filed after the window of UU KIP Pasal 36(1).  Accepted anyway and
    flagged: the ground may have arisen later than the notice."""
    return is_late(filed, objection_window_end(start, calendar, days=days))


def objection_answer_due(
    received: date, calendar: CalendarOptions | None = None, *, days: int = OBJECTION_ANSWER_DAYS
) -> date:
    """Last day for the Atasan PPID's written answer: 30 working days after
    the keberatan was received (UU KIP Pasal 36(2))."""
    return workdays.add_working_days(received, days, **(calendar or {}))


def is_objection_open(status: str) -> bool:
    """Whether the Atasan PPID still owes an answer (UU KIP Pasal 36(2))."""
    return status != OBJECTION_DECIDED


def may_decide(status: str, outcome: str | None) -> str | None:
    """Why the Atasan PPID cannot decide now ("decided" or "outcome"), or
    ``None``: one decision, either of the two outcomes (UU KIP Pasal 36(2))."""
    if not is_objection_open(status):
        return "decided"
    if outcome not in OBJECTION_OUTCOMES:
        return "outcome"
    return None


def dispute_window_end(
    decided: date | None, answer_due: date, calendar: CalendarOptions | None = None, *, days: int = DISPUTE_WINDOW_DAYS
) -> date:
    """Last day to bring a sengketa to the Komisi Informasi: 14 working days
    after the Atasan PPID's answer, or after the 30-day lapse without one
    (UU KIP Pasal 37(2))."""
    return workdays.add_working_days(decided or answer_due, days, **(calendar or {}))


def retention_cutoff(now: datetime, days: int) -> datetime:
    """Cases closed before this moment are past the retention period, and their
    identity data may be destroyed once settled (UU PDP Pasal 43–44)."""
    return now - timedelta(days=days)


def case_settled(objection_statuses: Iterable[str], dispute_stages: Iterable[str]) -> bool:
    """No keberatan awaits an answer and no sengketa is running (UU KIP
    Pasal 36–38): only then may identity data go (UU PDP Pasal 42–44)."""
    return not any(is_objection_open(s) for s in objection_statuses) and all(
        s == DISPUTE_CLOSED for s in dispute_stages
    )


CATEGORIES = ("berkala", "serta_merta", "setiap_saat", "dikecualikan")


def asked_category(
    outcome: str | None, *, classified: str | None, dik_ref: str = "", dip_category: str | None = None
) -> str | None:
    """The category of the information a request asked for, as the annual
    report counts it (Perki 1/2021 Pasal 56; UU KIP Pasal 9–11 and 17).

    A refusal on Pasal 17 or one resting on a DIK entry is a finding that the
    information is dikecualikan; otherwise the officer's classification, then
    the category of the DIP entry asked about.  ``None`` when nobody has
    classified it: never assumed to be setiap saat."""
    if outcome == REJECTED or (dik_ref or "").strip():
        return "dikecualikan"
    for found in (classified, dip_category):
        if found in CATEGORIES:
            return found
    return None


def may_reroute(status: str) -> bool:
    """Whether a request may still be returned to the PPID Utama or forwarded
    to another PPID Pembantu: only while it awaits its written notice.  A move
    never changes the receipt date the 10 working days run from (UU KIP
    Pasal 22(7); Permendagri 3/2017 on the PPID Utama and Pembantu)."""
    return is_open(status)


def reroute_problem(current_unit: int | None, target_unit: int | None, target_exists: bool) -> str | None:
    """Why a forward cannot go to ``target_unit`` ("missing", "same"), or ``None``."""
    if target_unit is None or not target_exists:
        return "missing"
    if target_unit == current_unit:
        return "same"
    return None


# ------------------------------------------------------------ the applicant's next right and the guards

# UU KIP Pasal 35(1)(c) "tidak ditanggapinya permintaan" and (g) "penyampaian
# melebihi waktu": grounds that exist only once the notice's deadline lapsed.
LATE_GROUNDS = ("c", "g")


def extension_refusal(status: str, extended: date | None, due: date, on: date) -> str | None:
    """Why the one extension cannot be given on ``on``, or ``None`` (UU KIP
    Pasal 22(8)): "closed" once the notice is no longer due; "twice" — the
    law allows one extension; "late" — it extends the 10 days of Pasal 22(7),
    so it must be given while they run (the due day itself still counts)."""
    if not may("extend", status):
        return "closed"
    if extended is not None:
        return "twice"
    if is_late(on, due):
        return "late"
    return None


def late_grounds_open_from(due: date) -> date:
    """The first day a keberatan on Pasal 35(1)(c) or (g) may be filed: the
    day after the binding deadline (Pasal 22(7)–(8)), when its ground arises
    (Pasal 36(1): "setelah ditemukannya alasan")."""
    return due + timedelta(days=1)


def objection_refusal(grounds: Iterable[str], filed: date, due: date) -> date | None:
    """A keberatan naming ground (c) or (g) filed while the binding deadline
    ``due`` still runs is premature (UU KIP Pasal 35(1)(c), (g); 36(1)):
    returns the date from which it may be filed, else ``None``.  The other
    grounds arise with the notice and are taken any day of their window."""
    if any(g in LATE_GROUNDS for g in grounds) and not is_late(filed, due):
        return late_grounds_open_from(due)
    return None


def objection_invited(
    status: str, outcome: str | None, fee_total: int, answered: date | None, due: date, on: date
) -> bool:
    """Whether the applicant is told of the right to object now (UU KIP
    Pasal 35(1); Pasal 22(7)(c) for a rejection): the notice is overdue (c),
    came late (g), rejects (a), charges a fee (f), or does not give all that
    was asked — part withheld, not held, not yet documented (b, e)."""
    if answered is None:
        return is_overdue(status, on, due)
    return outcome != "dikabulkan_seluruhnya" or fee_total > 0 or is_late(answered, due)


def dispute_window_opened(decided: date | None, answer_due: date, on: date) -> bool:
    """Whether a sengketa may be brought on ``on``: the Atasan PPID answered,
    or the 30 working days lapsed without an answer (UU KIP Pasal 37(2))."""
    return decided is not None or is_late(on, answer_due)


# Where a case stands, in the order that decides it: a closed request, a
# sengketa, a keberatan, then the request's own clock.
STANDINGS = (
    "ditutup",
    "dalam_sengketa",
    "sengketa_selesai",
    "keberatan_diproses",
    "keberatan_diputus",
    "terlambat",
    "berjalan",
    "dijawab",
)


def standing(
    status: str, on: date, due: date, objection_statuses: Iterable[str] = (), dispute_stages: Iterable[str] = ()
) -> str:
    """One of ``STANDINGS``.  A case before the Atasan PPID (UU KIP Pasal 36)
    or the Komisi Informasi (Pasal 37–38) is there, not "terlambat": the
    request's own deadline (Pasal 22(7)–(8)) no longer decides where it stands."""
    if status in ("dibatalkan_pemohon", "ditutup_tidak_lengkap"):
        return "ditutup"
    stages, statuses = list(dispute_stages), list(objection_statuses)
    if any(s != DISPUTE_CLOSED for s in stages):
        return "dalam_sengketa"
    if stages:
        return "sengketa_selesai"
    if any(is_objection_open(s) for s in statuses):
        return "keberatan_diproses"
    if statuses:
        return "keberatan_diputus"
    if is_overdue(status, on, due):
        return "terlambat"
    return "berjalan" if is_open(status) else "dijawab"


# ------------------------------------------------------------ after the decision (issue 19)

# How long the PPID has to carry out a granted keberatan: no statute fixes
# it, so it is the ``INBOX_ORDER_DAYS`` setting with the notice's own 10
# working days (UU KIP Pasal 22(7)) as the default.
ORDER_DAYS = 10
# A keberatan is granted wholly or in part (UU KIP Pasal 36(2); research §2.9).
ORDER_SCOPES = ("seluruhnya", "sebagian")
# The road of a sengketa: Komisi Informasi (UU KIP Pasal 37–38, 40–46;
# Perki 1/2013) then the court (Pasal 47–50).
SENGKETA_STAGES = ("registrasi", "mediasi", "ajudikasi", "putusan", "gugatan", "putusan_pengadilan")
# What a stage needs recorded before it (mediasi may be skipped: Pasal 40(2)).
_STAGE_NEEDS = {
    "mediasi": "registrasi",
    "ajudikasi": "registrasi",
    "putusan": "registrasi",
    "gugatan": "putusan",
    "putusan_pengadilan": "gugatan",
}
# Results of a sengketa (Perki 1/2013: mediasi, putusan ajudikasi, gugur, dicabut).
SENGKETA_RESULTS = (
    "mediasi_berhasil",
    "dikabulkan_seluruhnya",
    "dikabulkan_sebagian",
    "ditolak",
    "gugur",
    "dicabut",
)
# Results a court gives (UU KIP Pasal 49): no mediation there.
COURT_RESULTS = SENGKETA_RESULTS[1:]


def order_due(decided: date, calendar: CalendarOptions | None = None, *, days: int = ORDER_DAYS) -> date:
    """Last day for the PPID to give what the Atasan PPID ordered when granting
    a keberatan (UU KIP Pasal 36(2) orders it; the period is a setting)."""
    return workdays.add_working_days(decided, days, **(calendar or {}))


def execution_state(due: date, executed: date | None, today: date) -> str:
    """How the laporan layanan counts carrying out an order (Perban ORI
    46/2020 Pasal 31 c: "tanggapan atas keberatan dan pelaksanaannya"):
    "on_time", "late", or — not yet carried out — "pending" ("overdue" once
    its last day has passed)."""
    if executed is not None:
        return "late" if is_late(executed, due) else "on_time"
    return "overdue" if is_late(today, due) else "pending"


def sengketa_gap(stages: dict[str, date | None], received: date) -> tuple[str, str, str] | None:
    """The first flaw of a sengketa's stages as ``(stage, kind, other)``, or
    ``None``: kind "needs" (a stage before the one it needs, e.g. a putusan
    with no registrasi; UU KIP Pasal 38–48), "before_receipt" (a date before
    the request was received) or "before" (a date before an earlier stage's)."""
    previous: tuple[str, date] | None = None
    for stage in SENGKETA_STAGES:
        if stage not in stages:
            continue
        need = _STAGE_NEEDS.get(stage)
        if need and need not in stages:
            return stage, "needs", need
        on = stages[stage]
        if on is None:
            continue
        if on < received:
            return stage, "before_receipt", ""
        if previous is not None and on < previous[1]:
            return stage, "before", previous[0]
        previous = (stage, on)
    return None


def result_gap(stages: Iterable[str], result: str | None, court_result: str | None) -> str | None:
    """Why a result cannot stand, as the field at fault, or ``None``: mediation
    succeeds only in mediasi (UU KIP Pasal 44); a grant or refusal needs the
    putusan (Pasal 46), a court result the putusan pengadilan (Pasal 49);
    gugur and dicabut may end any stage once registered."""
    stages = set(stages)
    if result:
        if result not in SENGKETA_RESULTS or not stages:
            return "result"
        if result == "mediasi_berhasil" and "mediasi" not in stages:
            return "result"
        if result in ("dikabulkan_seluruhnya", "dikabulkan_sebagian", "ditolak") and "putusan" not in stages:
            return "result"
    if court_result:
        if court_result not in COURT_RESULTS or "gugatan" not in stages:
            return "court_result"
        if court_result not in ("gugur", "dicabut") and "putusan_pengadilan" not in stages:
            return "court_result"
    return None


def sengketa_status(stages: Iterable[str], result: str | None, court_result: str | None) -> str:
    """Where a sengketa stands: "selesai" once it has its result (the court's
    when a gugatan was filed: UU KIP Pasal 47–50), else its latest stage."""
    recorded = [s for s in SENGKETA_STAGES if s in set(stages)]
    if "gugatan" in recorded:
        return DISPUTE_CLOSED if court_result else recorded[-1]
    if result:
        return DISPUTE_CLOSED
    return recorded[-1] if recorded else "registrasi"


def withheld_gap(rows: list[dict[str, Any]]) -> tuple[int, str] | None:
    """The first incomplete withheld part of a partial grant as ``(row,
    field)``, or ``None``: each part says what is withheld, rests on Pasal 17
    huruf and/or another law's article, and carries its uji konsekuensi
    (UU KIP Pasal 17, 22(7)(e); Perki 1/2021 Pasal 49)."""
    for i, row in enumerate(rows):
        if not (row.get("what") or "").strip():
            return i, "what"
        if not lawful_exemptions(row.get("exemptions") or []) and not (row.get("other_law") or "").strip():
            return i, "exemptions"
        if not (row.get("consequence_test") or "").strip():
            return i, "consequence_test"
    return None


def desk_opens(opens: date, calendar: CalendarOptions | None = None) -> date | None:
    """The first working day a window that opens on ``opens`` can be used at
    a counter, or ``None`` when ``opens`` is itself a working day.

    The ground of a keberatan (UU KIP Pasal 35(1)(c), (g); 36(1): "setelah
    ditemukannya alasan") and of a sengketa without the Atasan's answer
    (Pasal 37(2)) arises the calendar day after the deadline lapses, whatever
    day that is: the laman PPID takes a keberatan any day and a receipt on a
    non-working day counts like any other (DOMAIN: receipt day = day 0), and
    the Komisi Informasi takes a sengketa by letter or e-mail too (Perki
    1/2013).  So the window keeps its calendar day; only an office counter
    works on hari kerja (Perpres 21/2023 Pasal 3, 6), which this returns for
    the applicant who goes in person."""
    opts = calendar or {}
    if workdays.is_working_day(opens, **opts):
        return None
    day = opens + timedelta(days=1)
    while not workdays.is_working_day(day, **opts):
        day += timedelta(days=1)
    return day
