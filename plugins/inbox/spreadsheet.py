"""CSV and XLSX writing: the inbox's only user of ``openpyxl``.

Cells that a spreadsheet would read as a formula (``= + - @`` or a leading
tab/CR) are prefixed with ``'`` so an applicant's text can never execute.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cms.api import strip_control_chars

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe(value):
    """Neutralise formulas; drop control characters (XLSX refuses them)."""
    if isinstance(value, str):
        value = strip_control_chars(value.replace("\t", " ").replace("\r", ""))
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe(str(h)) for h in header])
    for row in rows:
        writer.writerow(
            ["" if v is None else safe(v if not isinstance(v, (date, datetime)) else v.isoformat()) for v in row]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def to_xlsx(title: str, header: list[str], rows: list[list], caption: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    if caption:
        ws.append([safe(caption)])
        ws["A1"].font = Font(bold=True)
    ws.append([safe(str(h)) for h in header])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([safe(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    for column in ws.columns:
        ws.column_dimensions[column[0].column_letter].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
