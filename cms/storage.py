"""Where files live: public media and private (never directly served) files."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def media_dir() -> Path:
    path = Path(current_app.config.get("CMS_MEDIA_DIR") or Path(current_app.instance_path) / "media")
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_dir(*parts: str) -> Path:
    base = Path(current_app.config.get("CMS_PRIVATE_DIR") or Path(current_app.instance_path) / "private")
    path = base.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
