"""What the scale bench measures: interleaved wrk rounds, worker memory after
warm-up, and the time from a publication to its appearance.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, WrkResult, fetch, median, run_wrk, spread
from bench.scale.servers import Gunicorn, memory_kib


@dataclass
class Case:
    """One URL under load; ``ceiling`` names the static case it is compared with."""

    name: str
    server: str
    url: str
    ceiling: str
    runs: list[WrkResult] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    body_bytes: int = 0
    # CPU seconds so far of the server processes charged to this case (None: not measured).
    cpu: Callable[[], float] | None = field(default=None, repr=False, compare=False)
    cpu_ms: list[float] = field(default_factory=list)
    script: Path | None = None  # wrk Lua choosing each path (many item pages)
    headers: dict[str, str] = field(default_factory=dict)  # e.g. If-None-Match for the 304

    @property
    def result(self) -> WrkResult:
        return median(self.runs)


def check(case: Case, expect: str, headers: dict[str, str] | None = None) -> None:
    """Refuse to measure an error page or the wrong page: content, not status."""
    status, _, body = fetch(case.url, headers=headers)
    if status != 200 or expect.encode() not in body:
        raise RuntimeError(
            f"{case.name}: {case.url} answered {status} without {expect!r}:\n" + body[:500].decode("utf-8", "replace")
        )
    case.body_bytes = len(body)


def run_rounds(cases: list[Case], *, rounds: int, duration: float, warmup: float, connections: int, log=print) -> None:
    """Round-robin over every case ``rounds`` times (host speed drifts, so each
    ratio is taken against the ceiling measured in the same round)."""
    for number in range(1, rounds + 1):
        this_round: dict[str, float] = {}
        for case in cases:
            load = {"connections": connections, "script": case.script, "headers": case.headers}
            if warmup:
                run_wrk(case.url, duration=warmup, **load)
            before = case.cpu() if case.cpu else 0.0
            result = run_wrk(case.url, duration=duration, **load)
            if case.cpu and result.requests:
                case.cpu_ms.append((case.cpu() - before) * 1000 / result.requests)
            case.runs.append(result)
            this_round[case.name] = result.rps
            log(
                f"  round {number}/{rounds} {case.name:<28} {result.rps:>9,.0f} req/s  "
                f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms"
            )
        for case in cases:
            ceiling = this_round.get(case.ceiling)
            if ceiling:
                case.ratios.append(this_round[case.name] / ceiling)


def cpu_per_request(case: Case) -> float | None:
    """Server CPU ms per request: unlike req/s, barely moved by other load on the box."""
    return statistics.median(case.cpu_ms) if case.cpu_ms else None


def ratio(case: Case) -> float | None:
    return statistics.median(case.ratios) if case.ratios else None


def rps_spread(case: Case) -> float:
    return spread(r.rps for r in case.runs)


# ------------------------------------------------------------ memory


def article_urls(base: str, limit: int, seed: int = 8) -> list[str]:
    """Item pages listed in the sitemap (itself a heavy page, so also warm-up)."""
    _, _, body = fetch(base + "/sitemap.xml", timeout=120)
    text = body.decode("utf-8", "replace")
    if "<sitemapindex" in text:
        first = re.search(r"<loc>[^<]*?(/sitemap-1\.xml)</loc>", text)
        _, _, body = fetch(base + (first.group(1) if first else "/sitemap-1.xml"), timeout=120)
        text = body.decode("utf-8", "replace")
    paths = re.findall(r"<loc>https?://[^/<]+(/(?:berita|siaran-pers)/[^<]+)</loc>", text)
    random.Random(seed).shuffle(paths)
    return [base + p for p in paths[:limit]]


def warm_and_measure_memory(server: Gunicorn, pages: int = 300, timeout: float = 60) -> dict:
    """Warm both workers on every public page type, then read RSS and PSS.

    Each page is fetched twice in a row so both workers (the kernel hands
    connections to whichever accepts first) see the full mix.  Pages slower
    than a second, failing or timing out are reported, not fatal: one slow
    page must not hide the rest of the figures.
    """
    base = server.url
    # Searches first: a page that overruns gunicorn's timeout gets its
    # worker killed, and the memory read at the end should be of warm workers.
    urls = [
        base + u
        for u in (
            "/cari?q=banjir",
            "/cari?q=zzqqxx",
            "/",
            "/feeds/rss.xml",
            "/feeds/atom.xml",
            "/berita/",
            "/siaran-pers/",
            "/berita/?page=50",
            "/sitemap.xml",
            "/sitemap-1.xml",
        )
    ]
    try:
        urls += article_urls(base, pages)
    except OSError as error:
        urls.append(f"{base}/sitemap.xml (unreadable: {error})")
    slow: list[dict] = []
    for url in urls:
        for attempt in range(2):
            started = time.perf_counter()
            try:
                status = fetch(url, timeout=timeout)[0]
            except OSError as error:
                status = f"{type(error).__name__} after {timeout:g} s"
            seconds = time.perf_counter() - started
            if attempt == 0 and (seconds > 1 or status != 200):
                slow.append({"url": url[len(base) :], "status": status, "seconds": round(seconds, 2)})
            if status != 200:
                break
    workers = {pid: memory_kib(pid) for pid in server.worker_pids()}
    master = memory_kib(server.process.pid)
    return {
        "requests": 2 * len(urls),
        "workers": workers,
        "master": master,
        "slow_pages": slow,
        "max_rss_mib": max(w["rss"] for w in workers.values()) / 1024,
        "max_pss_mib": max(w["pss"] for w in workers.values()) / 1024,
    }


# ------------------------------------------------------------ publication


def publish_and_watch(
    env: dict[str, str], slug: str, watch: dict[str, str], timeout: float, interval: float = 0.05
) -> dict[str, float | None]:
    """Publish ``slug`` through the workflow, then poll each URL in ``watch``
    until its body names the item: seconds from the moment the publication
    started (an editor's click; None: not seen in ``timeout``)."""
    # Read the commit time as soon as it is printed, not when the child exits.
    child = subprocess.Popen(
        [sys.executable, "-m", "bench.scale.seed", "publish", slug],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = child.stdout.readline()
    if not line.strip():
        child.wait(timeout=60)
        raise RuntimeError("publication failed:\n" + child.stderr.read()[-2000:])
    started = json.loads(line)["started_at"]
    seen: dict[str, float | None] = dict.fromkeys(watch)
    deadline = started + timeout
    while time.time() < deadline and any(v is None for v in seen.values()):
        for name, url in watch.items():
            if seen[name] is None and slug.encode() in fetch(url)[2]:
                seen[name] = time.time() - started
        time.sleep(interval)  # a poll interval, not synchronisation
    child.communicate(timeout=120)
    return seen
