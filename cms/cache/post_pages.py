"""Layer 2 for item pages: rendered once, on change, for anonymous readers.

Rendering an item page costs five queries and a template (about 3 ms); a
stored copy costs one indexed read.  After a publish or an edit the worker
renders the page as an anonymous visitor in the default language would see
it and stores it (zlib-compressed, ~3 KB) in ``post_page``.  The item view
serves a stored page only when it is still exact:

- the post row has the same ``version`` (bumped by every ORM update and by
  the conditional publish), and the post is public now;
- the ``epoch`` matches: a digest of the code, templates, translations,
  plugins and site settings, so a deploy never serves old markup;
- nothing it shows changed elsewhere: corrections, categories, tags,
  attachments, media or units delete the affected rows in the same
  transaction (a shared row such as a category deletes them all), through
  ``cms.content_version.on_flush``.  Author names are not on the page
  (JSON-LD names the unit).

Anything else (other languages, previews, a missing page) is rendered live.
``flask cms prerender`` fills the table after an upgrade or an import, and a
periodic task keeps filling what is missing.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import cast

from flask import Flask, current_app
from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from cms import content_version, kept_connection
from cms.cache import shared_cache
from cms.extensions import db
from cms.jobs import job
from cms.models.content import Category, Media, Post, PostCorrection, PostPage, Tag
from cms.newsroom.public import ITEM_OPTIONS, render_item
from cms.newsroom.publishing import public_condition, public_filter, public_path
from cms.timeutil import naive_utc

# Objects shown on many item pages: a change to one drops every stored page.
_SHARED = (Category, Tag, Media)
_SHARED_TABLES = {"unit"}


# ------------------------------------------------------------------ epoch


def epoch(app: Flask | None = None) -> str:
    """Digest of everything besides the post that shapes the page (cached per app)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask
    found = app.extensions.get("cms_post_pages_epoch")
    if found:
        return found
    digest = hashlib.sha256()
    roots = {Path(app.root_path), Path(app.root_path, app.template_folder or "")}
    for name, plugin in app.extensions["cms"].list_name_plugin():
        digest.update(name.encode())
        module_file = getattr(plugin, "__file__", None)
        if module_file:
            roots.add(Path(module_file).parent)
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".xml", ".mo", ".css", ".js") and "__pycache__" not in path.parts:
                # Contents, not mtimes: every server of a deploy agrees on the epoch.
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    for key in (
        "SITE_URL",
        "CMS_SITE_TITLE",
        "CMS_INSTITUTION",
        "CMS_RELEASE_CITY",
        "BABEL_DEFAULT_LOCALE",
        "CMS_LANGUAGES",
        "CMS_PLUGINS",
    ):
        digest.update(f"{key}={app.config.get(key)!r}".encode())
    found = app.extensions["cms_post_pages_epoch"] = digest.hexdigest()[:32]
    return found


# ----------------------------------------------------------------- render


def render_anonymous(app: Flask, post: Post) -> str:
    """Render outside a request: an anonymous visitor, default language."""
    base = app.config["SITE_URL"].rstrip("/")
    with app.test_request_context(public_path(post), base_url=base):
        return render_item(post)


def lookup(kind: str, slug: str) -> bytes | None:
    """The stored page of a public item, if it is still exact."""
    return read(current_app._get_current_object(), db.engine, kind, slug)  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask


def read(app: Flask, engine, kind: str, slug: str) -> bytes | None:
    """``lookup`` without an app context (the shared cache calls it before
    Flask runs).  A bare DBAPI cursor: the ORM would cost more than the page."""
    if "\x00" in slug:  # no stored page; PostgreSQL refuses NUL in text (Flask answers 404)
        return None
    public_sql, params = public_filter()
    row = kept_connection.read_row(
        engine,
        (
            "SELECT post_page.body FROM post JOIN post_page ON post_page.post_id = post.id "
            "AND post_page.version = post.version WHERE post.kind = :kind AND post.slug = :slug "
            f"AND post_page.locale = :locale AND post_page.epoch = :epoch AND {public_sql}"
        ),
        {**params, "kind": kind, "slug": slug, "locale": app.config["BABEL_DEFAULT_LOCALE"], "epoch": epoch(app)},
    )
    return zlib.decompress(row[0]) if row else None


@shared_cache.stored_page_loader(r"/(siaran-pers|berita)/([^/]+)")
def _stored_item(app: Flask, engine, match) -> tuple[bytes, str] | None:
    kind, slug = match.groups()
    html = read(app, engine, kind, slug)
    return (html, "public.release" if kind == "siaran-pers" else "public.news") if html is not None else None


def refresh(
    post_ids: Iterable[int] | None = None,
    *,
    limit: int | None = None,
    batch: int = 200,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Render and store the pages of public posts that have none (or an
    outdated one); ``post_ids`` narrows it.  Returns how many were stored.

    Uses its own session: called right after a publish (immediate job mode),
    it must not expire or detach the caller's objects."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy, typed as Flask
    locale, current = app.config["BABEL_DEFAULT_LOCALE"], epoch(app)
    valid = select(PostPage.post_id).where(
        PostPage.locale == locale,
        PostPage.epoch == current,
        PostPage.version == Post.version,
        PostPage.post_id == Post.id,
    )
    stmt = select(Post.id).where(public_condition(), ~valid.exists()).order_by(Post.id.desc())
    if post_ids is not None:
        stmt = stmt.where(Post.id.in_(list(post_ids)))
    if limit:
        stmt = stmt.limit(limit)
    done = 0
    with Session(db.engine) as session:
        todo = list(session.scalars(stmt))
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            posts = session.scalars(select(Post).where(Post.id.in_(chunk)).options(*ITEM_OPTIONS)).all()
            rows = [
                {
                    "post_id": p.id,
                    "locale": locale,
                    "version": p.version,
                    "epoch": current,
                    "body": zlib.compress(render_anonymous(app, p).encode(), 6),
                    "rendered_at": naive_utc(),
                }
                for p in posts
            ]
            session.execute(delete(PostPage).where(PostPage.post_id.in_(chunk), PostPage.locale == locale))
            if rows:
                session.execute(cast(Table, PostPage.__table__).insert(), rows)  # a mapped class's table
            session.commit()
            session.expunge_all()
            done += len(rows)
            if progress:
                progress(done, len(todo))
    return done


@job("newsroom.render_page", retries=2, retry_delay=30)
def render_page(post_id: int) -> int:
    """Store a post's page after it was published or updated (worker)."""
    return refresh([post_id])


# ------------------------------------------------------------ invalidation


def _dropped(session: Session) -> tuple[set[int], bool]:
    posts: set[int] = set()
    everything = False
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Post):
            if obj.id is not None and obj not in session.new:
                posts.add(obj.id)
        elif isinstance(obj, PostCorrection) or getattr(obj, "__tablename__", None) == "post_image":
            if (post_id := obj.post_id or getattr(obj.post, "id", None)) is not None:
                posts.add(post_id)
        elif getattr(obj, "__tablename__", None) == "site_identity":  # every page's header and footer
            everything = True
        elif isinstance(obj, _SHARED) or getattr(obj, "__tablename__", None) in _SHARED_TABLES:
            everything = everything or obj not in session.new
    posts.discard(None)
    return posts, everything


@content_version.on_flush
def _drop_stale(session: Session) -> None:
    """Delete the stored pages a flushed change made stale, in its transaction."""
    posts, everything = _dropped(session)
    table = cast(Table, PostPage.__table__)  # a mapped class's table
    if everything:
        session.connection().execute(table.delete())
    elif posts:
        session.connection().execute(table.delete().where(table.c.post_id.in_(sorted(posts))))
