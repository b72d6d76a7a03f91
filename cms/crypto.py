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
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

__all__ = ["encrypt", "decrypt", "keyed_hash", "encrypt_bytes", "decrypt_bytes", "InvalidToken", "mask"]


def _key() -> bytes:
    configured = current_app.config.get("CMS_DATA_KEY")
    if configured:
        return configured.encode() if isinstance(configured, str) else configured
    if current_app.config.get("CMS_ENV") == "production" and not current_app.config.get("TESTING"):
        key_file = Path(current_app.instance_path) / "data_key"
        if not key_file.exists():
            raise RuntimeError("CMS_DATA_KEY is not set and instance/data_key does not exist.")
    key_file = Path(current_app.instance_path) / "data_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return key_file.read_bytes().strip()


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
