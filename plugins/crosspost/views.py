"""Admin views of the crosspost plugin: deliveries, counter (thin: logic is in services)."""

from __future__ import annotations

from flask import abort, flash, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import accepts_json, db, json_object, query_id, query_page, redirect_back, require
from plugins.crosspost import actions, channels
from plugins.crosspost.blueprint import bp
from plugins.crosspost.forms import ActionForm, MarkSentForm
from plugins.crosspost.models import STATUSES, CrosspostAccount, CrosspostDelivery
from plugins.crosspost.story import ImageRef, Story


@bp.route("/")
@require("crosspost.manage")
def index():
    status = request.args.get("status") or None
    account_id = query_id("account")
    stmt = select(CrosspostDelivery).order_by(CrosspostDelivery.id.desc())
    if status in STATUSES:
        stmt = stmt.where(CrosspostDelivery.status == status)
    if account_id:
        stmt = stmt.where(CrosspostDelivery.account_id == account_id)
    page = db.paginate(stmt, page=query_page(), per_page=50, error_out=False)
    accounts = db.session.scalars(select(CrosspostAccount).order_by(CrosspostAccount.name)).all()
    from cms.api import Post

    recent = db.session.scalars(
        select(Post)
        .where(Post.status.in_(("approved", "scheduled", "published")))
        .order_by(Post.updated_at.desc())
        .limit(10)
    ).all()
    return render_template(
        "crosspost/deliveries.html",
        page=page,
        statuses=STATUSES,
        status=status,
        accounts=accounts,
        account_id=account_id,
        form=ActionForm(),
        mark_form=MarkSentForm(),
        recent=recent,
    )


def _delivery(delivery_id: int) -> CrosspostDelivery:
    row = db.session.get(CrosspostDelivery, delivery_id)
    if row is None:
        abort(404)
    return row


@bp.route("/deliveries/<int:delivery_id>/<any(retry, cancel, 'mark-sent'):action>", methods=["POST"])
@require("crosspost.manage")
def delivery_action(delivery_id: int, action: str):
    row = _delivery(delivery_id)
    form = MarkSentForm() if action == "mark-sent" else ActionForm()
    if not form.validate_on_submit():
        flash(_("Sesi formulir kedaluwarsa. Coba lagi."), "error")
        return redirect_back("crosspost.index")
    try:
        if action == "retry":
            actions.retry(row)
            flash(_("Pengiriman dijadwalkan ulang."), "success")
        elif action == "cancel":
            actions.cancel(row)
            flash(_("Pengiriman dibatalkan."), "success")
        else:
            actions.mark_sent(row, (form.url.data or "").strip())
            flash(_("Pengiriman ditandai terkirim."), "success")
    except actions.ActionError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    return redirect_back("crosspost.index")


@bp.route("/count", methods=["POST"])
@require("crosspost.manage")
@accepts_json
def count():
    """The live counter: the network's own counting, so browser and server agree."""
    data = json_object({"channel": str, "text": str, "has_image": bool})
    channel = channels.get(data.get("channel", ""))
    if channel is None:
        return jsonify({"error": _("Jenis kanal tidak dikenal.")}), 400
    text = data.get("text", "")[:100_000]
    image = ImageRef(path="", mime="image/jpeg") if data.get("has_image") else None
    message = channel.build_message(Story(ref="count", title="", url="", image=image), text or " ")
    return jsonify(
        {
            "count": channel.count(text),
            "limit": channel.limit(message),
            "rule": channel.count_rule,
            "errors": channel.length_errors(text, message) if text else [],
        }
    )


from plugins.crosspost import views_accounts, views_calendar, views_counted, views_post  # noqa: E402,F401 - their routes on bp
