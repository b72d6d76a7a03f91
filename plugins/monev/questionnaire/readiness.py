"""The predicted e-Monev result: a score per indicator and overall, the
qualification band, and what is missing to reach the next band.

A question scores its chosen option's score (0–100) only when its evidence is
complete — the Komisi Informasi verifies every answer against its evidence,
so an unsupported "ya" is predicted as 0.  Indicator score = Σ question
weight × score / Σ question weight; overall = Σ indicator weight × indicator
score / Σ indicator weight, rounded to one decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from plugins.monev import catalogue
from plugins.monev.questionnaire.loader import Question, Questionnaire

BANDS = [bound for bound, _label in catalogue.QUALIFICATIONS]


@dataclass
class Line:
    question: Question
    option: str | None
    evidence: bool
    score: float  # 0–100 as predicted
    gain: float = 0.0  # overall points gained by answering it best with evidence


@dataclass
class Readiness:
    indicators: dict[str, float]
    total: float
    lines: list[Line]
    band: str
    next_band: str | None = None
    gap: float = 0.0
    missing: list[tuple[Line, str]] = field(default_factory=list)


def compute(questionnaire: Questionnaire, answers: dict[str, str], evidence_ok: dict[str, bool]) -> Readiness:
    """``answers``: question key → option key; ``evidence_ok``: question key → evidence complete."""
    lines: list[Line] = []
    for q in questionnaire.questions:
        option = q.option(answers.get(q.key))
        ok = bool(evidence_ok.get(q.key))
        lines.append(Line(q, option.key if option else None, ok, option.score if option and ok else 0.0))
    ind_weight = sum(i.weight for i in questionnaire.indicators)
    exact: dict[str, float] = {}
    for ind in questionnaire.indicators:
        mine = [ln for ln in lines if ln.question.indicator == ind.key]
        q_weight = sum(ln.question.weight for ln in mine)
        exact[ind.key] = sum(ln.question.weight * ln.score for ln in mine) / q_weight
        for ln in mine:
            share = ind.weight / ind_weight * ln.question.weight / q_weight
            ln.gain = round(share * (ln.question.best.score - ln.score), 2)
    total = round(sum(i.weight * exact[i.key] for i in questionnaire.indicators) / ind_weight, 1)
    scores = {key: round(value, 1) for key, value in exact.items()}
    result = Readiness(scores, total, lines, catalogue.qualification(total))
    _missing(result)
    return result


def _missing(result: Readiness) -> None:
    """The fewest questions (largest gain first) that lift the total into the next band."""
    higher = [b for b in BANDS if b > result.total]
    if not higher:
        return
    target = min(higher)
    result.next_band = catalogue.qualification(target)
    result.gap = round(target - result.total, 1)
    reached = 0.0
    for line in sorted((ln for ln in result.lines if ln.gain > 0), key=lambda ln: (-ln.gain, ln.question.key)):
        result.missing.append((line, _why(line)))
        reached += line.gain
        if reached >= result.gap - 1e-9:
            break


def _why(line: Line) -> str:
    best = line.question.best.label
    if line.option is None:
        return _("belum dijawab (jawaban terbaik: “%(best)s”)", best=best)
    chosen = line.question.option(line.option)
    if chosen is None or chosen.score < line.question.best.score:
        if not line.evidence:
            return _("bukti belum lengkap; jawaban belum maksimal (perlu “%(best)s”)", best=best)
        return _("jawaban belum maksimal (perlu “%(best)s”)", best=best)
    return _("bukti belum lengkap")
