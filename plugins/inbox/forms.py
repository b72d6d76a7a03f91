"""Public forms: permohonan, tracking, keberatan (Flask-WTF, CSRF included)."""

from __future__ import annotations

import re
import time

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from cms.api import LawfulDate, Unit, db
from plugins.inbox import law
from plugins.inbox.models import ACCESS_METHODS, APPLICANT_TYPES, CHANNELS, DELIVERY, GROUNDS

NIK_RE = re.compile(r"[0-9]{16}")  # ASCII digits only: \d also matches other scripts
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def required(label):
    return DataRequired(message=_l("%(f)s wajib diisi.", f=label))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def nik_problem(value: str) -> str | None:
    """Shape check only: 16 digits.  Dukcapil is never called, and the digits'
    meaning (province, birth date) is not judged: a NIK issued under older
    rules, or a made-up one an officer types at the desk for a walk-in who
    gave none, is not refused here."""
    if not NIK_RE.fullmatch(value):
        return _l("NIK harus 16 digit angka.")
    return None


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="inbox-form-time")


def form_timestamp() -> str:
    return _serializer().dumps(int(time.time()))


# What the applicant is told when ``law.identity_gaps`` names a missing field.
_IDENTITY_GAPS = {
    "nik": _l("NIK wajib diisi."),
    "sk_number": _l("Nomor SK pengesahan badan hukum wajib diisi."),
    "organisation": _l("Nama kelompok/badan hukum wajib diisi."),
    "email": _l("Isi nomor telepon atau e-mail (paling sedikit satu)."),
    "kuasa_name": _l("Nama kuasa wajib diisi bila diwakili kuasa."),
}


class ApplicantMixin:
    applicant_type = RadioField(
        _l("Jenis pemohon"),
        choices=list(APPLICANT_TYPES.items()),
        default="perseorangan",
        validators=[DataRequired(message=_l("Pilih jenis pemohon."))],
    )
    name = StringField(_l("Nama lengkap"), validators=[required(_l("Nama lengkap")), Length(max=200)])
    organisation = StringField(_l("Nama kelompok/badan hukum"), validators=[Optional(), Length(max=200)])
    nik = StringField(_l("NIK"), validators=[Optional(), Length(max=20)])
    sk_number = StringField(_l("Nomor SK pengesahan badan hukum"), validators=[Optional(), Length(max=100)])
    address = TextAreaField(_l("Alamat"), validators=[required(_l("Alamat")), Length(max=300)])
    phone = StringField(_l("Nomor telepon"), validators=[Optional(), Length(max=40)])
    email = EmailField(
        _l("E-mail"), validators=[Optional(), Email(message=_l("Alamat e-mail tidak valid.")), Length(max=254)]
    )
    occupation = StringField(_l("Pekerjaan"), validators=[Optional(), Length(max=100)])
    represented = BooleanField(_l("Permohonan diajukan melalui kuasa"))
    kuasa_name = StringField(_l("Nama kuasa"), validators=[Optional(), Length(max=200)])
    kuasa_address = StringField(_l("Alamat kuasa"), validators=[Optional(), Length(max=300)])
    kuasa_phone = StringField(_l("Telepon kuasa"), validators=[Optional(), Length(max=40)])
    surat_kuasa = FileField(_l("Surat kuasa (PDF/JPG/PNG)"))
    akta = FileField(_l("Akta/SK badan hukum (PDF/JPG/PNG, opsional)"))
    ktp = FileField(_l("Salinan KTP (PDF/JPG/PNG)"))
    details = TextAreaField(
        _l("Rincian informasi yang dibutuhkan"), validators=[required(_l("Rincian informasi")), Length(max=5000)]
    )
    purpose = TextAreaField(
        _l("Tujuan penggunaan informasi"), validators=[required(_l("Tujuan penggunaan informasi")), Length(max=2000)]
    )
    access_method = RadioField(
        _l("Cara memperoleh informasi"),
        choices=list(ACCESS_METHODS.items()),
        validators=[DataRequired(message=_l("Pilih cara memperoleh informasi."))],
    )
    # Needed for a copy; one who only sees or reads the information comes to
    # the office for it, so the form does not ask (recorded as "ambil").
    delivery = RadioField(
        _l("Cara mendapatkan salinan informasi"),
        choices=list(DELIVERY.items()),
        validate_choice=False,
    )

    def validate_delivery(self, field) -> None:
        if field.data and field.data not in DELIVERY:
            raise ValidationError(_l("Pilih cara mendapatkan salinan dari daftar."))
        if not field.data:
            if self.access_method.data != "melihat":
                raise ValidationError(_l("Pilih cara mendapatkan salinan."))
            field.data = "ambil"

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)  # type: ignore[misc]  # a mixin: FlaskForm follows it in the MRO
        kind = self.applicant_type.data
        nik = (self.nik.data or "").replace(" ", "")
        self.nik.data = nik
        gaps = law.identity_gaps(
            kind,
            nik=nik,
            sk_number=self.sk_number.data or "",
            organisation=self.organisation.data or "",
            phone=self.phone.data or "",
            email=self.email.data or "",
            represented=bool(self.represented.data),
            kuasa_name=self.kuasa_name.data or "",
        )
        for name in gaps:
            getattr(self, name).errors.append(_IDENTITY_GAPS[name])
        if nik and kind in ("perseorangan", "kelompok", "badan_hukum") and (problem := nik_problem(nik)):
            self.nik.errors = [*self.nik.errors, problem]
            ok = False
        if self.phone.data and not PHONE_RE.match(self.phone.data.strip()):
            self.phone.errors = [
                *self.phone.errors,
                _l("Nomor telepon hanya boleh berisi angka, spasi, +, - dan tanda kurung."),
            ]
            ok = False
        return ok and not gaps


class SuggestedUnitMixin:
    """The applicant's guess of the OPD; a suggestion only, the PPID Utama routes (``unit_choices``)."""

    suggested_unit_id = SelectField(
        _l("OPD yang menurut Anda menguasai informasi"), choices=[], validate_choice=False, default=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggested_unit_id.choices = unit_choices()

    def validate_suggested_unit_id(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih OPD dari daftar, atau kosongkan."))


class RequestForm(SuggestedUnitMixin, ApplicantMixin, FlaskForm):
    website = StringField(_l("Jangan diisi"))  # honeypot, hidden by CSS
    form_ts = HiddenField()

    def spam_reason(self) -> str | None:
        """Why this looks automated, or ``None``.  Never shown to the sender."""
        if self.website.data:
            return "honeypot"
        if self.form_ts.data:
            try:
                started = int(_serializer().loads(self.form_ts.data))
            except (BadSignature, ValueError, TypeError):
                return "bad-timestamp"
            if time.time() - started < float(current_app.config["INBOX_MIN_SUBMIT_SECONDS"]):
                return "too-fast"
        return None


def unit_choices() -> list[tuple[str, str]]:
    """The active units (OPD) an applicant may name, "" = does not know."""
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)).all()
    return [("", _l("— Tidak tahu / serahkan ke PPID Utama —"))] + [(str(u.id), u.name) for u in units]


class DeskRequestForm(SuggestedUnitMixin, ApplicantMixin, FlaskForm):
    # Asked of the applicant at the desk, or read from the letter.
    suggested_unit_id = SelectField(
        _l("OPD yang menurut pemohon menguasai informasi"), choices=[], validate_choice=False, default=""
    )
    channel = SelectField(_l("Saluran"), choices=[(k, v) for k, v in CHANNELS.items() if k != "web"])
    received_at = DateTimeLocalField(
        _l("Waktu diterima (WIB)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired(message=_l("Waktu diterima wajib diisi.")), LawfulDate()],
    )


class TrackForm(FlaskForm):
    number = StringField(_l("Nomor pendaftaran"), validators=[required(_l("Nomor pendaftaran")), Length(max=60)])
    code = StringField(_l("Kode pelacakan"), validators=[required(_l("Kode pelacakan")), Length(max=40)])


class ObjectionForm(TrackForm):
    grounds = MultiCheckboxField(_l("Alasan keberatan (Pasal 35 UU KIP)"), choices=list(GROUNDS.items()))
    case_summary = TextAreaField(_l("Kasus posisi"), validators=[required(_l("Kasus posisi")), Length(max=5000)])
    purpose = TextAreaField(_l("Tujuan penggunaan informasi"), validators=[Optional(), Length(max=2000)])
    kuasa_name = StringField(_l("Nama kuasa (bila diwakili)"), validators=[Optional(), Length(max=200)])
    kuasa_address = StringField(_l("Alamat kuasa"), validators=[Optional(), Length(max=300)])
    kuasa_phone = StringField(_l("Telepon kuasa"), validators=[Optional(), Length(max=40)])
    surat_kuasa = FileField(_l("Surat kuasa (PDF/JPG/PNG)"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.grounds.data:
            self.grounds.errors = list(self.grounds.errors) + [_l("Pilih paling sedikit satu alasan keberatan.")]
            ok = False
        return ok
