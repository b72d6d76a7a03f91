"""The whole catalogue (50,000 entries) exported through the worker.

    .venv/bin/python bench/dip/bench_export_job.py

Above ``DIP_EXPORT_JOB_ROWS`` ``/ppid/dip.csv`` and ``/ppid/dip.xlsx``
start a job run; here the job runs inline (``HUEY_IMMEDIATE``), as the
worker runs it.  Prints wall and CPU seconds from the request to the end
of the download, the file size and the growth of the process's resident
memory (current, from /proc, and peak) once the job has written the
file — it must not grow with the rows.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import time

from common import make_app, seed


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _xlsx_rows(body: bytes) -> int:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return sum(1 for _ in sheet.iter_rows(min_row=2, max_col=1, values_only=True))


def main() -> None:
    app = make_app(os.environ.get("DIP_BENCH_DIR"))
    seed(app, 50_000)
    client = app.test_client()
    client.get("/ppid/dip.csv?tahun=1999")  # warm up imports before measuring memory
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("| export | rows | wall s | CPU s | size MB | RSS growth MB | peak RSS growth MB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for fmt in ("csv", "xlsx"):
        rss, peak = _rss_mb(), _peak_mb()
        started, cpu = time.perf_counter(), time.process_time()
        resp = client.get(f"/ppid/dip.{fmt}")
        assert resp.status_code == 302, resp.status_code
        grown, peak_grown = _rss_mb() - rss, _peak_mb() - peak  # the job is done; the download is held below
        status = client.get(resp.headers["Location"]).get_data(as_text=True)
        assert "Berkas siap." in status, status[:300]
        body = client.get(resp.headers["Location"] + "/unduh").get_data()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        rows = len(list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))) - 1 if fmt == "csv" else _xlsx_rows(body)
        print(
            f"| {fmt.upper()} via job | {rows} | {wall:.2f} | {cpu:.2f} | {len(body) / 2**20:.1f} | "
            f"{grown:.1f} | {peak_grown:.1f} |"
        )


if __name__ == "__main__":
    main()
