"""The scale and crosspost benches run end to end at a tiny size.

No figure is asserted (timings never go in tests): only that every case
measured the real page without errors and every table was printed; for
crosspost, that every network got each release once with its images.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

needs_wrk_and_nginx = pytest.mark.skipif(
    not (shutil.which("wrk") and Path("/usr/sbin/nginx").exists()),
    reason="wrk and nginx come from apt (make test installs them)",
)


def run_bench(args: list[str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a bench script; on a timeout interrupt its whole process group, so
    its own clean-up stops the gunicorn, nginx and page-files it started
    (killing only the script left them serving for the rest of the suite)."""
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        raise
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@needs_wrk_and_nginx
def test_scale_bench_quick_run(tmp_path):
    out = tmp_path / "scale.json"
    done = run_bench(
        [
            sys.executable,
            "bench/scale/run.py",
            "--quick",
            "--no-postgres",
            "--duration",
            "1",
            "--warmup",
            "0",
            "--memory-pages",
            "10",
            "--publish-timeout",
            "3",
            "--json",
            str(out),
        ],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for heading in (
        "## Throughput",
        "## Targets (issue #8)",
        "## Memory per gunicorn worker",
        "## Publication → visible",
        "## What nginx is told",
    ):
        assert heading in done.stdout
    results = json.loads(out.read_text())
    cases = {c["name"]: c for c in results["cases"]}
    assert set(cases) == {
        "nginx static home copy",
        "nginx static rss copy",
        "nginx static list copy",
        "nginx static item copies",
        "nginx static search copies",
        "home via nginx",
        "rss via nginx",
        "home SQLite",
        "item SQLite",
        "rss SQLite",
        "rss 304 SQLite",
        "rss gzip SQLite",
        "list SQLite",
        "atom SQLite",
        "json feed SQLite",
        "search SQLite",
        "item via nginx",
        "list via nginx",
        "atom via nginx",
        "search via nginx",
        "minimal Flask endpoint",
        "minimal Flask, feed-sized body",
    }
    for case in cases.values():
        assert case["median"]["rps"] > 0 and case["median"]["non_2xx_3xx"] == 0, case
        assert case["body_bytes"] > 1000 or case["name"] == "rss 304 SQLite"
    # Behind nginx, home and feed come from the page-files writer's files.
    assert {tuple(row["x_cache_status"]) for row in results["cache_headers"]} == {("FILE", "FILE", "FILE")}
    assert "item SQLite ≥ 90% of the minimal Flask endpoint" in done.stdout
    assert "search SQLite ≥ 30% of the minimal Flask endpoint, p99 < 40 ms" in done.stdout
    assert "search via nginx ≥ 80% of nginx static and not slower than gunicorn alone" in done.stdout
    # The static ceiling serves byte-for-byte copies of the pages under test.
    # the same page (a static copy is taken at seed time; a clock-dependent line may differ slightly)
    assert abs(cases["home via nginx"]["body_bytes"] - cases["nginx static home copy"]["body_bytes"]) < 200
    assert cases["list via nginx"]["body_bytes"] == cases["nginx static list copy"]["body_bytes"]
    assert cases["item via nginx"]["body_bytes"] == cases["nginx static item copies"]["body_bytes"]
    # search is compared with copies of its own results pages, asked for by the same script
    assert cases["search via nginx"]["ceiling"] == "nginx static search copies"
    assert cases["search via nginx"]["body_bytes"] == cases["nginx static search copies"]["body_bytes"]
    assert abs(cases["minimal Flask, feed-sized body"]["body_bytes"] - cases["rss SQLite"]["body_bytes"]) < 200
    # The gzip case measures what goes over the wire: the compressed feed.
    assert cases["rss gzip SQLite"]["body_bytes"] < cases["rss SQLite"]["body_bytes"] // 2
    assert "rss SQLite ≥ 90% of the minimal Flask endpoint sending as many bytes" in done.stdout
    assert results["seed"]["SQLite"]["posts"] == 2000
    workers = results["memory"]["SQLite"]["workers"]
    assert len(workers) == 2 and all(w["rss"] > 10_000 for w in workers.values())
    straight = next(p for p in results["publication"] if p["through"] == "gunicorn/SQLite")
    assert straight["home"] is not None  # gunicorn shows a publication at once


def test_crosspost_bench_with_images_tiny_run(tmp_path):
    """Two releases with a lead and four gallery images to all eight channels."""
    out = tmp_path / "crosspost.json"
    done = run_bench(
        [
            sys.executable,
            "bench/crosspost/run.py",
            "--posts",
            "2",
            "--workers",
            "2",
            "--gallery",
            "4",
            "--phone-size",
            "640x480",
            "--timeout",
            "120",
            "--json",
            str(out),
        ],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| re-encode in the delivery |" in done.stdout
    results = json.loads(out.read_text())
    assert results["statuses"] == {"sent": 16}
    assert (results["duplicates"], results["lost"], results["image_notes"]) == (0, 0, 0)
    images = {key: channel["images"] for key, channel in results["channels"].items()}
    # Lead + 4: four-image networks take four, Telegram/Facebook/Threads all five,
    # Instagram the JPEGs only (the PNG graphic is left out), the webhook none.
    assert images == {
        "mastodon": {"4": 2},
        "bluesky": {"4": 2},
        "x": {"4": 2},
        "telegram": {"5": 2},
        "facebook": {"5": 2},
        "threads": {"5": 2},
        "instagram": {"4": 2},
        "webhook": {"0": 2},
    }
    encodes = {row["group"]: row["images"] for row in results["encodes"]}
    assert encodes["all"] == 4 * 2 * 3 + 5 * 2 * 2  # mastodon, bluesky, x: 4; telegram, facebook: 5
    assert encodes["source PNG 1200x630"] == 5 * 2


WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8080/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.20ms    4.10ms  98.00ms   90.00%
    Req/Sec     1.45k   120.00     1.70k    70.00%
  Latency Distribution
     50%  850.00us
     75%   12.00ms
     90%   15.00ms
     99%    1.20s
  28934 requests in 10.01s, 560.12MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:   2890.53
Transfer/sec:     55.96MB
"""


def test_wrk_output_is_parsed_with_units_and_errors():
    sys.path.insert(0, str(ROOT))
    from bench.common import parse_wrk, table

    result = parse_wrk(WRK_OUTPUT)
    assert (result.rps, result.p50_ms, result.p99_ms) == (2890.53, 0.85, 1200.0)
    assert (result.requests, result.non_2xx_3xx, result.socket_errors) == (28934, 7, 5)
    assert not result.clean
    rendered = table(["case", "req/s"], [["home", 2890.53], ["rss", 12.5]])
    assert rendered.splitlines()[2] == "| home | 2,891 |"
    assert rendered.splitlines()[3] == "| rss  | 12.50 |"


def test_tenfold_times_each_full_collection_and_nothing_else():
    import gc

    from bench.scale.tenfold import _full_collection_timer

    passes: list[float] = []
    timer = _full_collection_timer(passes)
    gc.callbacks.append(timer)
    try:
        gc.collect(0)
        gc.collect(1)
        assert passes == []
        gc.collect()
        assert len(passes) == 1 and passes[0] >= 0
    finally:
        gc.callbacks.remove(timer)
