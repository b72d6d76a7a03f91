"""Catalogue latency with 50,000 entries: filtered + searched pages (target p99 < 100 ms).

    .venv/bin/python bench/dip/bench_catalogue.py [--requests 400]

Requests go through the full Flask stack in-process (routing, query, template),
one at a time, so the figures are per-request server time without the network.
"""

from __future__ import annotations

import argparse
import os
import random
import time

from common import make_app, seed

QUERIES = [
    "laporan",
    "keuangan",
    "struktur organisasi",
    "peraturan wali",
    "covid",
    "anggaran 2020",
    "renstra",
    "pengadaan",
    "kecamatan bekasi",
    "informasi kinerja",
    "sop",
    "data",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--entries", type=int, default=50_000)
    args = parser.parse_args()
    app = make_app(os.environ.get("DIP_BENCH_DIR"))
    started = time.perf_counter()
    seed(app, args.entries)
    print(f"seeded {args.entries} entries in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    rng = random.Random(1)
    with app.app_context():
        from sqlalchemy import select

        from cms.extensions import db
        from cms.models import Unit

        units = db.session.scalars(select(Unit.id)).all()
    scenarios = {
        "search only": lambda: {"q": rng.choice(QUERIES)},
        "search + category + year": lambda: {
            "q": rng.choice(QUERIES),
            "kategori": rng.choice(["berkala", "serta_merta", "setiap_saat"]),
            "tahun": rng.randint(2018, 2025),
        },
        "search + unit + jenis": lambda: {"q": rng.choice(QUERIES), "unit": rng.choice(units), "jenis": "Regulasi"},
        "filters only, page 5": lambda: {"kategori": "berkala", "tahun": 2020, "page": 5},
    }
    for _ in range(20):  # warm caches
        client.get("/ppid/dip", query_string=scenarios["search only"]())
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, make in scenarios.items():
        timings, cpu = [], []
        for _ in range(args.requests):
            params = make()
            t0, c0 = time.perf_counter(), time.thread_time()
            response = client.get("/ppid/dip", query_string=params)
            timings.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.thread_time() - c0) * 1000)
            assert response.status_code == 200
        timings.sort()
        cpu.sort()

        def pct(values, q):
            return values[max(0, int(len(values) * q) - 1)]

        print(
            f"{name:26s} n={len(timings)} wall p50 {pct(timings, 0.5):6.1f} p95 {pct(timings, 0.95):6.1f} "
            f"p99 {pct(timings, 0.99):6.1f} max {timings[-1]:6.1f} ms | CPU p50 {pct(cpu, 0.5):5.1f} "
            f"p99 {pct(cpu, 0.99):5.1f} ms"
        )


if __name__ == "__main__":
    main()
