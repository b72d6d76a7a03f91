"""The DIP API's part of ``/api/v1/openapi.json`` (see ``plugins.dip.api``).

Kept as data beside the views it describes; bounds come from the views'
own constants so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from cms.api import MAX_ID, item_path, json_content, query_param
from plugins.dip.api import MAX_PAGE, MAX_PER_PAGE, MAX_YEAR, MIN_YEAR
from plugins.dip.models import CATEGORIES

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}


DIP_ENTRY = {
    "type": "object",
    "required": [
        "id",
        "kode",
        "tahun",
        "kategori",
        "kategori_label",
        "jenis_informasi",
        "ringkasan",
        "deskripsi",
        "unit",
        "pejabat",
        "penanggung_jawab",
        "waktu_pembuatan",
        "tempat_pembuatan",
        "hardcopy",
        "softcopy",
        "retensi",
        "tanggal_tinjau",
        "tautan",
        "dokumen",
        "url",
        "diterbitkan",
    ],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "kode": NULLABLE_STRING,
        "tahun": {"type": "integer"},
        "kategori": {"type": "string", "enum": sorted(CATEGORIES)},
        "kategori_label": {"type": "string"},
        "jenis_informasi": {"type": "string"},
        "ringkasan": {"type": "string"},
        "deskripsi": {"type": "string"},
        "unit": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "nama"],
                    "properties": {"id": {"type": "integer"}, "nama": {"type": "string"}},
                },
            ],
        },
        "pejabat": {"type": "string"},
        "penanggung_jawab": {"type": "string"},
        "waktu_pembuatan": NULLABLE_DATE,
        "tempat_pembuatan": {"type": "string"},
        "hardcopy": {"type": "boolean"},
        "softcopy": {"type": "boolean"},
        "retensi": {"type": "string"},
        "tanggal_tinjau": NULLABLE_DATE,
        "tautan": {"type": "array", "items": {"type": "string"}},
        "dokumen": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["nama", "ukuran", "jenis", "url"],
                "properties": {
                    "nama": {"type": "string"},
                    "ukuran": {"type": "integer"},
                    "jenis": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
        "url": {"type": "string", "format": "uri"},
        "diterbitkan": {"type": ["string", "null"], "description": "UTC, ISO 8601 with a trailing Z."},
    },
}

DIP_PAGE = {
    "type": "object",
    "required": ["items", "page", "per_page", "total", "pages", "total_capped", "next", "prev"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/DipEntry"}},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 1},
        "total_capped": {
            "type": "boolean",
            "description": "The search matched more than `total - 1` entries; narrow it.",
        },
        "next": NULLABLE_URL,
        "prev": NULLABLE_URL,
    },
}


FRAGMENT: dict[str, Any] = {
    "paths": {
        "/api/v1/dip": {
            "get": {
                "operationId": "dip_list",
                "summary": "Published entries of the Daftar Informasi Publik, newest year first.",
                "parameters": [
                    query_param("q", {"type": "string"}, "Words to search for (cut to 200 characters)."),
                    query_param("kategori", {"type": "string", "enum": sorted(CATEGORIES)}, "Category."),
                    query_param("unit", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Unit (OPD) id."),
                    query_param("jenis", {"type": "string"}, "Jenis informasi, exactly (cut to 100 characters)."),
                    query_param("tahun", {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}, "DIP year."),
                    query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page."),
                    query_param(
                        "per_page",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
                        "Entries per page.",
                    ),
                ],
                "responses": {
                    "200": {"description": "One page of entries.", "content": json_content("DipPage")},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                },
            },
        },
        "/api/v1/dip/{entry_id}": item_path(
            "dip_item", "One published entry.", id_param="entry_id", schema="DipEntry", description="The entry."
        ),
    },
    "components": {"schemas": {"DipEntry": DIP_ENTRY, "DipPage": DIP_PAGE}},
}
