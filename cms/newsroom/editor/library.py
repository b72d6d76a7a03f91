"""The media library (reuse images, set alt text) and categories."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from slugify import slugify
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cms.audit import record
from cms.extensions import db
from cms.models import Category, Media
from cms.newsroom import media as media_service
from cms.newsroom.editor.forms import CategoryForm, MediaAltForm, MediaUploadForm
from cms.newsroom.editor.views import bp
from cms.newsroom.posts import WorkflowError
from cms.policy import require
from cms.sanitize import clean_text
from cms.slugs import add_with_unique_slug


@bp.route("/media", methods=["GET", "POST"])
@require("media.manage")
def media_library():
    form = MediaUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if (
                media_service.images.sniff(upload.stream.read(64 * 1024))
                or upload.filename.lower().rsplit(".", 1)[-1] in media_service.IMAGE_EXT
            ):
                upload.stream.seek(0)
                if not (form.alt.data or "").strip():
                    raise WorkflowError("Teks alternatif wajib diisi untuk gambar.", "alt")
                saved = media_service.save_image(upload, current_user, alt=clean_text(form.alt.data), field="file")
            else:
                upload.stream.seek(0)
                saved = media_service.save_document(upload, current_user, field="file")
            db.session.commit()
            flash(f"“{saved.file_name}” ditambahkan ke pustaka media.", "success")
            return redirect(url_for("editor.media_library"))
        except WorkflowError as exc:
            db.session.rollback()
            for name, message in exc.errors.items():
                getattr(form, name, form.file).errors.append(message)
    status = 400 if form.errors else 200
    return render_template(
        "editor/media.html",
        form=form,
        images=media_service.library("image", 120),
        files=media_service.library("file", 120),
    ), status


@bp.route("/media/<int:media_id>", methods=["GET", "POST"])
@require("media.manage")
def media_edit(media_id: int):
    item = db.session.get(Media, media_id) or abort(404)
    form = MediaAltForm(obj=item)
    if form.validate_on_submit():
        if item.kind == "image" and not clean_text(form.alt.data):
            form.alt.errors = [*form.alt.errors, "Teks alternatif wajib diisi untuk gambar."]
        else:
            item.alt = clean_text(form.alt.data)[:300]
            item.caption = clean_text(form.caption.data)[:500]
            record("media.update", "media", item.id)
            db.session.commit()
            flash("Pustaka media diperbarui.", "success")
            return redirect(url_for("editor.media_library"))
    return render_template("editor/media_edit.html", form=form, item=item), 400 if form.errors else 200


def _add_category(name: str, description: str) -> Category | None:
    """A new category, its slug made unique ("ekonomi-2" when "Ekonomi!" took "ekonomi");
    None when another request created the same name meanwhile."""
    try:
        return add_with_unique_slug(
            Category(name=name, description=clean_text(description)[:1000]), name, max_length=140, fallback="kategori"
        )
    except IntegrityError:
        return None


@bp.route("/categories", methods=["GET", "POST"])
@require("posts.review")
def categories():
    form = CategoryForm()
    if form.validate_on_submit():
        name = clean_text(form.name.data)[:120]
        exists = db.session.scalar(select(Category).where(func.lower(Category.name) == name.lower()))
        if not slugify(name):
            form.name.errors = [*form.name.errors, "Nama kategori harus mengandung huruf atau angka."]
        elif exists is not None or not (cat := _add_category(name, form.description.data or "")):
            form.name.errors = [*form.name.errors, f"Kategori “{name}” sudah ada."]
        else:
            record("category.create", "category", cat.id, {"name": name})
            db.session.commit()
            flash(f"Kategori “{name}” ditambahkan.", "success")
            return redirect(url_for("editor.categories"))
    rows = db.session.scalars(select(Category).order_by(Category.name)).all()
    return render_template("editor/categories.html", form=form, categories=rows), 400 if form.errors else 200
