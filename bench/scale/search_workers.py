"""Search while gunicorn recycles its workers: the cost of a worker's empty memory.

    .venv/bin/python bench/scale/search_workers.py [--postgres] [--items 50000]
        [--max-requests 3000] [--files 5000] [--keep DIR]

Seeds ``--items`` posts (``bench.scale.seed``, stems included), starts
gunicorn as deployed (2 sync workers, ``gunicorn.conf.py``) with
``GUNICORN_MAX_REQUESTS`` lowered so that workers are recycled during the
run as they are during the scale bench's long series of cases, and asks
the scale bench's ~300 search queries (``bench.scale.run.search_paths``,
wrk Lua, 2 threads, 32 connections) for ``--rounds`` runs.  Prints req/s,
p50 and p99 per round.  ``--files 0`` keeps results pages in each worker's
memory only (``CMS_SEARCH_CACHE_FILES``), the behaviour before they were
shared as files; the files are removed before each start, so the first
round begins cold either way.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _installation(args, stack: ExitStack) -> dict[str, str]:
    from bench.scale import servers

    workdir = args.keep or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="warta-search-workers-")))
    workdir.mkdir(parents=True, exist_ok=True)
    marker = workdir / "seeded.json"
    if marker.exists():
        return json.loads(marker.read_text())["env"]
    if args.postgres:
        database_url = stack.enter_context(servers.postgres("warta-search-workers"))
    else:
        database_url = f"sqlite:///{workdir / 'warta.db'}"
    env = servers.site_env(workdir, database_url, None)
    servers.migrate(env)
    print(f"seeding {args.items:,} items ...", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, "-m", "bench.scale.seed", "seed", "--items", str(args.items), "--requests", "0", "--dip", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    marker.write_text(json.dumps({"env": env}))
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (started here) instead of SQLite")
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--max-requests", type=int, default=3000, help="GUNICORN_MAX_REQUESTS (jitter 5,000 on top)")
    parser.add_argument("--files", type=int, nargs="+", default=[0, 5000], help="CMS_SEARCH_CACHE_FILES values")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the SQLite installation in DIR")
    args = parser.parse_args(argv)
    if args.keep and args.postgres:
        parser.error("--keep is for SQLite: PostgreSQL is started (and stopped) here")

    from bench.common import lua_paths, run_wrk
    from bench.scale import servers
    from bench.scale.run import search_paths

    with ExitStack() as stack:
        env = _installation(args, stack)
        instance = Path(env["CMS_INSTANCE_PATH"])
        script = lua_paths(search_paths(), instance.parent / "search.lua")
        rows = []
        for files in args.files:
            shutil.rmtree(instance / "query-pages", ignore_errors=True)
            settings = {
                **env,
                "GUNICORN_MAX_REQUESTS": str(args.max_requests),
                "FLASK_CMS_SEARCH_CACHE_FILES": str(files),
            }
            server = servers.Gunicorn(settings, workers=2)
            try:
                for number in range(1, args.rounds + 1):
                    result = run_wrk(server.url + "/cari?q=pelayanan", duration=args.duration, script=script)
                    rows.append((files, number, result))
                    print(
                        f"files {files:>5}  round {number}  {result.rps:>7,.0f} req/s  "
                        f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms  errors {result.non_2xx_3xx}",
                        file=sys.stderr,
                        flush=True,
                    )
            finally:
                server.close()
        database = "PostgreSQL" if args.postgres else "SQLite"
        print(f"\n{args.items:,} items on {database}, max_requests {args.max_requests} (+ jitter)\n")
        print("| CMS_SEARCH_CACHE_FILES | round | req/s | p50 ms | p99 ms |")
        print("|---:|---:|---:|---:|---:|")
        for files, number, result in rows:
            print(f"| {files} | {number} | {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} |")


if __name__ == "__main__":
    main()
