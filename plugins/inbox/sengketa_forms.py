"""Staff forms after the decision: the sengketa record and the execution of an order."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms.api import LawfulDate
from plugins.inbox import law
from plugins.inbox.forms import required
from plugins.inbox.sengketa_models import SENGKETA_RESULTS, SENGKETA_STAGES


class DisputeForm(FlaskForm):
    """One form for the whole sengketa; per stage ``<stage>_on``,
    ``<stage>_note`` and ``<stage>_docs`` (added below)."""

    ki_number = StringField(_l("Nomor register sengketa di Komisi Informasi"), validators=[Length(max=100)])
    result = SelectField(_l("Hasil di Komisi Informasi"), choices=[("", "—"), *SENGKETA_RESULTS.items()], default="")
    court_result = SelectField(
        _l("Hasil putusan pengadilan"),
        choices=[("", "—"), *((k, SENGKETA_RESULTS[k]) for k in law.COURT_RESULTS)],
        default="",
    )
    result_note = TextAreaField(_l("Amar putusan / keterangan hasil"), validators=[Optional(), Length(max=5000)])
    executed_on = DateField(_l("Tanggal putusan dilaksanakan"), validators=[Optional(), LawfulDate()])
    execution_note = TextAreaField(_l("Pelaksanaan putusan"), validators=[Optional(), Length(max=3000)])
    notes = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=5000)])

    def stage_fields(self, stage: str):
        return getattr(self, f"{stage}_on"), getattr(self, f"{stage}_note"), getattr(self, f"{stage}_docs")


for _stage, _label in SENGKETA_STAGES.items():
    setattr(
        DisputeForm,
        f"{_stage}_on",
        DateField(_l("Tanggal %(s)s", s=_label), validators=[Optional(), LawfulDate()]),
    )
    setattr(DisputeForm, f"{_stage}_note", TextAreaField(_l("Keterangan"), validators=[Optional(), Length(max=2000)]))
    setattr(DisputeForm, f"{_stage}_docs", MultipleFileField(_l("Dokumen tahap ini")))


class ExecuteForm(FlaskForm):
    executed_date = DateField(
        _l("Tanggal informasi diberikan"),
        validators=[DataRequired(message=_l("Tanggal pelaksanaan wajib diisi.")), LawfulDate()],
    )
    given = TextAreaField(
        _l("Informasi yang diberikan"), validators=[required(_l("Informasi yang diberikan")), Length(max=3000)]
    )
