from datetime import date, datetime
from decimal import Decimal

import pytest

from cms.letterforms import roman_month, rupiah, tanggal, terbilang


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


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1500, "seribu lima ratus"),
        (2000, "dua ribu"),
        (11000, "sebelas ribu"),
        (37500, "tiga puluh tujuh ribu lima ratus"),
        (100000, "seratus ribu"),
        (101000, "seratus satu ribu"),
        (999999, "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"),
        (1000000, "satu juta"),
        (1001000, "satu juta seribu"),
        (2500000, "dua juta lima ratus ribu"),
        (1_000_000_000, "satu miliar"),
        (100_000_000, "seratus juta"),
        (3_000_000_000_000, "tiga triliun"),
        (Decimal("37500.00"), "tiga puluh tujuh ribu lima ratus"),
    ],
)
def test_terbilang_writes_amounts_in_words(amount, words):
    assert terbilang(amount) == words


@pytest.mark.parametrize("bad", [-1, Decimal("1.5"), 10**15, True])
def test_terbilang_refuses_what_a_kuitansi_cannot_say(bad):
    with pytest.raises(ValueError):
        terbilang(bad)
