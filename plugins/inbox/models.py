"""Tables of the inbox plugin (prefix ``inbox_``).

Workflow state and legal outcome are separate columns (research §2.11): a
request closed for incompleteness is never counted as a rejection.  The codes
and what they mean in law are ``law``'s; the labels here are how they read.

Over 300 lines on purpose: the request, its files, notes, objections and
disputes share one flush listener and their relationships; tables added
since live in ``*_models.py`` modules imported at the bottom.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event, func
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from cms.api import Model
from plugins.inbox import law

if TYPE_CHECKING:
    from plugins.inbox.execution_models import ExecutionOrder
    from plugins.inbox.sengketa_models import DisputeStage
    from plugins.inbox.withheld_models import WithheldPart

# Workflow states of a request (the legal outcome is a separate column).
STATUSES = {
    "terdaftar": _l("Terdaftar"),
    "menunggu_kelengkapan": _l("Menunggu kelengkapan"),
    "diproses": _l("Diproses"),
    "dijawab": _l("Dijawab (pemberitahuan tertulis)"),
    "selesai": _l("Selesai"),
    "ditutup_tidak_lengkap": _l("Ditutup — tidak lengkap"),
    "dibatalkan_pemohon": _l("Dibatalkan pemohon"),
}
OPEN_STATUSES = law.OPEN_STATUSES
# Legal outcomes, exactly the five of DOMAIN.md.
OUTCOMES = {
    "dikabulkan_seluruhnya": _l("Dikabulkan seluruhnya"),
    "dikabulkan_sebagian": _l("Dikabulkan sebagian"),
    "ditolak_dikecualikan": _l("Ditolak — informasi dikecualikan"),
    "tidak_dikuasai": _l("Informasi tidak dikuasai"),
    "belum_didokumentasikan": _l("Informasi belum dikuasai/didokumentasikan"),
}
APPLICANT_TYPES = {
    "perseorangan": _l("Perseorangan"),
    "kelompok": _l("Kelompok orang"),
    "badan_hukum": _l("Badan hukum"),
}
CHANNELS = {
    "web": _l("Laman PPID"),
    "desk": _l("Datang langsung"),
    "letter": _l("Surat"),
    "email": _l("E-mail"),
    "phone": _l("Telepon"),
}
# How a keberatan came in: filed on the website, or recorded by staff (``desk_objections``).
OBJECTION_CHANNELS = {key: CHANNELS[key] for key in ("web", "desk", "letter")}
ACCESS_METHODS = {
    "melihat": _l("Melihat/membaca/mendengarkan/mencatat"),
    "hardcopy": _l("Mendapatkan salinan (hardcopy)"),
    "softcopy": _l("Mendapatkan salinan (softcopy)"),
}
# The form of the information given (the notice's "bentuk informasi").
INFO_FORMS = {
    "softcopy": _l("Softcopy (salinan elektronik)"),
    "hardcopy": _l("Hardcopy (salinan cetak)"),
}
DELIVERY = {
    "ambil": _l("Mengambil langsung"),
    "kurir": _l("Kurir"),
    "pos": _l("Pos"),
    "faksimili": _l("Faksimili"),
    "email": _l("E-mail"),
}
CATEGORIES = {
    "berkala": _l("Berkala"),
    "serta_merta": _l("Serta merta"),
    "setiap_saat": _l("Setiap saat"),
    "dikecualikan": _l("Dikecualikan"),
}
PASAL17 = {
    "a": _l("a. menghambat proses penegakan hukum"),
    "b": _l("b. mengganggu perlindungan HKI dan persaingan usaha tidak sehat"),
    "c": _l("c. membahayakan pertahanan dan keamanan negara"),
    "d": _l("d. mengungkapkan kekayaan alam Indonesia"),
    "e": _l("e. merugikan ketahanan ekonomi nasional"),
    "f": _l("f. merugikan kepentingan hubungan luar negeri"),
    "g": _l("g. mengungkap isi akta otentik yang bersifat pribadi dan wasiat"),
    "h": _l("h. mengungkap rahasia pribadi"),
    "i": _l("i. memorandum/surat antar atau intra Badan Publik yang dirahasiakan"),
    "j": _l("j. informasi yang tidak boleh diungkapkan berdasarkan Undang-Undang"),
}
GROUNDS = {
    "a": _l("a. Penolakan atas dasar pengecualian Pasal 17"),
    "b": _l("b. Tidak disediakannya informasi berkala"),
    "c": _l("c. Tidak ditanggapinya permintaan informasi"),
    "d": _l("d. Permintaan ditanggapi tidak sebagaimana yang diminta"),
    "e": _l("e. Tidak dipenuhinya permintaan informasi"),
    "f": _l("f. Pengenaan biaya yang tidak wajar"),
    "g": _l("g. Penyampaian informasi melebihi waktu yang diatur"),
}
OBJECTION_OUTCOMES = {"dikabulkan": _l("Dikabulkan"), "ditolak": _l("Ditolak (menguatkan putusan PPID)")}
DISPUTE_STAGES = {
    "registrasi": _l("Registrasi di Komisi Informasi"),
    "mediasi": _l("Mediasi"),
    "ajudikasi": _l("Ajudikasi"),
    "putusan": _l("Putusan Komisi Informasi"),
    "gugatan": _l("Gugatan ke pengadilan"),
    "putusan_pengadilan": _l("Putusan pengadilan"),
    "selesai": _l("Selesai"),
}


class Counter(Model):
    """One row per (kind, year): the source of registration numbers."""

    __tablename__ = "inbox_counter"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class InfoRequest(Model):
    __tablename__ = "inbox_request"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_inbox_request_year_seq"),
        # The officer list ("open first, due first") walks this index instead of sorting.
        Index("ix_inbox_request_queue", "queue_rank", "due_sort", "id"),
    )

    # Optimistic lock: two officers acting on one row at once; the later
    # UPDATE matches nothing and the request answers 409 (cms.errors).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    tracking_hash: Mapped[str] = mapped_column(String(64))
    # The code itself, encrypted, only between submitting and the one receipt
    # page that shows it (then wiped); the session cookie carries the id only.
    receipt_code_enc: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(10), default="web", index=True)
    applicant_type: Mapped[str] = mapped_column(String(20), default="perseorangan")
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    nik_enc: Mapped[str | None] = mapped_column(Text)
    nik_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    nik_masked: Mapped[str] = mapped_column(String(20), default="")
    sk_number: Mapped[str] = mapped_column(String(100), default="")
    kuasa_name: Mapped[str] = mapped_column(String(200), default="")
    kuasa_address: Mapped[str] = mapped_column(String(300), default="")
    kuasa_phone: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    occupation: Mapped[str] = mapped_column(String(100), default="")
    details: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    access_method: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20), default="setiap_saat")
    categorised_at: Mapped[datetime | None]  # set when an officer classifies it (law.asked_category)

    received_at: Mapped[datetime] = mapped_column(index=True)
    received_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    extended_due_date: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    extended_at: Mapped[datetime | None]

    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    suggested_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # the applicant's pick of OPD
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(30), default="terdaftar", index=True)
    incomplete_note: Mapped[str] = mapped_column(Text, default="")

    outcome: Mapped[str | None] = mapped_column(String(30))
    held_by: Mapped[str] = mapped_column(String(300), default="")
    exemptions: Mapped[list] = mapped_column(JSON, default=list)
    other_law: Mapped[str] = mapped_column(String(300), default="")
    consequence_test: Mapped[str] = mapped_column(Text, default="")
    redaction_note: Mapped[str] = mapped_column(Text, default="")
    material: Mapped[str] = mapped_column(Text, default="")
    info_form: Mapped[str] = mapped_column(String(20), default="")
    provide_days: Mapped[int | None] = mapped_column(Integer)
    fee_pages: Mapped[int] = mapped_column(Integer, default=0)
    fee_total: Mapped[int] = mapped_column(Integer, default=0)
    fee_detail: Mapped[dict] = mapped_column(JSON, default=dict)
    payment_method: Mapped[str] = mapped_column(String(100), default="")
    answer_text: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_date: Mapped[date | None] = mapped_column(Date)
    answer_working_days: Mapped[int | None] = mapped_column(Integer)
    delivered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    dip_entry_id: Mapped[int | None] = mapped_column(Integer)
    dip_links: Mapped[list] = mapped_column(JSON, default=list)  # DIP pages given as the answer
    dik_ref: Mapped[str] = mapped_column(String(300), default="", server_default="")  # DIK entry a refusal rests on
    # The DIP item the applicant asked for from its page ("Ajukan permohonan"), see ``dip_requests``.
    dip_item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    dip_item_title: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Denormalised sort key, kept in step by ``_sync_queue_keys``: 0 = open, 1 = closed.
    queue_rank: Mapped[int] = mapped_column(Integer, default=0)
    due_sort: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    unit = relationship("Unit", foreign_keys=[unit_id])
    suggested_unit = relationship("Unit", foreign_keys=[suggested_unit_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    files: Mapped[list[InboxFile]] = relationship(back_populates="request", cascade="all, delete-orphan")
    notes: Mapped[list[Note]] = relationship(back_populates="request", cascade="all, delete-orphan", order_by="Note.id")
    objections: Mapped[list[Objection]] = relationship(back_populates="request", order_by="Objection.id")
    payments = relationship("Payment", order_by="Payment.id", viewonly=True)  # fee_models; read by the registers
    if TYPE_CHECKING:  # backref of withheld_models.WithheldPart.request, so not annotated at run time
        withheld_parts: Mapped[list[WithheldPart]]

    @property
    def effective_due(self) -> date:
        return law.effective_due(self.due_date, self.extended_due_date)

    @property
    def is_open(self) -> bool:
        return law.is_open(self.status)


class InboxFile(Model):
    """An uploaded file, encrypted under ``private_dir("inbox")``."""

    __tablename__ = "inbox_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    objection_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_objection.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ktp, akta, surat_kuasa, answer
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(100))
    purged_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    request: Mapped[InfoRequest | None] = relationship(back_populates="files")

    @property
    def is_identity(self) -> bool:
        return self.kind not in ("answer", "answer_draft")


class Note(Model):
    __tablename__ = "inbox_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    request: Mapped[InfoRequest] = relationship(back_populates="notes")
    user = relationship("User")


class Objection(Model):
    """A keberatan (UU KIP Pasal 35–36) with its own number and clock."""

    __tablename__ = "inbox_objection"
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_inbox_objection_year_seq"),)

    # Optimistic lock: two officers acting on one row at once; the later
    # UPDATE matches nothing and the request answers 409 (cms.errors).
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[int] = mapped_column(ForeignKey("inbox_request.id"), index=True)
    grounds: Mapped[list] = mapped_column(JSON, default=list)
    case_summary: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text, default="")
    kuasa_name: Mapped[str] = mapped_column(String(200), default="")
    kuasa_address: Mapped[str] = mapped_column(String(300), default="")
    kuasa_phone: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime]
    received_date: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="web", server_default="web")  # OBJECTION_CHANNELS
    due_date: Mapped[date] = mapped_column(Date, index=True)
    filed_late: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="diterima", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    reasons: Mapped[str] = mapped_column(Text, default="")
    atasan_name: Mapped[str] = mapped_column(String(200), default="")
    atasan_position: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime | None]
    decided_date: Mapped[date | None] = mapped_column(Date)
    applicant_response: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())

    request: Mapped[InfoRequest] = relationship(back_populates="objections")
    disputes: Mapped[list[Dispute]] = relationship(back_populates="objection", order_by="Dispute.id")
    if TYPE_CHECKING:  # backref of execution_models.ExecutionOrder.objection, so not annotated at run time
        order: Mapped[ExecutionOrder | None]

    @property
    def is_open(self) -> bool:
        return law.is_objection_open(self.status)


class Dispute(Model):
    """A sengketa before the Komisi Informasi (and the court), tracked by PPID
    staff: its stages are rows of ``sengketa_models.DisputeStage``; ``stage``
    is where it stands (``law.sengketa_status``), kept in step by ``disputes``."""

    __tablename__ = "inbox_dispute"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("inbox_objection.id"), index=True)
    ki_number: Mapped[str] = mapped_column(String(100), default="")
    stage: Mapped[str] = mapped_column(String(20), default="registrasi")
    result: Mapped[str | None] = mapped_column(String(30))  # law.SENGKETA_RESULTS
    court_result: Mapped[str | None] = mapped_column(String(30))  # law.COURT_RESULTS
    result_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    executed_on: Mapped[date | None] = mapped_column(Date)
    execution_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    objection: Mapped[Objection] = relationship(back_populates="disputes")
    if TYPE_CHECKING:  # backref of sengketa_models.DisputeStage.dispute, so not annotated at run time
        stages: Mapped[list[DisputeStage]]


# Every code of ``law`` has a label here, and no label lacks its code.
for _labels, _codes in (
    (STATUSES, law.STATUSES),
    (OUTCOMES, law.OUTCOMES),
    (PASAL17, law.PASAL17),
    (GROUNDS, law.OBJECTION_GROUNDS),
    (OBJECTION_OUTCOMES, law.OBJECTION_OUTCOMES),
    (DISPUTE_STAGES, law.DISPUTE_STAGES),
):
    if tuple(_labels) != _codes:
        raise RuntimeError(f"inbox labels {tuple(_labels)} differ from the law's codes {_codes}")


class CalendarOverride(Model):
    """An admin correction of the holiday calendar, with the decree that set it."""

    __tablename__ = "inbox_calendar_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # "libur" closes a day, "kerja" reopens it
    reference: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


REPORT_SECTIONS = {
    "kebijakan": _l("Gambaran umum kebijakan pelayanan informasi publik"),
    "sarana": _l("Sarana dan prasarana pelayanan"),
    "sdm": _l("Sumber daya manusia dan kualifikasinya"),
    "anggaran": _l("Anggaran pelayanan informasi dan realisasinya"),
    "pelaksanaan": _l("Gambaran umum pelaksanaan pelayanan informasi publik"),
    "pelaksanaan_putusan": _l("Pelaksanaan tanggapan atas keberatan dan putusan sengketa"),
    "kendala": _l("Kendala internal dan eksternal"),
    "rekomendasi": _l("Rekomendasi dan rencana tindak lanjut"),
}


class ReportText(Model):
    """The narrative parts of the laporan layanan (Perki 1/2021 Pasal 56), per year and unit."""

    __tablename__ = "inbox_report_text"
    __table_args__ = (UniqueConstraint("year", "unit_key", "section", name="uq_inbox_report_text_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    unit_key: Mapped[int] = mapped_column(Integer, default=0)  # 0 = consolidated (no NULL in the unique key)
    section: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


class ReminderSent(Model):
    """Keys of reminders already sent, so the hourly job never repeats one."""

    __tablename__ = "inbox_reminder_sent"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(server_default=func.now())


@event.listens_for(Session, "before_flush")
def _sync_queue_keys(session, flush_context, instances):
    """Keep the officer-list sort key equal to (open?, effective due date)."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, InfoRequest):
            obj.queue_rank = 0 if law.is_open(obj.status) else 1
            obj.due_sort = law.effective_due(obj.due_date, obj.extended_due_date)


# The standar biaya, payments and letters live in their own modules; imported
# here so every user of the models (and ``create_all``) sees their tables.
from plugins.inbox import disposition_models as _disposition_models  # noqa: E402, F401
from plugins.inbox import execution_models as _execution_models  # noqa: E402, F401
from plugins.inbox import fee_models as _fee_models  # noqa: E402, F401
from plugins.inbox import ppid_page_models as _ppid_page_models  # noqa: E402, F401 - public PPID pages
from plugins.inbox import sengketa_models as _sengketa_models  # noqa: E402, F401
from plugins.inbox import withheld_models as _withheld_models  # noqa: E402, F401
from plugins.inbox.annual_models import AnnualReport  # noqa: E402,F401 - the annual report's built files
from plugins.inbox.letter_models import Letter, Letterhead  # noqa: E402,F401 - registers the letter tables
