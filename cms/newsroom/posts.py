"""What the editor submits for a post: validation, applying it, and snapshots.

Every problem is collected per field (so the form shows them all at once and
keeps what was typed); nothing here commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from slugify import slugify
from sqlalchemy import select

from cms import slugs
from cms.errors import FieldError
from cms.extensions import db
from cms.models.content import POST_KINDS, Category, Media, Post, Tag
from cms.sanitize import clean_html, clean_text

TITLE_MAX = 200
SUMMARY_MAX = 600
SLUG_MAX = 120
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class WorkflowError(FieldError):
    """A user-facing refusal; ``field`` names the form field, ``errors`` holds several."""

    def __init__(self, message: str, field: str | None = None, errors: dict[str, str] | None = None):
        super().__init__(message, field)
        self.errors = errors or ({field: message} if field else {})


class ConflictError(WorkflowError):
    """Someone else saved the item since this form was opened."""


@dataclass
class PostData:
    title: str = ""
    kind: str = "siaran-pers"
    slug: str = ""
    summary: str = ""
    body_html: str = ""
    dateline: str = ""
    language: str = "id"
    unit_id: int | None = None
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    category_ids: list[int] = field(default_factory=list)
    tags: str = ""
    featured_image_id: int | None = None
    featured_alt: str = ""
    attachment_ids: list[int] = field(default_factory=list)
    # The writer's proposed embargo lift (naive UTC); an editor confirms it.
    embargo_proposed_at: datetime | None = None


def validate(data: PostData, post: Post | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title:
        errors["title"] = "Judul wajib diisi."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Judul terlalu panjang ({len(title)} karakter); maksimal {TITLE_MAX}."
    if data.kind not in POST_KINDS:
        errors["kind"] = "Jenis naskah tidak dikenal."
    if data.slug.strip():
        slug = slugify(data.slug)[:SLUG_MAX]
        if not slug:
            errors["slug"] = "Slug hanya boleh berisi huruf, angka dan tanda hubung."
        elif _slug_taken(slug, post):
            errors["slug"] = f"Slug “{slug}” sudah dipakai naskah lain; pilih slug lain."
    if len(clean_text(data.summary)) > SUMMARY_MAX:
        errors["summary"] = f"Ringkasan maksimal {SUMMARY_MAX} karakter."
    if data.contact_email.strip() and not _EMAIL.match(data.contact_email.strip()):
        errors["contact_email"] = "Alamat e-mail narahubung tidak valid."
    if data.featured_image_id:
        image = db.session.get(Media, data.featured_image_id)
        if image is None or image.kind != "image":
            errors["featured_image_id"] = "Gambar utama tidak ditemukan di pustaka media."
        elif not clean_text(data.featured_alt or image.alt):
            errors["featured_alt"] = "Teks alternatif (alt) gambar utama wajib diisi."
    return errors


def _slug_taken(slug: str, post: Post | None) -> bool:
    stmt = select(Post.id).where(Post.slug == slug)
    if post is not None and post.id is not None:
        stmt = stmt.where(Post.id != post.id)
    return db.session.scalar(stmt.limit(1)) is not None


def unique_slug(title: str, post: Post | None) -> str:
    """``judul``, ``judul-2``…: the shared rule (cms.slugs), suffix kept within SLUG_MAX."""
    return slugs.unique_slug(
        Post, title, max_length=SLUG_MAX, fallback="naskah", exclude_id=post.id if post is not None else None
    )


def summary_from(body_text: str, limit: int = 280) -> str:
    text = " ".join(body_text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def apply_data(post: Post, data: PostData, *, is_new: bool) -> None:
    """Validate and copy ``data`` onto ``post``; raises ``WorkflowError``."""
    errors = validate(data, None if is_new else post)
    if errors:
        raise WorkflowError("Periksa isian yang ditandai.", next(iter(errors)), errors)
    post.title = clean_text(data.title)
    post.kind = data.kind
    if data.slug.strip():
        post.slug = slugify(data.slug)[:SLUG_MAX]
    elif is_new or not post.slug:
        post.slug = unique_slug(post.title, post)
    # Quill and Word paste fill text with &nbsp;; plain spaces wrap and search better.
    post.body_html = str(clean_html((data.body_html or "").replace("&nbsp;", " ").replace("\xa0", " ")))
    post.body_text = clean_text(post.body_html.replace("</p>", "</p>\n"))
    post.summary = clean_text(data.summary) or summary_from(post.body_text)
    post.dateline = clean_text(data.dateline)[:120]
    post.language = data.language if data.language in ("id", "en") else "id"
    if data.unit_id is not None:
        post.unit_id = data.unit_id or None
    post.contact_name = clean_text(data.contact_name)[:200]
    post.contact_role = clean_text(data.contact_role)[:200]
    post.contact_phone = clean_text(data.contact_phone)[:50]
    post.contact_email = data.contact_email.strip()[:254]
    ids = [i for i in data.category_ids if i]
    post.categories = list(db.session.scalars(select(Category).where(Category.id.in_(ids)))) if ids else []
    post.tags = tags_from(data.tags)
    post.featured_image_id = data.featured_image_id or None
    if (
        data.featured_image_id
        and data.featured_alt.strip()
        and (image := db.session.get(Media, data.featured_image_id)) is not None
    ):
        image.alt = clean_text(data.featured_alt)[:300]
    _set_attachments(post, data.attachment_ids)
    post.embargo_proposed_at = data.embargo_proposed_at


def _set_attachments(post: Post, ids: list[int]) -> None:
    ids = [i for i in dict.fromkeys(ids) if i]
    found = {m.id: m for m in db.session.scalars(select(Media).where(Media.id.in_(ids)))} if ids else {}
    post.attachments = [found[i] for i in ids if i in found]


def tags_from(raw: str) -> list[Tag]:
    names = [clean_text(n)[:80] for n in (raw or "").split(",")]
    tags: list[Tag] = []
    for name in dict.fromkeys(n for n in names if n):
        slug = slugify(name)[:100]
        if not slug:
            continue
        tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            tag = Tag(name=name, slug=slug)
            db.session.add(tag)
        if tag not in tags:
            tags.append(tag)
    return tags


def snapshot(post: Post) -> dict:
    """The fields a revision keeps (and a restore puts back)."""
    return {
        "title": post.title,
        "kind": post.kind,
        "slug": post.slug,
        "summary": post.summary,
        "body_html": post.body_html,
        "dateline": post.dateline,
        "language": post.language,
        "unit_id": post.unit_id,
        "status": post.status,
        "contact_name": post.contact_name,
        "contact_role": post.contact_role,
        "contact_phone": post.contact_phone,
        "contact_email": post.contact_email,
        "categories": [c.name for c in post.categories],
        "category_ids": [c.id for c in post.categories],
        "tags": ", ".join(t.name for t in post.tags),
        "featured_image_id": post.featured_image_id,
        "attachment_ids": [m.id for m in post.attachments],
        "embargo_proposed_at": post.embargo_proposed_at.isoformat() if post.embargo_proposed_at else None,
    }


def data_from_snapshot(snap: dict, post: Post) -> PostData:
    return PostData(
        title=snap.get("title", ""),
        kind=snap.get("kind", post.kind),
        slug=post.slug if post.published_at else snap.get("slug", ""),
        summary=snap.get("summary", ""),
        body_html=snap.get("body_html", ""),
        dateline=snap.get("dateline", ""),
        language=snap.get("language", "id"),
        unit_id=snap.get("unit_id") or 0,
        contact_name=snap.get("contact_name", ""),
        contact_role=snap.get("contact_role", ""),
        contact_phone=snap.get("contact_phone", ""),
        contact_email=snap.get("contact_email", ""),
        category_ids=snap.get("category_ids", []),
        tags=snap.get("tags", ""),
        featured_image_id=snap.get("featured_image_id"),
        attachment_ids=snap.get("attachment_ids", []),
        embargo_proposed_at=datetime.fromisoformat(snap["embargo_proposed_at"])
        if snap.get("embargo_proposed_at")
        else None,
    )
