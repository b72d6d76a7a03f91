"""The feeds' in-process caches keep to budgets read from the config at each use."""

from __future__ import annotations

from cms.cache.feed_store import MemoryStore
from cms.feeds import build as feeds
from cms.feeds import rendering
from tests.feeds.test_builder import channel, item


def test_entry_cache_shrinks_to_the_configured_budget_at_once(app):
    feeds._entry_cache.clear()
    app.config["FEEDS_ENTRY_CACHE_ITEMS"] = 3
    body = feeds.render("rss", channel(), [item(i) for i in range(1, 11)])
    assert body.count(b"<item>") == 10
    assert len(feeds._entry_cache._elements) == 3
    app.config["FEEDS_ENTRY_CACHE_ITEMS"] = 50
    feeds.render("rss", channel(), [item(i) for i in range(1, 11)])
    assert len(feeds._entry_cache._elements) == 10


def test_gzip_and_memory_store_budgets_are_read_at_call_time(app):
    app.config["FEEDS_GZIP_KEEP"] = 2
    for n in range(5):
        rendering.gzipped(rendering.make_rendered(f"feed {n}".encode(), item(1).published, None))
    assert len(rendering._GZIPPED) == 2
    app.config["FEEDS_MEMORY_STORE_ENTRIES"] = 2
    store = MemoryStore()
    for n in range(3):
        store.set(f"k{n}", rendering.make_rendered(b"x", item(1).published, None))
    assert list(store._data) == ["k2"]  # full at 2: emptied before the third
