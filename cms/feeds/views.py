"""Feed URLs (subscribers rely on them: keep them stable): all items, per kind, per category, per unit, and
the private embargo feed of each accredited journalist.

The hot path (a poller asking for ``/feeds/rss.xml``) reads the change
counter, finds the bytes cached under it and answers 200 or 304 — no ORM
query.  Posts are mapped to the ORM-free ``cms.feeds.build`` dataclasses here.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms import job_runs
from cms.audit import record
from cms.cache import feed_cache, shared_cache
from cms.extensions import csrf, db, limiter
from cms.feeds import build as feeds
from cms.feeds import subscriptions
from cms.forms import IdListField
from cms.i18n import format_datetime
from cms.inputs import query_id
from cms.jobs import enqueue
from cms.models import JobRun, Unit
from cms.models.content import POST_KINDS, Category, Post, post_category
from cms.models.distribution import SUBSCRIBER_STATUSES, EmbargoAccess, Journalist, Mailing, Subscriber
from cms.newsroom.publishing import preview_url, public_condition, public_posts, public_url
from cms.policy import require
from cms.sanitize import clean_html_memo
from cms.timeutil import naive_utc

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
FILES = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}


@dataclass(frozen=True)
class Scope:
    """Which items a feed holds: ``("all", "")``, ``("kind", "berita")``…"""

    kind: str
    slug: str = ""

    @property
    def prefix(self) -> str:
        return {"all": "", "kind": f"/{self.slug}", "kategori": f"/kategori/{self.slug}", "unit": f"/unit/{self.slug}"}[
            self.kind
        ]


def site(path: str = "/") -> str:
    return current_app.config["SITE_URL"].rstrip("/") + path


def feed_url(scope: Scope, fmt: str) -> str:
    name = {v: k for k, v in FILES.items()}[fmt]
    return site(f"/feeds{scope.prefix}/{name}")


def media_url(path: str) -> str:
    return site("/media/" + path.lstrip("/"))


# ------------------------------------------------------------ post -> item


def guid(post: Post) -> str:
    """A ``tag:`` URI from data that never changes (id, creation date), so a
    corrected title or slug never makes readers show the item twice."""
    host = urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"
    return f"tag:{host},{post.created_at:%Y-%m-%d}:post/{post.id}"


def _file(media, title: str = "") -> feeds.FeedFile:
    return feeds.FeedFile(media_url(media.path), media.mime, int(media.size or 0), title or media.alt or "")


def _sanitized(html: str) -> str:
    """Bodies are cleaned when saved; cleaning again here also covers rows
    written by imports or scripts.  Memoised: a rebuild re-cleans only bodies
    that changed."""
    return str(clean_html_memo(html))


def to_item(post: Post, url: str | None = None, prefix: str = "") -> feeds.FeedItem:
    pdf = next((m for m in post.attachments if m.mime == "application/pdf"), None)
    image = post.featured_image
    enclosure = _file(pdf, pdf.file_name) if pdf else (_file(image) if image else None)
    author = (post.author.name or "") if post.author else ""
    return feeds.FeedItem(
        guid=guid(post),
        url=url or public_url(post),
        title=prefix + post.title,
        # Public from the later of publication and embargo lift: that is
        # also what moves Last-Modified when an embargo lifts by time alone.
        published=max(
            d for d in (post.published_at or post.publish_at or post.created_at, post.embargo_until) if d is not None
        ),
        updated=post.updated_at or post.published_at or post.created_at,
        content_html=feeds.absolutize(_sanitized(post.body_html or ""), site()),
        summary=post.summary or "",
        author=author,
        categories=tuple(feeds.FeedCategory(c.name, c.slug, site(f"/kategori/{c.slug}/")) for c in post.categories),
        enclosure=enclosure,
        image=_file(image) if image else None,
    )


def _load(stmt, limit: int) -> list[Post]:
    stmt = stmt.options(selectinload(Post.categories), selectinload(Post.attachments), selectinload(Post.author)).limit(
        limit
    )
    return list(db.session.scalars(stmt).unique())


# ------------------------------------------------------------ public feeds


def _resolve(scope: Scope):
    """(select of items, feed title, home page URL); 404 for unknown slugs."""
    site_title = current_app.config["CMS_SITE_TITLE"]
    if scope.kind == "all":
        return public_posts(), site_title, site("/")
    if scope.kind == "kind":
        return public_posts(scope.slug), f"{site_title} — {POST_KINDS[scope.slug]}", site(f"/{scope.slug}/")
    if scope.kind == "kategori":
        category = db.session.scalar(select(Category).where(Category.slug == scope.slug))
        if category is None:
            abort(404)
        stmt = public_posts().join(post_category).where(post_category.c.category_id == category.id)
        return stmt, f"{site_title} — {category.name}", site(f"/kategori/{category.slug}/")
    unit = db.session.scalar(select(Unit).where(Unit.slug == scope.slug, Unit.active.is_(True)))
    if unit is None:
        abort(404)
    return public_posts().where(Post.unit_id == unit.id), f"{site_title} — {unit.name}", site(f"/unit/{unit.slug}/")


def _next_scheduled_change() -> float | None:
    """When time alone will change the public set (an embargo lifting)."""
    now = naive_utc()
    when = db.session.scalar(
        select(func.min(Post.embargo_until)).where(Post.status == "published", Post.embargo_until > now)
    )
    return when.replace(tzinfo=UTC).timestamp() if when else None


def channel_for(scope: Scope, title: str, home: str) -> feeds.FeedChannel:
    with force_locale("id"):
        description = _("Siaran pers dan berita dari %(site)s", site=current_app.config["CMS_INSTITUTION"])
    return feeds.FeedChannel(
        title=title,
        description=description,
        home_url=home,
        urls={fmt: feed_url(scope, fmt) for fmt in feeds.FORMATS},
        updated=datetime(2000, 1, 1),
        ttl=int(current_app.config.get("FEEDS_TTL", 15)),
        author=current_app.config["CMS_INSTITUTION"],
        hub=current_app.config.get("FEEDS_WEBSUB_HUB") or None,
        stylesheet=url_for("static", filename="feeds/feed.xsl"),
    )


def _build(scope: Scope, fmt: str, version: feed_cache.Version) -> feed_cache.Rendered:
    stmt, title, home = _resolve(scope)
    posts = _load(stmt, int(current_app.config.get("FEEDS_ITEMS", 50)))
    items = [to_item(p) for p in posts]
    body = feeds.render(fmt, channel_for(scope, title, home), items)
    newest = max([version.changed_at, *(max(i.published, i.updated) for i in items)])
    return feed_cache.make_rendered(body, newest, _next_scheduled_change())


def _accepts_html() -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and "xml" not in accept.split("text/html")[0]


def respond(rendered: feed_cache.Rendered, fmt: str, scope: Scope | None):
    # Feed readers ask for gzip: a full-content feed shrinks to about a
    # third, for the reader's bandwidth and the server's.
    compressed = request.accept_encodings.quality("gzip") > 0
    etag = rendered.etag + feed_cache.GZIP_ETAG_SUFFIX if compressed else rendered.etag
    not_modified = feed_cache.not_modified(
        etag, rendered.last_modified, request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since")
    )
    max_age = int(current_app.config.get("FEEDS_MAX_AGE", 300))
    if rendered.expires:
        max_age = max(0, min(max_age, int(rendered.expires - time.time())))
    # Browsers render XML (with the XSL stylesheet) only when it is labelled XML.
    xml_for_browser = fmt != "json" and _accepts_html()
    headers = [
        ("Content-Type", "application/xml; charset=utf-8" if xml_for_browser else CONTENT_TYPES[fmt]),
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
        body = feed_cache.gzipped(rendered)
        headers.append(("Content-Encoding", "gzip"))
    return current_app.response_class(body, status=200, headers=headers)


def serve(scope: Scope, filename: str):
    fmt = FILES.get(filename)
    if fmt is None:
        abort(404)
    key = f"{scope.kind}:{scope.slug}:{fmt}"
    rendered = feed_cache.get_or_build(key, lambda version: _build(scope, fmt, version))
    if rendered.expires is None:  # with an embargo due, max-age shrinks per request
        shared_cache.share(rendered.counter)
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
    return serve(Scope("unit", slug), filename)


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
    for row in rows:
        row["urls"] = {fmt: feed_url(row["scope"], fmt) for fmt in feeds.FORMATS}
    return rows


def feed_links() -> Markup:
    """``<link rel="alternate">`` tags for ``<head>``: the site feeds plus the
    feed of the section, category or item being shown."""
    scopes = [(Scope("all"), current_app.config["CMS_SITE_TITLE"])]
    args = request.view_args or {}
    kind = args.get("kind") or (request.path.strip("/").split("/")[0] if request.path else "")
    if kind in POST_KINDS:
        scopes.append((Scope("kind", kind), POST_KINDS[kind]))
    if request.path.startswith("/kategori/") and args.get("slug"):
        scopes.append((Scope("kategori", args["slug"]), _("Kategori")))
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
        item = to_item(post, url=preview_url(post), prefix=prefix)
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
            title=_("%(site)s — Siaran pers di bawah embargo", site=current_app.config["CMS_SITE_TITLE"]),
            description=_("Feed pribadi untuk %(name)s. Jangan dibagikan.", name=journalist.name),
            home_url=site("/"),
            urls=scope_urls,
            updated=journalist.token_issued_at,
            author=current_app.config["CMS_INSTITUTION"],
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
            known = {cid for cid, _name in form.categories.choices}
            subscriptions.subscribe(form.email.data, [c for c in form.categories.data or [] if c in known])
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


# ------------------------------------------------------------------ admin

admin_bp = Blueprint("feeds_admin", __name__, url_prefix="/admin/feeds")


@admin_bp.get("/pelanggan")
@require("subscribers.manage")
def subscribers():
    status = request.args.get("status") or None
    stmt = select(Subscriber).order_by(Subscriber.created_at.desc())
    if status in SUBSCRIBER_STATUSES:
        stmt = stmt.where(Subscriber.status == status)
    rows = db.session.scalars(stmt).all()
    counts = dict(db.session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    return render_template(
        "feeds/admin/subscribers.html",
        rows=rows,
        counts=counts,
        status=status,
        statuses=SUBSCRIBER_STATUSES,
        masked=subscriptions.masked_email,
        names=names,
        form=UnsubscribeForm(),
        mailings=_recent_mailings(),
    )


def _recent_mailings() -> list[dict]:
    """The last release mailings with their run: a stopped one shows as failed, with what was sent."""
    mailings = db.session.execute(
        select(Mailing, Post).join(Post, Post.id == Mailing.post_id).order_by(Mailing.id.desc()).limit(10)
    ).all()
    runs = {
        run.subject: run
        for run in db.session.scalars(
            select(JobRun).where(
                JobRun.kind == subscriptions.MAILING_JOB, JobRun.subject.in_([str(m.post_id) for m, _p in mailings])
            )
        )
    }
    shown = []
    for mailing, post in mailings:
        run = runs.get(str(post.id))
        error = job_runs.shown_error(run) if run else ""
        shown.append(
            {
                "post": post,
                "run": run,
                "state": job_runs.shown_state(run) if run else "done",
                "sent": run.done if run else mailing.recipients,
                "total": run.total if run else mailing.recipients,
                "failed": len((run.cursor or {}).get("failed", [])) if run else 0,
                "error": _("terhenti: pekerja berhenti") if error == job_runs.STOPPED else error,
                "can_resume": bool(run) and job_runs.can_reopen(run),
            }
        )
    return shown


@admin_bp.post("/pengiriman/<int:post_id>/lanjutkan")
@require("subscribers.manage")
def mailing_resume(post_id: int):
    """Resume a stopped release mailing after its cursor: nobody already mailed gets it twice."""
    run = job_runs.find(subscriptions.MAILING_JOB, post_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if job_runs.reopen(run, resume=True):
        record("feeds.mailing.resume", "post", post_id, {"done": run.done, "total": run.total}, commit=True)
        enqueue("feeds.mail_release", post_id)
        flash(_("Pengiriman dilanjutkan."), "success")
    else:
        flash(_("Pengiriman ini tidak sedang terhenti."), "warning")
    return redirect(url_for("feeds_admin.subscribers"))


def _cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas: defuse them."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@admin_bp.get("/pelanggan.csv")
@require("subscribers.manage")
def subscribers_csv():
    """The full list (personal data): for the admin only, and audited."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "email", "status", "kategori", "dibuat", "dikonfirmasi", "berhenti"])
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    rows = db.session.scalars(select(Subscriber).order_by(Subscriber.id)).all()
    for sub in rows:
        cats = "semua" if sub.all_categories else "; ".join(names.get(i, str(i)) for i in sub.category_ids)
        writer.writerow(
            [
                sub.id,
                _cell(subscriptions.email_of(sub)),
                sub.status,
                _cell(cats),
                sub.created_at,
                sub.confirmed_at or "",
                sub.unsubscribed_at or "",
            ]
        )
    record("subscriber.export", "feeds_subscriber", "", {"rows": len(rows)}, commit=True)
    return current_app.response_class(
        out.getvalue().encode("utf-8-sig"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=pelanggan.csv", "Cache-Control": "no-store"},
    )


@admin_bp.post("/pelanggan/<int:sub_id>/hapus")
@require("subscribers.manage")
def subscriber_delete(sub_id):
    sub = db.session.get(Subscriber, sub_id) or abort(404)
    subscriptions.delete_subscriber(sub)
    flash(_("Data pelanggan dihapus."), "success")
    return redirect(url_for("feeds_admin.subscribers"))


class JournalistForm(FlaskForm):
    name = StringField(_l("Nama"), validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=200)])
    outlet = StringField(_l("Media"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)])
    note = TextAreaField(_l("Catatan (nomor kartu pers, dsb.)"), validators=[Optional(), Length(max=2000)])


@admin_bp.route("/jurnalis", methods=["GET", "POST"])
@require("journalists.manage")
def journalists():
    form = JournalistForm()
    if form.validate_on_submit():
        data = subscriptions.JournalistData(
            form.name.data, form.outlet.data or "", form.email.data, form.note.data or ""
        )
        try:
            journalist = subscriptions.create_journalist(data, current_user)
        except subscriptions.DistributionError as exc:
            getattr(form, exc.field or "email").errors = [str(exc)]
        else:
            flash(_("Jurnalis ditambahkan; tautan feed pribadi dikirim ke e-mailnya."), "success")
            return redirect(url_for("feeds_admin.journalist", journalist_id=journalist.id))
    rows = db.session.scalars(select(Journalist).order_by(Journalist.active.desc(), Journalist.name)).all()
    return render_template(
        "feeds/admin/journalists.html", rows=rows, form=form, masked=subscriptions.masked_email
    ), 400 if form.errors else 200


@admin_bp.get("/jurnalis/<int:journalist_id>")
@require("journalists.manage")
def journalist(journalist_id):
    journalist = db.session.get(Journalist, journalist_id) or abort(404)
    record("journalist.view", "feeds_journalist", journalist.id, commit=True)
    accesses = db.session.scalars(
        select(EmbargoAccess)
        .where(EmbargoAccess.journalist_id == journalist.id)
        .order_by(EmbargoAccess.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "feeds/admin/journalist.html",
        journalist=journalist,
        accesses=accesses,
        email=subscriptions.email_of(journalist),
        form=UnsubscribeForm(),
        feed_url=subscriptions.private_feed_url(journalist) if journalist.active else None,
    )


@admin_bp.post("/jurnalis/<int:journalist_id>/<any('cabut', 'terbitkan-ulang', 'hapus'):action>")
@require("journalists.manage")
def journalist_action(journalist_id, action):
    journalist = db.session.get(Journalist, journalist_id) or abort(404)
    if action == "cabut":
        subscriptions.revoke(journalist, current_user)
        flash(_("Akses dicabut: tautan feed pribadi tidak berlaku lagi."), "success")
    elif action == "terbitkan-ulang":
        subscriptions.reissue_token(journalist, current_user)
        flash(_("Tautan baru dibuat dan dikirim; tautan lama tidak berlaku lagi."), "success")
    else:
        record("journalist.delete", "feeds_journalist", journalist.id, {"name": journalist.name})
        db.session.delete(journalist)
        db.session.commit()
        flash(_("Data jurnalis dihapus."), "success")
        return redirect(url_for("feeds_admin.journalists"))
    return redirect(url_for("feeds_admin.journalist", journalist_id=journalist.id))


@admin_bp.get("/embargo")
@require("journalists.manage")
def embargo_log():
    """Who received which embargoed release: the trail for tracing a leak."""
    post_id = query_id("post")
    stmt = select(EmbargoAccess).order_by(EmbargoAccess.id.desc()).limit(500)
    if post_id:
        stmt = stmt.where(EmbargoAccess.post_id == post_id)
    return render_template(
        "feeds/admin/embargo_log.html",
        rows=db.session.scalars(stmt).all(),
        post=db.session.get(Post, post_id) if post_id else None,
        embargoed=subscriptions.embargoed_posts(),
    )
