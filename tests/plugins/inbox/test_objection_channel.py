"""How a keberatan came in (laman PPID, datang langsung, surat) is a column
of its own: on its page, in the keberatan list and register (XLSX/CSV) and
counted in table IV.A of the annual report."""

from __future__ import annotations

import csv
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook
from sqlalchemy import select

from cms.accounts import get_or_create_unit
from cms.extensions import db
from plugins.inbox import annual_build, objections
from plugins.inbox.errors import InboxError
from plugins.inbox.models import Objection
from tests.plugins.inbox.test_annual_report import _text
from tests.plugins.inbox.test_registers_report import _make

NOW = "2025-12-01 03:00"


@pytest.fixture
def filed(inbox_app, client, login, make_user):
    """Two refused requests of 2025: one keberatan from the website, one brought by letter."""
    unit = get_or_create_unit("Dinas Kesehatan")
    refused = {"exemptions": ["h"], "consequence_test": "uji"}
    web_req = _make("2025-10-06 03:00", "2025-10-10 03:00", "ditolak_dikecualikan", unit=unit, answer=refused)
    desk_req = _make("2025-10-06 03:00", "2025-10-10 03:00", "ditolak_dikecualikan", unit=unit, answer=refused)
    with time_machine.travel("2025-10-20 03:00", tick=False):
        web = objections.file_objection(web_req, {"grounds": ["a"], "case_summary": "Lewat laman."})
    with time_machine.travel("2025-10-21 03:00", tick=False):
        officer = make_user("ppid")
        login(officer)
        resp = client.post(
            f"/admin/inbox/{desk_req.id}/keberatan/baru",
            data={
                "channel": "letter",
                "received_at": "2025-10-21T09:00",
                "grounds": ["a"],
                "case_summary": "Surat keberatan bertanggal 20 Oktober.",
            },
        )
        assert resp.status_code == 302, resp.text[:2000]
    letter = db.session.scalar(select(Objection).where(Objection.request_id == desk_req.id))
    with time_machine.travel(NOW, tick=False):
        login(officer)  # again: the tests run weeks later
    return {"web": web, "letter": letter}


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@time_machine.travel(NOW, tick=False)
def test_the_channel_is_stored_and_shown_on_the_page_and_the_list(client, filed):
    assert (filed["web"].channel, filed["letter"].channel) == ("web", "letter")
    page = client.get(f"/admin/inbox/keberatan/{filed['letter'].id}").text
    assert '<dt>Saluran</dt><dd id="saluran">Surat</dd>' in page
    assert '<dd id="saluran">Laman PPID</dd>' in client.get(f"/admin/inbox/keberatan/{filed['web'].id}").text
    listing = _plain(client.get("/admin/inbox/keberatan/").text)
    assert f"{filed['letter'].number} {filed['letter'].request.number}" in listing
    assert re.search(rf"{re.escape(filed['letter'].number)} .*? Surat a ", listing)
    assert re.search(rf"{re.escape(filed['web'].number)} .*? Laman PPID a ", listing)


@time_machine.travel(NOW, tick=False)
def test_the_register_has_a_channel_column_in_xlsx_and_csv(client, filed):
    resp = client.get("/admin/inbox/register-keberatan.xlsx?year=2025")
    ws = load_workbook(io.BytesIO(resp.data)).active
    header = [c.value for c in ws[7]]
    rows = [dict(zip(header, [c.value for c in r], strict=True)) for r in ws.iter_rows(min_row=8) if r[0].value]
    by_number = {r["Nomor registrasi keberatan"]: r["Saluran"] for r in rows}
    assert by_number == {filed["web"].number: "Laman PPID", filed["letter"].number: "Surat"}
    table = list(csv.reader(io.StringIO(client.get("/admin/inbox/register-keberatan.csv?year=2025").data.decode())))
    col = table[0].index("Saluran")
    assert {row[1]: row[col] for row in table[1:]} == by_number


@time_machine.travel(NOW, tick=False)
def test_the_annual_report_counts_keberatan_by_channel(filed):
    from plugins.inbox import annual_stats
    from plugins.inbox.report import Period

    fig = annual_stats.compute(Period(2025))
    assert {k: n for k, _label, n in fig["objections"]["by_channel"]} == {"web": 1, "desk": 0, "letter": 1}
    annual_build.build(2025, "year", None)
    text = _text(annual_build.file_bytes(annual_build.record(2025, "year", None), "pdf"))
    assert "Keberatan yang diterima 2 — diajukan melalui laman PPID 1" in text
    assert "— diajukan dengan datang langsung 0 — diajukan melalui surat 1" in text


def test_an_unknown_channel_is_refused_naming_the_field(filed):
    with pytest.raises(InboxError) as refused:
        objections.file_objection(filed["web"].request, {"grounds": ["a"], "case_summary": "x"}, channel="fax")
    assert refused.value.field == "channel"
