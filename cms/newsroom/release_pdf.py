"""A release as a PDF on the kop, for journalists who file from paper.

The print template (``press/release_print.html``) is rendered first; the
PDF is cached under the private folder by the digest of that HTML, so any
change to the release, its contacts, the identity or the template makes a new
PDF and an unchanged one is printed once.  The digest is the ETag.
Images in the body come from the media library as local files; anything
else is left out (the printer never goes online).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import lxml.html
from flask import render_template
from markupsafe import Markup

from cms.letterforms import tanggal
from cms.models.content import Post
from cms.newsroom import release_format
from cms.newsroom.press_identity import identity
from cms.pdf import html_to_pdf
from cms.storage import media_dir, private_dir


def print_body(body_html: str, dateline: str = "") -> Markup:
    """The body with ``/media/…`` images pointing at their files (others
    dropped) and the dateline opening its first paragraph."""
    root = lxml.html.fragment_fromstring(body_html or "", create_parent="div")
    if dateline:
        first = next(root.iter("p"), None)
        if first is None:
            first = lxml.html.Element("p")
            root.insert(0, first)
        mark = lxml.html.Element("span", {"class": "dateline"})
        mark.text = dateline
        mark.tail = " " + (first.text or "")
        first.text = None
        first.insert(0, mark)
    base = media_dir().resolve()
    for img in root.iter("img"):
        src = img.get("src") or ""
        path = (base / src.removeprefix("/media/")).resolve() if src.startswith("/media/") else None
        if path is not None and path.is_relative_to(base) and path.is_file():
            img.set("src", path.as_uri())
        else:
            img.drop_tree()
    inner = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return Markup(inner)  # noqa: S704 - the stored body is sanitized on save; only src attributes changed


def release_html(post: Post) -> str:
    ident = identity()
    featured = None
    if post.featured_image is not None:
        path = media_dir() / post.featured_image.variant("page")
        featured = path.resolve().as_uri() if path.is_file() else None
    published = post.published_at or post.publish_at
    when = release_format.local_time(published) if published else None
    return render_template(
        "press/release_print.html",
        post=post,
        ident=ident,
        logo_uri=ident.logo.resolve().as_uri() if ident.logo.is_file() else "",
        date=tanggal(when) if when else "",
        body=print_body(post.body_html, release_format.dateline(post)),
        contacts=release_format.contacts_for(post),
        featured=featured,
        end_mark=release_format.END_MARK,
    )


def pdf_for(post: Post, cache: bool = True) -> tuple[bytes, str]:
    """(PDF bytes, ETag).  ``cache=False`` for previews: nothing kept on disk."""
    html = release_html(post)
    etag = hashlib.sha256(html.encode()).hexdigest()[:32]
    if not cache:
        return html_to_pdf(html), etag
    folder = private_dir("press", "releases")
    path = folder / f"release-{post.id}-{etag}.pdf"
    if path.is_file():
        return path.read_bytes(), etag
    data = html_to_pdf(html)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    for old in folder.glob(f"release-{post.id}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return data, etag


def cached_files(post_id: int) -> list[Path]:
    return sorted(private_dir("press", "releases").glob(f"release-{post_id}-*.pdf"))
