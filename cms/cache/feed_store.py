"""Feed renderings kept per content version (``cms.feeds.rendering``).

In Redis when ``REDIS_URL`` is set: one build serves every worker and
machine.  Otherwise in the process, bounded so odd URLs cannot fill memory.
Keys name the content counter, so a bump makes every entry unreachable; an
entry also carries the time a scheduled change is due (checked on read).
"""

from __future__ import annotations

import pickle
import threading
from typing import cast

from flask import Flask

from cms.feeds.build import budget
from cms.feeds.rendering import Rendered


class MemoryStore:
    """In-process store; one per app, bounded so odd URLs cannot fill memory."""

    def __init__(self, max_entries: int = 512):
        self._data: dict[str, Rendered] = {}
        self._lock = threading.Lock()
        self.max_entries = max_entries

    def get(self, key: str) -> Rendered | None:
        return self._data.get(key)

    def set(self, key: str, value: Rendered) -> None:
        with self._lock:
            if len(self._data) >= budget("FEEDS_MEMORY_STORE_ENTRIES", self.max_entries):
                self._data.clear()
            self._data[key] = value


class RedisStore:
    """Shared store when ``REDIS_URL`` is set: one build serves all workers."""

    def __init__(self, url: str, ttl: int = 86400, prefix: str = "warta"):
        import redis

        self.client = redis.Redis.from_url(url)
        self.ttl = ttl
        self.prefix = f"{prefix}:feeds:"  # several sites may share one Redis

    def get(self, key: str) -> Rendered | None:
        raw = self.client.get(self.prefix + key)
        if not raw:
            return None
        try:
            return pickle.loads(cast(bytes, raw))  # noqa: S301 - our own bytes (not decoded: bytes)
        except (pickle.UnpicklingError, AttributeError, ImportError):  # written by another release: a miss
            return None

    def set(self, key: str, value: Rendered) -> None:
        self.client.set(self.prefix + key, pickle.dumps(value), ex=self.ttl)


class FeedStore:
    """The app's store, chosen from its configuration on first use."""

    def __init__(self, app: Flask):
        self.app = app
        self._backend: MemoryStore | RedisStore | None = None

    @property
    def backend(self) -> MemoryStore | RedisStore:
        if self._backend is None:
            url = self.app.config.get("REDIS_URL")
            prefix = self.app.config.get("CMS_CACHE_PREFIX", "warta")
            self._backend = RedisStore(url, prefix=prefix) if url else MemoryStore()
        return self._backend

    def get(self, key: str) -> Rendered | None:
        return self.backend.get(key)

    def set(self, key: str, value: Rendered) -> None:
        self.backend.set(key, value)
