"""The form of the letter settings (kop, nomor patterns, signer) of one unit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, Length, Optional, ValidationError

from plugins.inbox.letter_kinds import KINDS
from plugins.inbox.letter_numbers import PatternError, check_pattern


def _pattern(form, field):
    try:
        field.data = check_pattern(field.data)
    except PatternError as exc:
        raise ValidationError(_l("Pola nomor tidak sah: %(e)s", e=str(exc))) from None


class LetterheadForm(FlaskForm):
    instansi = StringField(_l("Nama instansi"), validators=[Optional(), Length(max=200)])
    unit_name = StringField(_l("Nama unit pada kop"), validators=[Optional(), Length(max=200)])
    unit_code = StringField(_l("Kode unit ({unit} pada nomor surat)"), validators=[Optional(), Length(max=30)])
    address = StringField(_l("Alamat"), validators=[Optional(), Length(max=300)])
    phone = StringField(_l("Telepon"), validators=[Optional(), Length(max=60)])
    email = StringField(
        _l("E-mail"), validators=[Optional(), Email(message=_l("Alamat e-mail tidak sah.")), Length(max=254)]
    )
    website = StringField(_l("Laman"), validators=[Optional(), Length(max=200)])
    place = StringField(_l("Tempat surat (mis. Bekasi)"), validators=[Optional(), Length(max=100)])
    logo = FileField(_l("Lambang/logo (PNG atau JPEG)"))
    remove_logo = BooleanField(_l("Hapus logo"))
    signer_id = SelectField(_l("Penanda tangan"), coerce=int, choices=[])
    delegate = BooleanField(
        _l("PPID Pembantu unit ini menandatangani surat permohonan yang didisposisikan ke unit ini")
    )
    tembusan = TextAreaField(_l("Tembusan (satu per baris)"), validators=[Optional(), Length(max=2000)])
    number_pattern = StringField(_l("Pola nomor surat"), validators=[Optional(), Length(max=200), _pattern])


def add_kind_fields(form_cls):
    """A pattern and a kode field per letter kind (``pattern_<kind>``, ``code_<kind>``)."""
    for kind, info in KINDS.items():
        setattr(
            form_cls,
            f"pattern_{kind}",
            StringField(info.title, validators=[Optional(), Length(max=200), _pattern]),
        )
        setattr(form_cls, f"code_{kind}", StringField(_l("Kode"), validators=[Optional(), Length(max=30)]))
    return form_cls


add_kind_fields(LetterheadForm)
