"""Who the press room speaks for: name, city, logo.

The one lookup of the institution's identity for the press room, release
footers, the release PDF and the media kit.  It reads the plain config keys
today; when site identity settings exist, only this function changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class PressIdentity:
    name: str  # "Pemerintah Kota Bekasi"
    site_title: str
    city: str  # "Bekasi": the releases' dateline and the kop's place
    address: str
    logo: Path  # SVG or PNG/JPEG file on disk


def identity() -> PressIdentity:
    """The identity as configured now (read at call time)."""
    cfg = current_app.config
    logo = Path(cfg.get("CMS_LOGO_PATH") or Path(current_app.root_path, "static", "favicon.svg"))
    return PressIdentity(
        name=cfg.get("CMS_INSTITUTION") or "",
        site_title=cfg.get("CMS_SITE_TITLE") or "",
        city=cfg.get("CMS_RELEASE_CITY") or "",
        address=cfg.get("CMS_INSTITUTION_ADDRESS") or "",
        logo=logo,
    )
