"""Forms of the press room admin (Flask-WTF: CSRF on every one).

The checks of a contact live in ``press_contacts.check`` (one place); these
forms carry the values and name the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import Optional

from cms.forms import IdListField
from cms.inputs import bounded_int


class ContactForm(FlaskForm):
    name = StringField(_l("Nama"))
    role = StringField(_l("Jabatan"), validators=[Optional()])
    phone = StringField(_l("Telepon"), validators=[Optional()])
    whatsapp = BooleanField(_l("Nomor ini menerima pesan WhatsApp"))
    email = StringField(_l("E-mail"), validators=[Optional()])
    position = IntegerField(_l("Urutan"), default=0, validators=[Optional(), bounded_int(0, 999)])
    active = BooleanField(_l("Tampilkan di ruang media"), default=True)


class BoilerplateForm(FlaskForm):
    boilerplate = TextAreaField(_l("Tentang instansi (boilerplate)"), validators=[Optional()])


class PhotosForm(FlaskForm):
    """CSRF only: the chosen photos and their credits come as ``photo`` and ``credit-<id>``."""


class PostContactsForm(FlaskForm):
    contact_ids = IdListField(_l("Narahubung siaran pers ini"))
