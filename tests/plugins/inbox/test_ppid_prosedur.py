"""The procedure on the PPID landing page is one of the PPID Utama's
editable pages, with the text it had when hard-coded as its default."""

from __future__ import annotations

import re

from sqlalchemy import select

from cms.extensions import db
from cms.models import AuditLog


def _section(page: str) -> str:
    return re.search(r'<section aria-labelledby="prosedur">(.*?)</section>', page, re.S).group(1)


def test_the_landing_page_shows_the_default_procedure(client):
    section = _section(client.get("/ppid/").text)
    assert "Anda menerima nomor pendaftaran dan kode pelacakan." in section
    assert "sengketa dapat diajukan ke Komisi Informasi dalam 14 hari" in section
    assert "hari ke-0" in section


def test_the_utama_edits_the_procedure_and_the_landing_page_follows(client, make_user, login):
    utama = make_user("ppid", name="Petugas Utama")
    login(utama)
    index = client.get("/admin/inbox/halaman-ppid").text
    assert '<a href="/admin/inbox/halaman-ppid/prosedur">Prosedur permohonan informasi</a>' in index
    editor = client.get("/admin/inbox/halaman-ppid/prosedur").text
    assert "Anda menerima nomor pendaftaran dan kode pelacakan." in editor  # the default, ready to edit
    body = "<ol><li>Datang ke Mal Pelayanan Publik lantai 2.</li></ol><script>alert(1)</script>"
    assert client.post("/admin/inbox/halaman-ppid/prosedur", data={"body": body}).status_code == 302
    section = _section(client.get("/ppid/").text)
    assert "<li>Datang ke Mal Pelayanan Publik lantai 2.</li>" in section
    assert "Anda menerima nomor pendaftaran" not in section and "alert(1)" not in section
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "inbox.ppid_page.update"))
    assert entry.object_id == "prosedur" and entry.user_id == utama.id


def test_a_pembantu_may_not_edit_the_procedure(client, make_user, login):
    login(make_user("ppid_unit", unit="Dinas Kesehatan"))
    assert client.post("/admin/inbox/halaman-ppid/prosedur", data={"body": "<p>x</p>"}).status_code == 403
