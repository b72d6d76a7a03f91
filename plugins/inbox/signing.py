"""Electronic signatures on official documents (PAdES, pyHanko).

``sign`` runs the ``cms_inbox_sign_letter`` hook before a document is stored.
The bundled signer below answers last (``trylast`` in ``hooks``), so a plugin that talks
to the institution's certificate service (e.g. BSrE) signs instead when
enabled.  The bundled one signs only when ``INBOX_SIGN_PKCS12`` is set: a
PKCS#12 file in the instance folder whose passphrase comes from an
environment variable or a key file — never from the repository or the
database.  Any failure is a ``SigningError`` with a reason the officer can
act on, raised before anything is stored.
"""

from __future__ import annotations

import asyncio
import io
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from flask import current_app
from flask_babel import gettext as _

from cms.api import hook


class SigningError(RuntimeError):
    """The document could not be signed; nothing was issued."""


def sign(pdf: bytes, letter) -> bytes:
    """The signed PDF when a signer is configured, else ``pdf`` unchanged."""
    try:
        signed = hook().cms_inbox_sign_letter(pdf=pdf, letter=letter)
    except SigningError:
        raise
    except Exception as exc:  # noqa: BLE001 - a signing plugin's failure stops the issue, told to the officer
        raise SigningError(_("Penandatanganan elektronik gagal: %(e)s", e=str(exc)[:200])) from exc
    if signed is None:
        return pdf
    if not isinstance(signed, bytes | bytearray) or not bytes(signed).startswith(b"%PDF-"):
        raise SigningError(_("Penanda tangan elektronik tidak mengembalikan PDF."))
    return bytes(signed)


def configured() -> bool:
    return bool(current_app.config.get("INBOX_SIGN_PKCS12"))


def _instance_file(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else Path(current_app.instance_path) / path


def _passphrase() -> bytes | None:
    """From the key file when one is set, else from the environment variable."""
    cfg = current_app.config
    key_file = cfg.get("INBOX_SIGN_PASSPHRASE_FILE") or ""
    if key_file:
        try:
            return _instance_file(key_file).read_bytes().strip() or None
        except OSError:
            raise SigningError(_("Berkas kata sandi sertifikat tidak dapat dibaca: %(p)s", p=key_file)) from None
    value = os.environ.get(cfg.get("INBOX_SIGN_PASSPHRASE_ENV") or "", "")
    return value.encode() or None


def load_signer():
    """The pyHanko signer from the configured PKCS#12 file (read at call time)."""
    from pyhanko.sign import signers

    name = current_app.config["INBOX_SIGN_PKCS12"]
    try:
        data = _instance_file(name).read_bytes()
    except OSError:
        raise SigningError(_("Sertifikat penanda tangan tidak ditemukan: %(p)s", p=name)) from None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=_passphrase())
    except Exception:  # noqa: BLE001 - wrong passphrase and a broken file raise several types
        raise SigningError(
            _("Sertifikat penanda tangan tidak dapat dibuka: kata sandi salah atau berkas rusak (%(p)s).", p=name)
        ) from None


T = TypeVar("T")


def outside_event_loop(work: Callable[[], T]) -> T:
    """Run ``work`` where ``asyncio.run`` may be called.

    pyHanko's synchronous API runs its own event loop, which fails in a
    thread that already runs one (an async server, or Playwright's sync API
    in the same process); such a caller gets a short-lived thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pades(pdf: bytes, *, signer, reason: str, location: str, field: str = "TandaTanganElektronik") -> bytes:
    """A PAdES baseline signature over the whole document (one revision)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )

    def _sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()

    try:
        return outside_event_loop(_sign)
    except Exception as exc:  # noqa: BLE001 - pyHanko raises many types on odd input
        raise SigningError(_("Penandatanganan elektronik gagal: %(e)s", e=str(exc)[:200])) from exc


def bundled_signer(pdf: bytes, letter) -> bytes | None:
    """The bundled signer (``hooks.cms_inbox_sign_letter``): PKCS#12 from settings,
    used only when configured."""
    if not configured():
        return None
    cfg = current_app.config
    return sign_pades(
        pdf, signer=load_signer(), reason=cfg.get("INBOX_SIGN_REASON", ""), location=cfg.get("INBOX_SIGN_LOCATION", "")
    )
