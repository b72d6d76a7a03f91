"""Shared helpers for the benchmarks: run wrk and parse it, take medians,
print a table, save results.  Servers start and stop through
``cms.testing.servers`` (shared with the tests); its helpers are re-exported
here for the bench scripts that import them from this module.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# Re-exported: the bench scripts start and stop servers through these.
from cms.testing.servers import ROOT, fetch, free_port, stop, wait_http  # noqa: F401

RESULTS_DIR = ROOT / "bench" / "results"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """One wrk run (or the median of several): latency in milliseconds."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int = 0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    runs: tuple[float, ...] = ()

    @property
    def clean(self) -> bool:
        return self.non_2xx_3xx == 0 and self.socket_errors == 0


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"unknown wrk duration {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Parse ``wrk --latency`` output (the latency distribution block is required)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise ValueError("not wrk --latency output:\n" + output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        requests=int(total.group(1)) if total else 0,
        non_2xx_3xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sum(int(g) for g in errors.groups()) if errors else 0,
    )


def run_wrk(
    url: str,
    *,
    connections: int = 32,
    threads: int = 2,
    duration: float = 10,
    headers: dict[str, str] | None = None,
    timeout: str = "10s",
    script: Path | None = None,
) -> WrkResult:
    """One ``wrk -t2 -c32 -d10s --latency`` run (the method of every bench here); ``script``
    is a Lua file choosing each request's path (``lua_paths``)."""
    seconds = max(1, round(duration))  # wrk takes whole seconds
    cmd = [WRK, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", timeout]
    if script is not None:
        cmd += ["-s", str(script)]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def lua_paths(paths: list[str], target: Path) -> Path:
    """A wrk script asking for a random one of ``paths`` on each request.

    Each wrk thread runs the script in its own Lua state, started within the
    same second: seeded with ``os.time()`` alone, both threads drew the same
    sequence and asked for the same items in step, so every second request
    hit a page its twin had just warmed.  ``setup`` numbers the threads and
    ``init`` seeds each with its own number."""
    quoted = ",".join(json.dumps(p) for p in paths)
    target.write_text(LUA_PATHS.replace("__PATHS__", quoted))
    return target


LUA_PATHS = """local paths = {__PATHS__}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + thread_no * 7919)
  for _ = 1, 10 do math.random() end
end
request = function() return wrk.format('GET', paths[math.random(#paths)]) end
"""


def median(results: list[WrkResult]) -> WrkResult:
    """Each figure takes its own median (not the run with the median rate)."""
    return WrkResult(
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        requests=sum(r.requests for r in results),
        non_2xx_3xx=sum(r.non_2xx_3xx for r in results),
        socket_errors=sum(r.socket_errors for r in results),
        runs=tuple(r.rps for r in results),
    )


def spread(values) -> float:
    """(max - min) / median: how noisy a set of runs was."""
    values = list(values)
    mid = statistics.median(values) if values else 0
    return (max(values) - min(values)) / mid if mid else 0.0


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table, columns padded; numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(_is_number(row[i]) for row in rows) for i in range(len(headers))]

    def line(values):
        parts = [v.rjust(w) if numeric[i] else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths, strict=False))]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join(("-" * (w + 1) + ":") if numeric[i] else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in cells)])


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def save_results(name: str, data: dict) -> Path:
    """Write ``bench/results/<name>-<UTC time>.json`` (the folder is gitignored)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(data, indent=2, default=_jsonable, ensure_ascii=False))
    return path


def _jsonable(value):
    if isinstance(value, WrkResult):
        return asdict(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__}")
