"""Encryption at rest for personal data and secrets: the only module using
``cryptography`` for data (archives: ``cms.archive_crypto``).

The keys live outside the database, so a stolen database dump alone does
not reveal NIKs or channel tokens:

* the data key: ``CMS_DATA_KEY`` (config/environment; several keys separated
  by commas, newest first) or ``instance/data_key``, generated on first use;
  while a rotation runs, ``instance/data_key.old`` holds the previous key(s),
  still accepted for reading (``MultiFernet``), never for writing;
* the hash key for ``keyed_hash`` (look-ups of NIK, e-mail, tracking codes):
  ``CMS_HASH_KEY`` or ``instance/hash_key``, else the data key.  Rotation
  pins it first, because a hash cannot be recomputed without the value.

Every encrypted column and file is declared through the
``cms_encrypted_data`` hook (``EncryptedColumn``/``EncryptedFiles``), so
rotation and the check after a restore cover plugins too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

__all__ = [
    "encrypt",
    "decrypt",
    "keyed_hash",
    "encrypt_bytes",
    "decrypt_bytes",
    "InvalidToken",
    "mask",
    "EncryptedColumn",
    "EncryptedFiles",
    "registered",
    "data_keys",
    "hash_key",
    "fingerprint",
]

DATA_KEY_FILE = "data_key"
OLD_KEYS_FILE = "data_key.old"
HASH_KEY_FILE = "hash_key"


class InvalidToken(Exception):
    """No key opens the token.  ``cryptography`` (6 MiB resident, with its
    OpenSSL) is imported at the first encryption or decryption, not when
    the app starts: public pages never need it.  ``decrypt`` and
    ``decrypt_bytes`` raise this one, chained to cryptography's own."""


@dataclass(frozen=True)
class EncryptedColumn:
    """A text column holding ``encrypt()`` tokens (empty/NULL = no value).

    ``hash_column``: a sibling holding ``keyed_hash(normalise(value),
    hash_purpose)``; the check after a restore uses it to prove the hash key.
    """

    label: str
    table: str
    column: str
    hash_column: str | None = None
    hash_purpose: str = ""
    normalise: Callable[[str], str] | None = None


@dataclass(frozen=True)
class EncryptedFiles:
    """Files under ``private_dir(*directory)`` holding ``encrypt_bytes()``
    tokens, named by ``table.column`` (rows whose file is gone are skipped)."""

    label: str
    table: str
    column: str
    directory: tuple[str, ...]


def registered() -> list[EncryptedColumn | EncryptedFiles]:
    """Every encrypted column and file the enabled plugins (core included) declare."""
    from cms.plugins import hook

    found: list[EncryptedColumn | EncryptedFiles] = []
    for group in hook().cms_encrypted_data():
        found.extend(group or [])
    return found


def _split(raw) -> list[bytes]:
    if isinstance(raw, (list, tuple)):
        parts = list(raw)
    else:
        raw = raw.decode() if isinstance(raw, bytes) else str(raw)
        parts = raw.replace("\n", ",").split(",")
    return [p.strip().encode() if isinstance(p, str) else p.strip() for p in parts if p and p.strip()]


def instance_dir() -> Path:
    return Path(current_app.instance_path)


def configured_in_environment() -> bool:
    return bool(current_app.config.get("CMS_DATA_KEY"))


def data_keys() -> list[bytes]:
    """The data keys, the one used for writing first."""
    configured = current_app.config.get("CMS_DATA_KEY")
    if configured:
        return _split(configured)
    from cms.keyfile import read_or_create

    keys = [read_or_create(instance_dir() / DATA_KEY_FILE, _generate_key)]
    old = instance_dir() / OLD_KEYS_FILE
    if old.exists():
        keys += [k for k in _split(old.read_bytes()) if k not in keys]
    return keys


def hash_key() -> bytes:
    configured = current_app.config.get("CMS_HASH_KEY")
    if configured:
        return _split(configured)[0]
    path = instance_dir() / HASH_KEY_FILE
    if path.exists():
        return path.read_bytes().strip()
    return data_keys()[0]


def fingerprint(key: bytes) -> str:
    """A short public name for a key (reveals nothing of it)."""
    return hmac.new(key, b"warta key fingerprint", hashlib.sha256).hexdigest()[:16]


def _generate_key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


def fernet_for(keys: list[bytes]) -> MultiFernet:
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(k) for k in keys])


def _fernet() -> MultiFernet:
    return fernet_for(data_keys())


def encrypt(text: str) -> str:
    """Encrypt ``text`` with the current key (Fernet); store the token, never the text."""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token from ``encrypt``; raises ``InvalidToken`` if no key opens it."""
    return _open(token.encode("ascii")).decode("utf-8")


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt file contents with the current key."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """The contents encrypted by ``encrypt_bytes``; raises ``InvalidToken`` if no key opens them."""
    return _open(token)


def _open(token: bytes) -> bytes:
    from cryptography import fernet

    try:
        return _fernet().decrypt(token)
    except fernet.InvalidToken as error:
        raise InvalidToken(str(error)) from error


def keyed_hash(value: str, purpose: str = "default", key: bytes | None = None) -> str:
    """HMAC-SHA256 of ``value`` for duplicate checks without storing it plainly."""
    derived = hmac.new(key or hash_key(), purpose.encode(), hashlib.sha256).digest()
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
