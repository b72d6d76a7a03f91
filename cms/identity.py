"""The institution's identity as every page, e-mail and PDF sees it.

``current_identity()`` resolves the one ``site_identity`` row over the
configuration (``CMS_INSTITUTION``, ``CMS_IDENTITY_ACCENT``), so a fresh
install works before an admin opens the settings.  The result is kept per
process under the site's content counter: ``site_identity`` is a public
table (``cms.content_version.FEED_TABLES``), so saving bumps the counter and
drops every cached page showing the old header and footer.

Refusals raise ``IdentityError`` naming the form field: a logo of the wrong
type, too large or an SVG that is more than a picture; a link that is not a
web address; an accent colour too pale for white text (the ratio is shown).
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from cms import images
from cms.content_version import current_version
from cms.errors import FieldError
from cms.extensions import db
from cms.models.identity import SiteIdentity
from cms.sanitize import clean_html, strip_control_chars
from cms.svg_check import SVGError, check_svg
from cms.timeutil import naive_utc

SOCIAL = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube", "tiktok": "TikTok"}
MIN_CONTRAST = 4.5  # WCAG 2.x AA for normal text
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_cache: dict[int, tuple[int, Identity]] = {}
_lock = threading.Lock()


class IdentityError(FieldError):
    """A refused identity setting (message and the form field it concerns)."""


@dataclass(frozen=True)
class Identity:
    name: str
    tagline: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    social: tuple[tuple[str, str, str], ...] = ()  # (key, label, url)
    accent: str = "#0b5394"
    logo: bytes | None = field(default=None, repr=False)
    logo_mime: str = ""
    privacy_html: str = ""
    version: str = "0"

    @property
    def accent_dark(self) -> str:
        """The accent darkened by a fifth, for hover states."""
        return "#" + "".join(f"{int(c * 0.8):02x}" for c in _rgb(self.accent))

    @property
    def logo_data_uri(self) -> str:
        """The lambang inline, for PDFs (WeasyPrint fetches nothing online)."""
        if not self.logo:
            return ""
        return f"data:{self.logo_mime};base64,{base64.b64encode(self.logo).decode()}"

    @property
    def phone_href(self) -> str:
        digits = re.sub(r"[^\d+]", "", self.phone)
        return f"tel:{digits}" if digits else ""


# ------------------------------------------------------------------ colour


def _rgb(value: str) -> tuple[int, int, int]:
    match = _HEX.match(value.strip())
    if not match:
        raise IdentityError("Warna harus berupa kode heksadesimal, misalnya #0b5394.", "accent")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, gr, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * gr + 0.0722 * b


def contrast_with_white(value: str) -> float:
    """WCAG contrast ratio of ``value`` against white (1 to 21)."""
    return 1.05 / (_luminance(_rgb(value)) + 0.05)


def check_accent(value: str) -> str:
    """``#rrggbb`` when white text on it (and it on white) meets AA; else ``IdentityError``."""
    rgb = _rgb(value)
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        shown = f"{ratio:.2f}".replace(".", ",")
        raise IdentityError(
            f"Kontras warna dengan putih hanya {shown}:1; paling sedikit 4,5:1 (WCAG AA). Pilih warna lebih gelap.",
            "accent",
        )
    return "#" + "".join(f"{c:02x}" for c in rgb)


# ------------------------------------------------------------------ logo and links


def check_logo(data: bytes, filename: str = "") -> tuple[bytes, str]:
    """A PNG re-encoded without metadata, or an SVG that is only a picture."""
    limit = int(current_app.config["CMS_IDENTITY_LOGO_MAX_KB"]) * 1024
    if not data:
        raise IdentityError("Berkas lambang kosong.", "logo")
    if len(data) > limit:
        raise IdentityError(f"Berkas lambang melebihi batas {limit // 1024} KB.", "logo")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")):
        try:
            return check_svg(data), "image/svg+xml"
        except SVGError as exc:
            raise IdentityError(str(exc), "logo") from None
    if images.sniff(data) != "image/png":
        raise IdentityError("Lambang harus berupa berkas SVG atau PNG.", "logo")
    try:
        clean = images.strip_metadata(data, formats=("PNG",))
    except images.ImageError as exc:
        raise IdentityError(str(exc), "logo") from None
    return clean.data, clean.mime


def check_url(value: str, field_name: str) -> str:
    """An http(s) address with a host, or ``""``; anything else is refused."""
    value = strip_control_chars(value or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in value or len(value) > 300:
        raise IdentityError("Alamat tautan harus diawali https:// dan berupa alamat situs yang sah.", field_name)
    return value


# ------------------------------------------------------------------ reading


def _version(*parts) -> str:
    """Changes whenever what the lambang and accent URLs serve changes."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:10]


def _defaults() -> Identity:
    cfg = current_app.config
    accent = cfg.get("CMS_IDENTITY_ACCENT") or "#0b5394"
    return Identity(name=cfg["CMS_INSTITUTION"], accent=accent, version=_version(accent))


def row() -> SiteIdentity | None:
    return db.session.get(SiteIdentity, 1)


def _resolve(stored: SiteIdentity | None) -> Identity:
    base = _defaults()
    if stored is None:
        return base
    social = tuple(
        (key, label, (stored.social or {}).get(key, ""))
        for key, label in SOCIAL.items()
        if (stored.social or {}).get(key)
    )
    return Identity(
        name=stored.name or base.name,
        tagline=stored.tagline,
        address=stored.address,
        phone=stored.phone,
        email=stored.email,
        social=social,
        accent=stored.accent or base.accent,
        logo=stored.logo,
        logo_mime=stored.logo_mime if stored.logo else "",
        privacy_html=stored.privacy_html,
        version=_version(stored.accent or base.accent, stored.updated_at),
    )


def current_identity() -> Identity:
    """The identity now (cached per process until public content changes)."""
    # Kept on the request's environ, not on g: tests share one app context.
    memo = request.environ if has_request_context() else {}
    if "cms.identity" in memo:
        return memo["cms.identity"]
    app_key = id(current_app._get_current_object())  # type: ignore[attr-defined]  # LocalProxy
    counter = current_version().counter
    cached = _cache.get(app_key)
    if cached is None or cached[0] != counter:
        identity = _resolve(row())
        with _lock:
            _cache[app_key] = (counter, identity)
    else:
        identity = cached[1]
    memo["cms.identity"] = identity
    return identity


def forget() -> None:
    """Drop this process's copy (after a save, and in tests)."""
    with _lock:
        _cache.clear()
    if has_request_context():
        request.environ.pop("cms.identity", None)


# ------------------------------------------------------------------ writing


def save(values: dict, logo: tuple[bytes, str] | None = None, remove_logo: bool = False) -> SiteIdentity:
    """Check and store ``values`` (the form's fields); the caller commits.

    Raises ``IdentityError`` before anything is written."""
    accent = check_accent(values.get("accent") or _defaults().accent)
    social = {key: check_url(values.get(f"social_{key}", ""), f"social_{key}") for key in SOCIAL}
    email = strip_control_chars(values.get("email") or "").strip()
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise IdentityError("Alamat e-mail tidak sah.", "email")
    stored = row() or SiteIdentity(id=1)
    stored.name = strip_control_chars(values.get("name") or "").strip()[:200]
    stored.tagline = strip_control_chars(values.get("tagline") or "").strip()[:200]
    stored.address = strip_control_chars(values.get("address") or "").strip()[:1000]
    stored.phone = strip_control_chars(values.get("phone") or "").strip()[:60]
    stored.email = email[:200]
    stored.social = {key: url for key, url in social.items() if url}
    stored.accent = accent
    stored.privacy_html = str(clean_html(values.get("privacy_html") or ""))
    if remove_logo:
        stored.logo, stored.logo_mime = None, ""
    if logo is not None:
        stored.logo, stored.logo_mime = logo
    stored.updated_at = naive_utc()
    db.session.add(stored)
    db.session.flush()  # site_identity is a public table: the flush bumps the counter, drops stored pages
    forget()
    return stored


def kop_defaults() -> dict:
    """What a printed document's kop shows when nothing more specific is set."""
    ident = current_identity()
    return {
        "instansi": ident.name,
        "address": ident.address,
        "phone": ident.phone,
        "email": ident.email,
        "website": current_app.config.get("SITE_URL", ""),
        "logo_uri": ident.logo_data_uri,
    }
