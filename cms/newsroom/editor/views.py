"""Staff views: the post list, the editor form, preview and autosave.

Workflow buttons live in ``cms.newsroom.editor.actions``; the media library and
categories in ``cms.newsroom.editor.library``.  All share the ``editor`` blueprint.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import lazyload, load_only

from cms.extensions import db
from cms.i18n import WIB, to_wib
from cms.inputs import query_page, valid_id
from cms.models import Category, Media, Post, Unit
from cms.models.content import POST_KINDS, POST_STATUSES
from cms.newsroom import drafts, edit_lock, publishing, search
from cms.newsroom import media as media_service
from cms.newsroom.editor import reading
from cms.newsroom.editor.forms import ActionForm, CommentForm, PostForm, ScheduleForm
from cms.newsroom.posts import ConflictError, PostData, WorkflowError, apply_data
from cms.policy import can, require
from cms.timeutil import naive_utc

bp = Blueprint("editor", __name__, url_prefix="/admin")


def get_post(post_id: int) -> Post:
    """The post, if the current user may see it in the admin (403 is logged)."""
    post = db.session.get(Post, post_id)
    if post is None:
        abort(404)
    if not drafts.can_view(current_user, post):
        from cms.audit import record

        record("access.denied", "post", post.id, {"action": "view"}, commit=True)
        abort(403)
    return post


def ensure_can_edit(post: Post) -> None:
    if not drafts.can_edit(current_user, post):
        from cms.audit import record

        record("access.denied", "post", post.id, {"action": "edit"}, commit=True)
        abort(403)


@bp.errorhandler(413)
def upload_too_large(error):
    """The body exceeded MAX_CONTENT_LENGTH before the form could be read."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    message = (
        f"Unggahan terlalu besar: seluruh kiriman melebihi batas server {limit // (1 << 20)} MB. "
        "Periksa berkas di kolom “Unggah gambar utama” atau “Unggah lampiran”; batas per berkas "
        f"gambar {current_app.config['NEWSROOM_IMAGE_MAX_BYTES'] // (1 << 20)} MB dan dokumen "
        f"{current_app.config['NEWSROOM_FILE_MAX_BYTES'] // (1 << 20)} MB. Naskah yang sudah pernah "
        "disimpan memiliki simpanan otomatis yang bisa dipulihkan."
    )
    return render_template("error.html", code=413, title="Berkas terlalu besar", message=message), 413


# What the list shows: no bodies, stems or autosaves (kilobytes a row), no image join.
LIST_COLUMNS = (
    load_only(Post.title, Post.kind, Post.status, Post.embargo_until, Post.publish_at, Post.updated_at, Post.unit_id),
    lazyload(Post.featured_image),
)


@bp.route("/posts")
@require("posts.write")
def posts():
    status = request.args.get("status") or None
    kind = request.args.get("kind") or None
    q = (request.args.get("q") or "").strip()
    stmt = select(Post).order_by(Post.updated_at.desc(), Post.id.desc()).options(*LIST_COLUMNS)
    if status in POST_STATUSES:
        stmt = stmt.where(Post.status == status)
    if kind in POST_KINDS:
        stmt = stmt.where(Post.kind == kind)
    if q:
        stmt = stmt.where(search.title_condition(q))  # titles only (and their stems), staff list
    if not can(current_user, "posts.review"):
        mine = [Post.author_id == current_user.id]
        if current_user.unit_id:
            mine.append(Post.unit_id == current_user.unit_id)
        stmt = stmt.where(or_(*mine))
    page = query_page()
    pagination = db.paginate(stmt, page=page, per_page=30, error_out=False)
    args = {k: v for k, v in (("status", status), ("kind", kind), ("q", q)) if v}
    return render_template(
        "editor/posts.html", pagination=pagination, statuses=POST_STATUSES, kinds=POST_KINDS, filters=args
    )


def _fill_choices(form: PostForm) -> None:
    units = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name)).all()
    form.unit_id.choices = [(0, "— tanpa unit —")] + [(u.id, u.name) for u in units]
    form.category_ids.choices = [(c.id, c.name) for c in db.session.scalars(select(Category).order_by(Category.name))]
    images = media_service.library("image", limit=200)
    form.featured_image_id.choices = [(0, "— tanpa gambar —")] + [
        (m.id, f"{m.file_name} ({m.alt or 'tanpa alt'})") for m in images
    ]
    files = {m.id: m for m in media_service.library("file", limit=200)}
    # Posted ids are looked up before validation: only those the database can hold.
    for selected in filter(valid_id, form.attachment_ids.data or []):
        if selected not in files and (m := db.session.get(Media, selected)) is not None:
            files[m.id] = m
    form.attachment_ids.choices = [(m.id, m.file_name) for m in files.values()]
    featured = valid_id(form.featured_image_id.data)
    if featured and featured not in dict(form.featured_image_id.choices):
        m = db.session.get(Media, featured)
        if m is not None:
            form.featured_image_id.choices.append((m.id, m.file_name))


def data_from_form(form: PostForm) -> PostData:
    return PostData(
        title=form.title.data or "",
        kind=form.kind.data,
        slug=form.slug.data or "",
        summary=form.summary.data or "",
        body_html=form.body_html.data or "",
        dateline=form.dateline.data or "",
        language=form.language.data,
        unit_id=form.unit_id.data,
        contact_name=form.contact_name.data or "",
        contact_role=form.contact_role.data or "",
        contact_phone=form.contact_phone.data or "",
        contact_email=form.contact_email.data or "",
        category_ids=form.category_ids.data or [],
        tags=form.tags.data or "",
        featured_image_id=form.featured_image_id.data or None,
        featured_alt=form.featured_alt.data or "",
        attachment_ids=form.attachment_ids.data or [],
        embargo_proposed_at=from_wib(form.embargo_proposed.data),
    )


def from_wib(local: datetime | None) -> datetime | None:
    """A time typed in WIB as the naive UTC the database keeps."""
    return local.replace(tzinfo=WIB).astimezone(UTC).replace(tzinfo=None) if local else None


def _check_proposal(form: PostForm, post: Post | None) -> None:
    """A newly proposed embargo must lie ahead (an old one may stay as it was)."""
    at = from_wib(form.embargo_proposed.data)
    if at and at <= naive_utc() and (post is None or post.embargo_proposed_at != at):
        raise WorkflowError("Usulan waktu embargo sudah lewat; pilih waktu di masa depan.", "embargo_proposed")


def _take_uploads(form: PostForm) -> None:
    """Store uploads first (committed), so a failed save keeps them selected."""
    upload = form.featured_upload.data
    if upload and getattr(upload, "filename", ""):
        image = media_service.save_image(
            upload, current_user, alt=form.featured_alt.data or "", field="featured_upload"
        )
        db.session.commit()
        form.featured_image_id.data = image.id
    for upload in form.attachment_uploads.data or []:
        if upload and getattr(upload, "filename", ""):
            doc = media_service.save_document(upload, current_user, field="attachment_uploads")
            db.session.commit()
            form.attachment_ids.data = list(form.attachment_ids.data or []) + [doc.id]


@bp.route("/posts/new", methods=["GET", "POST"])
@bp.route("/posts/<int:post_id>", methods=["GET", "POST"])
@require("posts.write")
def edit(post_id: int | None = None):
    post = get_post(post_id) if post_id else None
    if post is not None and request.method == "POST":
        ensure_can_edit(post)
    # a post is all the form says: a field left out is empty, not the stored value
    form = PostForm(obj=post if request.method == "GET" else None)
    if request.method == "GET":
        if post is not None:
            form.category_ids.data = [c.id for c in post.categories]
            form.tags.data = ", ".join(t.name for t in post.tags)
            form.attachment_ids.data = [m.id for m in post.attachments]
            form.featured_image_id.data = post.featured_image_id or 0
            form.featured_alt.data = post.featured_image.alt if post.featured_image else ""
            form.unit_id.data = post.unit_id or 0
            if post.embargo_proposed_at:
                form.embargo_proposed.data = to_wib(post.embargo_proposed_at).replace(tzinfo=None)
        else:
            form.unit_id.data = current_user.unit_id or 0
    conflict = False
    if request.method == "POST":
        _fill_choices(form)
    locked = edit_lock.read_only(post, current_user) if post is not None and request.method == "POST" else None
    if locked is not None:
        flash(locked.reason + " Isian Anda belum disimpan.", "error")
    elif form.validate_on_submit():
        try:
            _check_proposal(form, post)
            _take_uploads(form)
            data = data_from_form(form)
            if post is None:
                post = drafts.create_post(current_user, data)
                flash("Draf disimpan.", "success")
            else:
                drafts.save_post(post, current_user, data, form.version.data, correction=form.correction.data or "")
                if post.status == "draft":  # also the first save of a draft its autosave created
                    flash("Draf disimpan.", "success")
                else:
                    public = " Halaman publik sudah diperbarui." if publishing.is_public(post) else ""
                    flash("Perubahan disimpan." + public, "success")
            return redirect(url_for("editor.edit", post_id=post.id))
        except WorkflowError as exc:
            db.session.rollback()
            conflict = isinstance(exc, ConflictError)
            for name, message in (exc.errors or {"": str(exc)}).items():
                field = getattr(form, name, None)
                if field is not None and name:
                    field.errors = list(field.errors) + [message]
                else:
                    flash(message, "error")
    _fill_choices(form)
    if post is not None and request.method == "GET":
        form.version.data = post.version
    status = 423 if locked else 409 if conflict else 400 if request.method == "POST" else 200
    return render_template(
        "editor/edit.html",
        form=form,
        post=post,
        conflict=conflict,
        can_edit=post is None or drafts.can_edit(current_user, post),
        read_only=locked or edit_lock.read_only(post, current_user),
        stats=writing_aids(post),
        comment_form=CommentForm(),
        schedule_form=schedule_form_for(post),
        action_form=ActionForm(),
    ), status


def schedule_form_for(post: Post | None) -> ScheduleForm:
    """The schedule form, filled with the writer's proposed embargo if any."""
    form = ScheduleForm(prefix="s")
    if post is not None and post.embargo_proposed_at and form.publish_at.data is None:
        form.publish_at.data = to_wib(post.embargo_proposed_at).replace(tzinfo=None)
        form.embargo.data = True
    return form


def writing_aids(post: Post | None) -> dict:
    """Word count, reading time and the search result, as first rendered."""
    words = reading.word_count(post.body_html if post else "")
    url = publishing.public_url(post) if post else current_app.config["SITE_URL"].rstrip("/") + "/siaran-pers/…"
    return {
        "words": words,
        "minutes": reading.reading_minutes(words),
        "wpm": reading.WORDS_PER_MINUTE,
        "snippet": reading.search_result(post.title if post else "", url, post.summary if post else ""),
        "title_cut": reading.TITLE_CUT,
        "description_cut": reading.DESCRIPTION_CUT,
    }


@bp.route("/posts/preview", methods=["POST"])
@bp.route("/posts/<int:post_id>/preview", methods=["GET", "POST"])
@require("posts.write")
def preview(post_id: int | None = None):
    """The public template exactly, for saved or unsaved (posted) content."""
    saved = get_post(post_id) if post_id else None
    if request.method == "GET":
        if saved is None:  # GET is routed with a post id only
            abort(404)
        return publishing_preview(saved)
    form = PostForm()
    _fill_choices(form)
    post = Post(
        kind=form.kind.data if form.kind.data in POST_KINDS else "siaran-pers",
        status="draft",
        slug=(saved.slug if saved else "pratinjau"),
        version=1,
    )
    try:
        with db.session.no_autoflush:
            apply_data(post, data_from_form(form), is_new=saved is None)
            post.unit = db.session.get(Unit, post.unit_id) if post.unit_id else None
            post.featured_image = db.session.get(Media, post.featured_image_id) if post.featured_image_id else None
            post.published_at = saved.published_at if saved else None
            post.publish_at = saved.publish_at if saved else None
            response = publishing_preview(post)
    except WorkflowError as exc:
        db.session.rollback()
        return render_template(
            "error.html", code=400, title="Pratinjau gagal", message=" ".join(exc.errors.values()) or str(exc)
        ), 400
    db.session.rollback()  # nothing from a preview is ever stored
    return response


def publishing_preview(post: Post):
    from cms.newsroom.public import preview_response

    return preview_response(post)
