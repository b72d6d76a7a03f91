"""Ten times the content: the same pages at 5,000, 50,000 and 500,000 items.

    .venv/bin/python bench/scale/tenfold.py [--sizes 5000,50000,500000] [--postgres] [--keep DIR]

For each size a fresh installation is migrated and seeded
(``bench.scale.seed``: posts, and information requests at 0.4 per item,
so 200,000 at 500,000), then a child process with that installation's
configuration requests each page ``--samples`` times through the app
in-process (Flask's test client: the app's own cost, no HTTP server, so a
loaded machine moves the figures less).  Every cache is bypassed: the
counter is bumped (outside the timing) before each public request and the
worker cache is off, so each figure is a render against the database, what
a reader meets after a change.  Prints one table, p50 / p99 ms per page and
size, and the ratio 500,000 : 50,000.

``--keep DIR`` (SQLite) keeps each size's installation in ``DIR/<items>``
and reuses it when it is already seeded (``seeded.json`` there): seeding
500,000 items takes over ten minutes.  A reused installation is migrated
again first, so new indexes reach it.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "tenfold-bench-Sandi-1"  # noqa: S105 - a throw-away installation
QUERIES = ("banjir", "jalan", "kesehatan", "pajak daerah", "sekolah", "anggaran", "pasar", "vaksin")
PAGES = [  # label, path (None: chosen per request), signed in, what the body must contain
    ("home", "/", False, b"</html>"),
    ("item", None, False, b"</html>"),
    ("rss feed", "/feeds/rss.xml", False, b"</rss>"),
    ("search", None, False, b"</html>"),
    ("sitemap", "/sitemap.xml", False, b"</"),
    ("sitemap chunk 1", "/sitemap-1.xml", False, b"</urlset>"),
    ("officer inbox", "/admin/inbox/", True, b"</html>"),
    ("admin post list", "/admin/posts", True, b"</html>"),
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(samples: int) -> dict:
    """In the child: every page ``samples`` times, caches bypassed."""
    from sqlalchemy import select

    from cms import create_app
    from cms.accounts import hash_password
    from cms.content_version import content_changed
    from cms.extensions import db
    from cms.models import Post, User

    app = create_app({"WTF_CSRF_ENABLED": False, "CMS_SHARED_CACHE": False, "RATELIMIT_ENABLED": False})
    # One JSON line per request on stderr buried the table (thousands of lines).
    logging.getLogger("cms.request").setLevel(logging.WARNING)
    # As deployed: gunicorn.conf.py freezes the preloaded app before forking.
    # Unfrozen, every full collection walked its ~170,000 objects: 100-155 ms
    # of CPU landing on whichever page followed an allocating one (the sitemap
    # chunk), the officer inbox's lone ~130 ms request; frozen, 10-30 ms.
    gc.collect()
    gc.freeze()
    full_passes: list[float] = []  # CPU ms of each full collection in the current page's requests
    gc.callbacks.append(_full_collection_timer(full_passes))
    rng = random.Random(24)
    results = {}
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "bench-admin@warta.test"))
        admin.password_hash = hash_password(PASSWORD)
        db.session.commit()
        last = db.session.scalar(select(Post.id).order_by(Post.id.desc()).limit(1))
        sample = rng.sample(range(1, last), 400)
        rows = db.session.execute(select(Post.kind, Post.slug).where(Post.status == "published", Post.id.in_(sample)))
        items = [f"/{kind}/{slug}" for kind, slug in rows]
    public, staff = app.test_client(), app.test_client()
    signed = staff.post("/login", data={"email": "bench-admin@warta.test", "password": PASSWORD})
    if signed.status_code not in (302, 303):
        raise SystemExit(f"sign-in failed: {signed.status_code}")
    for label, path, signed_in, expect in PAGES:
        client = staff if signed_in else public
        times, cpu_times = [], []
        full_passes.clear()
        for n in range(samples + 1):
            url = path or (rng.choice(items) if label == "item" else f"/cari?q={rng.choice(QUERIES)}&page={1 + n % 3}")
            if not signed_in:
                with app.app_context():
                    content_changed()  # every layer misses: a render after a change
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            cpu_ms = (time.process_time() - cpu) * 1000
            if response.status_code != 200 or expect not in response.data:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
            if n:  # the first request warms the worker (templates, connections)
                times.append(elapsed)
                cpu_times.append(cpu_ms)
        times.sort()
        results[label] = {
            "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
            "cpu_p50_ms": round(statistics.median(cpu_times), 1),
            "cpu_p99_ms": round(sorted(cpu_times)[min(len(cpu_times) - 1, int(len(cpu_times) * 0.99))], 1),
            "gc_full_passes": len(full_passes),
            "gc_full_max_ms": round(max(full_passes, default=0), 1),
        }
        log(
            f"    {label:<18} p50 {results[label]['p50_ms']:8.1f} ms  p99 {results[label]['p99_ms']:8.1f} ms"
            f"  CPU p50 {results[label]['cpu_p50_ms']:8.1f} ms  p99 {results[label]['cpu_p99_ms']:8.1f} ms"
            f"  full GC {len(full_passes)} x, longest {results[label]['gc_full_max_ms']} ms"
        )
    return results


def _full_collection_timer(passes: list[float]):
    """A ``gc.callbacks`` entry appending the CPU ms of each full (generation 2) pass."""
    started: list[float] = []

    def timer(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.process_time()]
        elif started:
            passes.append((time.process_time() - started[0]) * 1000)

    return timer


def one_size(items: int, database_url: str | None, workdir: Path, samples: int) -> dict:
    from bench.scale import servers

    env = servers.site_env(workdir, database_url or f"sqlite:///{workdir / 'warta.db'}", None)
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    servers.migrate(env)
    requests = int(items * 0.4)
    marker = workdir / "seeded.json"
    if marker.exists():
        seeded = json.loads(marker.read_text())
        log(f"  {items:,} items reused from {workdir} (seeded in {seeded['seed_seconds']} s)")
        return _measure_size(items, requests, seeded["seed_seconds"], env, samples)
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale.seed", "seed", "--items", str(items), "--requests", str(requests)]
        + ["--dip", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=6 * 3600,
    )
    if done.returncode:
        raise RuntimeError("seeding failed:\n" + done.stderr[-3000:])
    seeded = json.loads(done.stdout.strip().splitlines()[-1])
    seconds = round(time.perf_counter() - started, 1)
    log(f"  {items:,} items, {requests:,} requests seeded in {seconds} s ({seeded.get('seconds')})")
    marker.write_text(json.dumps({"seed_seconds": seconds, "seeded": seeded}))
    return _measure_size(items, requests, seconds, env, samples)


def _measure_size(items: int, requests: int, seconds: float, env: dict, samples: int) -> dict:
    if not samples:  # --seed-only
        return {"items": items, "requests": requests, "seed_seconds": seconds, "pages": {}}
    done = subprocess.run(
        [sys.executable, "-m", "bench.scale.tenfold", "--measure", "--samples", str(samples)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        timeout=3600,
    )
    if done.returncode:
        raise RuntimeError(f"measuring {items:,} failed")
    return {"items": items, "requests": requests, "seed_seconds": seconds, "pages": json.loads(done.stdout)}


def render(rows: list[dict]) -> str:
    sizes = [r["items"] for r in rows]
    head = "| page | " + " | ".join(f"{s:,} p50 / p99 ms" for s in sizes)
    ratio = 500_000 in sizes and 50_000 in sizes
    head += " | 500k : 50k (p50) | 500k : 50k (CPU p50) |" if ratio else " |"
    lines = [head, "|" + "---|" * (len(sizes) + 1 + 2 * ratio)]
    for label, *_ in PAGES:
        cells = [
            f"{r['pages'][label]['p50_ms']} / {r['pages'][label]['p99_ms']}"
            f" (CPU {r['pages'][label]['cpu_p50_ms']} / {r['pages'][label]['cpu_p99_ms']})"
            for r in rows
        ]
        line = f"| {label} | " + " | ".join(cells)
        if ratio:
            for key in ("p50_ms", "cpu_p50_ms"):
                by = {r["items"]: r["pages"][label][key] for r in rows}
                line += f" | {by[500_000] / max(by[50_000], 0.1):.2f} ×"
        lines.append(line + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000,500000")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (started here) instead of SQLite")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) each size's SQLite installation under DIR/<items>")
    parser.add_argument("--seed-only", action="store_true", help="with --keep: seed the sizes, measure nothing")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        if not args.keep:
            parser.error("--seed-only needs --keep")
        args.samples = 0
    if args.measure:
        print(json.dumps(measure(args.samples)))
        return 0
    from bench.common import save_results
    from bench.scale import report, servers

    results: dict = {"load_before": report.load_average(), "database": "postgresql" if args.postgres else "sqlite"}
    rows = []
    with ExitStack() as stack:
        for items in (int(s) for s in args.sizes.split(",")):
            if args.keep and not args.postgres:
                workdir = args.keep / str(items)
            else:
                workdir = Path(tempfile.mkdtemp(prefix=f"warta-tenfold-{items}-"))
                stack.callback(shutil.rmtree, workdir, ignore_errors=True)
            url = None
            if args.postgres:
                url = stack.enter_context(servers.postgres(f"warta-tenfold-{items}"))
            log(f"{items:,} items ({results['database']}), load {report.load_average()}")
            rows.append(one_size(items, url, workdir, args.samples) | {"load": report.load_average()})
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    results["rows"] = rows
    results["load_after"] = report.load_average()
    if args.seed_only:
        return 0
    save_results("tenfold", results)
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
