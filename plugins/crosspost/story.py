"""What a channel turns into a message: a plain snapshot of a post.

Channels never touch the ORM; ``story_from_post`` reads the newsroom's
``Post`` by attribute so the channel layer stays testable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class ImageRef:
    path: str  # absolute file path
    mime: str
    alt: str = ""
    url: str = ""

    def read(self) -> bytes:
        return Path(self.path).read_bytes()


@dataclass(frozen=True)
class Story:
    ref: str  # "post:12" or "serta-merta:<hash>"
    title: str
    url: str
    summary: str = ""
    kind: str = ""
    categories: tuple[str, ...] = ()
    image: ImageRef | None = None  # the lead image (also images[0])
    language: str = "id"
    version: int = 1
    published_at: datetime | None = None
    extra: dict = field(default_factory=dict)
    # The lead image first, then up to MAX_GALLERY gallery images (the
    # release's image attachments); each channel posts as many as it allows.
    images: tuple[ImageRef, ...] = ()


@dataclass(frozen=True)
class Message:
    """One network's rendering of a story (``text`` is what a person approved)."""

    text: str
    story: Story
    link: str = ""
    image: ImageRef | None = None
    event: str = "published"  # published | updated | retracted
    created_at: datetime | None = None

    @property
    def title(self) -> str:
        return self.story.title

    @property
    def summary(self) -> str:
        return self.story.summary


MAX_GALLERY = 4


def _ref(image, variant: str = "card") -> ImageRef | None:
    """A media-library image as a channel sees it, preferring a re-encoded
    variant (small, EXIF-free); ``url`` is absolute, for networks that fetch
    the image themselves (Instagram, Threads)."""
    import mimetypes

    if image is None or not getattr(image, "path", None):
        return None
    from flask import current_app

    from cms.api import media_dir

    rel = image.variant(variant) if hasattr(image, "variant") else image.path
    full = media_dir() / rel
    if not full.is_file():
        full, rel = media_dir() / image.path, image.path
        if not full.is_file():
            return None
    mime = mimetypes.guess_type(rel)[0] or getattr(image, "mime", None) or "image/jpeg"
    alt = getattr(image, "alt", "") or getattr(image, "caption", "") or ""
    url = f"{current_app.config['SITE_URL'].rstrip('/')}/media/{rel}"
    return ImageRef(path=str(full), mime=mime, alt=alt, url=url)


def _image_of(post) -> ImageRef | None:
    """The featured image."""
    return _ref(getattr(post, "featured_image", None))


def _images_of(post, lead: ImageRef | None) -> tuple[ImageRef, ...]:
    gallery = [a for a in (getattr(post, "attachments", None) or ()) if getattr(a, "kind", "") == "image"]
    refs = [ref for ref in (_ref(a) for a in gallery) if ref is not None][:MAX_GALLERY]
    return tuple([lead] + refs if lead else refs)


def story_from_post(post) -> Story:
    # Titles and summaries are stored as plain text: cleaning them as HTML
    # again would drop a literal "<b>" and decode a literal "&lt;".
    from cms.api import plain_text

    try:
        from cms.api import public_url

        url = public_url(post, external=True)
    except ImportError:  # newsroom not installed yet: a stable fallback
        from flask import current_app

        url = f"{current_app.config['SITE_URL'].rstrip('/')}/{post.kind}/{post.slug}"
    categories = tuple(getattr(c, "name", str(c)) for c in (getattr(post, "categories", None) or ()))
    lead = _image_of(post)
    return Story(
        ref=f"post:{post.id}",
        title=plain_text(post.title),
        summary=plain_text(getattr(post, "summary", "")),
        url=url,
        kind=getattr(post, "kind", "") or "",
        categories=categories,
        image=lead,
        images=_images_of(post, lead),
        language=getattr(post, "language", None) or "id",
        version=int(getattr(post, "version", 1) or 1),
        published_at=getattr(post, "published_at", None),
    )


def _image_dict(image: ImageRef) -> dict:
    return {"path": image.path, "mime": image.mime, "alt": image.alt, "url": image.url}


def _image_from(data: dict | None) -> ImageRef | None:
    return ImageRef(**data) if data and Path(data.get("path", "")).is_file() else None


def story_to_dict(story: Story) -> dict:
    image = story.image
    return {
        "ref": story.ref,
        "title": story.title,
        "url": story.url,
        "summary": story.summary,
        "kind": story.kind,
        "categories": list(story.categories),
        "language": story.language,
        "version": story.version,
        "published_at": story.published_at.isoformat() if story.published_at else None,
        "image": _image_dict(image) if image else None,
        "images": [_image_dict(i) for i in story.images],
    }


def story_from_dict(data: dict) -> Story:
    image = data.get("image")
    published = data.get("published_at")
    return Story(
        ref=data.get("ref", ""),
        title=data.get("title", ""),
        url=data.get("url", ""),
        summary=data.get("summary", ""),
        kind=data.get("kind", ""),
        categories=tuple(data.get("categories") or ()),
        language=data.get("language", "id"),
        version=int(data.get("version") or 1),
        published_at=datetime.fromisoformat(published) if published else None,
        image=_image_from(image),
        images=tuple(i for i in (_image_from(d) for d in data.get("images") or ()) if i is not None),
    )
