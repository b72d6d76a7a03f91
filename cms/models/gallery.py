"""The photos of a release: several images per post, ordered, each with its
own caption for that release (the photo's alt text and credit live on the
``Media`` row, since they belong to the photo wherever it is used).

``Post.images`` is declared on the post and ordered by ``position``.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cms.extensions import Model
from cms.models.content import Media, Post


class PostImage(Model):
    """One photo in a post's gallery, at ``position`` (0 first)."""

    __tablename__ = "post_image"
    __table_args__ = (UniqueConstraint("post_id", "media_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(String(500), default="")

    media: Mapped[Media] = relationship(lazy="joined")
    post: Mapped[Post] = relationship(back_populates="images")

    @property
    def shown_caption(self) -> str:
        """This release's caption, else the one in the media library."""
        return self.caption or self.media.caption or ""
