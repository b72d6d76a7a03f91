"""The releases and news a unit's Monev figure counts, listed so an officer
(a PPID Pembantu included, who has no newsroom access) can check the number."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from cms.api import Post, db, query_id, require
from plugins.monev.access import unit_or_404
from plugins.monev.blueprint import admin_bp
from plugins.monev.complaints import parse_date
from plugins.monev.own_sources import published

KINDS = {"siaran-pers": "Siaran pers", "berita": "Berita"}


@admin_bp.route("/naskah")
@require("monev.view")
def posts():
    unit_id = query_id("unit")
    start, end = parse_date(request.args.get("dari", "")), parse_date(request.args.get("sampai", ""))
    kind = request.args.get("jenis") or None
    if unit_id is None or start is None or end is None or end < start or (kind and kind not in KINDS):
        abort(404)
    unit = unit_or_404(unit_id)
    kinds = (kind,) if kind else tuple(KINDS)
    rows = db.session.scalars(
        select(Post).where(*published(start, end, [unit.id], kinds)).order_by(Post.published_at.desc())
    ).all()
    return render_template("monev/posts.html", unit=unit, rows=rows, start=start, end=end, kind=kind, kinds=KINDS)
