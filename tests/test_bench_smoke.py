"""The scale bench runs end to end (``--quick``, SQLite only).

No figure is asserted (timings never go in tests): only that every case
measured the real page without errors and every table was printed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (shutil.which("wrk") and Path("/usr/sbin/nginx").exists()),
                                reason="wrk and nginx come from apt (make test installs them)")


def test_scale_bench_quick_run(tmp_path):
    out = tmp_path / "scale.json"
    done = subprocess.run(
        [sys.executable, "bench/scale/run.py", "--quick", "--no-postgres", "--duration", "1", "--warmup", "0",
         "--memory-pages", "10", "--publish-timeout", "3", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=170)
    assert done.returncode == 0, done.stderr[-3000:]
    for heading in ("## Throughput", "## Targets (issue #8)", "## Memory per gunicorn worker",
                    "## Publication → visible", "## What nginx is told"):
        assert heading in done.stdout
    results = json.loads(out.read_text())
    cases = {c["name"]: c for c in results["cases"]}
    assert set(cases) == {"nginx static home copy", "nginx static rss copy", "home via nginx", "rss via nginx",
                          "home SQLite", "rss SQLite", "20 KB Flask endpoint"}
    for case in cases.values():
        assert case["median"]["rps"] > 0 and case["median"]["non_2xx_3xx"] == 0, case
        assert case["body_bytes"] > 1000
    # The static ceiling serves byte-for-byte copies of the pages under test.
    assert cases["home via nginx"]["body_bytes"] == cases["nginx static home copy"]["body_bytes"]
    assert results["seed"]["SQLite"]["posts"] == 2000
    workers = results["memory"]["SQLite"]["workers"]
    assert len(workers) == 2 and all(w["rss"] > 10_000 for w in workers.values())
    straight = next(p for p in results["publication"] if p["through"] == "gunicorn/SQLite")
    assert straight["home"] is not None  # gunicorn shows a publication at once
