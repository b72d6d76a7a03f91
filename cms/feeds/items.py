"""Posts as feed items and feeds: which posts a feed holds, its channel and
its rendering.  Maps ORM posts to the ORM-free ``cms.feeds.build`` dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import abort, current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cms.content_version import Version
from cms.extensions import db
from cms.feeds import build as feeds
from cms.feeds.rendering import Rendered, make_rendered
from cms.identity import current_identity
from cms.models import Unit
from cms.models.content import POST_KINDS, Category, Post, Tag, post_category, post_tag
from cms.newsroom import gallery
from cms.newsroom.publishing import next_embargo_lift, public_posts, public_url
from cms.sanitize import clean_html_memo

FILES = {"rss.xml": "rss", "atom.xml": "atom", "feed.json": "json"}


@dataclass(frozen=True)
class Scope:
    """Which items a feed holds: ``("all", "")``, ``("kind", "berita")``…"""

    kind: str
    slug: str = ""

    @property
    def prefix(self) -> str:
        return {
            "all": "",
            "kind": f"/{self.slug}",
            "kategori": f"/kategori/{self.slug}",
            "unit": f"/unit/{self.slug}",
            "tag": f"/tag/{self.slug}",
        }[self.kind]


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
    credit = getattr(media, "credit", "") or ""
    return feeds.FeedFile(media_url(media.path), media.mime, int(media.size or 0), title or media.alt or "", credit)


def _photos(post: Post, lead) -> tuple[feeds.FeedFile, ...]:
    """Every photo of the release, the lead image first, with its caption."""
    images = [(pi.media, pi.shown_caption) for pi in getattr(post, "images", None) or []]
    if lead is not None and all(m.id != lead.id for m, _c in images):
        images.insert(0, (lead, lead.caption))
    images.sort(key=lambda pair: pair[0].id != getattr(lead, "id", None))
    return tuple(_file(m, caption) for m, caption in images)


def _sanitized(html: str) -> str:
    """Bodies are cleaned when saved; cleaning again here also covers rows
    written by imports or scripts.  Memoised: a rebuild re-cleans only bodies
    that changed."""
    return str(clean_html_memo(html))


def to_item(post: Post, url: str | None = None, prefix: str = "") -> feeds.FeedItem:
    pdf = next((m for m in post.attachments if m.mime == "application/pdf"), None)
    image = gallery.lead_image(post)
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
        content_html=feeds.absolutize(gallery.with_figures(_sanitized(post.body_html or ""), post), site()),
        summary=post.summary or "",
        author=author,
        categories=tuple(feeds.FeedCategory(c.name, c.slug, site(f"/kategori/{c.slug}/")) for c in post.categories),
        enclosure=enclosure,
        image=_file(image) if image else None,
        photos=_photos(post, image) if getattr(post, "images", None) else (),
    )


def load_posts(stmt, limit: int) -> list[Post]:
    stmt = stmt.options(
        selectinload(Post.categories),
        selectinload(Post.attachments),
        selectinload(Post.author),
        selectinload(Post.images),
    ).limit(limit)
    return list(db.session.scalars(stmt).unique())


def resolve(scope: Scope):
    """(select of items, feed title, home page URL); 404 for unknown slugs."""
    site_title = current_identity().name  # the institution an admin set, not the software
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
    if scope.kind == "tag":
        tag = db.session.scalar(select(Tag).where(Tag.slug == scope.slug))
        if tag is None:
            abort(404)
        stmt = public_posts().join(post_tag).where(post_tag.c.tag_id == tag.id)
        return stmt, f"{site_title} — #{tag.name}", site(f"/tag/{tag.slug}/")
    unit = db.session.scalar(select(Unit).where(Unit.slug == scope.slug, Unit.active.is_(True)))
    if unit is None:
        abort(404)
    return public_posts().where(Post.unit_id == unit.id), f"{site_title} — {unit.name}", site(f"/unit/{unit.slug}/")


def next_scheduled_change() -> float | None:
    """When time alone will change the public set (an embargo lifting)."""
    return next_embargo_lift()


def channel_for(scope: Scope, title: str, home: str) -> feeds.FeedChannel:
    with force_locale("id"):
        description = _("Siaran pers dan berita dari %(site)s", site=current_identity().name)
    return feeds.FeedChannel(
        title=title,
        description=description,
        home_url=home,
        urls={fmt: feed_url(scope, fmt) for fmt in feeds.FORMATS},
        updated=datetime(2000, 1, 1),
        ttl=int(current_app.config.get("FEEDS_TTL", 15)),
        author=current_identity().name,
        hub=current_app.config.get("FEEDS_WEBSUB_HUB") or None,
        stylesheet=url_for("static", filename="feeds/feed.xsl"),
    )


def render_feed(scope: Scope, fmt: str, version: Version) -> Rendered:
    stmt, title, home = resolve(scope)
    posts = load_posts(stmt, int(current_app.config.get("FEEDS_ITEMS", 50)))
    items = [to_item(p) for p in posts]
    body = feeds.render(fmt, channel_for(scope, title, home), items)
    newest = max([version.changed_at, *(max(i.published, i.updated) for i in items)])
    return make_rendered(body, newest, next_scheduled_change())
