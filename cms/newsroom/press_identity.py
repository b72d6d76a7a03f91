"""Who the press room speaks for: name, city, logo.

The one lookup of the institution's identity for the press room, release
footers, the release PDF and the media kit: the site identity set in admin
(``cms.identity``), plus the press room's own city and a logo as a file (the
media kit rasterises it from disk).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from cms.identity import Identity, current_identity
from cms.storage import private_dir


@dataclass(frozen=True)
class PressIdentity:
    name: str  # "Pemerintah Kota Bekasi"
    site_title: str
    city: str  # "Bekasi": the releases' dateline and the kop's place
    address: str
    logo: Path  # SVG or PNG/JPEG file on disk


def identity() -> PressIdentity:
    """The identity as set now (read at call time)."""
    cfg = current_app.config
    site = current_identity()
    return PressIdentity(
        name=site.name or cfg.get("CMS_INSTITUTION") or "",
        site_title=cfg.get("CMS_SITE_TITLE") or "",
        city=cfg.get("CMS_RELEASE_CITY") or "",
        address=site.address or cfg.get("CMS_INSTITUTION_ADDRESS") or "",
        logo=_logo_file(site),
    )


def _logo_file(site: Identity) -> Path:
    """The uploaded lambang as a file named by the identity's version, else the
    configured or bundled one."""
    if site.logo:
        suffix = ".svg" if site.logo_mime == "image/svg+xml" else ".png"
        path = private_dir("identity") / f"lambang-{site.version}{suffix}"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(site.logo)
            tmp.replace(path)  # readers never see half a file
        return path
    cfg = current_app.config
    return Path(cfg.get("CMS_LOGO_PATH") or Path(current_app.root_path, "static", "favicon.svg"))
