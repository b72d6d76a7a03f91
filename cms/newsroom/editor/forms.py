"""Editor forms (Flask-WTF: CSRF on every one).

Length and format rules live in ``cms.newsroom.posts`` (one place, also used by
imports); these forms only carry the values and name the fields.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from cms.inputs import LawfulDate, bounded_int
from cms.models.content import POST_KINDS


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagsField(StringField):
    """Tags as comma-separated text.  Filled from a post, it gets the post's
    Tag list (a form posted without the field keeps that object data)."""

    def process_data(self, value):
        if value is not None and not isinstance(value, str):
            value = ", ".join(tag.name for tag in value)
        super().process_data(value)


class PostForm(FlaskForm):
    title = StringField("Judul", validators=[DataRequired(message="Judul wajib diisi.")])
    kind = SelectField("Jenis", choices=list(POST_KINDS.items()))
    slug = StringField("Slug (alamat)", validators=[Optional()])
    dateline = StringField("Dateline", validators=[Optional()])
    summary = TextAreaField("Ringkasan (lead)", validators=[Optional()])
    body_html = TextAreaField("Isi naskah", validators=[Optional()])
    language = SelectField("Bahasa", choices=[("id", "Bahasa Indonesia"), ("en", "English")])
    unit_id = SelectField("Unit (OPD)", coerce=int, choices=[])
    category_ids = CheckboxListField("Kategori", coerce=int, choices=[])
    tags = TagsField("Tag (pisahkan dengan koma)", validators=[Optional()])
    contact_name = StringField("Nama narahubung", validators=[Optional()])
    contact_role = StringField("Jabatan narahubung", validators=[Optional()])
    contact_phone = StringField("Telepon narahubung", validators=[Optional()])
    contact_email = StringField("E-mail narahubung", validators=[Optional()])
    featured_image_id = SelectField("Gambar utama dari pustaka", coerce=int, choices=[])
    featured_upload = FileField("Unggah gambar utama")
    featured_alt = StringField("Teks alternatif (alt) gambar utama", validators=[Optional()])
    attachment_ids = CheckboxListField("Lampiran", coerce=int, choices=[])
    attachment_uploads = MultipleFileField("Unggah lampiran (PDF, dokumen)")
    embargo_proposed = DateTimeLocalField(
        "Usulan waktu embargo (WIB)", format="%Y-%m-%dT%H:%M", validators=[Optional(), LawfulDate()]
    )
    correction = TextAreaField("Catatan ralat (tampil di halaman publik)", validators=[Optional()])
    version = IntegerField("Versi", default=0, validators=[Optional(), bounded_int(0)])

    def validate_version(self, field):  # noqa: D401 - WTForms hook
        """A missing version would bypass the conflict check."""
        if field.data is None:
            field.data = 0


class CommentForm(FlaskForm):
    comment = TextAreaField("Komentar", validators=[Optional()])


class ScheduleForm(FlaskForm):
    publish_at = DateTimeLocalField(
        "Waktu terbit (WIB)",
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message="Waktu terbit wajib diisi."), LawfulDate()],
    )
    embargo = BooleanField("Embargo: tautan pratinjau untuk wartawan, terbuka otomatis pada waktu ini")


class ActionForm(FlaskForm):
    """Buttons that only need CSRF (publish, unpublish, cancel schedule)."""

    reason = HiddenField()


class MediaUploadForm(FlaskForm):
    file = FileField("Berkas", validators=[DataRequired(message="Pilih berkas untuk diunggah.")])
    alt = StringField("Teks alternatif (wajib untuk gambar)", validators=[Optional()])


class MediaAltForm(FlaskForm):
    alt = StringField("Teks alternatif", validators=[Optional()])
    caption = StringField("Keterangan foto", validators=[Optional()])


class CategoryForm(FlaskForm):
    name = StringField("Nama kategori", validators=[DataRequired(message="Nama kategori wajib diisi.")])
    description = TextAreaField("Deskripsi", validators=[Optional()])
