"""Routes of the photo gallery: the editor's gallery form and the public
full-resolution download.  Thin: the rules are in ``cms.newsroom.gallery``.

The gallery form is its own form (``templates/editor/_gallery.html``) posting
here, so the post form, its autosave and its version check stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cms.extensions import db
from cms.inputs import int_in, valid_id
from cms.models.content import Media
from cms.newsroom import gallery
from cms.newsroom import media as media_service
from cms.newsroom.editor.views import ensure_can_edit, get_post
from cms.newsroom.posts import WorkflowError
from cms.policy import require
from cms.sanitize import clean_text
from cms.storage import media_dir

bp = Blueprint("gallery", __name__)
MAX_ROWS = 200


def _rows() -> list[gallery.Row]:
    form = request.form
    rows = []
    for raw in form.getlist("image_ids")[:MAX_ROWS]:
        media_id = valid_id(raw)
        if media_id is None:
            continue
        prefix = f"image-{media_id}-"
        rows.append(
            gallery.Row(
                media_id=media_id,
                position=int_in(form.get(prefix + "position"), low=0, high=10_000) or 0,
                caption=form.get(prefix + "caption", ""),
                credit=form.get(prefix + "credit", ""),
                alt=form.get(prefix + "alt", ""),
                remove=bool(form.get(prefix + "remove")),
            )
        )
    return rows


@bp.route("/admin/posts/<int:post_id>/galeri", methods=["POST"])
@require("posts.write")
def edit(post_id: int):
    post = get_post(post_id)
    ensure_can_edit(post)
    back = redirect(url_for("editor.edit", post_id=post.id) + "#galeri", code=303)
    added: list[Media] = []
    uploads = [u for u in request.files.getlist("gallery_uploads") if u and u.filename]
    try:
        if uploads and not clean_text(request.form.get("gallery_alt", "")):  # refused before any file is stored
            raise WorkflowError(_("Teks alternatif (alt) foto baru wajib diisi."), "gallery_alt")
        for upload in uploads:
            added.append(
                media_service.save_image(
                    upload, current_user, alt=clean_text(request.form.get("gallery_alt", "")), field="gallery_uploads"
                )
            )
        if (media_id := valid_id(request.form.get("gallery_add"))) is not None:
            found = db.session.get(Media, media_id)
            if found is None:
                raise WorkflowError(_("Foto tidak ditemukan di pustaka media."), "gallery_add")
            added.append(found)
        gallery.save(
            post,
            current_user,
            _rows(),
            added,
            alt_for_added=request.form.get("gallery_alt", ""),
            credit_for_added=request.form.get("gallery_credit", ""),
        )
    except WorkflowError as exc:
        db.session.rollback()
        for message in exc.errors.values() or [str(exc)]:
            flash(_("Galeri foto belum disimpan: %(why)s", why=message), "error")
        return back
    flash(_("Galeri foto disimpan."), "success")
    return back


@bp.route("/foto/<int:media_id>/unduh")
def download(media_id: int):
    """The full-resolution file of a published photo, as a download."""
    media = gallery.downloadable(media_id, request.args.get("pratinjau") or "")
    if media is None:
        abort(404)
    response = send_from_directory(
        media_dir(), media.path, as_attachment=True, download_name=gallery.download_name(media), max_age=3600
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if request.args.get("pratinjau"):
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


_helpers: dict[str, Callable[..., Any]] = {
    "lead_image": gallery.lead_image,
    "gallery_rest": gallery.gallery_rest,
    "gallery_code": gallery.code,
    "gallery_figure": gallery.figure,
    "gallery_body": gallery.body,
    "gallery_library": gallery.library_choices,
}
for _name, _helper in _helpers.items():
    bp.add_app_template_global(_helper, _name)
