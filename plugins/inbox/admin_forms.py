"""Staff forms: disposisi, notes, extension, completeness, answer, keberatan, sengketa, calendar."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cms.api import LawfulDate
from plugins.inbox.forms import MultiCheckboxField, required
from plugins.inbox.models import CATEGORIES, INFO_FORMS, OBJECTION_OUTCOMES, OUTCOMES, PASAL17, REPORT_SECTIONS


class AssignForm(FlaskForm):
    unit_id = SelectField(_l("Unit (PPID Pembantu)"), coerce=int, choices=[])
    assignee_id = SelectField(_l("Petugas"), coerce=int, choices=[])


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Catatan internal"), validators=[required(_l("Catatan")), Length(max=5000)])


class ExtendForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan perpanjangan"), validators=[required(_l("Alasan perpanjangan")), Length(max=2000)]
    )


class CompletenessForm(FlaskForm):
    note = TextAreaField(
        _l("Kekurangan yang harus dilengkapi"), validators=[required(_l("Kekurangan")), Length(max=2000)]
    )


class CategoryForm(FlaskForm):
    category = SelectField(_l("Kategori informasi"), choices=list(CATEGORIES.items()))


class AnswerForm(FlaskForm):
    outcome = RadioField(
        _l("Keputusan"), choices=list(OUTCOMES.items()), validators=[DataRequired(message=_l("Pilih keputusan."))]
    )
    exemptions = MultiCheckboxField(_l("Dasar pengecualian: Pasal 17 UU KIP huruf"), choices=list(PASAL17.items()))
    other_law = StringField(_l("Pasal undang-undang lain"), validators=[Optional(), Length(max=300)])
    consequence_test = TextAreaField(
        _l("Uji konsekuensi (konsekuensi dan kepentingan publik)"), validators=[Optional(), Length(max=5000)]
    )
    dik_ref = StringField(
        _l("Entri Daftar Informasi yang Dikecualikan (bila ada)"), validators=[Optional(), Length(max=300)]
    )
    held_by = StringField(_l("Badan Publik yang menguasai informasi"), validators=[Optional(), Length(max=300)])
    redaction_note = TextAreaField(
        _l("Bagian yang dihitamkan/dikaburkan dan alasannya"), validators=[Optional(), Length(max=3000)]
    )
    material = TextAreaField(_l("Materi informasi yang diberikan"), validators=[Optional(), Length(max=3000)])
    info_form = SelectField(
        _l("Bentuk informasi"),
        choices=[("", "—"), *INFO_FORMS.items()],
        default="",
        validate_choice=False,
    )
    provide_days = IntegerField(
        _l("Jangka waktu penyediaan (hari kerja)"), validators=[Optional(), NumberRange(min=0, max=30)]
    )
    # The fee's quantities are ``qty-<code>`` inputs, one per line of the standar biaya (``fees``).
    payment_method = StringField(_l("Cara pembayaran"), validators=[Optional(), Length(max=100)])
    answer_text = TextAreaField(_l("Isi surat"), validators=[Optional(), Length(max=10000)])
    dip_links = TextAreaField(_l("Tautan dokumen di DIP (satu per baris)"), validators=[Optional(), Length(max=4000)])
    attachments = MultipleFileField(_l("Dokumen yang diberikan (PDF, JPG, PNG, DOCX, XLSX, ODT, ODS, CSV, ZIP)"))


class DecideForm(FlaskForm):
    outcome = RadioField(
        _l("Keputusan Atasan PPID"),
        choices=list(OBJECTION_OUTCOMES.items()),
        validators=[DataRequired(message=_l("Pilih keputusan."))],
    )
    reasons = TextAreaField(_l("Alasan tertulis"), validators=[required(_l("Alasan tertulis")), Length(max=5000)])
    atasan_name = StringField(_l("Nama Atasan PPID"), validators=[required(_l("Nama Atasan PPID")), Length(max=200)])
    atasan_position = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    # A grant orders the PPID to give the information (``executions``).
    grant = RadioField(
        _l("Bila dikabulkan"),
        choices=[("seluruhnya", _l("Dikabulkan seluruhnya")), ("sebagian", _l("Dikabulkan sebagian"))],
        default="seluruhnya",
        validators=[Optional()],
    )
    order_what = TextAreaField(_l("Informasi yang harus diberikan PPID"), validators=[Optional(), Length(max=3000)])


class ResponseForm(FlaskForm):
    applicant_response = StringField(_l("Tanggapan pemohon"), validators=[Optional(), Length(max=200)])


class CalendarForm(FlaskForm):
    day = DateField(_l("Tanggal"), validators=[DataRequired(message=_l("Tanggal wajib diisi.")), LawfulDate()])
    kind = RadioField(
        _l("Jenis"),
        choices=[("libur", _l("Libur (bukan hari kerja)")), ("kerja", _l("Hari kerja"))],
        default="libur",
        validators=[DataRequired(message=_l("Pilih jenis."))],
    )
    reference = StringField(_l("Dasar (nomor SKB/Keppres)"), validators=[required(_l("Dasar")), Length(max=300)])


class AttachForm(FlaskForm):
    file = FileField(_l("Berkas"))


class NarrativeForm(FlaskForm):
    """Free-text sections of the laporan layanan (Perki 1/2021 Pasal 56)."""

    kebijakan = TextAreaField(REPORT_SECTIONS["kebijakan"], validators=[Optional(), Length(max=10000)])
    sarana = TextAreaField(REPORT_SECTIONS["sarana"], validators=[Optional(), Length(max=10000)])
    sdm = TextAreaField(REPORT_SECTIONS["sdm"], validators=[Optional(), Length(max=10000)])
    anggaran = TextAreaField(REPORT_SECTIONS["anggaran"], validators=[Optional(), Length(max=10000)])
    pelaksanaan = TextAreaField(REPORT_SECTIONS["pelaksanaan"], validators=[Optional(), Length(max=10000)])
    pelaksanaan_putusan = TextAreaField(
        REPORT_SECTIONS["pelaksanaan_putusan"], validators=[Optional(), Length(max=10000)]
    )
    kendala = TextAreaField(REPORT_SECTIONS["kendala"], validators=[Optional(), Length(max=10000)])
    rekomendasi = TextAreaField(REPORT_SECTIONS["rekomendasi"], validators=[Optional(), Length(max=10000)])
