"""Carrying out a granted keberatan: the order, its execution, the counts.

The Atasan PPID's grant orders the PPID to give the information (UU KIP
Pasal 36(2)); the order carries what must be given and by when
(``INBOX_ORDER_DAYS`` working days after the decision, read at call time).
Recording the execution issues a new pemberitahuan (letter kind
``pemberitahuan_keberatan``) in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from flask import current_app
from flask_babel import gettext as _

from cms.api import audit, db, format_date, naive_utc
from plugins.inbox import clock, law
from plugins.inbox.errors import InboxError
from plugins.inbox.execution_models import ExecutionOrder
from plugins.inbox.models import Objection

LETTER_KIND = "pemberitahuan_keberatan"


def check_order(outcome: str | None, scope: str | None, what: str | None) -> None:
    """A grant is whole (the default: the information as requested) or
    partial, and a partial one must say what is to be given."""
    if outcome != "dikabulkan":
        return
    if (scope or "seluruhnya") not in law.ORDER_SCOPES:
        raise InboxError(_("Pilih apakah keberatan dikabulkan seluruhnya atau sebagian."), "grant")
    if scope == "sebagian" and not (what or "").strip():
        raise InboxError(_("Uraikan informasi yang harus diberikan PPID."), "order_what")


def create_order(obj: Objection, scope: str | None, what: str | None) -> ExecutionOrder:
    """The order of a grant, in the decision's transaction; a whole grant
    without a description orders the information as requested."""
    assert obj.decided_date is not None  # objections.decide dates the grant first
    order = ExecutionOrder(
        objection=obj,
        scope=scope or "seluruhnya",
        what=(what or "").strip() or obj.request.details,
        ordered_date=obj.decided_date,
        due_date=law.order_due(obj.decided_date, clock.options(), days=int(current_app.config["INBOX_ORDER_DAYS"])),
        given="",
        executed_by_name="",
    )
    db.session.add(order)
    db.session.flush()
    audit.record(
        "inbox.order.created",
        "inbox_objection",
        obj.number,
        {"scope": order.scope, "due": order.due_date.isoformat()},
    )
    return order


def execute(order: ExecutionOrder, executed: date | None, given: str, actor) -> None:
    """Record that the PPID gave what was ordered, and issue the new pemberitahuan."""
    if order.executed_date is not None:
        raise InboxError(_("Pelaksanaan perintah ini sudah dicatat."), "executed_date")
    if executed is None:
        raise InboxError(_("Tanggal pelaksanaan wajib diisi."), "executed_date")
    if executed < order.ordered_date:
        raise InboxError(_("Tanggal pelaksanaan tidak boleh sebelum tanggapan Atasan PPID."), "executed_date")
    if executed > clock.today():
        raise InboxError(_("Tanggal pelaksanaan tidak boleh di masa depan."), "executed_date")
    if not (given or "").strip():
        raise InboxError(_("Uraikan informasi yang diberikan."), "given")
    obj = order.objection
    order.executed_date, order.given = executed, given.strip()
    order.executed_by_id = getattr(actor, "id", None)
    order.executed_by_name = (getattr(actor, "name", "") or getattr(actor, "email", "") or "").strip()
    order.executed_at = naive_utc()
    state = law.execution_state(order.due_date, executed, clock.today())
    audit.record(
        "inbox.order.executed",
        "inbox_objection",
        obj.number,
        {"executed": executed.isoformat(), "state": state},
    )
    from plugins.inbox import letter_records, notify

    letter = letter_records.on_decision(LETTER_KIND, obj.request, obj)
    order.letter_id = getattr(letter, "id", None)
    db.session.commit()
    notify._send(
        obj.request.email,
        _("Pelaksanaan tanggapan atas keberatan %(n)s", n=obj.number),
        "order_executed",
        letter,
        obj=obj,
        order=order,
        executed=format_date(order.executed_date),
    )


def counts(orders: Iterable[ExecutionOrder], today: date | None = None) -> dict[str, int]:
    """Orders of granted keberatan and how they were carried out, for the
    laporan layanan (Perban ORI 46/2020 Pasal 31 c): ordered, executed on
    time, late, pending (of which overdue)."""
    today = today or clock.today()
    states = Counter(law.execution_state(o.due_date, o.executed_date, today) for o in orders)
    return {
        "ordered": sum(states.values()),
        "on_time": states["on_time"],
        "late": states["late"],
        "pending": states["pending"] + states["overdue"],
        "overdue": states["overdue"],
    }


def state(order: ExecutionOrder | None) -> str | None:
    """on_time / late / pending / overdue for the case page, ``None`` without an order."""
    if order is None:
        return None
    return law.execution_state(order.due_date, order.executed_date, clock.today())
