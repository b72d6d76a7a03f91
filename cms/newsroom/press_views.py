"""Public views of the press room: ``/media``, vCards, the media kit and
the PDF of each release.  Thin: the services are press_room, press_contacts,
media_kit and release_pdf.

``/media/<path:name>`` serves uploads (``public.media_file``); the rules here
are fully static or end in a fixed suffix, so Werkzeug prefers them and
uploads (under ``YYYY/MM/``) keep their URLs.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, make_response, render_template, request, send_file
from sqlalchemy import select

from cms.extensions import db
from cms.models.content import Post
from cms.models.press import PressContact
from cms.newsroom import media_kit, press_contacts, press_room, publishing, release_format, release_pdf
from cms.newsroom.press_identity import identity
from cms.pdf import PDFError

bp = Blueprint("press", __name__)
KIT_NAME = "kit-media.zip"


def unavailable(message: str):
    """503 with a retry hint: the file is being made, nothing is broken."""
    response = make_response(render_template("error.html", code=503, title="Belum tersedia", message=message), 503)
    response.headers["Retry-After"] = "60"
    return response


@bp.get("/media", strict_slashes=False)
def room():
    room_row = press_room.settings()
    return render_template(
        "press/room.html",
        ident=identity(),
        contacts=press_contacts.listing(active_only=True),
        paragraphs=press_room.boilerplate_paragraphs(room_row.boilerplate),
        releases=press_room.latest_releases(),
        kit=room_row if room_row.kit_digest else None,
        kit_name=KIT_NAME,
    )


# Browsers may keep a minute; the documented nginx obeys s-maxage over its own micro-cache.
PUBLIC_FILE_CACHE = "public, max-age=60, s-maxage=1, must-revalidate"


@bp.get("/media/narahubung/<int:contact_id>.vcf")
def vcard(contact_id: int):
    contact = db.session.get(PressContact, contact_id)
    if contact is None or not contact.active:
        abort(404)
    response = make_response(press_contacts.vcard(contact))
    response.mimetype = "text/vcard"
    response.headers["Content-Disposition"] = f'attachment; filename="narahubung-{contact.id}.vcf"'
    response.headers["Cache-Control"] = PUBLIC_FILE_CACHE
    return response


@bp.get(f"/media/{KIT_NAME}")
def kit():
    for _ in range(2):  # the worker may replace the file between lookup and open
        found = media_kit.current()
        if found is None:
            break
        path, etag = found
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            continue
        response = send_file(
            handle,
            mimetype="application/zip",
            as_attachment=True,
            download_name=KIT_NAME,
            etag=etag,
            conditional=True,
            max_age=300,
        )
        response.headers["Cache-Control"] = PUBLIC_FILE_CACHE
        return response
    return unavailable("Kit media sedang disiapkan. Coba lagi dalam satu menit.")


@bp.get("/siaran-pers/<slug>.pdf", endpoint="release_pdf")
def release_pdf_view(slug: str):
    post = db.session.scalar(select(Post).where(Post.slug == slug, Post.kind == release_format.RELEASE_KIND))
    if post is None:
        abort(404)
    public = publishing.is_public(post)
    token = request.args.get("pratinjau") or ""
    preview = bool(
        not public
        and post.preview_token
        and token
        and secrets.compare_digest(token, post.preview_token)
        and post.status in ("review", "approved", "scheduled")
    )
    if not (public or preview):
        abort(404)
    try:
        data, etag = release_pdf.pdf_for(post, cache=public)
    except PDFError:
        return unavailable("PDF siaran pers ini belum dapat dibuat. Coba lagi nanti.")
    response = make_response(data)
    response.mimetype = "application/pdf"
    name = f"siaran-pers-{post.slug}.pdf"[:120]
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    if preview:
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response
    response.set_etag(etag)
    # nginx keeps it one second (s-maxage), so an unpublished or corrected
    # release's PDF is gone from the proxy at once; browsers revalidate by ETag.
    response.headers["Cache-Control"] = PUBLIC_FILE_CACHE
    return response.make_conditional(request)


bp.add_app_template_global(release_format.dateline, "release_dateline")
bp.add_app_template_global(release_format.contacts_for, "release_contacts")
bp.add_app_template_global(press_contacts.whatsapp_link, "whatsapp_link")
