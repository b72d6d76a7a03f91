"""The register's rows written as SpreadsheetML text read back as openpyxl
wrote them (values, styles, escaping, formulas neutralised), and the rows
of partial grants are read per batch, not with a query each."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import event

from cms.extensions import db
from plugins.inbox import register_export, spreadsheet
from plugins.inbox.withheld_models import WithheldPart
from tests.plugins.inbox.conftest import get_request

ROWS = [
    [1, "a < b & c > d", date(2025, 10, 6), '=HYPERLINK("http://x")', None],
    [2, "  spasi di depan", date(2024, 2, 29), "baris\nkedua", ""],
    [3, "tab\tdan\x01kontrol\r", Decimal("5000.50"), True, "x" * 40_000],
]


def test_register_rows_round_trip_through_openpyxl():
    out = io.BytesIO()
    count = spreadsheet.register_xlsx(
        out,
        ["JUDUL", "Instansi"],
        ["No", "Teks", "Tanggal", "Lain", "Kosong"],
        [5, 20, 12, 20, 8],
        iter(ROWS),
        footer=lambda: ["Total: 3", "=bukan rumus"],
    )
    assert count == 3
    ws = load_workbook(io.BytesIO(out.getvalue())).active
    assert [c.value for c in ws[4]] == ["No", "Teks", "Tanggal", "Lain", "Kosong"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=7)]
    assert got[0][:2] == [1, "a < b & c > d"] and got[0][2].date() == date(2025, 10, 6)
    assert got[0][3] == '\'=HYPERLINK("http://x")' and got[0][4] is None
    assert got[1][1] == "  spasi di depan" and got[1][2].date() == date(2024, 2, 29) and got[1][3] == "baris\nkedua"
    assert got[2][:4] == [3, "tab dankontrol", 5000.5, True] and len(got[2][4]) == 32767
    assert ws["C5"].number_format == "DD-MM-YYYY" and ws["B5"].number_format == "General"
    for ref in ("A5", "B6", "E5", "E7"):  # empty cells are ruled too
        assert ws[ref].border.left.style == "thin" and ws[ref].alignment.wrap_text
    assert [ws["A9"].value, ws["A10"].value] == ["Total: 3", "'=bukan rumus"] and ws["A9"].font.bold
    assert ws.max_row == 10


def test_partial_grants_are_read_per_batch_not_per_row(inbox_app, submit):
    """``withheld_parts`` is loaded with the batch: the query count does not
    grow with the number of partial grants."""

    def queries_for(numbers: list[str]) -> tuple[int, list]:
        for n, req in enumerate([get_request(number) for number in numbers]):
            req.outcome = "dikabulkan_sebagian"
            db.session.add(
                WithheldPart(
                    request_id=req.id, position=0, what=f"Lampiran {n}", exemptions=["b"], consequence_test="uji"
                )
            )
        db.session.commit()
        db.session.expire_all()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731 - statement text
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            with inbox_app.test_request_context():
                rows = list(register_export.request_rows(register_export.Scope(visible=None)))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen), rows

    one, _rows = queries_for([submit(name="Pemohon A")[0]])
    more, rows = queries_for([submit(name=f"Pemohon {n}")[0] for n in range(4)])
    assert more == one
    assert sum("Lampiran" in row[14] for row in rows) == 5
