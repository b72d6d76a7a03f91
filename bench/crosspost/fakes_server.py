"""Runs the five network fakes in their own process (so they do not share the
benchmark's GIL).  Prints one JSON line {network: url}; then answers each
"stats" line on stdin with {network: posts created}; exits on EOF."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.plugins.crosspost import fakes  # noqa: E402

CLASSES = {"mastodon": fakes.FakeMastodon, "telegram": fakes.FakeTelegram, "bluesky": fakes.FakeBluesky,
           "facebook": fakes.FakeFacebook, "x": fakes.FakeX}


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    running = {key: cls().start() for key, cls in CLASSES.items()}
    print(json.dumps({key: fake.url for key, fake in running.items()}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stats":
            print(json.dumps({key: len(fake.posts) for key, fake in running.items()}), flush=True)
    for fake in running.values():
        fake.stop()


if __name__ == "__main__":
    main()
