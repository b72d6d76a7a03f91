"""Encryption at rest for personal data and secrets: the only module using
``cryptography``.

The key lives outside the database (``CMS_DATA_KEY`` in config/environment,
or ``instance/data_key`` generated on first use), so a stolen database dump
alone does not reveal NIKs or channel tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

__all__ = ["encrypt", "decrypt", "keyed_hash", "encrypt_bytes", "decrypt_bytes", "InvalidToken", "mask"]


def _key() -> bytes:
    configured = current_app.config.get("CMS_DATA_KEY")
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    from cms.keyfile import read_or_create

    return read_or_create(Path(current_app.instance_path) / "data_key", Fernet.generate_key)


def _fernet() -> Fernet:
    return Fernet(_key())


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode("utf-8")


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def keyed_hash(value: str, purpose: str = "default") -> str:
    """HMAC-SHA256 of ``value`` for duplicate checks without storing it plainly."""
    derived = hmac.new(_key(), purpose.encode(), hashlib.sha256).digest()
    digest = hmac.new(derived, value.strip().encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def mask(value: str | None, visible: int = 4) -> str:
    """``************1234``: keep the last ``visible`` characters."""
    if not value:
        return ""
    value = str(value)
    if len(value) <= visible:
        return "*" * len(value)
    return "*" * (len(value) - visible) + value[-visible:]
