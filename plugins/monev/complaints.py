"""Public complaints received outside Warta (SP4N-LAPOR!, letters, visits).

A unit records them one by one or imports a CSV with the columns
``diterima`` (date), ``kategori``, ``selesai`` (date, may be empty) and
optionally ``sumber`` and ``nomor``.  Good rows are kept; each bad row is
reported with its line number and why, and none of them is stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from cms.api import audit, db
from plugins.monev.models import MonevComplaint

REQUIRED = ("diterima", "kategori")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
MAX_ROWS = 5000


class ComplaintError(ValueError):
    pass


@dataclass
class ImportResult:
    added: int = 0
    errors: list[str] = field(default_factory=list)


def parse_date(text: str) -> date | None:
    text = (text or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def build(
    unit_id: int, received_text: str, category: str, resolved_text: str, channel: str = "", reference: str = ""
) -> MonevComplaint:
    """One complaint from form or CSV text; ``ComplaintError`` names what is wrong."""
    received = parse_date(received_text)
    if received is None:
        raise ComplaintError(f"tanggal diterima \u201c{received_text.strip()[:20]}\u201d tidak valid")
    if received > date.today():
        raise ComplaintError("tanggal diterima di masa depan")
    category = (category or "").strip()
    if not category:
        raise ComplaintError("kategori kosong")
    resolved = None
    if (resolved_text or "").strip():
        resolved = parse_date(resolved_text)
        if resolved is None:
            raise ComplaintError(f"tanggal selesai \u201c{resolved_text.strip()[:20]}\u201d tidak valid")
        if resolved < received:
            raise ComplaintError("tanggal selesai sebelum tanggal diterima")
    return MonevComplaint(
        unit_id=unit_id,
        received_on=received,
        category=category[:100],
        resolved_on=resolved,
        channel=(channel or "").strip()[:60],
        reference=(reference or "").strip()[:100],
    )


def import_csv(unit_id: int, data: bytes, user) -> ImportResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ComplaintError("Berkas CSV harus berenkode UTF-8.") from exc
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ComplaintError("Kolom CSV wajib tidak ada: " + ", ".join(missing) + ".")
    result = ImportResult()
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            result.errors.append(f"Baris {line} dan seterusnya: lebih dari {MAX_ROWS} baris, tidak dibaca.")
            break
        row = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if isinstance(v, str)}
        try:
            complaint = build(
                unit_id,
                row.get("diterima", ""),
                row.get("kategori", ""),
                row.get("selesai", ""),
                row.get("sumber", ""),
                row.get("nomor", ""),
            )
        except ComplaintError as exc:
            result.errors.append(f"Baris {line}: {exc}.")
            continue
        complaint.created_by_id = user.id
        db.session.add(complaint)
        result.added += 1
    db.session.commit()
    audit.record(
        "monev.complaints.imported", "unit", unit_id, {"added": result.added, "bad": len(result.errors)}, commit=True
    )
    return result
