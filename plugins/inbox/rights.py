"""The applicant's next right and its last day, for the tracking page and every e-mail.

Keberatan (UU KIP Pasal 35–36) while the request is overdue or its notice
rejects, grants part, charges or came late; then the sengketa window at the
Komisi Informasi (Pasal 37(2)) once the Atasan PPID answered or let the 30
days lapse.  Dates come from ``law`` on the installation's calendar.

The keberatan link carries the nomor pendaftaran only, never the tracking
code: the number is printed on every letter, the code must stay out of URLs
and access logs.  The form asks for the code unless this browser already
tracked the request with it (the session holds the request id).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import current_app

from plugins.inbox import clock, law
from plugins.inbox.models import InfoRequest


@dataclass(frozen=True)
class NextRight:
    """``kind``: "keberatan" (may object until ``until``), "keberatan_nanti"
    (may object from ``opens`` if no notice by ``due``), "keberatan_lewat"
    (the window closed on ``until``), "sengketa" (may go to the KI until
    ``until``), "sengketa_nanti" (from ``opens`` if the Atasan is silent).
    ``desk``: the first working day of a window opening on a non-working day
    (``law.desk_opens``), for whoever files in person."""

    kind: str
    until: date
    opens: date | None = None
    due: date | None = None
    desk: date | None = None


def _objection_end(start: date, opts) -> date:
    return law.objection_window_end(start, opts, days=current_app.config["INBOX_OBJECTION_WINDOW_DAYS"])


def _dispute_end(obj, opts) -> date:
    return law.dispute_window_end(
        obj.decided_date, obj.due_date, opts, days=current_app.config["INBOX_DISPUTE_WINDOW_DAYS"]
    )


def next_right(req: InfoRequest, today: date | None = None) -> NextRight | None:
    """What the applicant may do next and until when, or ``None`` (a sengketa
    already runs, the request was withdrawn or closed, or a full grant in time)."""
    today = today or clock.today()
    opts = clock.options()
    if req.objections:
        obj = req.objections[-1]
        if obj.disputes:
            return None
        until = _dispute_end(obj, opts)
        if law.dispute_window_opened(obj.decided_date, obj.due_date, today):
            return NextRight("sengketa", until)
        opens = law.late_grounds_open_from(obj.due_date)
        return NextRight("sengketa_nanti", until, opens=opens, due=obj.due_date, desk=law.desk_opens(opens, opts))
    due = req.effective_due
    start = law.objection_window_start(req.answered_date, due)
    until = _objection_end(start, opts)
    if law.objection_invited(req.status, req.outcome, req.fee_total or 0, req.answered_date, due, today):
        return NextRight("keberatan_lewat" if law.is_late(today, until) else "keberatan", until)
    if req.is_open:
        opens = law.late_grounds_open_from(due)
        return NextRight("keberatan_nanti", until, opens=opens, due=due, desk=law.desk_opens(opens, opts))
    return None


def objection_link(req: InfoRequest) -> str:
    """Absolute link to the keberatan form bound to ``req`` (number only), for
    e-mail: built from SITE_URL because the worker composes mail too."""
    base = current_app.config["SITE_URL"].rstrip("/")
    return f"{base}/ppid/keberatan?{urlencode({'number': req.number}, safe='/')}"


def komisi() -> tuple[str, str]:
    """The Komisi Informasi that hears this body's sengketa, read now."""
    cfg = current_app.config
    return cfg["INBOX_KI_NAME"], cfg["INBOX_KI_ADDRESS"]
