"""Scale-out bench: Warta on SQLite and PostgreSQL, behind the documented
nginx, against nginx serving static copies of the same pages, in one run.

    .venv/bin/python bench/scale/run.py [--items 50000 --requests 20000 --dip 50000]
    .venv/bin/python bench/scale/run.py --quick --no-postgres     # smoke run

Prints a table (and writes ``bench/results/scale-<time>.json``); see
``bench/README.md`` for how to read it.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import WRK, fetch, lua_paths, save_results, stop  # noqa: E402
from bench.scale import measure, report, servers  # noqa: E402
from bench.scale.seed import PUBLISH_SLUG  # noqa: E402

QUICK = {
    "items": 2000,
    "requests": 500,
    "dip": 1000,
    "duration": 2.0,
    "warmup": 1.0,
    "rounds": 1,
    "memory_pages": 50,
    "publish_timeout": 10.0,
    "item_pages": 200,
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Warta scale-out benchmark (issue #8).")
    parser.add_argument("--items", type=int, default=50_000, help="posts to seed (default 50,000)")
    parser.add_argument("--requests", type=int, default=20_000, help="PPID requests to seed")
    parser.add_argument("--dip", type=int, default=50_000, help="DIP entries to seed")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load before each run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (medians are reported)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default: the 2 cores)")
    parser.add_argument("--memory-pages", type=int, default=300, help="item pages fetched before reading RSS")
    parser.add_argument(
        "--item-pages", type=int, default=2000, help="item pages stored (flask cms prerender) and requested at random"
    )
    parser.add_argument("--publish-timeout", type=float, default=30.0)
    parser.add_argument("--plugins", help="CMS_PLUGINS for the installation (default: the app's default)")
    parser.add_argument("--site-conf", type=Path, help="nginx site file to try instead of deploy/nginx/warta.conf")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL half")
    parser.add_argument("--quick", action="store_true", help="small sizes and short runs, for smoke tests")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (databases, logs)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.quick:
        for key, value in QUICK.items():
            if parser.get_default(key) == getattr(args, key):
                setattr(args, key, value)
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(name: str, workdir: Path, database_url: str, args) -> dict:
    """Migrate and seed one installation; its environment and seeding figures."""
    env = servers.site_env(workdir, database_url, args.plugins)
    started = time.perf_counter()
    servers.migrate(env)
    migrated = time.perf_counter() - started
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.scale.seed",
            "seed",
            "--items",
            str(args.items),
            "--requests",
            str(args.requests),
            "--dip",
            str(args.dip),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode:
        raise RuntimeError(f"seeding {name} failed:\n{_error_lines(done.stderr)}")
    seeded = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"{name}: migrated in {migrated:.1f} s, seeded {seeded}")
    # Item pages as after an import: stored by `flask cms prerender` (docs/deploy.md).
    started = time.perf_counter()
    _run(
        [str(servers.VENV_BIN / "flask"), "--app", "wsgi", "cms", "prerender", "--limit", str(args.item_pages)],
        env,
        f"prerendering {name}",
    )
    paths = json.loads(
        _run(
            [sys.executable, "-m", "bench.scale.seed", "item-paths", "--limit", str(args.item_pages)],
            env,
            f"listing {name} items",
        )
        .strip()
        .splitlines()[-1]
    )
    log(f"{name}: {len(paths):,} item pages stored in {time.perf_counter() - started:.1f} s")
    return {
        "env": env,
        "seed": seeded,
        "migrate_seconds": round(migrated, 1),
        "items": lua_paths(paths, workdir / "items.lua"),
        "searches": lua_paths(search_paths(), workdir / "search.lua"),
    }


def search_paths() -> list[str]:
    """Hundreds of distinct ``/cari`` queries from the seeded vocabulary, as
    bench/newsroom asks them: common words, middling ones, rare ones and pairs."""
    import random
    from urllib.parse import quote_plus

    from bench.scale.textgen import COMMON, Text

    words, rng = Text().words, random.Random(3)
    terms = (
        rng.sample(list(COMMON), 60)
        + rng.sample(words[200:2000], 100)
        + rng.sample(words[2500:], 100)
        + [f"{a} {b}" for a, b in zip(rng.sample(list(COMMON), 40), rng.sample(words[200:], 40), strict=True)]
    )
    return [f"/cari?q={quote_plus(t)}" for t in dict.fromkeys(terms)]


def _run(cmd: list[str], env: dict, what: str) -> str:
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    if done.returncode:
        raise RuntimeError(f"{what} failed:\n{_error_lines(done.stderr)}")
    return done.stdout


def _error_lines(stderr: str) -> str:
    """The exception lines of a traceback, without SQLAlchemy's echo of every row."""
    lines = [
        line[:600]
        for line in stderr.splitlines()
        if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line) or line.startswith("DETAIL")
    ]
    return "\n".join(lines) or stderr[-3000:]


def snapshot(app_url: str, static_root: Path, items_script: Path, search_script: Path) -> None:
    """Static copies of the very pages under test, for nginx's ceiling: the
    home page, the RSS feed, the news list, every item page the item case
    asks for at their own paths, and every results page the search case asks
    for as ``cari/<q as in the URL>.html`` (the static server answers
    ``/cari?q=…`` with it), so the static cases run the same wrk scripts
    (their Lua costs wrk time per request too)."""
    static_root.mkdir(parents=True, exist_ok=True)
    for path, name in (("/", "index.html"), ("/feeds/rss.xml", "rss.xml"), ("/berita/", "berita/index.html")):
        (static_root / name).parent.mkdir(parents=True, exist_ok=True)
        (static_root / name).write_bytes(servers.fetch_ok(app_url + path))
    for path in re.findall(r'"(/[^"]+)"', items_script.read_text()):
        copy = static_root / path.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(servers.fetch_ok(app_url + path))
    (static_root / "cari").mkdir(exist_ok=True)
    for path, q in re.findall(r'"(/cari\?(?:[^"]*&)?q=([^&"]+)[^"]*)"', search_script.read_text()):
        (static_root / "cari" / f"{q}.html").write_bytes(servers.fetch_ok(app_url + path))  # q as nginx's $arg_q


def build_cases(nginx, apps: dict, pages, installs: dict) -> list[measure.Case]:
    case = measure.Case
    static, first = nginx.cpu_seconds, next(iter(apps))

    def behind_nginx():  # the page-files writer counts too, though it only polls meanwhile
        return nginx.cpu_seconds() + apps[first].cpu_seconds() + pages.cpu_seconds()

    first_script = installs[first]["items"]
    cases = [
        case("nginx static home copy", "nginx", nginx.static_url + "/index.html", "nginx static home copy", cpu=static),
        case("nginx static rss copy", "nginx", nginx.static_url + "/rss.xml", "nginx static rss copy", cpu=static),
        case("nginx static list copy", "nginx", nginx.static_url + "/berita/", "nginx static list copy", cpu=static),
        case(
            "nginx static item copies",
            "nginx",
            nginx.static_url + first_script.read_text().split('"', 2)[1],
            "nginx static item copies",
            cpu=static,
            script=first_script,
        ),
        case(
            "nginx static search copies",
            "nginx",
            nginx.static_url + installs[first]["searches"].read_text().split('"', 2)[1],
            "nginx static search copies",
            cpu=static,
            script=installs[first]["searches"],
        ),
        case(
            "home via nginx", f"nginx → gunicorn/{first}", nginx.url + "/", "nginx static home copy", cpu=behind_nginx
        ),
        case(
            "rss via nginx",
            f"nginx → gunicorn/{first}",
            nginx.url + "/feeds/rss.xml",
            "nginx static rss copy",
            cpu=behind_nginx,
        ),
    ]
    # Issue #24: every anonymous page and feed behind nginx, not only the page files.
    cases += [
        case(
            "item via nginx",
            f"nginx → gunicorn/{first}",
            nginx.url + first_script.read_text().split('"', 2)[1],
            "nginx static item copies",
            cpu=behind_nginx,
            script=first_script,
        ),
        case(
            "list via nginx",
            f"nginx → gunicorn/{first}",
            nginx.url + "/berita/",
            "nginx static list copy",
            cpu=behind_nginx,
        ),
        case(
            "atom via nginx",
            f"nginx → gunicorn/{first}",
            nginx.url + "/feeds/atom.xml",
            "nginx static rss copy",
            cpu=behind_nginx,
        ),
        case(
            "search via nginx",
            f"nginx → gunicorn/{first}",
            nginx.url + installs[first]["searches"].read_text().split('"', 2)[1],
            "nginx static search copies",
            cpu=behind_nginx,
            script=installs[first]["searches"],
        ),
    ]
    for label, server in apps.items():
        script = installs[label]["items"]
        first_item = script.read_text().split('"', 2)[1]
        _, headers, _ = fetch(server.url + "/feeds/rss.xml")
        cases += [
            case(
                f"home {label}", f"gunicorn/{label}", server.url + "/", "nginx static home copy", cpu=server.cpu_seconds
            ),
            case(
                f"item {label}",
                f"gunicorn/{label}",
                server.url + first_item,
                "nginx static home copy",
                cpu=server.cpu_seconds,
                script=script,
            ),
            case(
                f"rss {label}",
                f"gunicorn/{label}",
                server.url + "/feeds/rss.xml",
                "nginx static rss copy",
                cpu=server.cpu_seconds,
            ),
            case(
                f"rss 304 {label}",
                f"gunicorn/{label}",
                server.url + "/feeds/rss.xml",
                "nginx static rss copy",
                cpu=server.cpu_seconds,
                headers={"If-None-Match": headers["etag"]},
            ),
            case(  # as feed readers ask for it: Warta keeps a gzip copy per change
                f"rss gzip {label}",
                f"gunicorn/{label}",
                server.url + "/feeds/rss.xml",
                "nginx static rss copy",
                cpu=server.cpu_seconds,
                headers={"Accept-Encoding": "gzip"},
            ),
            case(
                f"list {label}",
                f"gunicorn/{label}",
                server.url + "/berita/",
                "nginx static home copy",
                cpu=server.cpu_seconds,
            ),
            case(
                f"atom {label}",
                f"gunicorn/{label}",
                server.url + "/feeds/atom.xml",
                "nginx static rss copy",
                cpu=server.cpu_seconds,
            ),
            case(
                f"json feed {label}",
                f"gunicorn/{label}",
                server.url + "/feeds/feed.json",
                "nginx static rss copy",
                cpu=server.cpu_seconds,
            ),
            case(
                f"search {label}",
                f"gunicorn/{label}",
                server.url + "/cari?q=pelayanan",
                "nginx static home copy",
                cpu=server.cpu_seconds,
                script=installs[label]["searches"],
            ),
        ]
    # The issues' yardstick: a bare Flask app returning 20 KB, in the same gunicorn workers.
    cases.append(
        case(
            "minimal Flask endpoint",
            f"gunicorn/{first}",
            apps[first].url + "/_minimal/",
            "nginx static home copy",
            cpu=apps[first].cpu_seconds,
        )
    )
    # ... and the same bare app sending as many bytes as the RSS feed.
    feed_bytes = len(servers.fetch_ok(apps[first].url + "/feeds/rss.xml"))
    cases.append(
        case(
            "minimal Flask, feed-sized body",
            f"gunicorn/{first}",
            apps[first].url + f"/_minimal/{feed_bytes}",
            "nginx static rss copy",
            cpu=apps[first].cpu_seconds,
        )
    )
    return cases


def publication(env: dict, nginx, app, args) -> list[dict]:
    """Publish one item per scenario and time until home and RSS show it."""
    scenarios = [
        ("nginx", nginx.url, False),
        ("nginx, during a stampede on home", nginx.url, True),
        ("gunicorn/SQLite", app.url, False),
    ]
    rows = []
    for k, (label, base, stampede) in enumerate(scenarios, 1):
        load = None
        if stampede:  # wrk keeps 32 connections on the home page meanwhile
            load = subprocess.Popen(
                [WRK, "-t2", f"-c{args.connections}", f"-d{int(args.publish_timeout) + 5}s", nginx.url + "/"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        try:
            seen = measure.publish_and_watch(
                env, PUBLISH_SLUG.format(k), {"home": base + "/", "rss": base + "/feeds/rss.xml"}, args.publish_timeout
            )
        finally:
            if load is not None:
                stop(load)
        rows.append({"through": label, **seen})
    return rows


def main(argv=None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="warta-scale-"))
    results: dict = {
        "args": {k: str(v) for k, v in vars(args).items()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "load_before": report.load_average(),
    }
    try:
        with ExitStack() as stack:
            sqlite_url = f"sqlite:///{workdir / 'sqlite' / 'warta.db'}"
            installs = {"SQLite": prepare("SQLite", workdir / "sqlite", sqlite_url, args)}
            if not args.no_postgres:
                pg_url = stack.enter_context(servers.postgres())
                installs["PostgreSQL"] = prepare("PostgreSQL", workdir / "pg", pg_url, args)
            results["seed"] = {k: v["seed"] for k, v in installs.items()}
            apps = {}
            for label, install in installs.items():
                apps[label] = servers.Gunicorn(install["env"], workers=args.workers)
                stack.callback(apps[label].close)
            snapshot(
                apps["SQLite"].url, workdir / "static", installs["SQLite"]["items"], installs["SQLite"]["searches"]
            )
            # The writer keeps as many item pages as the item case asks for at random.
            pages = servers.PageFiles(installs["SQLite"]["env"], workdir / "pages", items=args.item_pages)
            stack.callback(pages.close)
            nginx = servers.Nginx(
                apps["SQLite"].address, workdir, workdir / "static", site_conf=args.site_conf, pages_dir=pages.directory
            )
            stack.callback(nginx.close)
            cases = build_cases(nginx, apps, pages, installs)
            for c in cases:
                measure.check(c, "</rss>" if "rss" in c.url else ("{" if c.url.endswith(".json") else "<"))
                if "If-None-Match" in c.headers:  # a 304 has no body
                    c.body_bytes = 0
                elif c.headers:  # what goes over the wire with them (gzip)
                    c.body_bytes = len(servers.fetch_ok(c.url, headers=c.headers))
            log(
                f"measuring {len(cases)} cases × {args.rounds} rounds × {args.duration:g} s "
                f"(+{args.warmup:g} s warm-up each)"
            )
            measure.run_rounds(
                cases,
                rounds=args.rounds,
                duration=args.duration,
                warmup=args.warmup,
                connections=args.connections,
                log=log,
            )
            results["cases"] = cases
            results["memory"] = {
                label: measure.warm_and_measure_memory(app, args.memory_pages) for label, app in apps.items()
            }
            # Headers in the steady state: right after the publication below the
            # writer is still rewriting its files and nginx answers from its cache.
            results["cache_headers"] = report.cache_headers(nginx.url)
            results["publication"] = publication(installs["SQLite"]["env"], nginx, apps["SQLite"], args)
            results["load_after"] = report.load_average()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"work directory kept: {workdir}")
    text = report.render(results, args)
    print(text)
    stored = save_results("scale", report.to_json(results))
    if args.json:
        args.json.write_text(stored.read_text())
    log(f"results written to {stored}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
