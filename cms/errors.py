"""Friendly error pages, never a stack trace to users; and ``FieldError``,
the one type for "this value of this form field is refused"."""

from __future__ import annotations

import logging

from flask import Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class FieldError(ValueError):
    """A user-facing refusal about one form field.

    Services raise it (or a subclass naming their room: ``AccountError``,
    ``WorkflowError``, ``DistributionError``, the plugins' own) with the
    message to show and the name of the field it concerns (``None``: the
    form as a whole); views put it on that field with ``show_on_form``.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    @property
    def message(self) -> str:
        return str(self)


def show_on_form(form, error: FieldError, default: str, names: dict[str, str] | None = None) -> None:
    """Show ``error`` under the field it names (``names`` maps a service's
    name to the form's); under ``default`` when it names none the form has."""
    name = error.field or default
    name = (names or {}).get(name, name)
    field = getattr(form, name, None)
    if field is None:
        field = getattr(form, default)
    field.errors = [*field.errors, str(error)]  # a tuple until the form was validated


def named_error(label: str, message: str) -> str:
    """``label: message``, unless the message already names the field by
    starting with the label's first word ("Tanggal mediasi tidak boleh …"
    under "Tanggal Mediasi"): an error names its field once, not twice."""
    label, message = str(label).strip(), str(message).strip()
    first = label.split(" ", 1)[0].casefold() if label else ""
    if not first or (len(first) >= 3 and message.casefold().startswith(first)):
        return message
    return f"{label}: {message}"


MESSAGES = {
    400: (_l("Permintaan tidak valid"), _l("Data yang dikirim tidak dapat diproses.")),
    403: (_l("Akses ditolak"), _l("Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman yang Anda cari tidak ada atau sudah dipindahkan.")),
    405: (_l("Metode tidak diizinkan"), _l("Cara membuka halaman ini tidak didukung.")),
    409: (
        _l("Data baru saja berubah"),
        _l(
            "Data ini baru saja diubah oleh orang lain; perubahan Anda "
            "tidak disimpan. Muat ulang halamannya, periksa, lalu coba lagi."
        ),
    ),
    413: (_l("Berkas terlalu besar"), _l("Ukuran berkas melebihi batas yang diizinkan.")),
    415: (_l("Jenis kiriman tidak didukung"), _l("Kirim data sebagai formulir.")),
    429: (_l("Terlalu banyak percobaan"), _l("Silakan tunggu sebentar lalu coba lagi.")),
    500: (
        _l("Terjadi kesalahan"),
        _l("Maaf, terjadi kesalahan pada server. Kesalahan ini sudah dicatat untuk tim kami."),
    ),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=str(title), detail=str(detail or message)), code
    try:
        return render_template("error.html", code=code, title=title, message=detail or message), code
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("error page %s could not be rendered; sending the bare one", code)
        return Response(
            _BARE.format(
                title=escape(title), message=escape(detail or message), home=escape(request.script_root + "/")
            ),
            code,
            mimetype="text/html",
        )


_BARE = (
    '<!doctype html><html lang="id"><meta charset="utf-8"><title>{title}</title>'
    '<h1>{title}</h1><p>{message}</p><p><a href="{home}">Beranda</a></p></html>'
)


def register_error_pages(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, _l("Sesi formulir kedaluwarsa atau tidak valid. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(StaleDataError)
    def _conflict(error):
        # Another request changed (or deleted) the row after this one read it:
        # the versioned UPDATE matched nothing.  Nothing of this request is kept.
        from cms.extensions import db

        db.session.rollback()
        log.info("conflicting change on %s: %s", request.path, error)
        return _render(409)

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code in MESSAGES:
            return _render(
                error.code,
                error.description
                if error.code in (400, 415) and error.description and not error.description.startswith("The browser")
                else None,
            )
        return error

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s", request.path)
        from cms.extensions import db

        db.session.rollback()
        return _render(500)
