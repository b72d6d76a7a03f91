"""A new tracking code for an applicant who lost theirs.

Two roads: the public form sends it to the e-mail on file when the applicant
names both the nomor pendaftaran and that e-mail (one answer whether or not
they matched, so the form reveals nothing and nobody can void a stranger's
code by guessing numbers); at the desk, an officer hands it over after an
identity check.  Either way the old code stops working at once (only its
keyed hash was ever stored) and the re-issue is audited, without the code.
"""

from __future__ import annotations

import hmac
import logging

from sqlalchemy import select

from cms.api import User, audit, db
from plugins.inbox import notify, numbering
from plugins.inbox.models import InfoRequest
from plugins.inbox.services import _hash_code

log = logging.getLogger(__name__)


def reissue(req: InfoRequest, *, via: str, actor: User | None = None, identity_check: str = "") -> str:
    """Replace the code; returns the new one (shown or sent once, never stored)."""
    code = numbering.tracking_code()
    req.tracking_hash = _hash_code(code)
    req.receipt_code_enc = None
    audit.record(
        "inbox.request.code_reissued",
        "inbox_request",
        req.number,
        {"via": via, "identity_check": identity_check.strip()[:300]},
        user=actor,
    )
    db.session.commit()
    return code


def by_applicant(number: str, email: str) -> None:
    """The public road: sends a new code to the e-mail on file when both match."""
    req = db.session.scalar(select(InfoRequest).where(InfoRequest.number == (number or "").strip()))
    on_file = (req.email if req is not None else "") or ""
    given = (email or "").strip().lower()
    if req is None or not (on_file and hmac.compare_digest(on_file.lower().encode(), given.encode())):
        log.info("inbox: code re-issue not matched for a request number")
        return
    code = reissue(req, via="web")
    notify.new_code(req, code)
