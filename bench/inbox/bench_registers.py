"""Register export bench (issue #18): the buku register permohonan as XLSX
(and CSV) for 20,000 requests over 44 units, through the real view.

Seeds the requests (a third answered, some badan hukum, keberatan with
sengketa) in bulk, then asks ``/admin/inbox/register.xlsx`` in-process as the
PPID Utama (consolidated) and as one PPID Pembantu, three times each, and
prints wall and CPU time (CPU is the figure to trust on a shared machine),
file size, and the process's peak RSS and its growth (the export streams;
it must not grow with the row count).

Then it adds requests up to ``--job-rows`` (50,000) and times the export a
PPID Utama gets above ``INBOX_REGISTER_JOB_ROWS``: the request that starts
the job, the job writing the file (run inline here, as the worker runs it),
and the download of the file, as XLSX and as CSV — target under 20 s.

Usage: ``.venv/bin/python bench/inbox/bench_registers.py [--rows 20000] [--units 44] [--job-rows 50000]``
(``DATABASE_URL`` selects PostgreSQL; default is a SQLite file in a temp dir).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inbox import PASSWORD, environment  # noqa: E402
from common import save_results, table  # noqa: E402

YEAR_START = datetime(2025, 1, 2, 3)


def seed(env: dict, rows: int, unit_count: int) -> int:
    """The requests of 2025 over ``unit_count`` units (``bench.scale.seed_ppid``,
    the one request seeder), a keberatan on 1 request in 40 (1 in 4 with a
    sengketa), and two officers; returns the Pembantu's unit id."""
    os.environ.update({k: env[k] for k in ("CMS_INSTANCE_PATH", "CMS_PLUGINS", "SECRET_KEY", "DATABASE_URL")})
    from bench.scale.seed_ppid import seed_requests
    from bench.scale.textgen import Text
    from cms import accounts, create_app
    from cms.extensions import db
    from cms.models import Unit

    app = create_app()
    with app.app_context():
        units = [accounts.get_or_create_unit(f"Dinas Bench {n:02d}").id for n in range(unit_count)]
        accounts.create_user("utama@bench.test", "ppid", PASSWORD)
        db.session.flush()
        accounts.create_user("pembantu@bench.test", "ppid_unit", PASSWORD, unit=db.session.get(Unit, units[0]))
        db.session.commit()
        seed_requests(Text(seed=18), rows, unit_ids=[*units, None], since=YEAR_START, days=360, objections_every=40)
        return units[0]


def seed_more(env: dict, start: int, count: int, unit_count: int) -> None:
    """Add ``count`` requests over the same units and year."""
    os.environ.update({k: env[k] for k in ("CMS_INSTANCE_PATH", "CMS_PLUGINS", "SECRET_KEY", "DATABASE_URL")})
    from bench.scale.seed_ppid import seed_requests
    from bench.scale.textgen import Text
    from cms import accounts, create_app

    app = create_app()
    with app.app_context():
        units = [accounts.get_or_create_unit(f"Dinas Bench {n:02d}").id for n in range(unit_count)]
        seed_requests(Text(seed=50 + start), count, unit_ids=[*units, None], since=YEAR_START, days=360)


def measure_job(app, email: str, path: str) -> dict:
    """One export through the job: start (the job runs inline, as in the
    worker), then the download of the file it wrote."""
    from sqlalchemy import select

    from cms.extensions import db
    from cms.models import JobRun
    from plugins.inbox import register_jobs

    client = app.test_client()
    resp = client.post("/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code in (302, 303), resp.status_code
    rss_before = _peak_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    resp = client.get(path)
    assert resp.status_code == 302, resp.status_code
    written = time.perf_counter() - started
    status = client.get(resp.headers["Location"])
    assert "/unduh" in status.text, status.text[:500]
    body = client.get(resp.headers["Location"] + "/unduh").get_data()
    total = time.perf_counter() - started
    run_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        run = db.session.scalar(select(JobRun).where(JobRun.kind == register_jobs.JOB, JobRun.id == run_id))
        done, state = run.done, run.state
    return {
        "job_s": written,
        "total_s": total,
        "cpu_s": time.process_time() - cpu_started,
        "size_kb": len(body) / 1024,
        "rss_growth_mb": _peak_mb() - rss_before,
        "job_done": done,
        "job_state": state,
        "body": body,
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(app, email: str, path: str, repeat: int) -> dict:
    client = app.test_client()
    resp = client.post("/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code in (302, 303), resp.status_code
    times, cpu, size, rss_before = [], [], 0, _peak_mb()
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        resp = client.get(path)
        body = resp.get_data()  # drain the stream: the figure includes writing every row
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        assert resp.status_code == 200, resp.status_code
        size = len(body)
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "cpu_s": statistics.median(cpu),
        "peak_rss_mb": _peak_mb(),
        "size_kb": size / 1024,
        "rss_growth_mb": _peak_mb() - rss_before,
        "body": body,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--units", type=int, default=44)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--job-rows", type=int, default=50_000)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="register-bench-")
    env = environment(workdir)
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    started = time.perf_counter()
    # Seeded in a child process: its 20,000 dicts must not count in this process's peak RSS.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        unit = pool.apply(seed, (env, args.rows, args.units))
    seeded = time.perf_counter() - started
    os.environ.update({k: env[k] for k in ("CMS_INSTANCE_PATH", "CMS_PLUGINS", "SECRET_KEY", "DATABASE_URL")})

    from openpyxl import load_workbook

    from cms import create_app

    # The direct figures as before: these exports stay inside the web request.
    app = create_app({"WTF_CSRF_ENABLED": False, "INBOX_REGISTER_JOB_ROWS": 10**9})
    cases = [
        ("consolidated XLSX (PPID Utama)", "utama@bench.test", "/admin/inbox/register.xlsx"),
        ("consolidated CSV (PPID Utama)", "utama@bench.test", "/admin/inbox/register.csv"),
        ("one unit XLSX (PPID Pembantu)", "pembantu@bench.test", "/admin/inbox/register.xlsx"),
        ("register keberatan XLSX", "utama@bench.test", "/admin/inbox/register-keberatan.xlsx"),
    ]
    rows, raw = [], {}
    for label, email, path in cases:
        result = measure(app, email, path, args.repeat)
        body = result.pop("body")
        if path.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(body), read_only=True).active
            data_rows = sum(1 for r in sheet.iter_rows(min_row=8, max_col=1, values_only=True) if isinstance(r[0], int))
        else:
            data_rows = body.count(b"\n") - 1  # rows hold no raw newlines here
        rows.append(
            [
                label,
                data_rows,
                round(result["median_s"], 2),
                round(result["max_s"], 2),
                round(result["cpu_s"], 2),
                round(result["size_kb"]),
                round(result["peak_rss_mb"]),
                round(result["rss_growth_mb"], 1),
            ]
        )
        raw[label] = {**result, "rows": data_rows}
    database = env["DATABASE_URL"].split(":")[0]
    print(
        f"\n== register exports: {args.rows} requests, {args.units} units ({database}; seeded in {seeded:.1f} s; "
        f"unit {unit} for the Pembantu; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}) =="
    )
    print(table(["export", "rows", "median s", "max s", "CPU s", "size KB", "peak RSS MB", "RSS growth MB"], rows))
    job = {}
    if args.job_rows > args.rows:
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(1) as pool:
            pool.apply(seed_more, (env, args.rows, args.job_rows - args.rows, args.units))
        more = time.perf_counter() - started
        job_app = create_app({"WTF_CSRF_ENABLED": False, "HUEY_IMMEDIATE": True})
        table_rows = []
        for label, path in (("XLSX", "/admin/inbox/register.xlsx"), ("CSV", "/admin/inbox/register.csv")):
            result = measure_job(job_app, "utama@bench.test", path)
            body = result.pop("body")
            if path.endswith(".xlsx"):
                sheet = load_workbook(io.BytesIO(body), read_only=True).active
                result["rows"] = sum(
                    1 for r in sheet.iter_rows(min_row=8, max_col=1, values_only=True) if isinstance(r[0], int)
                )
            else:
                result["rows"] = body.count(b"\n") - 1
            job[label] = result
            table_rows.append(
                [
                    f"consolidated {label} via job (PPID Utama)",
                    result["rows"],
                    round(result["job_s"], 2),
                    round(result["total_s"], 2),
                    round(result["cpu_s"], 2),
                    round(result["size_kb"]),
                    round(result["rss_growth_mb"], 1),
                    f"{result['job_state']} {result['job_done']}",
                ]
            )
        print(f"\n== register export through the job: {args.job_rows} requests (added in {more:.1f} s) ==")
        print(
            table(
                ["export", "rows", "job s", "start to download s", "CPU s", "size KB", "RSS growth MB", "run"],
                table_rows,
            )
        )
        print(f"target < 20 s: {'met' if job['XLSX']['total_s'] < 20 else 'NOT met'} (XLSX, wall)")
    save_results(
        "inbox-registers",
        {"rows": args.rows, "units": args.units, "database": database, "exports": raw, "job_export": job},
    )


if __name__ == "__main__":
    main()
