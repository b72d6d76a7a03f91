"""The PPID Utama's answers to the e-Monev questionnaire of a year."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import audit, db
from plugins.monev.questionnaire.loader import Question
from plugins.monev.questionnaire.models import EmonevAnswer


class AnswerError(ValueError):
    pass


def rows(year: int) -> dict[str, EmonevAnswer]:
    return {r.question: r for r in db.session.scalars(select(EmonevAnswer).where(EmonevAnswer.year == year))}


def chosen(year: int) -> dict[str, str]:
    return {k: r.option for k, r in rows(year).items()}


def save(year: int, question: Question, option: str, note: str, user) -> EmonevAnswer:
    if question.option(option) is None:
        raise AnswerError(_("Pilih salah satu jawaban."))
    row = rows(year).get(question.key) or EmonevAnswer(year=year, question=question.key)
    row.option, row.note, row.updated_by_id = option, note.strip()[:2000], user.id
    db.session.add(row)
    db.session.commit()
    audit.record("monev.emonev.answered", "monev_emonev_answer", row.id, {"question": question.key}, commit=True)
    return row
