"""Admin forms (Flask-WTF: CSRF on every one); account forms are built per channel type."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, PasswordField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import URL, AnyOf, DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

SETTING_PREFIX = "s_"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AccountForm(FlaskForm):
    name = StringField(
        _l("Nama akun"), validators=[DataRequired(message=_l("Nama akun wajib diisi.")), Length(max=120)]
    )
    active = BooleanField(_l("Aktif"), default=True)
    default_kinds = MultiCheckboxField(_l("Bagikan otomatis untuk jenis"), choices=[])
    default_categories = StringField(
        _l("Hanya kategori (slug, pisahkan koma)"), validators=[Optional(), Length(max=500)]
    )
    share_serta_merta = BooleanField(_l("Bagikan juga informasi serta merta"))
    # "" = a central account; choices are the units the person may manage (scope.unit_choices).
    unit_id = SelectField(_l("Pemilik akun"), choices=[], validate_choice=False)


def account_form_class(channel_cls):
    """A form with one field per setting the channel declares."""

    class ChannelAccountForm(AccountForm):
        pass

    for setting in channel_cls.settings:
        if setting.secret:
            field: Field = PasswordField(
                setting.label, validators=[Optional(), Length(max=2000)], description=setting.hint
            )
        else:
            validators: list[Any] = (
                [DataRequired(message=f"{setting.label} wajib diisi.")] if setting.required else [Optional()]
            )
            if setting.name.endswith(("url", "base", "service")):
                validators.append(URL(require_tld=False, message=f"{setting.label}: alamat URL tidak valid."))
            if setting.choices:
                validators.append(
                    AnyOf(
                        setting.choices, message=f"{setting.label}: pilih salah satu dari {', '.join(setting.choices)}."
                    )
                )
            field = StringField(
                setting.label,
                validators=validators + [Length(max=500)],
                default=setting.default,
                description=setting.hint,
            )
        setattr(ChannelAccountForm, SETTING_PREFIX + setting.name, field)
    return ChannelAccountForm


class ChoicesForm(FlaskForm):
    """Per-post fields (use_<id>, text_<id>) are read from request.form by the view."""


class ActionForm(FlaskForm):
    """Buttons (retry, cancel, test connection): CSRF only."""


class MarkSentForm(FlaskForm):
    url = StringField(_l("Tautan pos di jaringan"), validators=[Optional(), Length(max=500)])


__all__ = [
    "AccountForm",
    "account_form_class",
    "ChoicesForm",
    "ActionForm",
    "MarkSentForm",
    "TextAreaField",
    "SETTING_PREFIX",
]
