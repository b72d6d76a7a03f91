"""Public site: home, lists, items (with embargo preview), categories, units,
search, sitemaps, robots.txt and media files.  Thin views over
``cms.newsroom.publishing`` queries; every page runs a fixed number of SQL queries.

The views know nothing of caching: the cache (``cms.cache.pages``) keeps
the anonymous pages it serves and answers item pages from their stored copy.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, abort, current_app, make_response, render_template, request, send_from_directory, session
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select, text
from sqlalchemy.orm import defer, selectinload

from cms import unit_aliases
from cms.auth import without_sign_in
from cms.extensions import db
from cms.inputs import query_page
from cms.models import Category, Post, Unit
from cms.models.content import POST_KINDS, Tag
from cms.newsroom import embargo_links, page_globals, publishing
from cms.newsroom import search as search_service
from cms.security import visitor_cookies
from cms.storage import media_dir
from cms.timeutil import naive_utc

bp = Blueprint("public", __name__)
HOME_ITEMS = 6
# Items per sitemap file.  The file is built whole in a worker (and kept by
# the shared page cache), and a worker's peak stays in its resident memory:
# 40,000 rows through Jinja peaked at 43 MiB, 10,000 written as one line each
# stay under 5 (bench/README.md, "Memory per worker").
SITEMAP_CHUNK = 10_000
# What the item page shows besides the post row, loaded in one go.
ITEM_OPTIONS = (
    selectinload(Post.categories),
    selectinload(Post.tags),
    selectinload(Post.attachments),
    selectinload(Post.corrections),
)


def _page() -> int:
    return query_page()  # beyond PAGE_MAX: 404; also keeps OFFSET inside an SQL integer


def _listing(stmt):
    """Lists never show bodies: don't load ~6 KB per row for nothing."""
    return stmt.options(defer(Post.body_html), defer(Post.body_text), defer(Post.autosave_data))


def _paginate(stmt, per_page: int | None = None):
    stmt = _listing(stmt)
    page = _page()
    pagination = db.paginate(
        stmt, page=page, per_page=per_page or current_app.config["CMS_PAGE_SIZE"], error_out=False, max_per_page=100
    )
    if page > 1 and not pagination.items:
        abort(404)
    return pagination


def _anonymous() -> bool:
    """True for a visitor with no signed-in session and no remember cookie,
    decided without loading a user (the common case on public pages)."""
    return without_sign_in() or not current_user.is_authenticated


def public_view() -> bool:
    """What any anonymous visitor gets: no preview link, no flashed message."""
    return request.method == "GET" and "pratinjau" not in request.args and not session.get("_flashes") and _anonymous()


def render_item(post: Post) -> str:
    """The item page as every anonymous visitor sees it."""
    return render_template("public/item.html", post=post, preview=False)


@bp.route("/")
def home():
    releases = db.session.scalars(_listing(publishing.public_posts("siaran-pers").limit(HOME_ITEMS))).all()
    news = db.session.scalars(_listing(publishing.public_posts("berita").limit(HOME_ITEMS))).all()
    return render_template("public/home.html", releases=releases, news=news)


@bp.route("/siaran-pers/", defaults={"kind": "siaran-pers"}, endpoint="list_releases")
@bp.route("/berita/", defaults={"kind": "berita"}, endpoint="list_news")
def post_list(kind: str):
    pagination = _paginate(publishing.public_posts(kind))
    return render_template(
        "public/list.html",
        pagination=pagination,
        kind=kind,
        heading=POST_KINDS[kind],
        endpoint=request.endpoint,
        pager_args={},
    )


@bp.route("/siaran-pers/<slug>", defaults={"kind": "siaran-pers"}, endpoint="release")
@bp.route("/berita/<slug>", defaults={"kind": "berita"}, endpoint="news")
def item(kind: str, slug: str):
    post = db.session.scalar(select(Post).where(Post.slug == slug, Post.kind == kind).options(*ITEM_OPTIONS))
    if post is None:
        abort(404)
    if publishing.is_public(post):
        return render_item(post)
    token = request.args.get("pratinjau") or ""
    if (
        post.preview_token
        and token
        and secrets.compare_digest(token, post.preview_token)
        and post.status in ("review", "approved", "scheduled")
        # Under embargo the shared link is the newsroom's own; journalists get personal links.
        and (not publishing.is_embargoed(post) or embargo_links.is_staff())
    ):
        return preview_response(post)
    abort(404)


def preview_response(post: Post):
    """The public page exactly, plus a banner; never cached or indexed."""
    response = make_response(
        render_template("public/item.html", post=post, preview=True, embargoed=publishing.is_embargoed(post))
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/kategori/<slug>/")
def category(slug: str):
    cat = db.session.scalar(select(Category).where(Category.slug == slug)) or abort(404)
    stmt = publishing.public_posts().where(Post.categories.any(Category.id == cat.id))
    return render_template(
        "public/list.html",
        pagination=_paginate(stmt),
        category=cat,
        heading=cat.name,
        endpoint="public.category",
        pager_args={"slug": slug},
    )


@bp.route("/unit/<slug>/")
def unit(slug: str):
    found = db.session.scalar(select(Unit).where(Unit.slug == slug))
    if found is None:  # the old slug of a merged unit moves for good
        return unit_aliases.redirect_old_unit_slug(slug, "public.unit")
    stmt = publishing.public_posts().where(Post.unit_id == found.id)
    return render_template(
        "public/list.html",
        pagination=_paginate(stmt),
        unit=found,
        heading=found.name,
        endpoint="public.unit",
        pager_args={"slug": slug},
    )


@bp.route("/tag/<slug>/")
def tag(slug: str):
    found = db.session.scalar(select(Tag).where(Tag.slug == slug)) or abort(404)
    stmt = publishing.public_posts().where(Post.tags.any(Tag.id == found.id))
    return render_template(
        "public/list.html",
        pagination=_paginate(stmt),
        heading="#" + found.name,
        tag=found,
        endpoint="public.tag",
        pager_args={"slug": slug},
    )


@bp.route("/cari")
def search():
    q = search_service.normal_query(request.args.get("q"))
    per_page = current_app.config["CMS_PAGE_SIZE"]
    hits, total = search_service.search(q, page=_page(), per_page=per_page) if q else ([], 0)
    more = total > search_service.MAX_RESULTS
    pages = (min(total, search_service.MAX_RESULTS) + per_page - 1) // per_page
    response = make_response(
        render_template(
            "public/search.html",
            q=q,
            suggestion=search_service.suggestion(q, total),
            hits=hits,
            total=min(total, search_service.MAX_RESULTS),
            more=more,
            page=_page(),
            pages=pages,
        )
    )
    if public_view() and _shareable():
        response.headers["Cache-Control"] = SEARCH_CACHE_CONTROL
    return response


def _shareable() -> bool:
    """A response shared caches may keep: the request had none of the
    visitor's own cookies (the shared cache's rule), and the response sets
    none (``?lang=`` stores the language in the session)."""
    return not session.modified and not any(name in request.cookies for name in visitor_cookies(current_app.config))


# A results page stays one second in nginx's micro-cache, like every page
# (s-maxage), and for at most one second more nginx may answer with it while
# it asks Warta again in the background (stale-while-revalidate; with
# "proxy_cache_background_update" in deploy/nginx/warta.conf).  Search is
# the long tail of hundreds of queries, each expiring every second: without
# it every refresh made a reader wait on Warta, and the readers arriving
# meanwhile went to Warta too.  The bound is the header's: an entry older
# than that is never served.  Browsers revalidate every time (max-age=0).
SEARCH_CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=1"


# ------------------------------------------------------------ search engines


# Crawlers may keep a sitemap five minutes; a shared cache one second, like
# any page: nginx's micro-cache takes an upstream max-age over its own
# second, and kept the news sitemap five minutes after a publication.
SITEMAP_CACHE_CONTROL = "public, max-age=300, s-maxage=1"


def _xml(template: str, **context):
    response = make_response(render_template(template, **context))
    response.mimetype = "application/xml"
    response.headers["Cache-Control"] = SITEMAP_CACHE_CONTROL
    return response


def _by_id(columns: str, where: str, tail: str, **params):
    """Public posts read in id order.  SQLite without ANALYZE statistics would
    take ``ix_post_public`` (status equality) and sort every published post;
    ``ix_post_visibility`` (id, status, embargo_until) walks ids instead.
    PostgreSQL's planner has its statistics."""
    public_sql, now = publishing.public_filter()
    hint = " INDEXED BY ix_post_visibility" if db.session.get_bind().dialect.name == "sqlite" else ""
    sql = f"SELECT {columns} FROM post{hint} WHERE {public_sql}{where} ORDER BY post.id{tail}"
    return db.session.execute(text(sql).columns(*(Post.__table__.c[c] for c in columns.split(", "))), now | params)


def _last_public_id() -> int:
    """The newest public post's id: a step down an index, not a count."""
    return _by_id("id", "", " DESC LIMIT 1").scalar() or 0


@bp.route("/sitemap.xml")
def sitemap():
    """One chunk per ``SITEMAP_CHUNK`` post ids (``sitemap_chunk``), so a post
    keeps its chunk for life and neither page counts or skips rows."""
    chunks = -(-_last_public_id() // SITEMAP_CHUNK)
    if chunks > 1:
        return _xml("public/sitemap_index.xml", chunks=range(1, chunks + 1))
    return sitemap_chunk(1)


@bp.route("/sitemap-<int:n>.xml")
def sitemap_chunk(n: int):
    """The public posts with ids ``(n-1)·CHUNK < id ≤ n·CHUNK``: a range of
    ids, as fast for the last chunk as for the first."""
    if not 1 <= n <= 1000:
        abort(404)
    rows = _by_id(
        "kind, slug, updated_at, published_at",
        " AND post.id > :low AND post.id <= :high",
        "",
        low=(n - 1) * SITEMAP_CHUNK,
        high=n * SITEMAP_CHUNK,
    )
    site = current_app.config["SITE_URL"].rstrip("/")
    urls = _url_lines(rows, site)  # rows read as they are joined, never 10,000 Row objects at once
    if n > 1 and not urls and _last_public_id() <= (n - 1) * SITEMAP_CHUNK:
        abort(404)  # past the last chunk (a chunk inside the range may be empty)
    categories = db.session.scalars(select(Category).order_by(Category.name)).all() if n == 1 else []
    return _xml("public/sitemap.xml", urls=urls, categories=categories, first=n == 1, site=site)


def _url_lines(rows, site: str) -> Markup:
    """A chunk's ``<url>`` lines, joined here: a Jinja loop
    spent ~70 µs a row (2.9 s of the chunk's 3.4 s at 40,000 rows)."""
    return Markup(
        "".join(
            f"<url><loc>{escape(f'{site}/{r.kind}/{r.slug}')}</loc>"
            f"<lastmod>{(r.updated_at or r.published_at):%Y-%m-%dT%H:%M:%S}+00:00</lastmod></url>\n"
            for r in rows
        )
    )


@bp.route("/sitemap-news.xml")
def sitemap_news():
    """Google News sitemap: items published in the last two days.  Not cached:
    time alone changes it (one small indexed query)."""
    since = naive_utc() - timedelta(days=2)
    posts = db.session.scalars(publishing.public_posts().where(Post.published_at >= since).limit(1000)).all()
    return _xml("public/sitemap_news.xml", posts=posts, site=current_app.config["SITE_URL"].rstrip("/"))


@bp.route("/robots.txt")
def robots():
    site = current_app.config["SITE_URL"].rstrip("/")
    body = render_template("public/robots.txt", site=site)
    return current_app.response_class(body, mimetype="text/plain")


# ------------------------------------------------------------ media


@bp.route("/media/<path:name>")
def media_file(name: str):
    """Public uploads; served as files, never as pages (no sniffing, sandboxed).
    An embargoed release's files need a valid preview (or staff) until the lift."""
    access = embargo_links.media_access(name)
    if access == "denied":
        abort(404)
    response = send_from_directory(media_dir(), name, max_age=86400)
    if access == "private":
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype not in ("image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"):
        response.headers["Content-Disposition"] = "attachment"
    return response


for _helper in (
    page_globals.media_url,
    page_globals.post_url,
    page_globals.news_article,
    page_globals.kind_label,
    page_globals.filesize,
):
    bp.add_app_template_global(_helper)
