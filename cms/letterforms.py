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


_DIGITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))
TERBILANG_MAX = 10**15 - 1


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_DIGITS[hundreds]} ratus")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(f"{_DIGITS[tens]} puluh")
        if ones:
            words.append(_DIGITS[ones])
    elif rest >= 12:
        words.append(f"{_DIGITS[rest - 10]} belas")
    elif rest == 11:
        words.append("sebelas")
    elif rest == 10:
        words.append("sepuluh")
    elif rest:
        words.append(_DIGITS[rest])
    return words


def terbilang(amount: int | Decimal) -> str:
    """A whole amount in words, as a kuitansi writes it: ``37500`` →
    ``tiga puluh tujuh ribu lima ratus`` (add "rupiah" after it)."""
    if isinstance(amount, bool) or Decimal(amount) != int(amount):
        raise ValueError("terbilang takes a whole number")
    n = int(amount)
    if not 0 <= n <= TERBILANG_MAX:
        raise ValueError("terbilang takes 0 up to 999 triliun")
    if n == 0:
        return "nol"
    words: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count:
            words.append("seribu" if (scale == 1000 and count == 1) else " ".join([*_below_thousand(count), name]))
    words.extend(_below_thousand(n))
    return " ".join(words)
