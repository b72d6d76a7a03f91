"""How Indonesian official documents write dates, months and money.

Letters, receipts and reports are always in Bahasa Indonesia, whatever the
reader's interface language, so these do not go through the translation
catalogue: "Bekasi, 7 Desember 2026", "XII", "Rp37.500,00".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def tanggal(value: date | datetime) -> str:
    """``7 Desember 2026`` (a datetime should already be in WIB)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def roman_month(value: date | datetime | int) -> str:
    """The month in Roman numerals, as nomor surat write it (``XII``)."""
    month = value if isinstance(value, int) else value.month
    return ROMAN_MONTHS[month - 1]


def rupiah(amount: int | Decimal | str) -> str:
    """``Rp37.500,00``: dots group thousands, a comma before two decimals."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"{sign}Rp{groups},{cents}"
