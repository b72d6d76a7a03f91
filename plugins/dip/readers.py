"""Read import files (CSV, XLSX, Kota Bekasi JSON) into rows with their place.

The type comes from the content, not the name: the Bekasi export's files
have no extension.  A folder is walked in name order; notes such as README
or LICENSE are passed over.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cms.api import JSONTooDeep, load_json
from plugins.dip.columns import column_key

_SKIP_NAMES = ("readme", "license", "licence", "copying", "notice", "changelog")
_SKIP_SUFFIXES = {".md", ".txt", ".pdf", ".rst", ".html", ".png", ".jpg", ".gitkeep"}
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class Source:
    """One file: its rows as (place, dict) or the reason it cannot be read."""

    name: str
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    error: str | None = None


def collect(path: Path) -> list[Source]:
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and not _skipped(p))
        return [read(p, p.relative_to(path).as_posix()) for p in found]
    return [read(path, path.name)]


def _skipped(path: Path) -> bool:
    name = path.name.lower()
    return (
        name.startswith(".")
        or path.suffix.lower() in _SKIP_SUFFIXES
        or any(name.startswith(prefix) for prefix in _SKIP_NAMES)
    )


def read(path: Path, name: str) -> Source:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return Source(name, error="berkas terlalu besar untuk diimpor (maks. 200 MB)")
        data = path.read_bytes()
    except OSError as exc:
        return Source(name, error=f"berkas tidak dapat dibaca ({exc.strerror or exc})")
    return parse(data, name)


def parse(data: bytes, name: str) -> Source:
    if not data.strip():
        return Source(name, error="berkas kosong")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data, name)
    text = _decode(data)
    if text is None:
        return Source(name, error="bukan berkas JSON, CSV atau XLSX (isi biner tidak dikenal)")
    if text.lstrip()[:1] in ("[", "{"):
        return _json(text, name)
    return _csv(text, name)


def _decode(data: bytes) -> str | None:
    if b"\x00" in data[:4096]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _json(text: str, name: str) -> Source:
    try:
        payload = load_json(text)
    except json.JSONDecodeError as exc:
        return Source(name, error=f"JSON tidak valid pada baris {exc.lineno} kolom {exc.colno}: {exc.msg}")
    except JSONTooDeep:
        return Source(name, error="JSON tidak valid: susunan bertingkat terlalu dalam")
    if isinstance(payload, dict):
        payload = payload.get("data", payload.get("items"))
    if not isinstance(payload, list):
        return Source(name, error="JSON harus berupa daftar (array) entri")
    source = Source(name)
    for index, item in enumerate(payload, start=1):
        kode = item.get("kode") if isinstance(item, dict) else None
        place = f"{name} entri #{index}" + (f" (kode {kode})" if kode else "")
        source.rows.append((place, item if isinstance(item, dict) else {"__invalid__": type(item).__name__}))
    return source


def _csv(text: str, name: str) -> Source:
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        table = list(reader)
    except csv.Error as exc:
        return Source(name, error=f"CSV tidak valid: {exc}")
    return _table(table, name, lambda n: f"{name} baris {n}")


def _xlsx(data: bytes, name: str) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return Source(name, error=f"bukan berkas XLSX yang valid ({type(exc).__name__})")
    try:
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
        title = sheet.title
    finally:
        workbook.close()
    return _table(table, name, lambda n: f"{name} lembar {title} baris {n}")


def _table(table: list[list[Any]], name: str, place) -> Source:
    start = next((i for i, row in enumerate(table) if any(_cell(v) for v in row)), None)
    if start is None:
        return Source(name, error="berkas tidak berisi baris")
    header = [column_key(_cell(v)) for v in table[start]]
    if "title" not in header or "category" not in header:
        return Source(
            name,
            error="bukan tabel DIP: kolom 'Ringkasan Isi Informasi' (atau 'judul') dan "
            "'Kategori' tidak ditemukan di baris judul",
        )
    source = Source(name)
    for offset, row in enumerate(table[start + 1 :], start=start + 2):
        if not any(_cell(v) for v in row):
            continue
        item = {key: row[i] if i < len(row) else None for i, key in enumerate(header) if key}
        if len(row) > len(header) and any(_cell(v) for v in row[len(header) :]):
            item["__extra__"] = True
        source.rows.append((place(offset), item))
    return source


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()
