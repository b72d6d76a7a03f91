"""Feed URLs (subscribers rely on them: keep them stable): all items, per kind, per category, per unit, and
the private embargo feed of each accredited journalist; e-mail subscription.

The hot path (a poller asking for ``/feeds/rss.xml``) reads the content
counter, finds the rendering kept under it and answers 200 or 304 — no ORM
query (``cms.feeds.rendering``).  Staff pages live in ``cms.feeds.admin_views``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import cast

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import select
from wtforms import BooleanField, EmailField
from wtforms.validators import DataRequired, Length

from cms import unit_aliases
from cms.content_version import share
from cms.extensions import csrf, db, limiter
from cms.feeds import browser_view, rendering, subscriptions
from cms.feeds import build as feeds
from cms.feeds.items import FILES, Scope, feed_url, render_feed, site, to_item
from cms.forms import IdListField
from cms.i18n import format_datetime
from cms.identity import current_identity
from cms.models import Unit
from cms.models.content import POST_KINDS, Category, Post, Tag, post_category, post_tag
from cms.newsroom import embargo_links
from cms.newsroom.publishing import public_condition

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


def accepts_html() -> bool:
    """A browser, not a feed reader: ``text/html`` with no ``xml`` before it
    (the nginx site applies the same rule, deploy/nginx/warta.conf)."""
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "xml" not in accept.split("text/html")[0]


def respond(rendered: rendering.Rendered, fmt: str, scope: Scope | None):
    # Feed readers ask for gzip: a full-content feed shrinks to about a
    # third, for the reader's bandwidth and the server's.
    compressed = request.accept_encodings.quality("gzip") > 0
    etag = rendered.etag + rendering.GZIP_ETAG_SUFFIX if compressed else rendered.etag
    not_modified = rendering.not_modified(
        etag, rendered.last_modified, request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
    )
    max_age = int(current_app.config.get("FEEDS_MAX_AGE", 300))
    if rendered.expires:
        max_age = max(0, min(max_age, int(rendered.expires - time.time())))
    headers = [
        ("Content-Type", CONTENT_TYPES[fmt]),
        ("Vary", "Accept, Accept-Encoding"),
        ("ETag", f'"{etag}"' if compressed else rendered.etag_header),
        ("Last-Modified", rendered.last_modified_header),
        ("Cache-Control", f"public, max-age={max_age}"),
    ]
    hub = current_app.config.get("FEEDS_WEBSUB_HUB")
    if hub and scope is not None:
        headers.append(("Link", f'<{hub}>; rel="hub", <{feed_url(scope, fmt)}>; rel="self"'))
    if not_modified:
        return current_app.response_class(b"", status=304, headers=headers)
    body = rendered.body
    if compressed:
        body = rendering.gzipped(rendered)
        headers.append(("Content-Encoding", "gzip"))
    return current_app.response_class(body, status=200, headers=headers)


def serve(scope: Scope, filename: str):
    fmt = FILES.get(filename)
    if fmt is None:
        abort(404)
    key = f"{scope.kind}:{scope.slug}:{fmt}"
    rendered = rendering.get_or_build(key, lambda version: render_feed(scope, fmt, version))
    if accepts_html():  # a browser: a plain HTML page (browser_view), never the XML's cache entries
        return browser_view.respond(scope, fmt, rendered)
    if rendered.expires is None:  # with an embargo due, max-age shrinks per request
        share(rendered.counter)
    return respond(rendered, fmt, scope)


@bp.get("/<any('rss.xml', 'atom.xml', 'feed.json'):filename>")
def all_items(filename):
    return serve(Scope("all"), filename)


@bp.get("/<any('siaran-pers', 'berita'):kind>/<filename>")
def by_kind(kind, filename):
    return serve(Scope("kind", kind), filename)


@bp.get("/kategori/<slug>/<filename>")
def by_category(slug, filename):
    return serve(Scope("kategori", slug), filename)


@bp.get("/unit/<slug>/<filename>")
def by_unit(slug, filename):
    if filename in FILES and db.session.scalar(select(Unit.id).where(Unit.slug == slug)) is None:
        return unit_aliases.redirect_old_unit_slug(slug, "feeds.by_unit", filename=filename)  # a merged unit's
    return serve(Scope("unit", slug), filename)


@bp.get("/tag/<slug>/<filename>")
def by_tag(slug, filename):
    return serve(Scope("tag", slug), filename)


# ------------------------------------------------------------ discovery


def feed_list() -> list[dict]:
    """Every public feed for the ``/feeds/`` page (categories and units with items)."""
    rows = [{"title": _("Semua siaran pers dan berita"), "scope": Scope("all")}]
    rows += [{"title": label, "scope": Scope("kind", kind)} for kind, label in POST_KINDS.items()]
    used = select(post_category.c.category_id).join(Post, Post.id == post_category.c.post_id).where(public_condition())
    for category in db.session.scalars(select(Category).where(Category.id.in_(used)).order_by(Category.name)):
        rows.append({"title": _("Kategori: %(name)s", name=category.name), "scope": Scope("kategori", category.slug)})
    units = select(Post.unit_id).where(public_condition(), Post.unit_id.is_not(None))
    for unit in db.session.scalars(select(Unit).where(Unit.id.in_(units), Unit.active.is_(True)).order_by(Unit.name)):
        rows.append({"title": _("Unit: %(name)s", name=unit.name), "scope": Scope("unit", unit.slug)})
    tagged = select(post_tag.c.tag_id).join(Post, Post.id == post_tag.c.post_id).where(public_condition())
    for tag in db.session.scalars(select(Tag).where(Tag.id.in_(tagged)).order_by(Tag.name)):
        rows.append({"title": _("Tag: #%(name)s", name=tag.name), "scope": Scope("tag", tag.slug)})
    for row in rows:
        row["urls"] = {fmt: feed_url(row["scope"], fmt) for fmt in feeds.FORMATS}
    return rows


def feed_links() -> Markup:
    """``<link rel="alternate">`` tags for ``<head>``: the site feeds plus the
    feed of the section, category or item being shown."""
    scopes = [(Scope("all"), current_identity().name)]
    args = request.view_args or {}
    kind = args.get("kind") or (request.path.strip("/").split("/")[0] if request.path else "")
    if kind in POST_KINDS:
        scopes.append((Scope("kind", kind), POST_KINDS[kind]))
    if request.path.startswith("/kategori/") and args.get("slug"):
        scopes.append((Scope("kategori", args["slug"]), _("Kategori")))
    if request.path.startswith("/tag/") and args.get("slug"):
        scopes.append((Scope("tag", args["slug"]), _("Tag")))
    tags = []
    for scope, title in scopes:
        for fmt, label in (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed")):
            tags.append(
                f'<link rel="alternate" type="{feeds.MIMETYPES[fmt]}" '
                f'title="{escape(title)} ({label})" href="{escape(feed_url(scope, fmt))}">'
            )
    return Markup("\n".join(tags))


@bp.get("/")
def index():
    return render_template(
        "feeds/index.html", feeds=feed_list(), feed_links=feed_links, hub=current_app.config.get("FEEDS_WEBSUB_HUB")
    )


# ------------------------------------------------------------ embargo feed


@bp.get("/embargo/<token>/<any('rss.xml', 'atom.xml', 'feed.json'):filename>")
def embargo_feed(token, filename):
    """A journalist's private feed of embargoed releases; every hit is logged."""
    journalist = subscriptions.journalist_by_token(token)
    ip, agent = request.remote_addr, request.headers.get("User-Agent", "")
    if journalist is None:
        abort(404)
    if not journalist.active:
        subscriptions.log_access(journalist, [], "denied", ip, agent)
        abort(410)
    fmt = FILES[filename]
    posts = subscriptions.embargoed_posts()
    items = []
    for post in posts:
        embargo = format_datetime(post.embargo_until)
        with force_locale("id"):
            prefix = _("[EMBARGO hingga %(when)s] ", when=embargo)
            notice = _("Embargo: jangan disiarkan sebelum %(when)s.", when=embargo)
        item = to_item(post, url=embargo_links.personal_url(post, journalist), prefix=prefix)
        items.append(
            replace(
                item,
                summary=f"{notice} {item.summary}".strip(),
                content_html=f"<p><strong>{escape(notice)}</strong></p>{item.content_html}",
            )
        )
    subscriptions.log_access(journalist, posts, "feed", ip, agent)
    scope_urls = {f: subscriptions.private_feed_url(journalist, n) for n, f in FILES.items()}
    with force_locale("id"):
        channel = feeds.FeedChannel(
            title=_("%(site)s — Siaran pers di bawah embargo", site=current_identity().name),
            description=_("Feed pribadi untuk %(name)s. Jangan dibagikan.", name=journalist.name),
            home_url=site("/"),
            urls=scope_urls,
            updated=journalist.token_issued_at,
            author=current_identity().name,
            feed_id=f"{site('/feeds/embargo/')}{journalist.id}",
        )
    response = current_app.response_class(feeds.render(fmt, channel, items), content_type=CONTENT_TYPES[fmt])
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# ------------------------------------------------------ e-mail subscription


class SubscribeForm(FlaskForm):
    email = EmailField(
        _l("Alamat e-mail"), validators=[DataRequired(message=_l("Alamat e-mail wajib diisi.")), Length(max=254)]
    )
    categories = IdListField(_l("Kategori (kosongkan untuk semua siaran pers)"))  # unknown ids: dropped in the view
    consent = BooleanField(
        _l("Saya setuju alamat e-mail saya disimpan untuk mengirim siaran pers."),
        validators=[DataRequired(message=_l("Persetujuan wajib dicentang."))],
    )


def _subscribe_limit() -> str:
    return current_app.config.get("FEEDS_SUBSCRIBE_RATE_LIMIT", "5 per minute;20 per hour")


@bp.route("/langganan", methods=["GET", "POST"])
@limiter.limit(_subscribe_limit, methods=["POST"], error_message="Terlalu banyak permintaan langganan.")
def subscribe():
    form = SubscribeForm()
    form.categories.choices = [(c.id, c.name) for c in db.session.scalars(select(Category).order_by(Category.name))]
    if form.validate_on_submit():
        try:
            known = {cid for cid, _name in cast(list[tuple[int, str]], form.categories.choices)}  # set above
            subscriptions.subscribe(form.email.data or "", [c for c in form.categories.data or [] if c in known])
        except subscriptions.DistributionError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            return render_template("feeds/subscribe_sent.html")
    return render_template("feeds/subscribe.html", form=form), 400 if form.errors else 200


@bp.get("/langganan/konfirmasi/<token>")
def confirm(token):
    sub = subscriptions.confirm(token)
    return render_template("feeds/confirmed.html", ok=sub is not None), 200 if sub else 404


class UnsubscribeForm(FlaskForm):
    pass


@bp.route("/langganan/berhenti/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail clients POST without a session
def unsubscribe(token):
    sub = subscriptions.subscriber_by_unsubscribe_token(token)
    if sub is None:
        return render_template("feeds/unsubscribe.html", sub=None), 404
    if request.method == "POST":
        subscriptions.unsubscribe(sub)
        return render_template("feeds/unsubscribe.html", sub=sub, done=True)
    return render_template("feeds/unsubscribe.html", sub=sub, done=sub.status == "unsubscribed", form=UnsubscribeForm())
