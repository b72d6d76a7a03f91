"""Runs the network fakes in their own process (so they do not share the
benchmark's GIL).  Prints one JSON line {network: url}; then answers each
"stats" line on stdin with {network: {"posts": created, "distinct": distinct
bench posts among them, "requests": create requests}}; exits on EOF.

A post is recognised by the ``bench-<n>`` slug in its link, so two posts of
one release on one network are a duplicate whatever the network stores."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plugins.crosspost import fakes  # noqa: E402

CLASSES = {"mastodon": fakes.FakeMastodon, "telegram": fakes.FakeTelegram, "bluesky": fakes.FakeBluesky,
           "facebook": fakes.FakeFacebook, "x": fakes.FakeX, "webhook": fakes.FakeWebhookReceiver}
SLUG = re.compile(r"bench-(\d+)")


def stats(fake) -> dict:
    found = [SLUG.search(json.dumps(post, default=str)) for post in list(fake.posts.values())]
    creates = sum(1 for r in list(fake.requests) if r["method"] == "POST")
    return {"posts": len(found), "distinct": len({m.group(1) for m in found if m}), "requests": creates}


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    running = {key: cls().start() for key, cls in CLASSES.items()}
    print(json.dumps({key: fake.url for key, fake in running.items()}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            print(json.dumps({key: stats(fake) for key, fake in running.items()}), flush=True)
    for fake in running.values():
        fake.stop()


if __name__ == "__main__":
    main()
