"""What the officer reads when a decision's letter could not be issued.

One message instead of a success note beside a warning: what was recorded,
what reached the applicant (the e-mail goes out without the letter) and why
the official letter is missing, with a link to the letter settings for those
who may edit them.  ``letter_records`` holds the gaps for the request; a view
that knows what it recorded says it with :func:`flash_done`, any other view
gets the plain warning when the response leaves.
"""

from __future__ import annotations

from flask import after_this_request, flash, g, has_request_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from cms.api import can

_KEY = "inbox_letter_gaps"


def hold(exc) -> None:
    """Keep what the letter lacks until the view says what it recorded."""
    if not has_request_context():
        return
    gaps = list(getattr(exc, "gaps", None) or [str(exc).rstrip(".")])
    first = _KEY not in g
    g.setdefault(_KEY, []).extend(gaps)
    if first:
        after_this_request(_flash_unclaimed)


def _flash_unclaimed(response):
    gaps = g.pop(_KEY, None)
    if gaps:
        flash(
            Markup("{} {}").format(_missing(gaps), _("Lengkapi lalu terbitkan suratnya dari halaman permohonan.")),
            "warning",
        )
    return response


def _missing(gaps: list[str]) -> Markup:
    because = _("Surat resmi belum terbit karena %(gaps)s.", gaps="; ".join(gaps))
    return Markup("{} {}").format(because, _where_to_fix())


def _where_to_fix() -> Markup:
    if can(current_user, "inbox.letters"):
        link = Markup('<a href="{}">{}</a>').format(url_for("inbox_admin.letter_settings"), _("Pengaturan surat"))
        # The catalogue text is trusted; the link is built (and escaped) above.
        return Markup(_("Atur kop surat dan penanda tangan di %(link)s.", link=link))
    return Markup(escape(_("Minta PPID Utama atau admin mengaturnya di Pengaturan surat.")))


def flash_done(done: str, recorded: str, email: str | None) -> None:
    """``done`` when the letter was issued; otherwise one warning saying
    ``recorded``, what the applicant was sent, and what the letter lacks."""
    gaps = g.pop(_KEY, None) if has_request_context() else None
    if not gaps:
        flash(done, "success")
        return
    if email:
        sent = _("isinya dikirim ke e-mail pemohon tanpa surat resmi")
    else:
        sent = _("pemohon tidak mencantumkan e-mail, jadi belum ada yang dikirim")
    flash(Markup("{}; {}. {}").format(recorded, sent, _missing(gaps)), "warning")
