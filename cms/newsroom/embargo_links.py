"""Personal embargo preview links and who may load an embargoed release's files.

Each accredited journalist gets their own link per embargoed release, so one
forwarded link can be revoked without cutting everyone off, and every view is
logged against a name.  A link lives until the lift time plus a grace period
(``PRESS_PREVIEW_GRACE_HOURS``).  Opening a valid link grants this browser
session the release's media files for a short while; staff always see them.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request, session
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from cms import crypto
from cms.audit import record
from cms.extensions import db
from cms.models.content import Media, Post
from cms.models.distribution import EmbargoAccess, Journalist
from cms.models.gallery import PostImage
from cms.models.press_access import EmbargoPreviewLink
from cms.newsroom import publishing
from cms.policy import can
from cms.timeutil import naive_utc

SESSION_KEY = "embargo_preview"
MEDIA_REF = re.compile(r"/media/([^\"'\s?#<>)]+)")


def _hash(token: str) -> str:
    return crypto.keyed_hash(token, "embargo-preview")


def grace() -> timedelta:
    return timedelta(hours=float(current_app.config.get("PRESS_PREVIEW_GRACE_HOURS", 24)))


def expiry_for(post: Post) -> datetime:
    return (post.embargo_until or naive_utc()) + grace()


def is_staff() -> bool:
    return bool(current_user and current_user.is_authenticated and can(current_user, "admin.access"))


def link_for(post: Post, journalist: Journalist, session_=None) -> EmbargoPreviewLink:
    """The journalist's live link to ``post``, made on first need.  A revoked
    link stays revoked: humas cut that journalist off this release."""
    s = session_ or db.session
    rows = s.scalars(
        select(EmbargoPreviewLink)
        .where(EmbargoPreviewLink.post_id == post.id, EmbargoPreviewLink.journalist_id == journalist.id)
        .order_by(EmbargoPreviewLink.id.desc())
    ).all()
    if rows:
        return rows[0]
    token = secrets.token_urlsafe(32)
    link = EmbargoPreviewLink(
        post_id=post.id,
        journalist_id=journalist.id,
        token_hash=_hash(token),
        token_enc=crypto.encrypt(token),
        expires_at=expiry_for(post),
        created_at=naive_utc(),
        uses=0,
    )
    s.add(link)
    s.flush()
    return link


def url_of(link: EmbargoPreviewLink) -> str:
    return current_app.config["SITE_URL"].rstrip("/") + f"/pratinjau/{crypto.decrypt(link.token_enc)}"


def personal_url(post: Post, journalist: Journalist, session_=None) -> str:
    return url_of(link_for(post, journalist, session_))


@dataclass
class Resolved:
    """What a token leads to: ``state`` is ok, public, unknown, revoked, expired or withdrawn."""

    state: str
    link: EmbargoPreviewLink | None = None

    @property
    def post(self) -> Post | None:
        return self.link.post if self.link else None


def resolve(token: str, now: datetime | None = None) -> Resolved:
    now = now or naive_utc()
    link = db.session.scalar(select(EmbargoPreviewLink).where(EmbargoPreviewLink.token_hash == _hash(token or "")))
    if link is None:
        return Resolved("unknown")
    post, journalist = link.post, link.journalist
    if link.revoked_at is not None or not journalist.active:
        return Resolved("revoked", link)
    if link.expires_at <= now:
        return Resolved("expired", link)
    if publishing.is_public(post, now):
        return Resolved("public", link)
    if post.status not in ("scheduled", "published") or not publishing.is_embargoed(post, now):
        return Resolved("withdrawn", link)
    return Resolved("ok", link)


def record_view(resolved: Resolved) -> None:
    """Log the view (or the refused attempt) against the journalist's name."""
    link = resolved.link
    if link is None:
        return
    channel = "preview" if resolved.state in ("ok", "public") else "denied"
    db.session.add(
        EmbargoAccess(
            journalist_id=link.journalist_id,
            post_id=link.post_id,
            channel=channel,
            ip=request.remote_addr,
            user_agent=(request.headers.get("User-Agent") or "")[:300],
        )
    )
    if channel == "preview":
        link.uses = (link.uses or 0) + 1
        link.last_used_at = naive_utc()
    db.session.commit()


def grant_media(link: EmbargoPreviewLink) -> None:
    """This browser may load the release's files for a while (signed session)."""
    minutes = float(current_app.config.get("PRESS_PREVIEW_MEDIA_MINUTES", 120))
    until = min(time.time() + minutes * 60, link.expires_at.replace(tzinfo=UTC).timestamp())
    grants = {k: v for k, v in (session.get(SESSION_KEY) or {}).items() if v > time.time()}
    grants[str(link.post_id)] = until
    session[SESSION_KEY] = grants


def _granted(post_ids: set[int]) -> bool:
    grants = session.get(SESSION_KEY) or {}
    return any(grants.get(str(pid), 0) > time.time() for pid in post_ids)


def revoke(link: EmbargoPreviewLink, actor) -> None:
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_id = naive_utc(), getattr(actor, "id", None)
        record(
            "embargo_link.revoke",
            "embargo_preview_link",
            link.id,
            {"post": link.post_id, "journalist": link.journalist_id},
        )
        db.session.commit()


def links_of(post: Post) -> list[EmbargoPreviewLink]:
    return list(
        db.session.scalars(
            select(EmbargoPreviewLink)
            .where(EmbargoPreviewLink.post_id == post.id)
            .options(selectinload(EmbargoPreviewLink.journalist))
            .order_by(EmbargoPreviewLink.id)
        )
    )


def move_expiry(post: Post, session_=None) -> None:
    """The lift time moved: live links now end at the new time plus grace."""
    s = session_ or db.session
    for link in s.scalars(
        select(EmbargoPreviewLink).where(EmbargoPreviewLink.post_id == post.id, EmbargoPreviewLink.revoked_at.is_(None))
    ):
        link.expires_at = expiry_for(post)


# ------------------------------------------------------------------ media files


def _names(media: Media | None) -> set[str]:
    if media is None:
        return set()
    return {media.path, *(media.variants or {}).values()}


def _guarding_posts(name: str) -> tuple[set[int], set[int]]:
    """Ids of the embargoed releases using file ``name``, and of its media rows."""
    posts = db.session.scalars(
        select(Post)
        .where(Post.embargo_until > naive_utc(), Post.status.in_(("scheduled", "published")))
        .options(selectinload(Post.attachments), selectinload(Post.images))
    ).all()
    guarding, media_ids = set(), set()
    for post in posts:
        for media in (post.featured_image, *post.attachments, *(image.media for image in post.images)):
            if media is not None and name in _names(media):
                guarding.add(post.id)
                media_ids.add(media.id)
        if name in MEDIA_REF.findall(post.body_html or ""):
            guarding.add(post.id)
    return guarding, media_ids


def _used_publicly(name: str, media_ids: set[int]) -> bool:
    uses = [Post.body_html.contains(f"/media/{name}", autoescape=True)]
    if media_ids:
        uses += [
            Post.featured_image_id.in_(media_ids),
            Post.attachments.any(Media.id.in_(media_ids)),
            Post.images.any(PostImage.media_id.in_(media_ids)),
        ]
    return db.session.scalar(select(Post.id).where(publishing.public_condition(), or_(*uses)).limit(1)) is not None


def media_access(name: str) -> str:
    """``public`` (serve and cache), ``private`` (serve, never cache) or ``denied``
    for a file under /media/: an embargoed release's files wait for its lift."""
    guarding, media_ids = _guarding_posts(name)
    if not guarding or _used_publicly(name, media_ids):
        return "public"
    return "private" if is_staff() or _granted(guarding) else "denied"
