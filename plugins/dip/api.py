"""Read-only JSON API for open-data portals: ``/api/v1/dip``."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from cms.api import MAX_ID, csrf, db, query_int_or_400
from plugins.dip import catalogue
from plugins.dip.catalogue import Filters
from plugins.dip.models import DipEntry
from plugins.dip.services import public_url

bp = Blueprint("dip_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MIN_YEAR, MAX_YEAR = 1900, 2200


def as_json(entry: DipEntry) -> dict:
    return {
        "id": entry.id,
        "kode": entry.kode,
        "tahun": entry.year,
        "kategori": entry.category,
        "kategori_label": entry.category_label,
        "jenis_informasi": entry.jenis,
        "ringkasan": entry.title,
        "deskripsi": entry.description_text,
        "unit": {"id": entry.unit.id, "nama": entry.unit.name} if entry.unit else None,
        "pejabat": entry.official,
        "penanggung_jawab": entry.responsible,
        "waktu_pembuatan": entry.made_on.isoformat() if entry.made_on else None,
        "tempat_pembuatan": entry.made_place,
        "hardcopy": entry.hardcopy,
        "softcopy": entry.softcopy,
        "retensi": entry.retention,
        "tanggal_tinjau": entry.reviewed_on.isoformat() if entry.reviewed_on else None,
        "tautan": [link.url for link in entry.links],
        "dokumen": [
            {
                "nama": d.file_name,
                "ukuran": d.size,
                "jenis": d.mimetype,
                "url": url_for("dip.document", doc_id=d.id, name=d.file_name, _external=True),
            }
            for d in entry.documents
        ],
        "url": public_url(entry),
        "diterbitkan": entry.published_at.isoformat() + "Z" if entry.published_at else None,
    }


@bp.get("/dip")
def dip_list():
    filters = Filters.from_args(request.args)
    if "kategori" in request.args and not filters.kategori:
        return jsonify(error="Parameter 'kategori' harus berkala, serta_merta atau setiap_saat."), 400
    filters.tahun = query_int_or_400("tahun", None, low=MIN_YEAR, high=MAX_YEAR)
    filters.unit = query_int_or_400("unit", None, low=1, high=MAX_ID)
    page = query_int_or_400("page", 1, low=1, high=MAX_PAGE)
    per_page = query_int_or_400("per_page", 20, low=1, high=MAX_PER_PAGE)
    result = catalogue.page(filters, page, per_page)
    hits, total = result.hits, result.total
    pages = max(1, -(-min(total, catalogue.COUNT_CAP) // per_page) if result.capped else -(-total // per_page))
    args = filters.to_args() | {"per_page": per_page}
    return jsonify(
        items=[as_json(hit["entry"]) for hit in hits],
        page=page,
        per_page=per_page,
        total=total,
        pages=pages,
        total_capped=result.capped,  # a search matched more than ``total - 1``; narrow it
        next=url_for("dip_api.dip_list", page=page + 1, _external=True, **args) if page < pages else None,
        prev=url_for("dip_api.dip_list", page=page - 1, _external=True, **args) if page > 1 else None,
    )


@bp.get("/dip/<int:entry_id>")
def dip_item(entry_id: int):
    entry = db.session.get(DipEntry, entry_id)  # the id converter already refused ids past the column
    if entry is None or entry.published_at is None:
        return jsonify(error="Entri tidak ditemukan."), 404
    return jsonify(as_json(entry))


@bp.errorhandler(400)
def _bad_request(error):
    return jsonify(error=getattr(error, "description", "Permintaan tidak valid.")), 400
