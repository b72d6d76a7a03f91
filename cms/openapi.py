"""``/api/v1/openapi.json``: the public API's description, assembled from plugins.

Core owns the frame (info, the shared ``Error`` schema and error responses);
each plugin that adds ``/api/v1/`` routes returns its own paths through the
``cms_openapi_paths`` hook, so the document follows what is installed and no
one keeps a second copy in sync by hand.
"""

from __future__ import annotations

import copy
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from cms.extensions import csrf
from cms.inputs import DB_INT_MAX

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Primary keys are 32-bit on PostgreSQL (``integer``); larger ids cannot exist.
MAX_ID = DB_INT_MAX
"""The largest id a row can have (PostgreSQL ``integer``); bigger ids in a URL are 404."""

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Warta API",
        "version": "1",
        "description": "Read-only JSON for open-data portals. Errors answer with an `error` message "
        "naming the parameter at fault.",
    },
    "paths": {
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document.",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            },
        },
    },
    "components": {
        "schemas": {
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
        "responses": {
            "BadRequest": {
                "description": "A parameter is out of range or malformed; `error` names it.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "NotFound": {
                "description": "No such published item.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    },
}


def query_param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """An optional query parameter ``name`` of the given JSON ``schema``."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def json_content(schema: str) -> dict[str, Any]:
    """A response's ``content``: JSON of the component schema named ``schema``."""
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def item_path(operation_id: str, summary: str, *, id_param: str, schema: str, description: str) -> dict[str, Any]:
    """The path item of ``GET …/{id_param}``: one published item by id (1..``MAX_ID``),
    answered with the component ``schema`` (200, ``description``) or ``NotFound`` (404)."""
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": [
                {
                    "name": id_param,
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                }
            ],
            "responses": {
                "200": {"description": description, "content": json_content(schema)},
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        },
    }


class SpecClash(RuntimeError):
    """Two plugins describe the same path or component."""


def build(fragments: list[dict[str, Any]]) -> dict[str, Any]:
    """Merge plugin fragments into the base document; a name given twice is refused."""
    spec = copy.deepcopy(BASE)
    for fragment in fragments:
        for path, item in (fragment.get("paths") or {}).items():
            if not path.startswith("/api/v1/"):
                raise SpecClash(f"OpenAPI path {path!r} is outside /api/v1/")
            if path in spec["paths"]:
                raise SpecClash(f"OpenAPI path {path!r} is described twice")
            spec["paths"][path] = copy.deepcopy(item)
        for kind, items in (fragment.get("components") or {}).items():
            section = spec["components"].setdefault(kind, {})
            for name, value in items.items():
                if name in section:
                    raise SpecClash(f"OpenAPI component {kind}/{name} is described twice")
                section[name] = copy.deepcopy(value)
    return spec


def document() -> dict[str, Any]:
    """The document of the current app, built once."""
    cached = current_app.extensions.get("cms_openapi")
    if cached is None:
        cached = build(current_app.extensions["cms"].hook.cms_openapi_paths())
        current_app.extensions["cms_openapi"] = cached
    return cached


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(document())


@bp.get("/")
def index():
    """What the API offers: its collections and this document, as absolute URLs."""
    root = request.host_url.rstrip("/")
    collections = sorted(p for p in document()["paths"] if "{" not in p and not p.endswith("openapi.json"))
    return jsonify(openapi=root + "/api/v1/openapi.json", koleksi=[root + p for p in collections])
