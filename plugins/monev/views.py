"""Staff pages: periods, the scorecard with its ranking and charts, a unit's
figures (each linking to the records it counts), publishing the results;
and the public "Hasil Monev PPID Pembantu" page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cms.api import (
    YEAR_MAX,
    YEAR_MIN,
    audit,
    can,
    db,
    ensure,
    int_in,
    naive_utc,
    notify,
    require,
    tanggal,
    visible_unit_ids,
)
from plugins.monev import catalogue, outputs, scoring
from plugins.monev import letter as letters
from plugins.monev.access import period_or_404, unit_or_404
from plugins.monev.blueprint import admin_bp, bp
from plugins.monev.models import PERIOD_KINDS, MonevPeriod


@admin_bp.route("/", methods=["GET", "POST"])
@require("monev.view")
def index():
    if request.method == "POST":
        ensure("monev.manage")
        year = int_in(request.form.get("tahun"), low=YEAR_MIN, high=YEAR_MAX)
        kind = request.form.get("jenis", "")
        if year is None or kind not in PERIOD_KINDS:
            flash(_("Pilih tahun dan jenis periode yang valid."), "error")
            return redirect(url_for(".index")), 303
        found = db.session.scalar(select(MonevPeriod).where(MonevPeriod.year == year, MonevPeriod.kind == kind))
        if found is None:
            found = MonevPeriod(year=year, kind=kind)
            db.session.add(found)
            db.session.commit()
            audit.record("monev.period.created", "monev_period", found.id, {"label": found.label}, commit=True)
        return redirect(url_for(".scorecard", period_id=found.id)), 303
    periods = db.session.scalars(select(MonevPeriod).order_by(MonevPeriod.year.desc(), MonevPeriod.kind)).all()
    return render_template("monev/index.html", periods=periods, kinds=PERIOD_KINDS)


@admin_bp.route("/<int:period_id>/")
@require("monev.view")
def scorecard(period_id: int):
    period = period_or_404(period_id)
    # Ranked among every unit, even when the viewer sees only its own.
    card = scoring.build(period, shown=visible_unit_ids(current_user))
    chart = [(c.name, c.total or 0) for c in card.cards]
    return render_template(
        "monev/scorecard.html", period=period, card=card, chart=chart, categories=catalogue.CATEGORIES
    )


@admin_bp.route("/<int:period_id>/unit/<int:unit_id>")
@require("monev.view")
def unit(period_id: int, unit_id: int):
    period = period_or_404(period_id)
    unit = unit_or_404(unit_id)
    card = scoring.build(period, [unit])
    return render_template(
        "monev/unit.html",
        period=period,
        unit=unit,
        card=card,
        uc=card.cards[0],
        shown=outputs.shown,
        categories=catalogue.CATEGORIES,
        chart=[(r.spec.label, r.score or 0) for r in card.cards[0].results if r.available],
        issued=letters.issued(period, unit.id),
        tanggal=tanggal,
    )


@admin_bp.route("/<int:period_id>/terbitkan", methods=["POST"])
@require("monev.manage")
def publish(period_id: int):
    period = period_or_404(period_id)
    publish_it = request.form.get("aksi") != "tarik"
    period.published_at = naive_utc() if publish_it else None
    db.session.commit()
    audit.record(
        "monev.period.published" if publish_it else "monev.period.withdrawn", "monev_period", period.id, commit=True
    )
    if publish_it:
        card = scoring.build(period, with_trend=False)
        notify("cms_monev_scored", period_label=period.label, scores={c.unit_id: c.total or 0.0 for c in card.cards})
        flash(_("Hasil Monev diterbitkan di halaman publik."), "success")
    else:
        flash(_("Hasil Monev ditarik dari halaman publik."), "success")
    return redirect(url_for(".scorecard", period_id=period.id)), 303


@bp.route("/")
def public_latest():
    period = db.session.scalar(
        select(MonevPeriod)
        .where(MonevPeriod.published_at.is_not(None))
        .order_by(MonevPeriod.year.desc(), MonevPeriod.kind.desc())
    )
    if period is None:
        abort(404)
    return redirect(url_for(".public_period", period_id=period.id))


@bp.route("/<int:period_id>")
def public_period(period_id: int):
    period = db.session.get(MonevPeriod, period_id)
    if period is None or (period.published_at is None and not can(current_user, "monev.manage")):
        abort(404)
    card = scoring.build(period, with_trend=False)
    return render_template("monev/public.html", period=period, card=card)
