"""Time one job enqueue on the SQLite queue (issue #24: under 2 ms).

    .venv/bin/python bench/jobs/bench_enqueue.py [--jobs 300] [--dir DIR]

Builds the app with the SQLite queue in a fresh folder on the same disk as
the instance (``--dir``; not a tmpfs, where fsync is free) and enqueues
``--jobs`` no-op jobs one by one, as a request does, timing each call.  Runs
twice in the same process: with ``HUEY_SQLITE_SYNCHRONOUS=FULL`` (an fsync
of the write-ahead log per enqueue, SQLite's default) and with the
project's default ``NORMAL``, and prints median, p99 and the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from cms import create_app  # noqa: E402
from cms.jobs import enqueue, job  # noqa: E402


@job("bench.noop")
def noop(n: int) -> int:
    return n


def timings(folder: Path, synchronous: str, jobs: int) -> list[float]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'warta.db'}",
            "SECRET_KEY": "bench",
            "CMS_PLUGINS": [],
            "HUEY_IMMEDIATE": False,
            "REDIS_URL": None,
            "HUEY_SQLITE_PATH": str(folder / f"huey-{synchronous}.db"),
            "HUEY_SQLITE_SYNCHRONOUS": synchronous,
        }
    )
    spent = []
    with app.app_context():
        enqueue("bench.noop", -1)  # opens the connection, as the first request of a worker does
        for n in range(jobs):
            started = time.perf_counter()
            enqueue("bench.noop", n)
            spent.append((time.perf_counter() - started) * 1000)
    return spent


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--only", choices=("FULL", "NORMAL"), help="one setting (e.g. under strace -c -e fdatasync)")
    parser.add_argument("--dir", default=str(ROOT / "instance"), help="folder on the instance's disk")
    opts = parser.parse_args()
    Path(opts.dir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-enqueue-", dir=opts.dir) as work:
        print(f"load average {os.getloadavg()}, {opts.jobs} enqueues each, queue in {opts.dir}\n")
        modes = [opts.only] if opts.only else ["FULL", "NORMAL"]
        rows = {mode: timings(Path(work), mode, opts.jobs) for mode in modes}
    print(f"{'synchronous':<12}{'median ms':>11}{'p99 ms':>9}{'max ms':>9}")
    for mode, spent in rows.items():
        print(f"{mode:<12}{statistics.median(spent):>11.2f}{p99(spent):>9.2f}{max(spent):>9.2f}")
    if len(rows) == 2:
        ratio = statistics.median(rows["FULL"]) / statistics.median(rows["NORMAL"])
        print(f"\nFULL / NORMAL (median): {ratio:.0f} x;  target: NORMAL p99 < 2 ms")


if __name__ == "__main__":
    main()
