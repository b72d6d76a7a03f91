"""The register keberatan's cells after the decision: the order and its
execution, and the sengketa read from its stage rows and result fields."""

from __future__ import annotations

from cms.api import tanggal
from plugins.inbox import clock, law
from plugins.inbox.execution_models import ORDER_SCOPES
from plugins.inbox.models import Objection
from plugins.inbox.registers import _, label
from plugins.inbox.sengketa_models import SENGKETA_RESULTS, SENGKETA_STAGES


def order_cell(o: Objection) -> str:
    order = o.order
    if order is None:
        return ""
    text = _("%(s)s: %(w)s; batas %(d)s", s=label(ORDER_SCOPES, order.scope), w=order.what, d=tanggal(order.due_date))
    state = law.execution_state(order.due_date, order.executed_date, clock.today())
    if order.executed_date:
        done = _("tepat waktu") if state == "on_time" else _("terlambat")
        return (
            text + "; " + _("dilaksanakan %(d)s (%(s)s): %(g)s", d=tanggal(order.executed_date), s=done, g=order.given)
        )
    return text + "; " + (_("belum dilaksanakan, lewat batas") if state == "overdue" else _("belum dilaksanakan"))


def stages_cell(o: Objection) -> str:
    rows = []
    for d in o.disputes:
        stages = ", ".join(
            f"{label(SENGKETA_STAGES, s.stage)} {tanggal(s.day) if s.day else '-'}"
            for s in sorted(d.stages, key=lambda s: s.order)
        )
        rows.append(f"{d.ki_number}: {stages}" if d.ki_number else stages)
    return "; ".join(rows)


def result_cell(o: Objection) -> str:
    rows = []
    for d in o.disputes:
        parts = []
        if d.result:
            parts.append(label(SENGKETA_RESULTS, d.result))
        if d.court_result:
            parts.append(_("pengadilan: %(r)s", r=label(SENGKETA_RESULTS, d.court_result)))
        if d.executed_on:
            parts.append(_("dilaksanakan %(d)s", d=tanggal(d.executed_on)))
        rows.append(", ".join(parts))
    return "; ".join(r for r in rows if r)


def after_decision_cells(o: Objection) -> list[str]:
    return [order_cell(o), stages_cell(o), result_cell(o)]
