"""Staff forms (Flask-WTF: CSRF included).  Dates are text fields checked by
``rules.parse_date`` so errors are in Indonesian and what was typed is kept."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from plugins.dip.models import CATEGORIES, PASAL_17

_CHOICE = {"invalid_choice_message": "Pilihan tidak valid.", "invalid_value_message": "Pilihan tidak valid."}
_YEAR = [DataRequired(message="Tahun wajib diisi."), NumberRange(2000, 2200, message="Tahun 2000–2200.")]


class LinksField(TextAreaField):
    """One URL a line.  Filled from an entry, it gets the entry's link rows
    (a form posted without the field keeps that object data)."""

    def process_data(self, value):
        if value is not None and not isinstance(value, str):
            value = "\n".join(link.url for link in value)
        super().process_data(value)


class EntryForm(FlaskForm):
    version = HiddenField()  # the entry's version when the form was loaded; a stale save is refused
    year = IntegerField("Tahun DIP", validators=_YEAR)
    category = SelectField("Kategori", choices=list(CATEGORIES.items()), **_CHOICE)  # type: ignore[arg-type]  # WTForms 3.3 option, missing from types-WTForms 3.2
    jenis = StringField("Jenis informasi", validators=[Optional(), Length(max=100)])
    title = TextAreaField(
        "Ringkasan isi informasi",
        validators=[DataRequired(message="Ringkasan isi informasi wajib diisi."), Length(max=500)],
    )
    description = TextAreaField("Deskripsi", validators=[Optional(), Length(max=50_000)])
    unit_id = SelectField("Pejabat/unit yang menguasai", coerce=int, choices=[], **_CHOICE)  # type: ignore[arg-type]  # WTForms 3.3 option, missing from types-WTForms 3.2
    official = StringField("Pejabat yang menguasai", validators=[Optional(), Length(max=200)])
    responsible = StringField("Penanggung jawab pembuatan/penerbitan", validators=[Optional(), Length(max=200)])
    made_on = StringField("Waktu pembuatan (YYYY-MM-DD)", validators=[Optional(), Length(max=20)])
    made_place = StringField("Tempat pembuatan", validators=[Optional(), Length(max=200)])
    hardcopy = BooleanField("Tersedia hardcopy (cetak)")
    softcopy = BooleanField("Tersedia softcopy (elektronik)", default=True)
    retention = StringField("Jangka waktu penyimpanan (retensi arsip)", validators=[Optional(), Length(max=200)])
    reviewed_on = StringField("Tanggal tinjau (YYYY-MM-DD)", validators=[Optional(), Length(max=20)])
    links = LinksField("Tautan (satu per baris, http/https)", validators=[Optional(), Length(max=20_000)])
    document = FileField("Unggah dokumen")
    publish = BooleanField("Terbitkan sekarang")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DikForm(FlaskForm):
    year = IntegerField("Tahun", validators=_YEAR)
    unit_id = SelectField("Unit pemilik", coerce=int, choices=[], **_CHOICE)  # type: ignore[arg-type]  # WTForms 3.3 option, missing from types-WTForms 3.2
    information = TextAreaField(
        "Informasi yang dikecualikan (spesifik)",
        validators=[DataRequired(message="Informasi yang dikecualikan wajib diisi."), Length(max=500)],
    )
    pasal17 = MultiCheckboxField(  # type: ignore[call-arg]  # WTForms 3.3 option, missing from types-WTForms 3.2
        "Pasal 17 UU 14/2008 huruf",
        choices=[(c, c) for c in PASAL_17],
        invalid_choice_message="Huruf Pasal 17 hanya a–j.",
    )
    other_law = StringField("Dasar hukum lain (UU dan pasal)", validators=[Optional(), Length(max=500)])
    consequence = TextAreaField(
        "Konsekuensi bila dibuka (uji konsekuensi)",
        validators=[DataRequired(message="Konsekuensi wajib diisi."), Length(max=20_000)],
    )
    public_interest = TextAreaField(
        "Pertimbangan kepentingan publik",
        validators=[DataRequired(message="Pertimbangan kepentingan publik wajib diisi."), Length(max=20_000)],
    )
    period_text = StringField(
        "Jangka waktu pengecualian",
        validators=[DataRequired(message="Jangka waktu pengecualian wajib diisi."), Length(max=200)],
    )
    exempt_until = StringField("Berlaku sampai (YYYY-MM-DD)", validators=[Optional(), Length(max=20)])
    klasifikasi_jenis = StringField("Jenis klasifikasi", validators=[Optional(), Length(max=200)])
    penetap_name = StringField("Pejabat PPID yang menetapkan", validators=[Optional(), Length(max=200)])
    penetap_unit = StringField("Unit kerja pejabat yang menetapkan", validators=[Optional(), Length(max=200)])
    alasan = TextAreaField("Alasan pengecualian", validators=[Optional(), Length(max=20_000)])
    penetapan_place = StringField("Tempat penetapan", validators=[Optional(), Length(max=100)])
    penetapan_date = StringField("Tanggal penetapan (YYYY-MM-DD)", validators=[Optional(), Length(max=20)])
    sk_number = StringField("Nomor surat penetapan", validators=[Optional(), Length(max=200)])
    published = BooleanField("Tampilkan di halaman publik DIK", default=True)


class DecreeForm(FlaskForm):
    year = IntegerField("Tahun DIP", validators=_YEAR)
    number = StringField("Nomor SK", validators=[DataRequired(message="Nomor SK wajib diisi."), Length(max=200)])
    signed_on = StringField(
        "Tanggal SK (YYYY-MM-DD)", validators=[DataRequired(message="Tanggal SK wajib diisi."), Length(max=20)]
    )
    place = StringField("Tempat penetapan", validators=[Optional(), Length(max=100)])
    official_name = StringField("Nama PPID", validators=[Optional(), Length(max=200)])
    official_title = StringField("Jabatan", validators=[Optional(), Length(max=200)])
    official_nip = StringField("NIP", validators=[Optional(), Length(max=50)])


class CopyYearForm(FlaskForm):
    source = IntegerField("Dari tahun", validators=_YEAR)
    target = IntegerField("Ke tahun", validators=_YEAR)


class ImportForm(FlaskForm):
    file = FileField("Berkas DIP (CSV, XLSX atau JSON Kota Bekasi)")
    year = IntegerField(
        "Tahun DIP (kosongkan: dari kolom tahun/tanggal)",
        validators=[Optional(), NumberRange(2000, 2200, message="Tahun 2000–2200.")],
    )


class ActionForm(FlaskForm):
    """CSRF-only form for POST buttons (publish, review, delete)."""
