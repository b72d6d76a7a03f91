"""Counting the connections a request holds at once, from the pool's own events."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import event


class CheckoutsPerThread:
    """Connections of ``pool`` each thread holds at once, from the pool's own
    checkout/checkin/detach events.  A threaded server serves each request in
    one thread (a kept-alive client's requests one after another), so the
    per-thread maximum is the per-request maximum."""

    def __init__(self, pool) -> None:
        self.lock = threading.Lock()
        self.held: Counter[int] = Counter()
        self.most: Counter[int] = Counter()
        self.checkouts = 0
        event.listen(pool, "checkout", self.checkout)
        event.listen(pool, "checkin", self.release)
        event.listen(pool, "detach", self.release)

    def checkout(self, dbapi_connection, record, proxy) -> None:
        me = threading.get_ident()
        with self.lock:
            self.checkouts += 1
            self.held[me] += 1
            self.most[me] = max(self.most[me], self.held[me])

    def release(self, dbapi_connection, record) -> None:
        with self.lock:
            self.held[threading.get_ident()] -= 1
