"""Mail the SMTP server refuses is retried by the queue and logged as one
line, not a traceback per message (README: "retried quietly")."""

from __future__ import annotations

import logging

from cms.mail import enqueue_mail
from tests.livesrv import free_port


def test_an_unreachable_smtp_server_is_one_log_line_and_a_retry(make_app, caplog):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)  # nothing listens there
    caplog.set_level(logging.INFO)
    with app.app_context():
        enqueue_mail("warga@contoh.id", "Tanda terima permohonan", "Isi surat.")
    mine = [r for r in caplog.records if r.name == "cms.mail"]
    assert len(mine) == 1 and mine[0].levelno == logging.WARNING
    assert "'Tanda terima permohonan' not delivered (ConnectionRefusedError" in mine[0].getMessage()
    assert "tries again, up to 5 times" in mine[0].getMessage()
    assert [r for r in caplog.records if r.exc_info] == []  # no traceback from huey
    assert any(r.name == "huey" and r.getMessage().startswith("Requeueing") for r in caplog.records)  # retried
