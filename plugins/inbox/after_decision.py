"""What the laporan layanan reports after the decision (research §2.12 b–c;
Perban ORI 46/2020 Pasal 31): withheld parts of partial grants, the carrying
out of granted keberatan, and sengketa by stage and result — all from fields."""

from __future__ import annotations

from flask_babel import gettext as _

from plugins.inbox import disputes as dispute_counts
from plugins.inbox import executions, withheld
from plugins.inbox.models import PASAL17
from plugins.inbox.sengketa_models import SENGKETA_RESULTS, SENGKETA_STAGES

_ORDER_LABELS = (
    ("ordered", lambda: _("Diperintahkan")),
    ("on_time", lambda: _("Dilaksanakan tepat waktu")),
    ("late", lambda: _("Dilaksanakan terlambat")),
    ("pending", lambda: _("Belum dilaksanakan")),
    ("overdue", lambda: _("Belum dilaksanakan, lewat batas")),
)


def counts(answered_requests, objections, disputes) -> dict:
    """Report rows as ``(code, label, count)`` lists, like ``report.build``'s."""
    held = withheld.counts(r for r in answered_requests if r.outcome == "dikabulkan_sebagian")
    orders = executions.counts(o.order for o in objections if o.order is not None)
    sengketa = dispute_counts.counts(disputes)
    return {
        "withheld_by_ground": [(h, str(label), held[h]) for h, label in PASAL17.items()]
        + [("uu_lain", _("Undang-undang lain"), held["uu_lain"])],
        "withheld_total": held["total"],
        "orders": [(key, label(), orders[key]) for key, label in _ORDER_LABELS],
        "disputes_by_stage": [(k, str(v), sengketa["by_stage"][k]) for k, v in SENGKETA_STAGES.items()],
        "disputes_by_result": [(k, str(v), sengketa["by_result"][k]) for k, v in SENGKETA_RESULTS.items()],
        "disputes_by_court_result": [(k, str(SENGKETA_RESULTS[k]), n) for k, n in sengketa["by_court_result"].items()],
        "disputes_court": sengketa["by_stage"]["gugatan"],
        "disputes_executed": sengketa["executed"],
        "disputes_running": sengketa["running"],
    }
