"""Full CSV export of 50,000 entries: streamed, memory stays flat.

    .venv/bin/python bench/dip/bench_csv_memory.py

Reads the response chunk by chunk (like a browser download) and reports the
peak Python heap while streaming (tracemalloc) against the bytes sent.
"""

from __future__ import annotations

import os
import time
import tracemalloc

from common import make_app, seed


def main() -> None:
    app = make_app(os.environ.get("DIP_BENCH_DIR"))
    seed(app, 50_000)
    client = app.test_client()
    for path in ("/ppid/dip.csv", "/ppid/dip.csv?tahun=2020", "/ppid/dip.xlsx"):
        tracemalloc.start()
        t0 = time.perf_counter()
        response = client.get(path, buffered=False)
        first_chunk_ms = None
        total = chunks = 0
        for chunk in response.response:
            if first_chunk_ms is None:
                first_chunk_ms = (time.perf_counter() - t0) * 1000
            total += len(chunk)
            chunks += 1
        response.close()
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows = None
        print(f"{path:28s} {total / 1e6:7.1f} MB in {chunks:5d} chunks, {elapsed:5.1f} s, first chunk after "
              f"{first_chunk_ms:7.1f} ms, peak Python heap {peak / 1e6:6.1f} MB"
              + (f", rows {rows}" if rows else ""))


if __name__ == "__main__":
    main()
