"""Phone numbers as journalists type them → E.164 (``+6281234567890``).

Indonesian habits first: ``0812…``, ``62812…``, ``+62 812-…``; any other
number must carry its country code and be valid for that country.
"""

from __future__ import annotations

from flask_babel import gettext as _

from cms.api import crypto


class PhoneError(ValueError):
    pass


def normalise(raw: str) -> str:
    import phonenumbers  # at first use: a web worker rarely needs it (issue #24)

    text = "".join(ch for ch in (raw or "") if ch not in " -.()/\t")
    if not text:
        raise PhoneError(_("Nomor WhatsApp wajib diisi."))
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")  # "08…" is read as an Indonesian number
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(_("Nomor WhatsApp tidak valid. Contoh: 0812 3456 7890 atau +62 812 3456 7890.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(_("Nomor WhatsApp tidak valid. Contoh: 0812 3456 7890 atau +62 812 3456 7890."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def from_wa_id(wa_id: str) -> str:
    """Webhooks name senders by ``wa_id``: the E.164 digits without ``+``."""
    digits = "".join(ch for ch in (wa_id or "") if ch.isdigit())
    return "+" + digits if digits else ""


def phone_hash(e164: str) -> str:
    return crypto.keyed_hash(e164, "crosspost-wa-phone")


def masked(e164: str) -> str:
    """``+6281*****7890``: recognisable by its owner, useless to a harvester."""
    if len(e164) < 9:
        return "*" * len(e164)
    return e164[:5] + "*" * (len(e164) - 9) + e164[-4:]
