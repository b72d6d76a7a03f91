"""Memory per gunicorn worker and of the page-files writer at scale (issue #24).

    .venv/bin/python bench/scale/memory.py [--items 50000] [--requests 20000] [--dip 0] [--keep DIR]
    .venv/bin/python bench/scale/memory.py --keep DIR --set CMS_SHARED_CACHE_BYTES=8388608 ...

Migrates and seeds one SQLite installation with ``bench.scale.seed`` (kept in
``--keep DIR`` and reused when it is already there), stores the newest
``--item-pages`` item pages, starts gunicorn exactly as deployed (2 sync
workers, preload, ``PYTHONOPTIMIZE=2``; ``--workers 1`` puts the whole
warm-up on one worker) and the page-files writer, warms both workers on every
public page type (``measure.warm_and_measure_memory``: searches, home,
feeds, lists, sitemaps, ``--memory-pages`` random items, each twice), then
reads RSS and PSS from ``/proc/PID/status`` and ``smaps_rollup``.  ``--set
KEY=VALUE`` passes a configuration value (as ``FLASK_KEY``) to both, e.g. a
cache budget.  Target: RSS <= 100 MB per worker at 50,000 items.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.scale import measure, servers  # noqa: E402

TARGET_MIB = 100


def prepare(workdir: Path, args) -> dict[str, str]:
    env = servers.site_env(workdir, f"sqlite:///{workdir / 'warta.db'}", args.plugins)
    marker = workdir / "seeded.json"
    if not marker.exists():
        servers.migrate(env)
        seed = [sys.executable, "-m", "bench.scale.seed", "seed", "--items", str(args.items)]
        seed += ["--requests", str(args.requests), "--dip", str(args.dip)]
        done = subprocess.run(seed, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        prerender = [str(servers.VENV_BIN / "flask"), "--app", "wsgi", "cms", "prerender"]
        subprocess.run(
            [*prerender, "--limit", str(args.item_pages)], cwd=ROOT, env=env, check=True, capture_output=True
        )
        marker.write_text(done.stdout.strip().splitlines()[-1])
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--dip", type=int, default=0)
    parser.add_argument("--item-pages", type=int, default=2000)
    parser.add_argument("--memory-pages", type=int, default=300)
    parser.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers (1: every warm-up request lands on the one worker)"
    )
    parser.add_argument(
        "--optimize", default="2", help="PYTHONOPTIMIZE of gunicorn (2, as deploy/systemd/warta-web.service; 0: off)"
    )
    parser.add_argument("--plugins", help="CMS_PLUGINS (default: the app's default)")
    parser.add_argument("--keep", required=True, type=Path, help="installation folder, reused when seeded")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="configuration for the run")
    args = parser.parse_args()
    args.keep.mkdir(parents=True, exist_ok=True)
    env = prepare(args.keep, args)
    for pair in args.set:
        key, _, value = pair.partition("=")
        env[f"FLASK_{key}"] = value
    load_before = os.getloadavg()
    app = servers.Gunicorn(env, workers=args.workers, GUNICORN_MAX_REQUESTS="0", PYTHONOPTIMIZE=args.optimize)
    pages = servers.PageFiles(env, args.keep / f"pages-{os.getpid()}")
    try:
        result = measure.warm_and_measure_memory(app, args.memory_pages)
        writer = servers.memory_kib(pages.process.pid)
    finally:
        pages.close()
        app.close()
    seeded = json.loads((args.keep / "seeded.json").read_text())
    print(f"\nseeded {seeded}; settings {args.set or 'defaults'}")
    print(f"load average before {load_before}, after {os.getloadavg()}; {result['requests']} warm-up requests")
    print("| process | RSS MiB | PSS MiB |\n|---|---:|---:|")
    for pid, mem in sorted(result["workers"].items()):
        print(f"| gunicorn worker {pid} | {mem['rss'] / 1024:.0f} | {mem['pss'] / 1024:.0f} |")
    print(f"| gunicorn master | {result['master']['rss'] / 1024:.0f} | {result['master']['pss'] / 1024:.0f} |")
    print(f"| page-files writer | {writer['rss'] / 1024:.0f} | {writer['pss'] / 1024:.0f} |")
    verdict = "met" if result["max_rss_mib"] <= TARGET_MIB else "NOT met"
    print(f"\nmax worker RSS {result['max_rss_mib']:.0f} MiB (target <= {TARGET_MIB}: {verdict})")
    if result["slow_pages"]:
        print("slow or failing first fetches:", result["slow_pages"][:10])


if __name__ == "__main__":
    main()
