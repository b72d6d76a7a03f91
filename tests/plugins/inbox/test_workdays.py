"""The pure working-day counter, without an app context."""

from __future__ import annotations

from datetime import date

import pytest

from plugins.inbox.workdays import add_working_days, has_decree, is_working_day, working_days_between

# Worked examples of the counting rule (received → deadline), default rules.
DOMAIN_EXAMPLES = [
    (date(2025, 10, 6), 10, date(2025, 10, 20)),
    (date(2025, 1, 20), 10, date(2025, 2, 6)),
    (date(2025, 3, 24), 10, date(2025, 4, 16)),
    (date(2025, 3, 24), 17, date(2025, 4, 28)),
    (date(2025, 5, 26), 10, date(2025, 6, 13)),
]

# Own vectors from the 2025–2027 SKB (libur nasional and cuti bersama) lists, counted by hand:
# (received, n, deadline with cuti bersama excluded, deadline if cuti bersama counts)
OWN_VECTORS = [
    # 18 Aug 2025, cuti bersama added mid-year by SKB 933/2025.
    (date(2025, 8, 11), 10, date(2025, 8, 26), date(2025, 8, 25)),
    # Year end 2025: Natal 25 LN, 26 CB; 1 Jan 2026 LN.
    (date(2025, 12, 22), 10, date(2026, 1, 8), date(2026, 1, 7)),
    (date(2025, 12, 22), 17, date(2026, 1, 20), date(2026, 1, 19)),
    # Lebaran 2026: Nyepi 18 CB/19 LN, Idul Fitri 20 CB, 23–24 CB; Wafat Yesus 3 Apr.
    (date(2026, 3, 16), 10, date(2026, 4, 7), date(2026, 3, 31)),
    # Received on Saturday 21 Mar 2026 (Idul Fitri itself): still day 0.
    (date(2026, 3, 21), 10, date(2026, 4, 8), date(2026, 4, 6)),
    # Year end 2026 into 2027: 24 CB, 25 LN, 1 Jan LN, 5 Jan 2027 LN Isra Mikraj.
    (date(2026, 12, 21), 10, date(2027, 1, 8), date(2027, 1, 7)),
    # Lebaran 2027: Nyepi 8 LN, 9 CB, 10–11 LN, 12 and 15 CB.
    (date(2027, 3, 1), 10, date(2027, 3, 23), date(2027, 3, 18)),
    # Keberatan clock (30) across Lebaran 2025.
    (date(2025, 3, 17), 30, date(2025, 5, 9), date(2025, 5, 2)),
]


@pytest.mark.parametrize(("received", "n", "expected"), DOMAIN_EXAMPLES)
def test_domain_examples(received, n, expected):
    assert add_working_days(received, n) == expected


@pytest.mark.parametrize(("received", "n", "expected", "with_cb"), OWN_VECTORS)
def test_own_vectors_2025_2027(received, n, expected, with_cb):
    assert add_working_days(received, n) == expected
    assert add_working_days(received, n, count_cuti_bersama=True) == with_cb


def test_day_zero_is_receipt_and_zero_days_is_same_day():
    assert add_working_days(date(2025, 10, 6), 0) == date(2025, 10, 6)
    assert add_working_days(date(2025, 10, 6), 1) == date(2025, 10, 7)
    # Friday receipt: day 1 is Monday.
    assert add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 13)
    # Sunday receipt follows the same rule.
    assert add_working_days(date(2025, 10, 12), 1) == date(2025, 10, 13)


def test_overrides_close_and_open_days():
    base = add_working_days(date(2025, 10, 6), 10)
    closed = add_working_days(date(2025, 10, 6), 10, extra_holidays={date(2025, 10, 8)})
    assert closed == date(2025, 10, 21) and base == date(2025, 10, 20)
    # Reopening a cuti bersama day (e.g. a unit that serves that day).
    opened = add_working_days(date(2025, 12, 22), 10, extra_working_days={date(2025, 12, 26)})
    assert opened == date(2026, 1, 7)


def test_saturday_working_unit():
    six_days = (0, 1, 2, 3, 4, 5)
    assert add_working_days(date(2025, 10, 6), 10, working_weekdays=six_days) == date(2025, 10, 17)


def test_is_working_day_and_between():
    assert not is_working_day(date(2025, 8, 18))
    assert is_working_day(date(2025, 8, 18), count_cuti_bersama=True)
    assert working_days_between(date(2025, 10, 6), date(2025, 10, 20)) == 10
    assert working_days_between(date(2025, 10, 20), date(2025, 10, 22)) == 2
    assert working_days_between(date(2025, 10, 22), date(2025, 10, 20)) == -2


def test_decree_data_known_until_2027_only():
    assert has_decree(2025) and has_decree(2027)
    assert not has_decree(2030)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)


def test_between_matches_day_by_day_counting():
    """The arithmetic count agrees with walking the calendar, overrides included."""
    import random
    from datetime import timedelta

    rng = random.Random(14)
    closed, opened = {date(2025, 10, 8), date(2026, 2, 2)}, {date(2025, 12, 26), date(2026, 3, 21)}
    for _ in range(300):
        start = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 1100))
        end = start + timedelta(days=rng.randrange(-60, 400))
        opts = {"count_cuti_bersama": rng.random() < 0.5, "extra_holidays": closed, "extra_working_days": opened}
        lo, hi = min(start, end), max(start, end)
        walked = sum(1 for i in range(1, (hi - lo).days + 1) if is_working_day(lo + timedelta(days=i), **opts))
        assert working_days_between(start, end, **opts) == (walked if end >= start else -walked)
        n = rng.randrange(0, 40)
        assert working_days_between(start, add_working_days(start, n, **opts), **opts) == n
