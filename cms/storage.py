"""Where files live: public media and private (never directly served) files."""

from __future__ import annotations

from pathlib import Path

from flask import current_app


def media_dir() -> Path:
    """The public media folder (``CMS_MEDIA_DIR``), created if missing; served to anyone."""
    path = Path(current_app.config.get("CMS_MEDIA_DIR") or Path(current_app.instance_path) / "media")
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_dir(*parts: str) -> Path:
    """An owner-only folder under ``CMS_PRIVATE_DIR`` (never served); ``private_dir("hello")`` is yours."""
    base = Path(current_app.config.get("CMS_PRIVATE_DIR") or Path(current_app.instance_path) / "private")
    # Owner-only folders: files in them (identity scans, imports) are then
    # unreadable to other accounts whatever mode the writer gave them.
    base.parent.mkdir(parents=True, exist_ok=True)
    base.mkdir(mode=0o700, exist_ok=True)
    path = base
    for part in Path(*parts).parts if parts else ():
        path = path / part
        path.mkdir(mode=0o700, exist_ok=True)
    return path
