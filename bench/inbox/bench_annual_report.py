"""Annual report bench (issue #18): the laporan layanan informasi publik for
20,000 requests over 44 units, built the way the worker builds it.

Seeds the requests like ``bench_registers`` (a third answered, keberatan
with sengketa), then runs the worker's job function ``build_job`` in-process
(claim, every statistic, the PDF with its charts, the DOCX, storing, with a
progress heartbeat per step) for the consolidated year and for one unit,
``--repeat`` times each, and prints wall and CPU time per step and in total,
and the file sizes.  Target: the consolidated year under 15 s.

Usage: ``.venv/bin/python bench/inbox/bench_annual_report.py [--rows 20000] [--units 44]``
(``DATABASE_URL`` selects PostgreSQL; default is a SQLite file in a temp dir).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inbox import environment  # noqa: E402
from bench_registers import seed  # noqa: E402
from common import save_results, table  # noqa: E402


def _timed_build(app, year: int, kind: str, unit_key: int) -> dict:
    """One run of the worker's job; the step times come from its heartbeats."""
    from cms import job_runs
    from cms.extensions import db
    from plugins.inbox import annual_build

    marks: list[float] = []
    beat = job_runs.Claim.beat

    def timed_beat(self, *args, **kwargs):
        beat(self, *args, **kwargs)
        marks.append(time.perf_counter())

    with app.app_context():
        subject = annual_build.subject(year, kind, unit_key)
        run = job_runs.find(annual_build.JOB, subject)
        if run is not None:
            db.session.delete(run)
        job_runs.track(annual_build.JOB, subject, total=annual_build.STEPS)
        db.session.commit()
        job_runs.Claim.beat = timed_beat
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            annual_build.build_job(year, kind, unit_key)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        finally:
            job_runs.Claim.beat = beat
        run = job_runs.find(annual_build.JOB, subject)
        assert run.state == "done", (run.state, run.error)
        row = annual_build.record(year, kind, unit_key or None)
        steps = [b - a for a, b in zip([started, *marks], marks, strict=False)]
        return {
            "wall_s": wall,
            "cpu_s": cpu,
            "steps_s": steps,
            "pdf_kb": row.pdf_size / 1024,
            "docx_kb": row.docx_size / 1024,
            "requests": row.figures["requests"]["total"],
            "units": len(row.figures["units"]),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=44)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="annual-bench-")
    env = environment(workdir)
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        unit = pool.apply(seed, (env, args.rows, args.units))
    seeded = time.perf_counter() - started
    os.environ.update({k: env[k] for k in ("CMS_INSTANCE_PATH", "CMS_PLUGINS", "SECRET_KEY", "DATABASE_URL")})

    from cms import create_app

    app = create_app()
    rows, raw = [], {}
    for label, kind, unit_key in (
        ("consolidated year", "year", 0),
        ("one unit, year", "year", unit),
        ("semester II", "s2", 0),
    ):
        runs = [_timed_build(app, 2025, kind, unit_key) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["wall_s"])
        rows.append(
            [
                label,
                best["requests"],
                best["units"],
                round(statistics.median(r["wall_s"] for r in runs), 2),
                round(max(r["wall_s"] for r in runs), 2),
                round(statistics.median(r["cpu_s"] for r in runs), 2),
                " / ".join(f"{s:.2f}" for s in best["steps_s"]),
                round(best["pdf_kb"]),
                round(best["docx_kb"]),
            ]
        )
        raw[label] = runs
    database = env["DATABASE_URL"].split(":")[0]
    print(
        f"\n== annual report: {args.rows} requests, {args.units} units ({database}; seeded in {seeded:.1f} s; "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}) =="
    )
    print(
        table(
            [
                "report",
                "requests",
                "unit rows",
                "median s",
                "max s",
                "CPU s",
                "steps s (stats/keberatan+fees/PDF/DOCX/store)",
                "PDF KB",
                "DOCX KB",
            ],
            rows,
        )
    )
    save_results("inbox-annual-report", {"rows": args.rows, "units": args.units, "database": database, "runs": raw})


if __name__ == "__main__":
    main()
