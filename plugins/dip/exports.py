"""CSV and XLSX exports of exactly what the catalogue filters show, streamed.

Cells a spreadsheet would run as formulas (leading ``=``, ``+``, ``-``, ``@``,
tab or CR) get a leading apostrophe (OWASP's CSV-injection advice); the
importer strips it again, so an export re-imports cleanly.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from cms.api import strip_control_chars
from plugins.dip.catalogue import Filters, batches, iter_entries
from plugins.dip.columns import UNIT_OFFICIAL
from plugins.dip.models import DipEntry

HEADERS = [
    "No",
    "Kode",
    "Tahun",
    "Kategori",
    "Jenis Informasi",
    "Ringkasan Isi Informasi",
    "Deskripsi",
    "Pejabat/Unit yang Menguasai",
    "Penanggung Jawab",
    "Waktu Pembuatan",
    "Tempat Pembuatan",
    "Bentuk Informasi",
    "Jangka Waktu Penyimpanan",
    "Tautan",
    "Dokumen",
    "Tanggal Tinjau",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DATE_COLUMNS = ("Waktu Pembuatan", "Tanggal Tinjau")
DATE_FORMAT = "DD-MM-YYYY"  # as the inbox registers write theirs


def neutralise(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = strip_control_chars(value)  # also illegal in XLSX's XML
    return "'" + value if value.startswith(_FORMULA_START) else value


def holder(entry: DipEntry) -> str:
    """The official DIP's "Pejabat/Unit/Satker yang Menguasai Informasi": the
    unit, with the pejabat after ``UNIT_OFFICIAL`` when one is named (the
    importer splits it again; no unit is the PPID Utama, left empty)."""
    unit = entry.unit.name if entry.unit else ""
    if not entry.official:
        return unit
    return f"{unit}{UNIT_OFFICIAL}{entry.official}".strip()


def row_of(number: int, entry: DipEntry, site_url: str, *, dates_as_text: bool = True) -> list[Any]:
    """One export row; dates ISO text for the CSV, date values for the XLSX."""
    documents = " ".join(f"{site_url}/ppid/dip/dokumen/{d.id}/{d.file_name}" for d in entry.documents)
    values = [
        number,
        entry.kode or "",
        entry.year,
        entry.category_label,
        entry.jenis,
        entry.title,
        entry.description_text,
        holder(entry),
        entry.responsible,
        _day(entry.made_on, dates_as_text),
        entry.made_place,
        entry.formats,
        entry.retention,
        " ".join(link.url for link in entry.links),
        documents,
        _day(entry.reviewed_on, dates_as_text),
    ]
    return [neutralise(v) for v in values]


def _day(value, as_text: bool):
    if value is None:
        return "" if as_text else None
    return value.isoformat() if as_text else value


def _entries(filters: Filters, base, ids: list[int] | None) -> Iterator[DipEntry]:
    if ids is None:
        return iter_entries(filters, base)
    return (entry for entries in batches(ids) for entry in entries)


def csv_stream(filters: Filters, site_url: str, base=None, ids: list[int] | None = None) -> Iterator[str]:
    """Yield the CSV in chunks (UTF-8 BOM first so Excel reads the accents)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for number, entry in enumerate(_entries(filters, base, ids), start=1):
        writer.writerow(row_of(number, entry, site_url))
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(filters: Filters, site_url: str, base=None, ids: list[int] | None = None) -> str:
    """Write the XLSX to a temporary file with openpyxl's constant-memory writer."""
    handle, path = tempfile.mkstemp(prefix="dip-", suffix=".xlsx")
    os.close(handle)
    write_xlsx(path, ([entry] for entry in _entries(filters, base, ids)), site_url)
    return path


def write_csv(path, entry_batches: Iterable[list[DipEntry]], site_url: str, beat=None) -> int:
    """The CSV into ``path``; ``beat(done)`` runs between batches (the worker's progress)."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for entries in entry_batches:
            for entry in entries:
                count += 1
                writer.writerow(row_of(count, entry, site_url))
            if beat is not None:
                beat(count)
    return count


def write_xlsx(path, entry_batches: Iterable[list[DipEntry]], site_url: str, beat=None) -> int:
    """The XLSX into ``path`` (write-only: rows go to a temporary file as they come)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DIP")
    sheet.append(HEADERS)
    dated = {HEADERS.index(name) for name in DATE_COLUMNS}
    count = 0
    for entries in entry_batches:
        for entry in entries:
            count += 1
            row = row_of(count, entry, site_url, dates_as_text=False)
            for i in dated:  # real date cells: a spreadsheet sorts and filters them as dates
                if row[i] is not None:
                    row[i] = WriteOnlyCell(sheet, value=row[i])
                    row[i].number_format = DATE_FORMAT
            sheet.append(row)
        if beat is not None:
            beat(count)
    workbook.save(path)
    return count


def file_stream(path: str, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """Stream a temporary file and delete it afterwards."""
    try:
        with open(path, "rb") as fh:
            while data := fh.read(chunk):
                yield data
    finally:
        os.unlink(path)
