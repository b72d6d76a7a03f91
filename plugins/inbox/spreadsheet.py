"""CSV and XLSX writing: the inbox's only user of ``openpyxl``.

Cells that a spreadsheet would read as a formula (``= + - @`` or a leading
tab/CR) are prefixed with ``'`` so an applicant's text can never execute.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, cast

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font

from cms.api import strip_control_chars, tanggal
from plugins.inbox import sheet_rows

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# Tab, CR and what ``strip_control_chars`` drops: most cells have none, and
# one search is cheaper than three rewrites for each of a million cells.
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def safe(value):
    """Neutralise formulas; drop control characters (XLSX refuses them)."""
    if isinstance(value, str):
        if UNSAFE.search(value):
            value = strip_control_chars(value.replace("\t", " ").replace("\r", ""))
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def csv_text(value) -> str:
    """A CSV cell: dates written as the registers' other date columns are
    ("1 Desember 2026"), never ISO next to Indonesian."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{tanggal(value.date())} {value:%H.%M}"
    if isinstance(value, date):
        return tanggal(value)
    return safe(value)


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def to_xlsx(title: str, header: list[str], rows: list[list], caption: str = "") -> bytes:
    # openpyxl (12 MB resident) only when a file is written: not in every web worker.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws = cast(Worksheet, wb.active)  # a new workbook has one worksheet
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
        ws.column_dimensions[column[0].column_letter].width = 18  # type: ignore[union-attr]  # nothing is merged here
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------ registers (streamed)

A4 = "9"  # the paperSize code of A4 in SpreadsheetML
DATE_FORMAT = "DD-MM-YYYY"


def register_xlsx(
    out: IO[bytes],
    title_block: list[str],
    header: list[str],
    widths: list[int],
    rows: Iterable,
    footer: Callable[[], list[str]] | None = None,
) -> int:
    """Write a register to ``out`` as the office prints it: the title block
    (title, instansi, unit, period, printed date), a frozen header row that
    repeats on every page, fixed column widths, landscape A4 fit to one page
    wide.  Write-only mode streams the rows to a temporary file, so 50,000
    rows never sit in memory; ``rows`` may be a generator.  ``footer`` gives
    lines printed under the table once the rows are written.  Returns the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title_block[0]))
    last = get_column_letter(len(header))
    head_row = len(title_block) + 2  # a blank row between the title block and the header
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"C{head_row + 1}"
    ws.print_title_rows = f"{head_row}:{head_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "&P / &N"
    ws.merged_cells.add(f"A1:{last}1")
    for n, line in enumerate(title_block):
        ws.append([_cell(ws, line, Font(bold=True, size=14 if n == 0 else 11))])
    ws.append([])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    fill = PatternFill("solid", fgColor="D9E1F2")
    head = []
    for label in header:
        cell = _cell(ws, str(label), Font(bold=True))
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border, cell.fill = border, fill
        head.append(cell)
    ws.append(head)
    # The rows are written as text in a placeholder's place (``sheet_rows``),
    # with the style ids of these cells: one resolved style per kind of cell.
    wrap = Alignment(wrap_text=True, vertical="top")
    plain, dated = _cell(ws, ""), _cell(ws, "")
    plain.alignment, plain.border = wrap, border
    dated.alignment, dated.border, dated.number_format = wrap, border, DATE_FORMAT
    styles = sheet_rows.Styles(plain.style_id, dated.style_id, _cell(ws, "", Font(bold=True)).style_id)
    ws.append([sheet_rows.PLACEHOLDER])
    ws.close()  # openpyxl's frame is written; wb.save only zips it
    letters = [get_column_letter(i) for i in range(1, len(header) + 1)]
    count = sheet_rows.splice(
        ws._writer.out, head_row + 1, letters, rows, styles, safe, footer
    )  # the closed sheet's file (private)
    wb.save(out)
    return count


def _sheet_title(text: str) -> str:
    return "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "Register"


def _cell(ws, value, font: Font | None = None) -> Cell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=safe(value))
    if font is not None:
        cell.font = font
    return cell


def csv_stream(header: list[str], rows: Iterable) -> Iterator[str]:
    """The same columns as the XLSX, one chunk per 500 rows (a streamed
    response: the whole file never sits in memory).  Dates in Indonesian."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([safe(str(h)) for h in header])
    yield "\ufeff" + buf.getvalue()
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(rows, 1):
        writer.writerow([csv_text(v) for v in row])
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()
