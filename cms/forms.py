"""Core WTForms (CSRF comes with FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from cms.models import ROLES


class IdListField(SelectMultipleField):
    """Ids picked from a list: anything that is not a whole number is dropped
    (WTForms would answer in English), and the view drops unknown ids."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("choices", [])
        super().__init__(label, validators or [Optional()], coerce=int, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist):
        self.data = [int(v) for v in valuelist if str(v).isascii() and str(v).isdigit() and len(str(v)) < 10]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(message=_l("Kata sandi wajib diisi."))])
    remember = BooleanField(_l("Ingat saya"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(message=_l("Kata sandi wajib diisi."))])
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[DataRequired(message=_l("Ulangi kata sandi."))])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)])
    name = StringField(_l("Nama"), validators=[Optional(), Length(max=200)])
    # Printed under an official letter's signature (nama, jabatan, NIP).
    position = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)])
    nip = StringField(
        _l("NIP"),
        filters=[lambda v: "".join((v or "").split())],
        validators=[Optional(), Regexp(r"^\d{18}$", message=_l("NIP terdiri atas 18 angka."))],
    )
    role = SelectField(_l("Peran"), choices=list(ROLES.items()))
    unit_id = SelectField(_l("Unit (OPD)"), coerce=int, choices=[])
    password = PasswordField(
        _l("Kata sandi"),
        validators=[Optional(), Length(min=10, max=200, message=_l("Kata sandi minimal 10 karakter."))],
    )
    active = BooleanField(_l("Aktif"), default=True)


class UnitForm(FlaskForm):
    name = StringField(
        _l("Nama unit"), validators=[DataRequired(message=_l("Nama unit wajib diisi.")), Length(max=200)]
    )
    short_name = StringField(_l("Singkatan"), validators=[Optional(), Length(max=50)])
    active = BooleanField(_l("Aktif"), default=True)


class UnitMergeForm(FlaskForm):
    source = SelectField(_l("Unit yang digabungkan (dihapus)"), coerce=int)
    target = SelectField(_l("Digabungkan ke unit"), coerce=int)


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Kata sandi saat ini"), validators=[DataRequired(message=_l("Kata sandi saat ini wajib diisi."))]
    )
    new_password = PasswordField(
        _l("Kata sandi baru"),
        validators=[
            DataRequired(message=_l("Kata sandi baru wajib diisi.")),
            Length(min=10, max=200, message=_l("Kata sandi minimal 10 karakter.")),
        ],
    )
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[
            DataRequired(message=_l("Ulangi kata sandi baru.")),
            EqualTo("new_password", message=_l("Kedua kata sandi baru tidak sama.")),
        ],
    )
