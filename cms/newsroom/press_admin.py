"""Admin of the press room (``/admin/ruang-media``): contacts, boilerplate,
the media kit's photos, and the contacts printed at the foot of a release.

Humas editors and admins (``press.manage``) manage the room; whoever may edit
a release chooses its contacts.  Bad input re-shows the form with what was
typed and an error naming the field (400), never a 500.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cms.extensions import db
from cms.models.content import Media, Post
from cms.models.press import PressContact
from cms.newsroom import drafts, press_contacts, press_room, release_format
from cms.newsroom.posts import WorkflowError
from cms.newsroom.press_forms import BoilerplateForm, ContactForm, PhotosForm, PostContactsForm
from cms.policy import require

bp = Blueprint("press_admin", __name__, url_prefix="/admin/ruang-media")


def _show_errors(form, exc: WorkflowError) -> None:
    for name, message in (exc.errors or {"name": exc.message}).items():
        getattr(form, name, form.name).errors = [*getattr(form, name, form.name).errors, message]


def _overview(photo_error: str = "", **forms):
    room = press_room.settings()
    forms.setdefault("boilerplate_form", BoilerplateForm(boilerplate=room.boilerplate))
    forms.setdefault("photos_form", PhotosForm())
    chosen = {p.media_id: p.credit for p in press_room.kit_photos()}
    images = list(db.session.scalars(db.select(Media).where(Media.kind == "image").order_by(Media.id.desc()).limit(60)))
    status = 400 if any(f.errors for f in forms.values()) or photo_error else 200
    return render_template(
        "press/admin.html",
        contacts=press_contacts.listing(),
        room=room,
        images=images,
        chosen=chosen,
        photo_error=photo_error,
        **forms,
    ), status


@bp.route("/")
@require("press.manage")
def index():
    return _overview()


@bp.route("/narahubung/baru", methods=["GET", "POST"], defaults={"contact_id": None})
@bp.route("/narahubung/<int:contact_id>", methods=["GET", "POST"])
@require("press.manage")
def contact(contact_id: int | None):
    found = db.session.get(PressContact, contact_id) if contact_id else None
    if contact_id and found is None:
        abort(404)
    form = ContactForm(obj=found)
    if form.validate_on_submit():
        data = press_contacts.ContactData(
            name=form.name.data or "",
            role=form.role.data or "",
            phone=form.phone.data or "",
            whatsapp=bool(form.whatsapp.data),
            email=form.email.data or "",
            position=form.position.data or 0,
            active=bool(form.active.data),
        )
        try:
            press_contacts.save(found, data, current_user)
        except WorkflowError as exc:
            db.session.rollback()
            _show_errors(form, exc)
        else:
            flash(f"Narahubung “{data.name}” disimpan.", "success")
            return redirect(url_for("press_admin.index"))
    return render_template("press/contact_form.html", form=form, contact=found), 400 if form.errors else 200


@bp.post("/narahubung/<int:contact_id>/hapus")
@require("press.manage")
def delete_contact(contact_id: int):
    found = db.session.get(PressContact, contact_id) or abort(404)
    if not PhotosForm().validate_on_submit():
        abort(400)
    name = found.name
    press_contacts.remove(found, current_user)
    flash(f"Narahubung “{name}” dihapus.", "success")
    return redirect(url_for("press_admin.index"))


@bp.post("/tentang")
@require("press.manage")
def boilerplate():
    form = BoilerplateForm()
    if not form.validate_on_submit():
        return _overview(boilerplate_form=form)
    press_room.save_boilerplate(form.boilerplate.data or "", current_user)
    flash("Profil instansi disimpan; kit media diperbarui.", "success")
    return redirect(url_for("press_admin.index"))


@bp.post("/foto")
@require("press.manage")
def photos():
    form = PhotosForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("photo") if v.isascii() and v.isdigit() and len(v) < 10]
    choices = [(i, request.form.get(f"credit-{i}", "")) for i in dict.fromkeys(ids)]
    try:
        press_room.save_kit_photos(choices, current_user)
    except WorkflowError as exc:
        db.session.rollback()
        return _overview(photos_form=form, photo_error=exc.message)
    flash("Foto kit media disimpan; kit media diperbarui.", "success")
    return redirect(url_for("press_admin.index"))


@bp.route("/naskah/<int:post_id>/narahubung", methods=["GET", "POST"])
@require("posts.write")
def post_contacts(post_id: int):
    post = db.session.get(Post, post_id) or abort(404)
    if not drafts.can_edit(current_user, post):
        from cms.audit import record

        record("access.denied", "post", post.id, {"action": "press_contacts"}, commit=True)
        abort(403)
    form = PostContactsForm(contact_ids=release_format.chosen_contact_ids(post.id))
    form.contact_ids.choices = [(c.id, c.name) for c in press_contacts.listing(active_only=True)]
    if form.validate_on_submit():
        press_contacts.choose_for_post(post, form.contact_ids.data or [], current_user)
        flash("Narahubung siaran pers disimpan.", "success")
        return redirect(url_for("editor.edit", post_id=post.id))
    return render_template("press/post_contacts.html", form=form, post=post), 400 if form.errors else 200
