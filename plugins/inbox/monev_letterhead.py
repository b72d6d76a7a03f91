"""The PPID Utama's kop surat and signer for Monev's letter of results
(``cms_monev_letterhead``): the same settings the inbox letters use."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, url_for

from plugins.inbox import letterhead


def letterhead_for_monev() -> dict[str, Any]:
    kop = letterhead.resolve(None)
    user = kop.signer
    signer = None
    if user is not None:
        signer = {
            "name": (user.name or "").strip(),
            "position": (user.position or "").strip(),
            "nip": (user.nip or "").strip(),
        }
    return {
        "kop": {
            "instansi": kop.instansi,
            "unit_name": kop.unit_name,
            "unit_code": kop.unit_code,
            "address": kop.address,
            "phone": kop.phone,
            "email": kop.email,
            "website": kop.website,
            "place": kop.place,
            "logo_uri": kop.logo_uri,
            "tembusan": kop.tembusan_list,
        },
        "signer": signer,
        "where": f"menu Pengaturan surat, kop PPID Utama ({_settings_url()})",
    }


def _settings_url() -> str:
    return url_for("inbox_admin.letter_settings") if has_request_context() else "/admin/inbox/surat/pengaturan"
