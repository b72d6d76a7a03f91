"""The posts API's part of ``/api/v1/openapi.json`` (see ``cms.feeds.posts_api``).

Bounds come from the views' own constants so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from cms.feeds.posts_api import MAX_PAGE, MAX_PER_PAGE
from cms.models.content import POST_KINDS
from cms.openapi import item_path, json_content, query_param

NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}
TIMESTAMP = {"type": "string", "description": "UTC, ISO 8601 with a trailing Z."}
NAMED = {
    "type": "object",
    "required": ["nama", "slug"],
    "properties": {"nama": {"type": "string"}, "slug": {"type": "string"}},
}
PHOTO = {
    "type": "object",
    "required": ["url", "jenis", "ukuran", "keterangan", "kredit"],
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "jenis": {"type": "string"},
        "ukuran": {"type": "integer", "minimum": 0},
        "keterangan": {"type": "string"},
        "kredit": {"type": "string"},
    },
}

POST = {
    "type": "object",
    "required": [
        "id",
        "jenis",
        "jenis_label",
        "judul",
        "slug",
        "nomor_rilis",
        "dateline",
        "ringkasan",
        "isi_html",
        "penulis",
        "unit",
        "kategori",
        "tag",
        "gambar",
        "foto",
        "terbit",
        "diperbarui",
        "url",
    ],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "jenis": {"type": "string", "enum": sorted(POST_KINDS)},
        "jenis_label": {"type": "string"},
        "judul": {"type": "string"},
        "slug": {"type": "string"},
        "nomor_rilis": {
            "type": ["string", "null"],
            "description": "A press release's number, e.g. 045/HUMAS/XII/2026.",
        },
        "dateline": {"type": "string"},
        "ringkasan": {"type": "string"},
        "isi_html": {"type": "string", "description": "The body, sanitized, with absolute links and figures."},
        "penulis": {"type": "string"},
        "unit": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "required": ["id", "nama"],
                    "properties": {"id": {"type": "integer"}, "nama": {"type": "string"}},
                },
            ]
        },
        "kategori": {"type": "array", "items": NAMED},
        "tag": {"type": "array", "items": NAMED},
        "gambar": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/PostPhoto"}]},
        "foto": {"type": "array", "items": {"$ref": "#/components/schemas/PostPhoto"}},
        "terbit": TIMESTAMP,
        "diperbarui": TIMESTAMP,
        "url": {"type": "string", "format": "uri"},
    },
}

POST_PAGE = {
    "type": "object",
    "required": ["items", "page", "per_page", "total", "pages", "next", "prev"],
    "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Post"}},
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "total": {"type": "integer", "minimum": 0},
        "pages": {"type": "integer", "minimum": 1},
        "next": NULLABLE_URL,
        "prev": NULLABLE_URL,
    },
}


FRAGMENT: dict[str, Any] = {
    "paths": {
        "/api/v1/posts": {
            "get": {
                "operationId": "posts_list",
                "summary": "Published press releases and news, newest first (never a draft or an embargoed release).",
                "parameters": [
                    query_param("jenis", {"type": "string", "enum": sorted(POST_KINDS)}, "Press releases or news."),
                    query_param("kategori", {"type": "string"}, "A category's slug."),
                    query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page."),
                    query_param(
                        "per_page",
                        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
                        "Items per page.",
                    ),
                ],
                "responses": {
                    "200": {"description": "One page of items.", "content": json_content("PostPage")},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                },
            },
        },
        "/api/v1/posts/{post_id}": item_path(
            "posts_item", "One published item.", id_param="post_id", schema="Post", description="The item."
        ),
    },
    "components": {"schemas": {"Post": POST, "PostPage": POST_PAGE, "PostPhoto": PHOTO}},
}
