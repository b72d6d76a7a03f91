"""Functions the public templates call: URLs, the schema.org data of an item,
labels and sizes.  Registered as template globals by ``cms.newsroom.public``."""

from __future__ import annotations

from flask import current_app

from cms.i18n import to_wib
from cms.identity import current_identity
from cms.models.content import POST_KINDS
from cms.newsroom import media as media_service
from cms.newsroom import publishing
from cms.newsroom.gallery import lead_image


def media_url(media, variant: str | None = None, external: bool = False) -> str:
    return media_service.url(media, variant, external)


def post_url(post, external: bool = False) -> str:
    return publishing.public_url(post, external)


def news_article(post) -> dict:
    """schema.org ``NewsArticle`` for the item page (rendered with ``tojson``)."""
    image = lead_image(post)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": post.title[:110],
        "description": post.summary,
        "mainEntityOfPage": publishing.public_url(post),
        "url": publishing.public_url(post),
        "inLanguage": post.language,
        "datePublished": _iso(post.published_at),
        "dateModified": _iso(post.updated_at or post.published_at),
        "articleSection": post.kind_label,
        "keywords": [t.name for t in post.tags],
        "author": {
            "@type": "Organization",
            "name": post.unit.name if post.unit else current_identity().name,
        },
        "publisher": {
            "@type": "GovernmentOrganization",
            "name": current_identity().name,
            "url": current_app.config["SITE_URL"],
        },
    }
    if image is not None:
        data["image"] = [
            media_service.url(image, "card", external=True),
            media_service.url(image, "page", external=True),
        ]
    return data


def _iso(value) -> str | None:
    return to_wib(value).isoformat(timespec="seconds") if value else None


def kind_label(kind: str) -> str:
    return POST_KINDS.get(kind, kind)


def filesize(n: int | None) -> str:
    """``2,4 MB`` / ``310 KB`` in Indonesian notation."""
    n = n or 0
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB".replace(".", ",")
    return f"{max(n // 1024, 1)} KB"
