"""Admin view: one post's accounts, custom messages with live counters, and its deliveries."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import Post, db, ensure, require
from plugins.crosspost import actions
from plugins.crosspost.blueprint import bp
from plugins.crosspost.forms import ActionForm, ChoicesForm, MarkSentForm
from plugins.crosspost.models import CrosspostDelivery


@bp.route("/posts/<int:post_id>", methods=["GET", "POST"])
@require("crosspost.manage")
def post_plan(post_id: int):
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    # 0, not None, for a post without a unit: can() treats None as "no unit given"
    # and would let a unit-bound role through (the DIP does the same).
    ensure("crosspost.manage", unit_id=post.unit_id or 0)
    form = ChoicesForm()
    errors: dict[int, list[str]] = {}
    typed: dict[int, tuple[bool, str]] = {}
    if form.validate_on_submit():
        plan_ids = [p["account"].id for p in actions.plan_for_post(post)]
        typed = {
            aid: (request.form.get(f"use_{aid}") == "on", request.form.get(f"text_{aid}", "")[:20000])
            for aid in plan_ids
        }
        errors = actions.save_choices(post, typed)
        if not errors:
            flash(_("Pilihan akun dan pesan disimpan."), "success")
            return redirect(url_for("crosspost.post_plan", post_id=post.id))
    plan = actions.plan_for_post(post)
    for item in plan:  # keep what was typed when the save was refused
        if item["account"].id in typed:
            item["enabled"], item["text"] = typed[item["account"].id]
    deliveries = db.session.scalars(
        select(CrosspostDelivery)
        .where(CrosspostDelivery.post_id == post.id, CrosspostDelivery.source == "post")
        .order_by(CrosspostDelivery.id.desc())
    ).all()
    status = 400 if errors else 200
    return render_template(
        "crosspost/post.html",
        post=post,
        plan=plan,
        errors=errors,
        form=form,
        deliveries=deliveries,
        action_form=ActionForm(),
        mark_form=MarkSentForm(),
    ), status
