"""``flask cms worker`` with each image re-encode timed where it happens.

Wraps ``plugins.crosspost.images.prepare`` (called by every uploading
channel through ``images.for_network``) and appends one JSON line per image
to $BENCH_IMAGE_LOG: network, source size, output size, wall ms (what the
delivery waits, other worker threads included) and this thread's CPU ms.

    BENCH_IMAGE_LOG=/tmp/t.jsonl python bench/crosspost/timed_worker.py --workers 8
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def install(log_path: str) -> None:
    from PIL import Image

    from plugins.crosspost import images

    original = images.prepare
    lock = threading.Lock()
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life

    def timed_prepare(data, network, alt=""):
        wall, cpu = time.perf_counter(), time.thread_time()
        result = original(data, network, alt)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        try:
            with Image.open(__import__("io").BytesIO(data)) as probe:  # header only: not timed
                source = f"{probe.format} {probe.width}x{probe.height}"
        except Exception:  # noqa: BLE001
            source = "?"
        line = json.dumps(
            {
                "network": network,
                "source": source,
                "out": f"{result.width}x{result.height}",
                "bytes": len(result.data),
                "ms": wall * 1000,
                "cpu_ms": cpu * 1000,
            }
        )
        with lock:
            log.write(line + "\n")
        return result

    images.prepare = timed_prepare


def main() -> None:
    install(os.environ["BENCH_IMAGE_LOG"])
    from flask.cli import main as flask_main

    sys.argv = ["flask", "cms", "worker", *sys.argv[1:]]
    flask_main()


if __name__ == "__main__":
    main()
