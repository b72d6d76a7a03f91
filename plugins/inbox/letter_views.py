"""Public letter pages: verification by code and the applicant's download.

``/ppid/surat/<code>`` shows what the letter was when issued — number, date,
kind, signer and SHA-256 — and nothing personal (no applicant, no content).
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template
from sqlalchemy import select

from cms.api import db, limiter
from plugins.inbox import letter_records
from plugins.inbox.letter_kinds import KINDS
from plugins.inbox.letter_models import Letter

bp = Blueprint("inbox_letters", __name__, template_folder="templates", url_prefix="/ppid")
CODE_CHARS = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _verify_limit() -> str:
    return current_app.config["INBOX_VERIFY_RATE_LIMIT"]


@bp.route("/surat/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    code = (code or "").strip().upper()
    letter = None
    if 6 <= len(code) <= 20 and set(code) <= CODE_CHARS:
        letter = db.session.scalar(select(Letter).where(Letter.code == code))
    if letter is None:
        return render_template("inbox/letter_verify_missing.html", code=code[:20]), 404
    resp = current_app.make_response(
        render_template(
            "inbox/letter_verify.html",
            letter=letter,
            title=KINDS[letter.kind].title,
            replaced_by=letter_records.replaced_by(letter),
        )
    )
    resp.headers["X-Robots-Tag"] = "noindex"
    return resp


def pdf_response(letter: Letter, *, inline: bool = True) -> Response:
    if letter.purged_at:
        abort(410)  # destroyed under the retention schedule; /ppid/surat/<code> still verifies it
    resp = Response(letter_records.load(letter), mimetype="application/pdf")
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{letter.filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.route("/permohonan/<int:request_id>/surat-resmi/<int:letter_id>")
def applicant_letter(request_id: int, letter_id: int):
    """For the applicant who tracked the request with its code in this session."""
    from plugins.inbox.views import tracked_request

    if tracked_request(request_id) is None:
        abort(404)
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.request_id != request_id:
        abort(404)
    return pdf_response(letter)
