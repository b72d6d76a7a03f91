"""Runs the network fakes in their own process (so they do not share the
benchmark's GIL).  Prints one JSON line {network: url}; then answers each
"stats" line on stdin with {network: {"posts": created, "distinct": distinct
bench posts among them, "requests": create requests, "media": images
uploaded or fetched by URL, "images": {images on a post: posts}}}; exits on
EOF.

A post is recognised by the ``bench-<n>`` slug in its link, so two posts of
one release on one network are a duplicate whatever the network stores.
The fakes keep every upload's bytes for the tests to decode; here they are
dropped once the fake has checked them (thousands of photos would not fit
in memory), only their sizes stay."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plugins.crosspost import fakes, fakes_meta  # noqa: E402

CLASSES = {
    "mastodon": fakes.FakeMastodon,
    "telegram": fakes.FakeTelegram,
    "bluesky": fakes.FakeBluesky,
    "facebook": fakes.FakeFacebook,
    "x": fakes.FakeX,
    "webhook": fakes.FakeWebhookReceiver,
    "instagram": fakes_meta.FakeInstagram,
    "threads": fakes_meta.FakeThreads,
}
SLUG = re.compile(r"bench-(\d+)")


def _forget_bytes(fake) -> None:
    """Replace the stored upload bytes of ``fake`` by their length."""
    stores = [getattr(fake, name, {}) for name in ("media", "blob_data", "photos")]
    for store in stores:
        for item in list(store.values()):
            if isinstance(item.get("data"), bytes):
                item["data"] = len(item["data"])
    for post in list(fake.posts.values()):
        if isinstance(post, dict) and post.get("photos") and isinstance(post["photos"][0], bytes):
            post["photos"] = [len(p) for p in post["photos"]]


def scrubbing(cls):
    """``cls`` recording requests without their bodies and dropping upload bytes."""

    class Scrubbed(cls):
        def __init__(self):
            super().__init__()
            self.scrub_lock = threading.Lock()
            self.scrubbed = 0

        def wsgi(self, environ, start_response):
            result = super().wsgi(environ, start_response)
            with self.scrub_lock:
                for record in self.requests[self.scrubbed :]:
                    record.update(body=b"", files={}, form={})
                self.scrubbed = len(self.requests)
                _forget_bytes(self)
            return result

    Scrubbed.__name__ = cls.__name__
    return Scrubbed


def image_count(key: str, post: dict) -> int:
    """How many images the network shows on ``post``."""
    if key in ("mastodon", "x"):
        return len(post.get("media_ids") or [])
    if key == "telegram":
        return len(post.get("photos") or [])
    if key == "bluesky":
        embed = post["record"].get("embed") or {}
        return len(embed.get("images") or []) if embed.get("$type") == "app.bsky.embed.images" else 0
    if key == "facebook":
        return len(post.get("photos") or [])
    if key in ("instagram", "threads"):
        return len(post.get("children") or []) or (1 if post.get("image_url") else 0)
    return 0


def media_count(key: str, fake) -> int:
    if key in ("instagram", "threads"):
        return sum(1 for c in list(fake.containers.values()) if c.get("image_url"))
    if key == "bluesky":
        return fake.blobs  # blobs are stored by content hash: count the uploads
    store = {"mastodon": "media", "x": "media", "facebook": "photos"}.get(key)
    if store:
        return len(getattr(fake, store))
    if key == "telegram":
        return sum(len(p.get("photos") or []) for p in list(fake.posts.values()))
    return 0


def stats(key: str, fake) -> dict:
    posts = [p for p in list(fake.posts.values()) if "album_of" not in p]  # an album is one post
    found = [SLUG.search(json.dumps(post, default=str)) for post in posts]
    creates = sum(1 for r in list(fake.requests) if r["method"] == "POST")
    images: dict[int, int] = {}
    for post in posts:
        count = image_count(key, post)
        images[count] = images.get(count, 0) + 1
    return {
        "posts": len(found),
        "distinct": len({m.group(1) for m in found if m}),
        "requests": creates,
        "media": media_count(key, fake),
        "images": images,
    }


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    running = {key: scrubbing(cls)().start() for key, cls in CLASSES.items()}
    print(json.dumps({key: fake.url for key, fake in running.items()}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            print(json.dumps({key: stats(key, fake) for key, fake in running.items()}), flush=True)
    for fake in running.values():
        fake.stop()


if __name__ == "__main__":
    main()
