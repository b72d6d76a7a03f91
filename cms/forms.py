"""Core WTForms (CSRF comes with FlaskForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from cms.models import ROLES


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(message="E-mail wajib diisi."), Length(max=254)])
    password = PasswordField("Kata sandi", validators=[DataRequired(message="Kata sandi wajib diisi.")])
    remember = BooleanField("Ingat saya")


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(message="E-mail wajib diisi."),
                                             Email(message="Alamat e-mail tidak valid."), Length(max=254)])
    name = StringField("Nama", validators=[Optional(), Length(max=200)])
    role = SelectField("Peran", choices=list(ROLES.items()))
    unit_id = SelectField("Unit (OPD)", coerce=int, choices=[])
    password = PasswordField("Kata sandi", validators=[Optional(), Length(min=10, max=200,
                             message="Kata sandi minimal 10 karakter.")])
    active = BooleanField("Aktif", default=True)


class UnitForm(FlaskForm):
    name = StringField("Nama unit", validators=[DataRequired(message="Nama unit wajib diisi."), Length(max=200)])
    short_name = StringField("Singkatan", validators=[Optional(), Length(max=50)])
    active = BooleanField("Aktif", default=True)
