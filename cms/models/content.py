"""Newsroom content: posts (siaran pers and berita), categories, tags, media,
revisions, review comments and correction notes.

Datetimes are naive UTC.  ``summary`` is stored as plain text so list pages
never strip HTML per request.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model, db
from cms.fulltext import FullTextIndex
from cms.timeutil import naive_utc

if TYPE_CHECKING:
    from cms.models.gallery import PostImage

POST_KINDS: dict[str, str] = {"siaran-pers": "Siaran Pers", "berita": "Berita"}
"""The kinds of ``Post``: slug (``Post.kind``) to its Indonesian label."""
POST_STATUSES: dict[str, str] = {
    "draft": "Draf",
    "review": "Dalam peninjauan",
    "approved": "Disetujui",
    "scheduled": "Terjadwal",
    "published": "Terbit",
    "unpublished": "Ditarik",
}

post_category = Table(
    "post_category",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id", ondelete="CASCADE"), primary_key=True, index=True),
)
post_tag = Table(
    "post_tag",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)
post_attachment = Table(
    "post_attachment",
    db.metadata,
    Column("post_id", ForeignKey("post.id", ondelete="CASCADE"), primary_key=True),
    Column("media_id", ForeignKey("media.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Category(Model):
    """A newsroom category a post may belong to."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tag(Model):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)


class Media(Model):
    """An uploaded file in the media library (image or document).

    ``path`` is relative to ``cms.storage.media_dir()``; images also carry
    re-encoded ``variants`` (``page``, ``card``, ``thumb`` → relative path).
    """

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), index=True)  # image | file
    path: Mapped[str] = mapped_column(String(300), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(default=0)
    width: Mapped[int | None]
    height: Mapped[int | None]
    alt: Mapped[str] = mapped_column(String(300), default="")
    caption: Mapped[str] = mapped_column(String(500), default="")
    credit: Mapped[str] = mapped_column(String(200), default="", server_default="")  # "Foto: Humas Kota Bekasi"
    variants: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())

    def variant(self, name: str) -> str:
        return (self.variants or {}).get(name) or self.path


class Post(Model):
    """A siaran pers or berita.  Small columns come first and the big texts
    last: SQLite then reads status/dates without walking overflow pages."""

    __tablename__ = "post"
    __table_args__ = (
        # Public lists filter on status and embargo and sort by date inside the index.
        Index("ix_post_public", "status", "published_at", "embargo_until"),
        Index("ix_post_kind_public", "kind", "status", "published_at", "embargo_until"),
        # Covering index for search joins (FTS rowid -> is it public?).
        Index("ix_post_visibility", "id", "status", "embargo_until"),
        # The staff post list, newest change first (cms.newsroom.editor.views.posts).
        Index("ix_post_updated", "updated_at", "id"),
        # When the next embargo lifts (feeds, search, embargo links): a few rows, not a walk.
        Index("ix_post_embargo", "status", "embargo_until"),
        # A release number is given once per year and sequence (cms.newsroom.release_format).
        UniqueConstraint("release_year", "release_seq", name="uq_post_release_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="siaran-pers")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    published_at: Mapped[datetime | None]
    embargo_until: Mapped[datetime | None]
    publish_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    language: Mapped[str] = mapped_column(String(8), default="id")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    featured_image_id: Mapped[int | None] = mapped_column(ForeignKey("media.id"))
    version: Mapped[int] = mapped_column(default=1)
    # Optimistic locking: an UPDATE whose version no longer matches fails, so
    # two people saving the same item get a conflict, not a silent overwrite.
    __mapper_args__ = {"version_id_col": version}
    # Private link for journalists (embargo) and reviewers.
    preview_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    dateline: Mapped[str] = mapped_column(String(120), default="")
    # "045/HUMAS/XII/2026": given at a release's first publication, never changed.
    release_number: Mapped[str | None] = mapped_column(String(80))
    release_year: Mapped[int | None]
    release_seq: Mapped[int | None]
    # Narahubung (contact person block).
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(50), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    autosave_at: Mapped[datetime | None]
    # The embargo time the writer proposes; an editor confirms it by scheduling.
    embargo_proposed_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # Plain text of the body: what full-text search indexes (FTS5 / tsvector).
    body_text: Mapped[str] = mapped_column(Text, default="")
    # Indonesian stems of title and text (cms.fulltext), what search matches.
    title_stems: Mapped[str] = mapped_column(Text, default="", server_default="")
    text_stems: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Autosave keeps unsaved editor content aside, so it never bumps ``version``.
    autosave_data: Mapped[dict | None] = mapped_column(JSON)

    unit = relationship("Unit", lazy="joined")
    author = relationship("User", foreign_keys=[author_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    featured_image: Mapped[Media | None] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=post_category, order_by=Category.name)
    tags: Mapped[list[Tag]] = relationship(secondary=post_tag, order_by=Tag.name)
    attachments: Mapped[list[Media]] = relationship(secondary=post_attachment, order_by=post_attachment.c.position)
    images: Mapped[list[PostImage]] = relationship(
        back_populates="post", order_by="PostImage.position", cascade="all, delete-orphan"
    )
    corrections: Mapped[list[PostCorrection]] = relationship(
        back_populates="post", order_by="PostCorrection.created_at", cascade="all, delete-orphan"
    )
    revisions: Mapped[list[PostRevision]] = relationship(
        back_populates="post", order_by="PostRevision.version.desc()", cascade="all, delete-orphan"
    )
    comments: Mapped[list[PostComment]] = relationship(
        back_populates="post", order_by="PostComment.created_at", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return POST_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        return POST_STATUSES.get(self.status, self.status)

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_name or self.contact_phone or self.contact_email)

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.kind}/{self.slug} {self.status}>"


class PostRevision(Model):
    """A snapshot of a post after each saved change (who, when, what)."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    action: Mapped[str] = mapped_column(String(40), default="save")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    post: Mapped[Post] = relationship(back_populates="revisions")
    user = relationship("User")


class PostComment(Model):
    """A review comment (editor asks for changes, writer answers)."""

    __tablename__ = "post_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    body: Mapped[str] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="comments")
    user = relationship("User")


class PostCorrection(Model):
    """A dated correction note shown on a published item (its URL stays)."""

    __tablename__ = "post_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=naive_utc, server_default=func.now())
    note: Mapped[str] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="corrections")


class PostPage(Model):
    """An item's public page as anonymous readers get it, rendered once on
    change (cms.cache.post_pages).  Valid only for the post ``version`` and the
    code/template ``epoch`` it was rendered with."""

    __tablename__ = "post_page"

    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    version: Mapped[int] = mapped_column()
    epoch: Mapped[str] = mapped_column(String(32))
    body: Mapped[bytes] = mapped_column(LargeBinary)  # zlib-compressed HTML
    rendered_at: Mapped[datetime] = mapped_column(default=naive_utc)


# The full-text index over public posts (cms.newsroom.search queries it). Attaching it
# here registers its DDL on the ``post`` table wherever the model is loaded.
POST_INDEX = FullTextIndex("post", ("title", "summary", "body_text"))
POST_INDEX.attach(Post.__table__, Post)
