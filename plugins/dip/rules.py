"""Field rules shared by the staff forms and the importer (one truth for both)."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import urlsplit

from plugins.dip.files import DipError
from plugins.dip.models import CATEGORIES

TITLE_MAX = 500
DESCRIPTION_MAX = 50_000
SHORT_MAX = 200
_CATEGORY_ALIASES = {
    "berkala": "berkala",
    "informasi berkala": "berkala",
    "serta merta": "serta_merta",
    "sertamerta": "serta_merta",
    "serta_merta": "serta_merta",
    "informasi serta merta": "serta_merta",
    "setiap saat": "setiap_saat",
    "setiapsaat": "setiap_saat",
    "setiap_saat": "setiap_saat",
    "informasi setiap saat": "setiap_saat",
}
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d/%m/%Y %H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
)
_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")


def category(value: object) -> str:
    key = re.sub(r"\s+", " ", str(value or "").strip().lower().replace("-", " "))
    if not key:
        raise DipError("Kategori wajib diisi (berkala, serta merta, setiap saat).", "kategori")
    if key in ("dikecualikan", "informasi dikecualikan", "informasi yang dikecualikan"):
        raise DipError(
            "Kategori 'Dikecualikan' bukan bagian DIP; catat di Daftar Informasi yang Dikecualikan (DIK).", "kategori"
        )
    if key not in _CATEGORY_ALIASES:
        raise DipError(
            f"Kategori tidak dikenal: '{str(value)[:50]}' (pilih: berkala, serta merta, setiap saat).", "kategori"
        )
    return _CATEGORY_ALIASES[key]


def parse_date(value: object, field: str) -> date | None:
    """Dates from JSON strings, CSV text or Excel cells; None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    raise DipError(f"Tanggal tidak dapat dibaca: '{text[:40]}' (gunakan YYYY-MM-DD).", field)


def link(value: object, field: str = "tautan") -> str:
    """Only absolute http(s) URLs; javascript:, data: and friends are refused."""
    url = str(value or "").strip()
    if not url:
        return ""
    if len(url) > 2000:
        raise DipError("Tautan terlalu panjang (maks. 2000 karakter).", field)
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        scheme = parts.scheme or "(tanpa skema)"
        raise DipError(f"Tautan harus diawali http:// atau https:// (ditolak: {scheme[:20]}).", field)
    if any(ch in url for ch in "\x00\r\n\t<>\"' "):
        raise DipError("Tautan memuat karakter yang tidak diizinkan.", field)
    return url


def plain(value: object) -> str:
    """Text without tags; bleach only runs when there is markup to remove (imports
    validate ~30,000 cells, and most hold none)."""
    from cms.api import clean_text, strip_control_chars

    text = str(value or "")
    if "<" in text or "&" in text:
        text = clean_text(text)
    return re.sub(r"\s+", " ", strip_control_chars(text)).strip()


def title(value: object) -> str:
    text = plain(value)
    if not text:
        raise DipError("Ringkasan isi informasi wajib diisi.", "ringkasan")
    if len(text) > TITLE_MAX:
        raise DipError(f"Ringkasan terlalu panjang ({len(text)} karakter; maks. {TITLE_MAX}).", "ringkasan")
    return text


def description(value: object) -> tuple[str, str]:
    """(clean HTML, plain text) of a description."""
    from markupsafe import escape

    from cms.api import clean_html, strip_control_chars

    raw = str(value or "")
    if len(raw) > DESCRIPTION_MAX:
        raise DipError(f"Deskripsi terlalu panjang ({len(raw)} karakter; maks. {DESCRIPTION_MAX}).", "deskripsi")
    if "<" in raw or "&" in raw:
        html = str(clean_html(raw if _TAG.search(raw) else raw.replace("\n", "<br>")))
    else:  # plain text: escaping is all it needs
        lines = [str(escape(line)) for line in strip_control_chars(raw).strip().splitlines()]
        html = "<br>".join(lines)
    return html, plain(raw)


def short(value: object, field: str, label: str, limit: int = SHORT_MAX) -> str:
    text = plain(value)
    if len(text) > limit:
        raise DipError(f"{label} terlalu panjang ({len(text)} karakter; maks. {limit}).", field)
    return text


def year(value: object, field: str = "tahun") -> int:
    try:
        number = int(str(value).strip().split(".")[0])
    except (TypeError, ValueError):
        raise DipError(f"Tahun tidak valid: '{str(value)[:20]}'.", field) from None
    if not 2000 <= number <= 2200:
        raise DipError(f"Tahun di luar rentang: {number}.", field)
    return number


def has_html(value: object) -> bool:
    return bool(_TAG.search(str(value or "")))


CATEGORY_CHOICES = list(CATEGORIES.items())
