"""Friendly error pages; never a stack trace to users."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Permintaan tidak valid"), _l("Data yang dikirim tidak dapat diproses.")),
    403: (_l("Akses ditolak"), _l("Anda tidak memiliki izin untuk membuka halaman ini.")),
    404: (_l("Halaman tidak ditemukan"), _l("Halaman yang Anda cari tidak ada atau sudah dipindahkan.")),
    405: (_l("Metode tidak diizinkan"), _l("Cara membuka halaman ini tidak didukung.")),
    413: (_l("Berkas terlalu besar"), _l("Ukuran berkas melebihi batas yang diizinkan.")),
    415: (_l("Jenis kiriman tidak didukung"), _l("Kirim data sebagai formulir.")),
    429: (_l("Terlalu banyak percobaan"), _l("Silakan tunggu sebentar lalu coba lagi.")),
    500: (_l("Terjadi kesalahan"), _l("Maaf, terjadi kesalahan pada server. Kesalahan ini sudah dicatat untuk tim kami.")),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=str(title), detail=str(detail or message)), code
    return render_template("error.html", code=code, title=title, message=detail or message), code


def register_error_pages(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, _l("Sesi formulir kedaluwarsa atau tidak valid. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code in MESSAGES:
            return _render(error.code, error.description if error.code in (400, 415) and error.description
                           and not error.description.startswith("The browser") else None)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s", request.path)
        from cms.extensions import db

        db.session.rollback()
        return _render(500)
