from datetime import date, datetime
from decimal import Decimal

import pytest

from cms.letterforms import roman_month, rupiah, tanggal


def test_tanggal_is_written_out_in_indonesian():
    assert tanggal(date(2026, 12, 7)) == "7 Desember 2026"
    assert tanggal(datetime(2027, 1, 31, 9, 0)) == "31 Januari 2027"


@pytest.mark.parametrize(("month", "roman"), [(1, "I"), (4, "IV"), (9, "IX"), (12, "XII")])
def test_roman_month(month, roman):
    assert roman_month(month) == roman
    assert roman_month(date(2026, month, 1)) == roman


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (37500, "Rp37.500,00"),
        (0, "Rp0,00"),
        (1234567, "Rp1.234.567,00"),
        (Decimal("1500.5"), "Rp1.500,50"),
        ("999", "Rp999,00"),
        (-2000, "-Rp2.000,00"),
    ],
)
def test_rupiah(amount, text):
    assert rupiah(amount) == text
