"""Inbox benchmarks against gunicorn (issue #5):

1. 100 requests submitted at once through the real public form (GET for the
   CSRF token, then POST): all stored, numbers unique and consecutive, no 5xx.
2. The officer inbox (``/admin/inbox/``) with 20,000 requests: p50/p99 of
   sequential page loads and of a wrk run, for the default list and filters.

Usage: ``.venv/bin/python bench/inbox/bench_inbox.py [--submissions 100] [--rows 20000]``
(``DATABASE_URL`` selects PostgreSQL; default is a SQLite file in a temp dir).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import free_port, run_wrk, save_results, stop, table, wait_http  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402

PASSWORD = "bench-password-123"
# Flask-Login's "strong" session protection binds the session to the user agent.
UA = "warta-bench/1.0"


def environment(workdir: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "CMS_INSTANCE_PATH": workdir,
            "CMS_PLUGINS": "inbox",
            "SECRET_KEY": "bench-secret",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{workdir}/warta.db",
            "FLASK_INBOX_MIN_SUBMIT_SECONDS": "0",
            "FLASK_INBOX_SUBMIT_RATE_LIMIT": '"100000 per minute"',  # all clients share 127.0.0.1
            "FLASK_CMS_PRIVATE_DIR": f'"{workdir}/private"',
            # A fixed data key, as in production: workers must not race to create instance/data_key.
            "FLASK_CMS_DATA_KEY": Fernet.generate_key().decode(),
        }
    )
    return env


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/ppid/", proc)
    return proc, base


def _opener():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("User-Agent", UA)]
    return opener, jar


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(opener, url: str, fields: dict) -> int:
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=120) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"', html).group(1) or ""


def submissions(base: str, count: int) -> dict:
    """Every client loads the form first, then all POST together."""
    barrier = threading.Barrier(count)

    def client(i: int):
        opener, _ = _opener()
        with opener.open(base + "/ppid/permohonan", timeout=60) as resp:
            html = resp.read().decode()
        fields = {
            "csrf_token": _hidden(html, "csrf_token"),
            "form_ts": _hidden(html, "form_ts"),
            "applicant_type": "perseorangan",
            "name": f"Pemohon Bench {i}",
            "nik": "3275014101900001",
            "address": "Jl. Bench",
            "phone": f"0812{i:08d}",
            "details": f"Dokumen nomor {i}",
            "purpose": "Uji beban",
            "access_method": "softcopy",
            "delivery": "email",
            "website": "",
        }
        barrier.wait()
        started = time.perf_counter()
        status = _post(opener, base + "/ppid/permohonan", fields)
        return status, (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(client, range(count)))
    wall = time.perf_counter() - started
    latencies = sorted(ms for _, ms in results)
    return {
        "statuses": [s for s, _ in results],
        "wall_s": wall,
        "p50_ms": statistics.median(latencies),
        "max_ms": latencies[-1],
    }


def check_numbers(env: dict, count: int) -> dict:
    code = (
        "from cms import create_app\nfrom cms.extensions import db\nfrom sqlalchemy import select\n"
        "from plugins.inbox.models import InfoRequest\napp = create_app()\nwith app.app_context():\n"
        "    rows = db.session.execute(select(InfoRequest.seq, InfoRequest.number)).all()\n"
        "    print(len(rows), len({n for _, n in rows}), sorted(s for s, _ in rows) == "
        "list(range(1, len(rows) + 1)))\n"
    )
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return {"stored": int(out[0]), "unique": int(out[1]), "consecutive": out[2] == "True", "expected": count}


def seed(env: dict, rows: int) -> None:
    """``rows`` requests over 40 units and about three years (``bench.scale.seed_ppid``,
    the one request seeder), plus an officer."""
    os.environ.update({k: env[k] for k in ("CMS_INSTANCE_PATH", "CMS_PLUGINS", "SECRET_KEY", "DATABASE_URL")})
    from bench.scale.seed_ppid import seed_requests
    from bench.scale.textgen import Text
    from cms import accounts, create_app
    from cms.extensions import db

    app = create_app()
    with app.app_context():
        units = [accounts.get_or_create_unit(f"OPD Bench {n}").id for n in range(40)]
        accounts.create_user("utama@bench.test", "ppid", PASSWORD)
        db.session.commit()
        seed_requests(Text(seed=5), rows, unit_ids=[*units, None], since=datetime(2024, 1, 2, 3), days=1000)


def login_cookie(base: str) -> str:
    opener, jar = _opener()
    with opener.open(base + "/login", timeout=30) as resp:
        token = _hidden(resp.read().decode(), "csrf_token")
    status = _post(opener, base + "/login", {"csrf_token": token, "email": "utama@bench.test", "password": PASSWORD})
    assert status in (302, 303), status
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def sequential(url: str, cookie: str, n: int = 200, expect: bytes = b"Permohonan informasi") -> dict:
    times = []
    for _ in range(n):
        req = urllib.request.Request(url, headers={"Cookie": cookie, "User-Agent": UA})
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
            assert resp.status == 200 and expect in body
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p99_ms": times[int(len(times) * 0.99) - 1], "max_ms": times[-1]}


def in_process(paths: list[tuple[str, str]], n: int = 200) -> list[list]:
    """The same pages through Flask's test client in this process: the app's
    own cost, without the HTTP server or other processes competing."""
    from cms import create_app

    app = create_app({"WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/login", data={"email": "utama@bench.test", "password": PASSWORD})
    rows = []
    for label, path in paths:
        client.get(path)  # warm-up
        times = []
        for _ in range(n):
            started = time.perf_counter()
            resp = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 200
        times.sort()
        rows.append([label, round(statistics.median(times), 1), round(times[int(n * 0.99) - 1], 1)])
    return rows


LISTS = [
    ("baseline /ppid/ (no DB)", "/ppid/"),
    ("default (due first)", "/admin/inbox/"),
    ("open only", "/admin/inbox/?status=open"),
    ("overdue", "/admin/inbox/?overdue=1"),
    ("one unit", "/admin/inbox/?unit=5"),
    ("page 100", "/admin/inbox/?page=100"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="inbox-bench-")
    env = environment(workdir)
    subprocess.run(
        [str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    proc, base = start_gunicorn(env, args.workers)
    try:
        sub = submissions(base, args.submissions)
        numbers = check_numbers(env, args.submissions)
    finally:
        stop(proc)
    fives = sum(1 for s in sub["statuses"] if s >= 500)
    print(
        f"\n== {args.submissions} concurrent submissions through the real form "
        f"(gunicorn -w {args.workers}, {env['DATABASE_URL'].split(':')[0]}) =="
    )
    print(
        table(
            ["stored", "unique numbers", "consecutive", "303 responses", "5xx", "wall s", "p50 ms", "max ms"],
            [
                [
                    numbers["stored"],
                    numbers["unique"],
                    numbers["consecutive"],
                    sub["statuses"].count(303),
                    fives,
                    round(sub["wall_s"], 2),
                    round(sub["p50_ms"], 1),
                    round(sub["max_ms"], 1),
                ]
            ],
        )
    )

    seed(env, args.rows)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    proc, base = start_gunicorn(env, args.workers)
    rows = []
    try:
        cookie = login_cookie(base)
        # Baseline: the static-ish PPID landing page on the same server, same method,
        # so a loaded machine shows up in the figures instead of hiding in them.
        seq = sequential(base + "/ppid/", cookie, expect=b"PPID")
        wrk = run_wrk(base + "/ppid/", connections=4, threads=2, duration=5, headers={"User-Agent": UA})
        rows.append(
            [
                "baseline /ppid/ (no DB)",
                round(seq["p50_ms"], 1),
                round(seq["p99_ms"], 1),
                round(wrk.p50_ms, 1),
                round(wrk.p99_ms, 1),
                round(wrk.rps),
                wrk.non_2xx_3xx,
            ]
        )
        for label, path in LISTS[1:]:
            seq = sequential(base + path, cookie)
            wrk = run_wrk(
                base + path, connections=4, threads=2, duration=5, headers={"Cookie": cookie, "User-Agent": UA}
            )
            rows.append(
                [
                    label,
                    round(seq["p50_ms"], 1),
                    round(seq["p99_ms"], 1),
                    round(wrk.p50_ms, 1),
                    round(wrk.p99_ms, 1),
                    round(wrk.rps),
                    wrk.non_2xx_3xx,
                ]
            )
    finally:
        stop(proc)
    print(f"\n== officer inbox with {args.rows + numbers['stored']} requests (load average before: {load_before}) ==")
    print(table(["list", "seq p50 ms", "seq p99 ms", "wrk -c4 p50 ms", "wrk -c4 p99 ms", "req/s", "non-2xx"], rows))
    local = in_process(LISTS)
    print(
        f"\n== the same lists in-process (Flask test client, 200 loads each; load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}) =="
    )
    print(table(["list", "p50 ms", "p99 ms"], local))
    save_results(
        "inbox",
        {
            "submissions": {**sub, **numbers, "five_xx": fives},
            "inbox": rows,
            "in_process": local,
            "database": env["DATABASE_URL"].split(":")[0],
        },
    )


if __name__ == "__main__":
    main()
