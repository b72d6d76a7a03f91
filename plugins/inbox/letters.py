"""The pemberitahuan tertulis as text (e-mail) and as a printable page."""

from __future__ import annotations

from flask import render_template


def letter_text(req) -> str:
    return render_template("inbox/mail/letter.txt", req=req)
