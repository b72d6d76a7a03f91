"""Fingerprinted static URLs: ``/static/warta.css?v=<hash>``.

Files change only with a deploy, so they are served with a one-year
``Cache-Control`` and the hash in the URL changes when the content does.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import current_app


@lru_cache(maxsize=1024)
def _digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


# Outside debug mode files change only with a deploy (a restart): remember
# each file's hash instead of a stat() per URL (seven per page).
_known: dict[tuple[str, str], str | None] = {}


def fingerprint(folder: str | None, filename: str) -> str | None:
    if not folder:
        return None
    if not current_app.debug and (folder, filename) in _known:
        return _known[folder, filename]
    path = Path(folder) / filename
    try:
        found = _digest(str(path), path.stat().st_mtime)
    except OSError:
        found = None
    _known[folder, filename] = found
    return found


def init_app(app) -> None:
    @app.url_defaults
    def _add_version(endpoint, values):
        if endpoint != "static" and not endpoint.endswith(".static"):
            return
        if "v" in values or "filename" not in values:
            return
        if endpoint == "static":
            folder = current_app.static_folder
        else:
            bp = current_app.blueprints.get(endpoint.rsplit(".", 1)[0])
            folder = bp.static_folder if bp else None
        version = fingerprint(folder, values["filename"])
        if version:
            values["v"] = version
