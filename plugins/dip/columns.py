"""The columns of a DIP import table: the header names each field goes by.

Readers use it to find the header row, the importer to map cells to fields.
"""

from __future__ import annotations

import re

# field -> header names seen in the wild (lower case, punctuation as spaces)
ALIASES = {
    "kode": ("kode", "kode informasi", "code", "id dokumen"),
    "title": ("title", "judul", "ringkasan", "ringkasan isi informasi", "ringkasan informasi", "nama informasi"),
    "description": ("description", "deskripsi", "keterangan", "uraian"),
    "category": ("category", "kategori", "dokumen kategori", "kategori informasi", "klasifikasi"),
    "unit": (
        "unit",
        "opd",
        "unit opd",
        "pejabat unit yang menguasai",
        "pejabat unit yang menguasai informasi",
        "unit yang menguasai",
        "perangkat daerah",
    ),
    "jenis": ("jenis", "jenis informasi", "sub jenis"),
    "unit_reg": ("unit reg", "reg opd", "kode opd"),
    "year": ("year", "tahun", "tahun dip"),
    "made_on": ("made on", "created at", "waktu pembuatan", "tanggal pembuatan", "tanggal", "waktu"),
    "made_place": ("made place", "tempat pembuatan", "tempat"),
    "official": ("official", "pejabat yang menguasai", "pejabat"),
    "responsible": (
        "responsible",
        "penanggung jawab",
        "penanggung jawab pembuatan atau penerbitan informasi",
        "penanggung jawab pembuatan penerbitan",
    ),
    "formats": ("formats", "bentuk informasi", "bentuk informasi yang tersedia", "format"),
    "retention": (
        "retention",
        "jangka waktu penyimpanan",
        "retensi",
        "retensi arsip",
        "jangka waktu penyimpanan retensi arsip",
    ),
    "links": ("links", "link", "tautan", "url"),
    "reviewed_on": ("reviewed on", "tanggal tinjau", "ditinjau"),
}
_KEY_OF = {alias: key for key, aliases in ALIASES.items() for alias in aliases}


def column_key(header: str) -> str | None:
    norm = re.sub(r"[^0-9a-z]+", " ", str(header or "").lower()).strip()
    return _KEY_OF.get(norm)


UNIT_OFFICIAL = " — "  # "Dinas X — Kepala Bidang Y" in the export's one holder column


def split_holder(text: str) -> tuple[str, str]:
    """``(unit, pejabat)`` from the export's "Pejabat/Unit yang Menguasai"
    (``Unit — Pejabat``, or ``— Pejabat`` for the PPID Utama); a cell
    without the separator is the unit alone."""
    unit, sep, official = f" {text}".partition(UNIT_OFFICIAL)
    if not sep:
        return text, ""
    return unit.strip(), official.strip()
