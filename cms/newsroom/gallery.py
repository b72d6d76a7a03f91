"""Several photos per release: the lead image, inline figures, the gallery
and who may download a photo's full-resolution file.

A writer places a photo in the body by typing its code, ``[foto 12]`` (the
media id), alone in a paragraph; the page and the feeds show a figure there
(the code survives the sanitizer and the rich editor as plain text, so no
new HTML is allowed in stored bodies).  Photos not placed inline, and not
already shown as the featured image, form the gallery under the body.

The lead image — used by OG/Twitter tags, JSON-LD and feed enclosures — is
the chosen featured image, else the first photo of the gallery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from flask_babel import gettext as _
from markupsafe import Markup, escape
from slugify import slugify
from sqlalchemy import exists, or_, select

from cms.audit import record
from cms.extensions import db
from cms.models.content import Media, Post
from cms.models.gallery import PostImage
from cms.newsroom import media as media_service
from cms.newsroom.posts import WorkflowError
from cms.newsroom.publishing import is_public, public_condition
from cms.plugins import notify
from cms.sanitize import clean_text
from cms.timeutil import naive_utc

# ``<p>[foto 12]</p>`` as the sanitizer leaves it (attributes on <p> allowed).
MARKER = re.compile(r"<p(?:\s[^>]*)?>\s*\[foto\s+(\d{1,12})\]\s*</p>", re.IGNORECASE)
CAPTION_MAX = 500
CREDIT_MAX = 200
ALT_MAX = 300
PREVIEW_STATUSES = ("review", "approved", "scheduled")


def code(media_id: int) -> str:
    """What the writer types in the body to place a photo inline."""
    return f"[foto {media_id}]"


def lead_image(post: Post) -> Media | None:
    """The featured image, else the first gallery photo."""
    if post.featured_image is not None:
        return post.featured_image
    images = getattr(post, "images", None) or []
    return images[0].media if images else None


def inline_ids(post: Post) -> set[int]:
    return {int(m) for m in MARKER.findall(post.body_html or "")}


def gallery_rest(post: Post) -> list[PostImage]:
    """Gallery photos shown under the body: not inline, not the featured image."""
    placed = inline_ids(post) | ({post.featured_image_id} if post.featured_image_id else set())
    return [pi for pi in getattr(post, "images", None) or [] if pi.media_id not in placed]


def download_url(media: Media, token: str | None = None) -> str:
    """Root-relative (``gallery_views.download``); built by hand because feeds
    and e-mails render bodies outside a request."""
    return f"/foto/{media.id}/unduh" + (f"?pratinjau={quote(token)}" if token else "")


def _size(n: int | None) -> str:
    n = n or 0
    return f"{n / (1 << 20):.1f} MB".replace(".", ",") if n >= 1 << 20 else f"{max(n // 1024, 1)} KB"


def _download_label(media: Media) -> str:
    kind = Path(media.path).suffix.lstrip(".").upper() or "JPG"
    size = _size(media.size)
    dims = f", {media.width}×{media.height} px" if media.width and media.height else ""
    return _("Unduh resolusi tinggi (%(kind)s, %(size)s%(dims)s)", kind=kind, size=size, dims=dims)


def figure(media: Media, caption: str = "", token: str | None = None) -> Markup:
    """One photo as ``<figure>``: the picture links to the full image, the
    caption carries the credit and the download link.  Root-relative URLs
    (the feeds make them absolute)."""
    credit = media.credit or ""
    width = f' width="{min(media.width, 1200)}"' if media.width else ""
    text = escape(caption)
    if credit:
        text += Markup(' <span class="credit">{}</span>').format(credit)
    return Markup(
        '<figure class="photo" id="foto-{id}">'
        '<a href="{full}"><img src="{page}" alt="{alt}"{width} loading="lazy"></a>'
        '<figcaption>{text} <a class="photo-download" href="{download}" download>{label}</a></figcaption>'
        "</figure>"
    ).format(
        id=media.id,
        full=media_service.url(media),
        page=media_service.url(media, "page"),
        alt=media.alt or "",
        width=Markup(width),
        text=text,
        download=download_url(media, token),
        label=_download_label(media),
    )


def with_figures(body_html: str, post: Post, token: str | None = None) -> str:
    """``body_html`` (already sanitized) with each ``[foto N]`` paragraph of a
    photo in the post's gallery replaced by its figure; unknown codes stay text."""
    if "[foto" not in body_html.lower():
        return body_html
    by_id = {pi.media_id: pi for pi in getattr(post, "images", None) or []}

    def replace(match: re.Match) -> str:
        pi = by_id.get(int(match.group(1)))
        return str(figure(pi.media, pi.shown_caption, token)) if pi is not None else match.group(0)

    return MARKER.sub(replace, body_html)


def body(post: Post, token: str | None = None) -> Markup:
    """The item page's body with its inline photos (template global)."""
    return Markup(with_figures(post.body_html or "", post, token))


# ------------------------------------------------------------------ editing


@dataclass
class Row:
    """What the editor posts for one photo already in the gallery."""

    media_id: int
    position: int
    caption: str = ""
    credit: str = ""
    alt: str = ""
    remove: bool = False


def save(post: Post, user, rows: list[Row], added: list[Media], alt_for_added: str = "", credit_for_added: str = ""):
    """Apply the gallery form: captions, credits, alt texts, order, removals
    and new photos (appended).  All or nothing; the post's version moves so
    the cached page and the open editors see the change."""
    current = {pi.media_id: pi for pi in post.images}
    errors: dict[str, str] = {}
    for n, row in enumerate(rows, 1):
        if row.media_id not in current or row.remove:
            continue
        if not clean_text(row.alt):
            errors[f"image-{row.media_id}-alt"] = _("Foto %(n)s: teks alternatif (alt) wajib diisi.", n=n)
        if len(clean_text(row.caption)) > CAPTION_MAX:
            errors[f"image-{row.media_id}-caption"] = _("Foto %(n)s: keterangan maksimal 500 karakter.", n=n)
        if len(clean_text(row.credit)) > CREDIT_MAX:
            errors[f"image-{row.media_id}-credit"] = _("Foto %(n)s: kredit maksimal 200 karakter.", n=n)
    if added and not clean_text(alt_for_added) and any(not clean_text(m.alt) for m in added):
        errors["gallery_alt"] = _("Teks alternatif (alt) foto baru wajib diisi.")
    bad = [m for m in added if m.kind != "image"]
    if bad:
        errors["gallery_add"] = _("Hanya gambar yang dapat masuk galeri.")
    if errors:
        raise WorkflowError(" ".join(errors.values()), next(iter(errors)), errors)
    order: list[tuple[int, int, PostImage]] = []
    for index, row in enumerate(rows):
        pi = current.pop(row.media_id, None)
        if pi is None:
            continue
        if row.remove:
            post.images.remove(pi)
            continue
        pi.caption = clean_text(row.caption)[:CAPTION_MAX]
        pi.media.alt = clean_text(row.alt)[:ALT_MAX]
        pi.media.credit = clean_text(row.credit)[:CREDIT_MAX]
        order.append((row.position, index, pi))
    kept = [pi for _p, _i, pi in sorted(order, key=lambda t: (t[0], t[1]))] + list(current.values())
    removed = {row.media_id for row in rows if row.remove}
    for media in added:
        if media.id in removed or any(pi.media_id == media.id for pi in kept):
            continue
        if not clean_text(media.alt):
            media.alt = clean_text(alt_for_added)[:ALT_MAX]
        if credit_for_added and not media.credit:
            media.credit = clean_text(credit_for_added)[:CREDIT_MAX]
        pi = PostImage(media=media, caption=media.caption or "")
        post.images.append(pi)
        kept.append(pi)
    for position, pi in enumerate(kept):
        pi.position = position
    post.updated_at = naive_utc()
    db.session.flush()
    record("post.gallery", "post", post.id, {"images": [pi.media_id for pi in kept]})
    db.session.commit()
    if is_public(post):
        notify("cms_post_updated", post=post)
    return kept


# ------------------------------------------------------------------ downloads


def downloadable(media_id: int, token: str = "") -> Media | None:
    """The image if a public post shows it (gallery or featured image), or a
    post in review whose preview link ``token`` is; else ``None``."""
    media = db.session.get(Media, media_id)
    if media is None or media.kind != "image":
        return None
    in_post = or_(
        Post.featured_image_id == media.id,
        exists().where(PostImage.post_id == Post.id, PostImage.media_id == media.id),
    )
    shown = select(Post.id).where(in_post, public_condition()).limit(1)
    if db.session.scalar(shown) is not None:
        return media
    if token:
        preview = select(Post.id).where(in_post, Post.preview_token == token, Post.status.in_(PREVIEW_STATUSES))
        if db.session.scalar(preview.limit(1)) is not None:
            return media
    return None


def download_name(media: Media) -> str:
    """``foto-peresmian-taman.jpg``: the uploaded name, the stored type."""
    stem = slugify(Path(media.file_name or "foto").stem)[:80] or "foto"
    return f"{stem}{Path(media.path).suffix.lower()}"


def library_choices(post: Post, limit: int = 200) -> list[Media]:
    """Library images that could be added to ``post``'s gallery (editor)."""
    have = {pi.media_id for pi in post.images}
    return [m for m in media_service.library("image", limit=limit) if m.id not in have]
