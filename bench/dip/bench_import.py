"""Import the whole Kota Bekasi export (target: under 10 s) and print the figures.

.venv/bin/python bench/dip/bench_import.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time

from common import BEKASI, ROOT, make_app


def main() -> None:
    app = make_app()
    with app.app_context():
        from plugins.dip.importer import Importer

        started, cpu = time.perf_counter(), time.process_time()
        first = Importer().run(BEKASI)
        first_s, first_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        second = Importer().run(BEKASI)
        second_s, second_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times suffer when busy)")
    print(
        f"first import : {first_s:6.2f} s wall, {first_cpu:5.2f} s CPU  created={first.created} "
        f"failed_rows={first.failed} failed_files={[f for f, _ in first.file_errors]}"
    )
    print(
        f"re-import    : {second_s:6.2f} s wall, {second_cpu:5.2f} s CPU  created={second.created} "
        f"updated={second.updated} skipped={second.skipped}"
    )

    # The CLI end to end, including app start-up and migrations to heads.
    workdir = tempfile.mkdtemp(prefix="dip-bench-cli-")
    env = {
        "DATABASE_URL": f"sqlite:///{workdir}/cli.db",
        "CMS_INSTANCE_PATH": workdir,
        "SECRET_KEY": "bench",
        "PATH": "/usr/bin:/bin",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "cms", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([*flask, "dip", "import", str(BEKASI)], cwd=ROOT, env=env, capture_output=True, text=True)
    cli_s, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    cli_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"flask dip import, whole process incl. start-up: {cli_s:6.2f} s wall, {cli_cpu:5.2f} s CPU")
    print(f"  -> {result.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
