"""WebSub (PubSubHubbub) publisher side: tell the hub a feed changed.

The hub is ``FEEDS_WEBSUB_HUB``; feeds advertise it with HTTP ``Link``
headers (feedgen's RSS drops ``atom:link rel="hub"``).  Pings go through the
worker with retries, so a slow or absent hub never delays publishing.
"""

from __future__ import annotations

from flask import current_app

from cms.jobs import enqueue, job

FEED_FILES = ("rss.xml", "atom.xml", "feed.json")


def hub_url() -> str | None:
    return current_app.config.get("FEEDS_WEBSUB_HUB") or None


def feed_urls(prefix: str = "") -> list[str]:
    """The three formats of one feed: ``prefix`` like ``/siaran-pers``."""
    base = current_app.config["SITE_URL"].rstrip("/") + "/feeds" + prefix
    return [f"{base}/{name}" for name in FEED_FILES]


def topics_for(post) -> list[str]:
    """Every public feed a change to ``post`` shows up in."""
    topics = feed_urls() + feed_urls(f"/{post.kind}")
    for category in post.categories:
        topics += feed_urls(f"/kategori/{category.slug}")
    if post.unit is not None:
        topics += feed_urls(f"/unit/{post.unit.slug}")
    for tag in post.tags:
        topics += feed_urls(f"/tag/{tag.slug}")
    return topics


def ping_later(post) -> None:
    if hub_url():
        enqueue("feeds.websub_ping", topics_for(post))


@job("feeds.websub_ping", retries=5, retry_delay=60)
def ping(topics: list[str]) -> int:
    """POST ``hub.mode=publish`` with every changed topic; raise to retry."""
    hub = hub_url()
    if not hub or not topics:
        return 0
    data = {"hub.mode": "publish", "hub.url": list(topics)}  # hub.url repeated
    timeout = float(current_app.config.get("FEEDS_WEBSUB_TIMEOUT", 10))
    import httpx  # 5 MB resident with its CLI's imports: only in the worker that pings

    response = httpx.post(hub, data=data, timeout=timeout, headers={"User-Agent": "Warta WebSub publisher"})
    response.raise_for_status()
    return response.status_code
