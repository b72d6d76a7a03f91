"""Admin views: connected accounts (admins only) and the connection test."""

from __future__ import annotations

from typing import overload

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from cms.api import POST_KINDS, db, require
from plugins.crosspost import accounts, channels, outbox, scope
from plugins.crosspost.blueprint import bp
from plugins.crosspost.forms import SETTING_PREFIX, ActionForm, account_form_class
from plugins.crosspost.models import CrosspostAccount


@bp.route("/accounts")
@require("crosspost.accounts")
def account_list():
    stmt = scope.restrict_accounts(select(CrosspostAccount), current_user)
    rows = db.session.scalars(stmt.order_by(CrosspostAccount.unit_id.is_not(None), CrosspostAccount.name)).all()
    return render_template(
        "crosspost/accounts.html",
        rows=rows,
        types=channels.available(),
        masked={r.id: accounts.masked_secrets(r) for r in rows},
        form=ActionForm(),
        may_create=scope.may_manage(current_user, None),
    )


@overload
def _account(account_id: int) -> CrosspostAccount: ...
@overload
def _account(account_id: int | None) -> CrosspostAccount | None: ...
def _account(account_id: int | None) -> CrosspostAccount | None:
    """The account in the URL, if the person may manage it (403, audited, otherwise).

    Every account view goes through here: a unit officer reaches only the
    accounts of their own unit, never a central one or another unit's."""
    row = db.session.get(CrosspostAccount, account_id) if account_id is not None else None
    if account_id is not None and row is None:
        abort(404)
    if not scope.may_manage(current_user, row):
        from cms.api import audit

        audit.record(
            "access.denied",
            "crosspost_account",
            account_id or "new",
            {"permission": "crosspost.accounts", "unit_id": row.unit_id if row else None},
            commit=True,
        )
        abort(403)
    return row


def _owner(form, row: CrosspostAccount | None) -> tuple[int | None, bool]:
    """The unit chosen on the form, checked against the units the person may manage."""
    allowed = dict(scope.unit_choices(current_user, keep=row.unit_id if row is not None else None))
    value = form.unit_id.data or ""
    if value not in allowed:
        form.unit_id.errors = list(form.unit_id.errors) + [_("Pilih unit yang Anda kelola.")]
        return None, False
    return (int(value) if value else None), True


@bp.route("/accounts/new/<channel_key>", methods=["GET", "POST"])
@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@require("crosspost.accounts")
def account_form(channel_key: str | None = None, account_id: int | None = None):
    row = _account(account_id)
    key = row.channel if row is not None else channel_key or ""
    cls = channels.available().get(key)
    if cls is None:
        abort(404)
    form = account_form_class(cls)(obj=row)
    form.default_kinds.choices = list(POST_KINDS.items())
    form.unit_id.choices = scope.unit_choices(current_user, keep=row.unit_id if row is not None else None)
    if request.method == "GET":
        form.unit_id.data = str(row.unit_id) if row is not None and row.unit_id else form.unit_id.choices[0][0]
    if request.method == "GET" and row is not None:
        form.default_kinds.data = sorted(row.kinds())
        for setting in cls.settings:
            if not setting.secret:
                getattr(form, SETTING_PREFIX + setting.name).data = (row.settings or {}).get(setting.name, "")
    values = {s.name: getattr(form, SETTING_PREFIX + s.name).data or "" for s in cls.settings}
    if form.validate_on_submit():
        missing = accounts.missing_required(key, values, row)
        for name in missing:
            field = getattr(form, SETTING_PREFIX + name)
            field.errors = list(field.errors) + [_("%(label)s wajib diisi.", label=field.label.text)]
        unit_id, owner_ok = _owner(form, row)
        if not missing and owner_ok:
            saved = accounts.save(
                row,
                key,
                form.name.data,
                values,
                default_kinds=",".join(form.default_kinds.data or []),
                default_categories=form.default_categories.data or "",
                share_serta_merta=form.share_serta_merta.data,
                active=form.active.data,
                unit_id=unit_id,
            )
            flash(_('Akun disimpan. Gunakan "Uji koneksi" untuk memastikan kredensialnya benar.'), "success")
            return redirect(url_for("crosspost.account_form", account_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return _render_account(form, row, cls, status)


def _render_account(form, row, cls, status=200, backfill_error=""):
    masked = accounts.masked_secrets(row) if row is not None else {}
    recent = outbox.recent_releases(row, _backfill_days()) if row is not None else []
    return render_template(
        "crosspost/account_form.html",
        form=form,
        row=row,
        cls=cls,
        masked=masked,
        prefix=SETTING_PREFIX,
        action_form=ActionForm(),
        recent=recent,
        backfill_days=_backfill_days(),
        backfill_error=backfill_error,
    ), status


def _backfill_days() -> int:
    return int(current_app.config["CROSSPOST_BACKFILL_DAYS"])


@bp.route("/accounts/<int:account_id>/kirim-rilis", methods=["POST"])
@require("crosspost.accounts")
def account_backfill(account_id: int):
    """Send releases published before the account was added, picked by name."""
    row = _account(account_id)
    if not ActionForm().validate_on_submit():
        flash(_("Sesi formulir kedaluwarsa. Coba lagi."), "error")
        return redirect(url_for("crosspost.account_form", account_id=account_id))
    offered = {post.id: post for post in outbox.recent_releases(row, _backfill_days())}
    picked = request.form.getlist("post_id")
    unknown = [value for value in picked if not value.isdigit() or int(value) not in offered]
    error = ""
    if not row.active:
        error = _("Akun ini nonaktif; aktifkan dulu sebelum mengirim rilis.")
    elif not picked:
        error = _("Pilih minimal satu rilis untuk dikirim.")
    elif unknown:
        error = _(
            "Rilis yang dipilih tidak ada di daftar (sudah dikirim atau di luar %(n)s hari terakhir).",
            n=_backfill_days(),
        )
    if error:
        cls = channels.available().get(row.channel)
        if cls is None:
            abort(404)
        form = account_form_class(cls)(obj=row, formdata=None)
        form.default_kinds.choices = list(POST_KINDS.items())
        form.unit_id.choices = scope.unit_choices(current_user, keep=row.unit_id)
        form.unit_id.data = str(row.unit_id) if row.unit_id else ""
        return _render_account(form, row, cls, 400, backfill_error=error)
    chosen = [offered[int(value)] for value in dict.fromkeys(picked)]
    outbox.send_named(row, chosen)
    flash(_("%(n)s rilis dikirim ke akun ini.", n=len(chosen)), "success")
    return redirect(url_for("crosspost.account_form", account_id=account_id))


@bp.route("/accounts/<int:account_id>/test", methods=["POST"])
@require("crosspost.accounts")
def account_test(account_id: int):
    row = _account(account_id)
    if not ActionForm().validate_on_submit():
        flash(_("Sesi formulir kedaluwarsa. Coba lagi."), "error")
    else:
        ok, message = accounts.test_connection(row)
        if ok:
            flash(_("Koneksi berhasil: %(who)s", who=message), "success")
        else:
            flash(_("Koneksi gagal: %(why)s", why=message), "error")
    return redirect(url_for("crosspost.account_form", account_id=account_id))
