"""Friendly error pages; never a stack trace to users."""

from __future__ import annotations

import logging

from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Permintaan tidak valid", "Data yang dikirim tidak dapat diproses."),
    403: ("Akses ditolak", "Anda tidak memiliki izin untuk membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
    405: ("Metode tidak diizinkan", "Cara membuka halaman ini tidak didukung."),
    413: ("Berkas terlalu besar", "Ukuran berkas melebihi batas yang diizinkan."),
    429: ("Terlalu banyak percobaan", "Silakan tunggu sebentar lalu coba lagi."),
    500: ("Terjadi kesalahan", "Maaf, terjadi kesalahan pada server. Tim kami sudah dicatat."),
}


def _render(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=title, detail=detail or message), code
    return render_template("error.html", code=code, title=title, message=detail or message), code


def register_error_pages(app) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        return _render(400, "Sesi formulir kedaluwarsa atau tidak valid. Muat ulang halaman lalu kirim lagi.")

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code in MESSAGES:
            return _render(error.code, error.description if error.code == 400 and error.description
                           and not error.description.startswith("The browser") else None)
        return error

    @app.errorhandler(Exception)
    def _unexpected(error):
        log.exception("unhandled error on %s", request.path)
        from cms.extensions import db

        db.session.rollback()
        return _render(500)
