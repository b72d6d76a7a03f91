"""A register's table rows written as SpreadsheetML text, not cell objects.

openpyxl spends ~15 µs on each cell (a cell object, its style lookup, an
lxml element): 16 s for the 1.1 million cells of a 50,000-row register.
Here openpyxl writes the frame (title block, header, styles, print setup)
around one placeholder row, and the rows are streamed in its place as
text, with the style ids openpyxl gave the register's cell styles: the
same cells as openpyxl writes (inline strings, dates as serial numbers),
at ~1 µs each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

PLACEHOLDER = "__register_rows__"
MAX_TEXT = 32767  # Excel's limit for one cell (openpyxl truncates there too)
FLUSH_ROWS = 500


@dataclass(frozen=True)
class Styles:
    """Style ids (``cell.style_id``) of the table's cells and the footer lines."""

    plain: int
    dated: int
    bold: int


def _text(value: str) -> str:
    return value[:MAX_TEXT].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, value, styles: Styles, safe: Callable) -> str:
    if value is None:
        return f'<c r="{ref}" s="{styles.plain}"/>'
    if isinstance(value, str):
        value = safe(value)
        if not value:
            return f'<c r="{ref}" s="{styles.plain}"/>'
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" s="{styles.plain}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{styles.plain}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" s="{styles.plain}" t="n"><v>{value}</v></c>'
    if isinstance(value, date):
        from openpyxl.utils.datetime import to_excel

        return f'<c r="{ref}" s="{styles.dated}" t="n"><v>{to_excel(value)}</v></c>'
    return _cell(ref, str(value), styles, safe)


def splice(
    path: str,
    first_row: int,
    letters: list[str],
    rows: Iterable,
    styles: Styles,
    safe: Callable,
    footer: Callable[[], list[str]] | None = None,
) -> int:
    """Replace the placeholder row of the closed sheet at ``path`` with
    ``rows`` (then a blank row and the ``footer`` lines, bold).  The frame
    is a few kilobytes; the rows go to the file in chunks, never all in
    memory.  Returns the row count."""
    frame = Path(path).read_bytes()
    start = frame.index(f'<row r="{first_row}">'.encode())
    end = frame.index(b"</row>", start) + len(b"</row>")
    if PLACEHOLDER.encode() not in frame[start:end]:
        raise ValueError("the register sheet has no placeholder row")
    count = 0
    with open(path, "wb") as out:
        out.write(frame[:start])
        chunk: list[str] = []
        for count, values in enumerate(rows, 1):
            r = first_row + count - 1
            cells = "".join(_cell(f"{col}{r}", v, styles, safe) for col, v in zip(letters, values, strict=False))
            chunk.append(f'<row r="{r}">{cells}</row>')
            if len(chunk) >= FLUSH_ROWS:
                out.write("".join(chunk).encode())
                chunk.clear()
        if footer is not None:  # totals below the table, after a blank row
            r = first_row + count + 1
            for n, line in enumerate(footer()):
                cell = _cell(f"A{r + n}", line, Styles(styles.bold, styles.bold, styles.bold), safe)
                chunk.append(f'<row r="{r + n}">{cell}</row>')
        out.write("".join(chunk).encode())
        out.write(frame[end:])
    return count
