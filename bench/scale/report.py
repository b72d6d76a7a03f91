"""Turn the scale bench's measurements into the printed tables and the JSON file."""

from __future__ import annotations

import os
import statistics
from dataclasses import asdict

from bench.common import fetch, table
from bench.scale import measure

TARGET_NGINX_SHARE = 0.80  # issue #8: feed and home behind nginx ≥ 80% of static
TARGET_PUBLICATION_S = 2.0
TARGET_WORKER_MIB = 150


def cache_headers(base: str) -> list[dict]:
    """What nginx sees from Warta: the headers that decide its caching."""
    rows = []
    for path in ("/", "/feeds/rss.xml"):
        statuses = []
        for _ in range(3):
            _, headers, _ = fetch(base + path)
            statuses.append(headers.get("x-cache-status", "-"))
        rows.append(
            {
                "path": path,
                "cache_control": headers.get("cache-control", "(none)"),
                "vary": headers.get("vary", "(none)"),
                "set_cookie": "set-cookie" in headers,
                "x_cache_status": statuses,
            }
        )
    return rows


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _seconds(value: float | None, timeout: float) -> str:
    return f"not seen in {timeout:g} s" if value is None else f"{value:.2f} s"


def throughput_table(cases: list[measure.Case]) -> str:
    flask = next((c for c in cases if c.name == "minimal Flask endpoint"), None)
    rows = []
    for c in cases:
        r = c.result
        share_flask = r.rps / flask.result.rps if flask and flask.result.rps else None
        cpu = measure.cpu_per_request(c)
        rows.append(
            [
                c.name,
                c.server,
                c.body_bytes,
                r.rps,
                r.p50_ms,
                r.p99_ms,
                "—" if cpu is None else f"{cpu:.3f}",
                _pct(measure.ratio(c)),
                "—" if c.server.startswith("nginx") else _pct(share_flask),
                f"{measure.rps_spread(c) * 100:.0f}%",
                r.non_2xx_3xx + r.socket_errors,
            ]
        )
    return table(
        [
            "case",
            "server",
            "bytes",
            "req/s",
            "p50 ms",
            "p99 ms",
            "CPU ms/req",
            "% of nginx static",
            "% of minimal Flask",
            "spread",
            "errors",
        ],
        rows,
    )


def targets(results: dict, args) -> list[list]:
    cases = {c.name: c for c in results["cases"]}
    rows = []
    direct_label = next((n.split(" ", 1)[1] for n in cases if n.startswith("home ") and "nginx" not in n), None)
    for name in [n for n in cases if n.endswith(" via nginx")]:
        share = measure.ratio(cases[name])
        direct = cases.get(name.replace(" via nginx", f" {direct_label}"))
        versus = same_round_share(cases[name], direct)
        ok = share is not None and share >= TARGET_NGINX_SHARE and (versus is None or versus >= 1.0)
        rows.append(
            [
                f"{name} ≥ 80% of nginx static and not slower than gunicorn alone (#24)",
                f"{_pct(share)}; {_pct(versus)} of gunicorn alone",
                "PASS" if ok else "MISS",
            ]
        )
    for pub in results["publication"]:
        if not pub["through"].startswith("nginx"):
            continue
        for page in ("home", "rss"):
            seconds = pub[page]
            ok = seconds is not None and seconds <= TARGET_PUBLICATION_S
            rows.append(
                [
                    f"publication visible on {page} via {pub['through']} ≤ 2 s",
                    _seconds(seconds, args.publish_timeout),
                    "PASS" if ok else "MISS",
                ]
            )
    for label, mem in results["memory"].items():
        note = "" if args.items >= 50_000 else f" (only {args.items:,} items)"
        rows.append(
            [
                f"RSS per worker < 150 MB, {label}{note}",
                f"{mem['max_rss_mib']:.0f} MiB",
                "PASS" if mem["max_rss_mib"] < TARGET_WORKER_MIB else "MISS",
            ]
        )
    # Straight from gunicorn, #3's and #4's ratios to the minimal endpoint, on each database.
    flask = cases.get("minimal Flask endpoint")
    labels = [name.split(" ", 1)[1] for name in cases if name.startswith("home ") and "nginx" not in name]
    for label in labels:
        for page, goal, p99_goal in (
            ("home", 0.9, None),
            ("item", 0.9, None),
            ("list", 0.9, None),
            ("rss", 0.9, None),
            ("rss 304", 0.9, None),
            ("rss gzip", 0.9, None),
            ("atom", 0.9, None),
            ("json feed", 0.9, None),
            ("search", 0.30, 40.0),
        ):
            case = cases.get(f"{page} {label}")
            if case is None or flask is None:
                continue
            share = flask_share(case, flask)
            ok = share is not None and share >= goal
            text = f"{page} {label} ≥ {goal:.0%} of the minimal Flask endpoint"
            measured = _pct(share)
            if p99_goal is not None:
                text += f", p99 < {p99_goal:g} ms"
                measured += f", p99 {case.result.p99_ms:.1f} ms"
                ok = ok and case.result.p99_ms < p99_goal
            rows.append([f"{text} (#24)", measured, "PASS" if ok else "MISS"])
    sized = cases.get("minimal Flask, feed-sized body")
    for label in labels:  # the feeds against the bare app sending as many bytes
        for page in ("rss", "atom", "json feed"):
            case = cases.get(f"{page} {label}")
            if case is None or sized is None:
                continue
            share = flask_share(case, sized)
            rows.append(
                [
                    f"{page} {label} ≥ 90% of the minimal Flask endpoint sending as many bytes",
                    _pct(share),
                    "info" if share is None else ("PASS" if share >= 0.9 else "MISS"),
                ]
            )
    if "home PostgreSQL" in cases:  # for information: how close the databases come
        for page in ("home", "item", "rss"):
            sqlite, pg = (flask_share(cases.get(f"{page} {db}"), flask) for db in ("SQLite", "PostgreSQL"))
            parity = pg / sqlite if sqlite and pg else None
            rows.append(
                [f"{page}: PostgreSQL's share of the minimal endpoint as a share of SQLite's", _pct(parity), "info"]
            )
    return rows


def same_round_share(case: measure.Case | None, other: measure.Case | None) -> float | None:
    """Median over rounds of one case's req/s against another's in the same round."""
    if case is None or other is None:
        return None
    shares = [c.rps / o.rps for c, o in zip(case.runs, other.runs, strict=False) if o.rps]
    return statistics.median(shares) if shares else None


def flask_share(case: measure.Case | None, flask: measure.Case | None) -> float | None:
    """Median over rounds of req/s against the minimal endpoint in the same round."""
    if case is None or flask is None:
        return None
    shares = [c.rps / f.rps for c, f in zip(case.runs, flask.runs, strict=False) if f.rps]
    return statistics.median(shares) if shares else None


def render(results: dict, args) -> str:
    seed = results["seed"]
    parts = [
        f"# Warta scale bench — {results['started']}",
        f"seeded: {seed}",
        f"wrk -t2 -c{args.connections} -d{args.duration:g}s, {args.rounds} interleaved round(s), "
        f"{args.warmup:g} s warm-up per run; gunicorn sync × {args.workers}; "
        f"load average {results.get('load_before', '?')} → {results.get('load_after', '?')}",
        "",
        "## Throughput (medians over rounds; ratios against the same round's static copy)",
        "",
        throughput_table(results["cases"]),
        "",
        "## Targets (issue #8)",
        "",
        table(["target", "measured", "verdict"], targets(results, args)),
        "",
        "## Memory per gunicorn worker after warm-up",
        "",
    ]
    rows = []
    for label, mem in results["memory"].items():
        for pid, kib in mem["workers"].items():
            rows.append([label, f"worker {pid}", kib["rss"] / 1024, kib["pss"] / 1024])
        rows.append([label, "master", mem["master"]["rss"] / 1024, mem["master"]["pss"] / 1024])
    parts += [table(["database", "process", "RSS MiB", "PSS MiB"], rows), ""]
    slow = [
        [label, page["url"], page["status"], page["seconds"]]
        for label, mem in results["memory"].items()
        for page in mem["slow_pages"]
    ]
    if slow:
        parts += [
            "Pages slower than 1 s (or failing) during warm-up, first fetch, one at a time:",
            "",
            table(["database", "page", "status", "seconds"], slow),
            "",
        ]
    parts += ["## Publication → visible (seconds from the start of publish_now, the editor's click)", ""]
    parts.append(
        table(
            ["through", "home", "rss"],
            [
                [p["through"], _seconds(p["home"], args.publish_timeout), _seconds(p["rss"], args.publish_timeout)]
                for p in results["publication"]
            ],
        )
    )
    parts += [
        "",
        "## What nginx is told (decides its caching)",
        "",
        table(
            ["path", "Cache-Control", "Vary", "Set-Cookie", "X-Cache-Status ×3"],
            [
                [
                    h["path"],
                    h["cache_control"],
                    h["vary"],
                    "yes" if h["set_cookie"] else "no",
                    " ".join(h["x_cache_status"]),
                ]
                for h in results["cache_headers"]
            ],
        ),
    ]
    return "\n".join(parts)


def to_json(results: dict) -> dict:
    out = {k: v for k, v in results.items() if k != "cases"}
    out["cases"] = [
        {
            "name": c.name,
            "server": c.server,
            "url": c.url,
            "ceiling": c.ceiling,
            "body_bytes": c.body_bytes,
            "ratios": c.ratios,
            "cpu_ms": c.cpu_ms,
            "median": asdict(c.result),
            "cpu_ms_per_request": measure.cpu_per_request(c),
            "ratio_to_static": measure.ratio(c),
            "runs": [asdict(r) for r in c.runs],
        }
        for c in results.get("cases", [])
    ]
    return out


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
