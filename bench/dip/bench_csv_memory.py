"""Full CSV export of 50,000 entries: streamed, memory stays flat.

    .venv/bin/python bench/dip/bench_csv_memory.py

Reads the response chunk by chunk (like a browser download) and reports the
process's resident memory, sampled per chunk, against the bytes sent; ``--trace`` also
reports the peak Python heap (tracemalloc, which makes the run ~5x slower).
"""

from __future__ import annotations

import os
import resource
import sys
import time
import tracemalloc

from common import make_app, seed


def _rss_mb() -> float:
    """Current resident memory (Linux /proc), sampled once per chunk."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 1e6


def main() -> None:
    app = make_app(os.environ.get("DIP_BENCH_DIR"))
    seed(app, 50_000)
    app.config["DIP_EXPORT_JOB_ROWS"] = 10**9  # the in-request stream; bench_export_job.py times the worker
    client = app.test_client()
    trace = "--trace" in sys.argv
    client.get("/ppid/dip.csv?tahun=1999")  # warm up imports and templates before measuring RSS
    for path in ("/ppid/dip.csv", "/ppid/dip.csv?tahun=2020", "/ppid/dip.xlsx"):
        rss_before = peak_rss = _rss_mb()
        if trace:
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
            peak_rss = max(peak_rss, _rss_mb())
        response.close()
        elapsed = time.perf_counter() - t0
        heap = ""
        if trace:
            heap = f", peak Python heap {tracemalloc.get_traced_memory()[1] / 1e6:6.1f} MB"
            tracemalloc.stop()
        print(
            f"{path:28s} {total / 1e6:7.1f} MB in {chunks:5d} chunks, {elapsed:5.1f} s, first chunk after "
            f"{first_chunk_ms:7.1f} ms, RSS {rss_before:5.1f} MB -> peak {peak_rss:5.1f} MB while streaming"
            f"{heap}"
        )


if __name__ == "__main__":
    main()
