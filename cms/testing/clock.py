"""Frozen time on a working day: Wednesday 4 February 2026, 10:00 WIB
(03:00 UTC) — no Indonesian public holiday, office hours, so deadlines and
"today" in tests do not depend on when the suite runs.  Uses time-machine
(``warta[testing]``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

WORKING_DAY = datetime(2026, 2, 4, 3, 0, tzinfo=UTC)  # Rabu, 10.00 WIB


class Clock:
    """The frozen clock: ``now`` (aware UTC), ``advance(**timedelta)``."""

    def __init__(self, traveller) -> None:
        self._traveller = traveller

    @property
    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance(self, **delta: float) -> datetime:
        self._traveller.shift(timedelta(**delta))
        return self.now

    def move_to(self, moment: datetime) -> datetime:
        self._traveller.move_to(moment)
        return self.now


@contextmanager
def frozen(moment: datetime = WORKING_DAY) -> Iterator[Clock]:
    import time_machine

    with time_machine.travel(moment, tick=False) as traveller:
        yield Clock(traveller)
