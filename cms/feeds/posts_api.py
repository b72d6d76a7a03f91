"""Read-only JSON of the public press releases and news: ``/api/v1/posts``.

For portals and apps that republish the newsroom.  Only what the public may
see now (``publishing.public_condition``): a draft, a scheduled item or a
release under embargo is absent from the list and a 404 by id, exactly as
on the site and in the feeds.  The item's fields are the feeds' (``to_item``),
so the API and the JSON Feed cannot tell different stories.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cms.extensions import csrf, db
from cms.feeds.build import FeedFile
from cms.feeds.items import load_posts, to_item
from cms.inputs import query_int_or_400
from cms.models.content import POST_KINDS, Category, Post
from cms.newsroom.publishing import public_condition, public_posts
from cms.openapi import MAX_ID

bp = Blueprint("posts_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
MAX_PER_PAGE = 100
MAX_PAGE = 10_000


def _utc(value) -> str:
    return value.isoformat(timespec="seconds") + "Z"


def _file(f: FeedFile | None) -> dict | None:
    if f is None:
        return None
    return {"url": f.url, "jenis": f.mime, "ukuran": f.length, "keterangan": f.title, "kredit": f.credit}


def as_json(post: Post) -> dict:
    item = to_item(post)
    return {
        "id": post.id,
        "jenis": post.kind,
        "jenis_label": POST_KINDS.get(post.kind, post.kind),
        "judul": post.title,
        "slug": post.slug,
        "nomor_rilis": post.release_number or None,
        "dateline": post.dateline or "",
        "ringkasan": post.summary or "",
        "isi_html": item.content_html,
        "penulis": item.author,
        "unit": {"id": post.unit.id, "nama": post.unit.name} if post.unit else None,
        "kategori": [{"nama": c.name, "slug": c.slug} for c in post.categories],
        "tag": [{"nama": t.name, "slug": t.slug} for t in post.tags],
        "gambar": _file(item.image),
        "foto": [_file(p) for p in item.photos],
        "terbit": _utc(item.published),
        "diperbarui": _utc(item.updated),
        "url": item.url,
    }


@bp.get("/posts")
def posts_list():
    kind = request.args.get("jenis")
    if kind is not None and kind not in POST_KINDS:
        abort(400, description=f"Parameter 'jenis' harus salah satu dari: {', '.join(POST_KINDS)}.")
    page = query_int_or_400("page", 1, low=1, high=MAX_PAGE)
    per_page = query_int_or_400("per_page", 20, low=1, high=MAX_PER_PAGE)
    stmt = public_posts(kind)
    category = request.args.get("kategori")
    if category is not None:
        stmt = stmt.where(Post.categories.any(Category.slug == category[:140]))
    # counted from the very statement that lists, so total and items cannot disagree
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page_stmt = stmt.options(selectinload(Post.tags)).offset((page - 1) * per_page)
    posts = load_posts(page_stmt, per_page) if page <= pages else []
    args: dict[str, Any] = {k: v for k, v in (("jenis", kind), ("kategori", category)) if v is not None}
    args["per_page"] = per_page
    return jsonify(
        items=[as_json(p) for p in posts],
        page=page,
        per_page=per_page,
        total=total,
        pages=pages,
        next=url_for("posts_api.posts_list", page=page + 1, _external=True, **args) if page < pages else None,
        prev=url_for("posts_api.posts_list", page=page - 1, _external=True, **args) if page > 1 else None,
    )


@bp.get("/posts/<int:post_id>")
def posts_item(post_id: int):
    if post_id > MAX_ID:
        return jsonify(error="Naskah tidak ditemukan."), 404
    posts = load_posts(select(Post).where(Post.id == post_id, public_condition()).options(selectinload(Post.tags)), 1)
    if not posts:
        return jsonify(error="Naskah tidak ditemukan."), 404
    return jsonify(as_json(posts[0]))


@bp.errorhandler(400)
def _bad_request(error):
    return jsonify(error=getattr(error, "description", "Permintaan tidak valid.")), 400
