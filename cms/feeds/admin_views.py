"""Staff pages of the feeds room: e-mail subscribers (with the release
mailings and their runs), accredited journalists and the embargo access log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms import export_runs, job_runs
from cms.audit import record
from cms.extensions import db
from cms.feeds import subscriber_export, subscriptions
from cms.feeds.views import UnsubscribeForm
from cms.inputs import query_id
from cms.jobs import enqueue
from cms.models import JobRun
from cms.models.content import Category, Post
from cms.models.distribution import SUBSCRIBER_STATUSES, EmbargoAccess, Journalist, Mailing, Subscriber
from cms.policy import require

admin_bp = Blueprint("feeds_admin", __name__, url_prefix="/admin/feeds")


@admin_bp.get("/pelanggan")
@require("subscribers.manage")
def subscribers():
    status = request.args.get("status") or None
    stmt = select(Subscriber).order_by(Subscriber.created_at.desc())
    if status in SUBSCRIBER_STATUSES:
        stmt = stmt.where(Subscriber.status == status)
    rows = db.session.scalars(stmt).all()
    counts = dict(db.session.execute(select(Subscriber.status, func.count()).group_by(Subscriber.status)).all())
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    return render_template(
        "feeds/admin/subscribers.html",
        rows=rows,
        counts=counts,
        status=status,
        statuses=SUBSCRIBER_STATUSES,
        masked=subscriptions.masked_email,
        names=names,
        form=UnsubscribeForm(),
        mailings=_recent_mailings(),
    )


def _recent_mailings() -> list[dict]:
    """The last release mailings with their run: a stopped one shows as failed, with what was sent."""
    mailings = db.session.execute(
        select(Mailing, Post).join(Post, Post.id == Mailing.post_id).order_by(Mailing.id.desc()).limit(10)
    ).all()
    runs = {
        run.subject: run
        for run in db.session.scalars(
            select(JobRun).where(
                JobRun.kind == subscriptions.MAILING_JOB, JobRun.subject.in_([str(m.post_id) for m, _p in mailings])
            )
        )
    }
    shown = []
    for mailing, post in mailings:
        run = runs.get(str(post.id))
        error = job_runs.shown_error(run) if run else ""
        shown.append(
            {
                "post": post,
                "run": run,
                "state": job_runs.shown_state(run) if run else "done",
                "sent": run.done if run else mailing.recipients,
                "total": run.total if run else mailing.recipients,
                "failed": len((run.cursor or {}).get("failed", [])) if run else 0,
                "error": _("terhenti: pekerja berhenti") if error == job_runs.STOPPED else error,
                "can_resume": run is not None and job_runs.can_reopen(run),
            }
        )
    return shown


@admin_bp.post("/pengiriman/<int:post_id>/lanjutkan")
@require("subscribers.manage")
def mailing_resume(post_id: int):
    """Resume a stopped release mailing after its cursor: nobody already mailed gets it twice."""
    run = job_runs.find(subscriptions.MAILING_JOB, post_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if job_runs.reopen(run, resume=True):
        record("feeds.mailing.resume", "post", post_id, {"done": run.done, "total": run.total}, commit=True)
        enqueue("feeds.mail_release", post_id)
        flash(_("Pengiriman dilanjutkan."), "success")
    else:
        flash(_("Pengiriman ini tidak sedang terhenti."), "warning")
    return redirect(url_for("feeds_admin.subscribers"))


@admin_bp.get("/pelanggan.csv")
@require("subscribers.manage")
def subscribers_csv():
    """The full list (personal data): for the admin only, and audited.  Above
    ``FEEDS_SUBSCRIBER_JOB_ROWS`` the worker writes it (status page, then a download)."""
    total = subscriber_export.count()
    if total > subscriber_export.threshold():
        run_id = subscriber_export.start(current_user, total)
        record("subscriber.export.queued", "job_run", run_id, {"rows": total}, commit=True)
        return redirect(url_for("feeds_admin.subscriber_export_status", run_id=run_id))
    body, rows = subscriber_export.text()
    record("subscriber.export", "feeds_subscriber", "", {"rows": rows}, commit=True)
    return current_app.response_class(
        body,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": "attachment; filename=pelanggan.csv", "Cache-Control": "no-store"},
    )


def _export_run(run_id: int) -> JobRun:
    run = db.session.get(JobRun, run_id)
    if not subscriber_export.owned(run, current_user):
        record("access.denied", "job_run", run_id, {"path": request.path}, commit=True)
        abort(404)
    return run  # type: ignore[return-value]  # owned() is False for None


@admin_bp.get("/pelanggan/ekspor/<int:run_id>")
@require("subscribers.manage")
def subscriber_export_status(run_id: int):
    run = _export_run(run_id)
    return render_template(
        "feeds/admin/subscriber_export.html",
        run=run,
        state=job_runs.shown_state(run),
        error=job_runs.shown_error(run),
        ready=export_runs.file_path(run, subscriber_export.hours()) is not None,
    )


@admin_bp.get("/pelanggan/ekspor/<int:run_id>/unduh")
@require("subscribers.manage")
def subscriber_export_file(run_id: int):
    run = _export_run(run_id)
    path = export_runs.file_path(run, subscriber_export.hours())
    if path is None:
        abort(404)
    record("subscriber.export", "feeds_subscriber", "", {"rows": run.cursor.get("rows"), "run": run.id}, commit=True)
    resp = send_file(path, mimetype="text/csv", as_attachment=True, download_name="pelanggan.csv")
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@admin_bp.post("/pelanggan/<int:sub_id>/hapus")
@require("subscribers.manage")
def subscriber_delete(sub_id):
    sub = db.session.get(Subscriber, sub_id) or abort(404)
    subscriptions.delete_subscriber(sub)
    flash(_("Data pelanggan dihapus."), "success")
    return redirect(url_for("feeds_admin.subscribers"))


class JournalistForm(FlaskForm):
    name = StringField(_l("Nama"), validators=[DataRequired(message=_l("Nama wajib diisi.")), Length(max=200)])
    outlet = StringField(_l("Media"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("E-mail wajib diisi.")), Length(max=254)])
    note = TextAreaField(_l("Catatan (nomor kartu pers, dsb.)"), validators=[Optional(), Length(max=2000)])


@admin_bp.route("/jurnalis", methods=["GET", "POST"])
@require("journalists.manage")
def journalists():
    form = JournalistForm()
    if form.validate_on_submit():
        data = subscriptions.JournalistData(
            form.name.data or "", form.outlet.data or "", form.email.data or "", form.note.data or ""
        )
        try:
            journalist = subscriptions.create_journalist(data, current_user)
        except subscriptions.DistributionError as exc:
            getattr(form, exc.field or "email").errors = [str(exc)]
        else:
            flash(_("Jurnalis ditambahkan; tautan feed pribadi dikirim ke e-mailnya."), "success")
            return redirect(url_for("feeds_admin.journalist", journalist_id=journalist.id))
    rows = db.session.scalars(select(Journalist).order_by(Journalist.active.desc(), Journalist.name)).all()
    return render_template(
        "feeds/admin/journalists.html", rows=rows, form=form, masked=subscriptions.masked_email
    ), 400 if form.errors else 200


@admin_bp.get("/jurnalis/<int:journalist_id>")
@require("journalists.manage")
def journalist(journalist_id):
    journalist = db.session.get(Journalist, journalist_id) or abort(404)
    record("journalist.view", "feeds_journalist", journalist.id, commit=True)
    accesses = db.session.scalars(
        select(EmbargoAccess)
        .where(EmbargoAccess.journalist_id == journalist.id)
        .order_by(EmbargoAccess.id.desc())
        .limit(200)
    ).all()
    return render_template(
        "feeds/admin/journalist.html",
        journalist=journalist,
        accesses=accesses,
        email=subscriptions.email_of(journalist),
        form=UnsubscribeForm(),
        feed_url=subscriptions.private_feed_url(journalist) if journalist.active else None,
    )


@admin_bp.post("/jurnalis/<int:journalist_id>/<any('cabut', 'terbitkan-ulang', 'hapus'):action>")
@require("journalists.manage")
def journalist_action(journalist_id, action):
    journalist = db.session.get(Journalist, journalist_id) or abort(404)
    if action == "cabut":
        subscriptions.revoke(journalist, current_user)
        flash(_("Akses dicabut: tautan feed pribadi tidak berlaku lagi."), "success")
    elif action == "terbitkan-ulang":
        subscriptions.reissue_token(journalist, current_user)
        flash(_("Tautan baru dibuat dan dikirim; tautan lama tidak berlaku lagi."), "success")
    else:
        record("journalist.delete", "feeds_journalist", journalist.id, {"name": journalist.name})
        db.session.delete(journalist)
        db.session.commit()
        flash(_("Data jurnalis dihapus."), "success")
        return redirect(url_for("feeds_admin.journalists"))
    return redirect(url_for("feeds_admin.journalist", journalist_id=journalist.id))


@admin_bp.get("/embargo")
@require("journalists.manage")
def embargo_log():
    """Who received which embargoed release: the trail for tracing a leak."""
    post_id = query_id("post")
    stmt = select(EmbargoAccess).order_by(EmbargoAccess.id.desc()).limit(500)
    if post_id:
        stmt = stmt.where(EmbargoAccess.post_id == post_id)
    return render_template(
        "feeds/admin/embargo_log.html",
        rows=db.session.scalars(stmt).all(),
        post=db.session.get(Post, post_id) if post_id else None,
        embargoed=subscriptions.embargoed_posts(),
    )
