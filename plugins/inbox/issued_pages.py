"""The old printable pages of the pemberitahuan tertulis show the letter as issued.

``/ppid/permohonan/<id>/surat`` (applicant) and ``/admin/inbox/<id>/surat``
(staff) once rendered the request's current data; once a letter is issued
they serve its stored PDF instead — what the applicant received, not what
the record says today.  Before any letter is issued they still render the
page (installations with ``INBOX_LETTERS_ON_DECISION = "off"``).
"""

from __future__ import annotations

from flask import Response, render_template

from cms.api import audit
from plugins.inbox import letter_records
from plugins.inbox.paperwork import issued_notice


def show_notice(req, *, public: bool):
    letter = issued_notice(req)
    if letter is None:
        return render_template("inbox/letter.html", req=req, public=public)
    if letter.purged_at:
        return render_template("inbox/letter_purged.html", req=req, letter=letter, public=public), 410
    if not public:
        audit.record("inbox.letter.viewed", "inbox_letter", letter.number, {"request": req.number}, commit=True)
    resp = Response(letter_records.load(letter), mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'inline; filename="{letter.filename}"'
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
