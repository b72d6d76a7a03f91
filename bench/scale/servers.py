"""The servers the scale bench measures, each started on loopback and
stopped by its own process id: gunicorn with the project's
``gunicorn.conf.py``, nginx with the documented site config (plus a plain
static server in the same nginx, the ceiling), and PostgreSQL + Redis from
``.ci/services.sh`` on private ports.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from contextlib import contextmanager
from pathlib import Path

from cms.testing import servers
from cms.testing.servers import ROOT, VENV_BIN, fetch, free_port, migrate

__all__ = [
    "ROOT",
    "VENV_BIN",
    "Gunicorn",
    "Nginx",
    "PageFiles",
    "fetch_ok",
    "migrate",
    "postgres",
    "services",
    "site_env",
]
WSGI = "bench.scale.bench_wsgi:app"


def site_env(workdir: Path, database_url: str, plugins: str | None) -> dict[str, str]:
    """The environment of one installation (``cms.testing.servers.site_env``)."""
    env = servers.site_env(workdir, database_url, secret="scale-bench-secret", PYTHONPATH=ROOT)
    if plugins is not None:
        env["CMS_PLUGINS"] = plugins
    return env


def fetch_ok(url: str, headers: dict[str, str] | None = None) -> bytes:
    status, _, body = fetch(url, timeout=120, headers=headers)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return body


class _Measured:
    """CPU time and worker ids of a server process, read from /proc."""

    process: subprocess.Popen

    def worker_pids(self) -> list[int]:
        """The master's children now (workers are recycled by ``max_requests``)."""
        return children(self.process.pid)

    def cpu_seconds(self) -> float:
        return workers_cpu_seconds(self.process.pid)


class Gunicorn(_Measured, servers.Gunicorn):
    """``gunicorn -c gunicorn.conf.py`` serving Warta plus the 20 KB endpoint."""

    def __init__(self, env: dict[str, str], workers: int = 2, **settings: str):
        port = free_port()
        log = Path(env["CMS_INSTANCE_PATH"]).parent / f"gunicorn-{port}.log"
        super().__init__(env, WSGI, workers, log=log, port=port, **settings)


class PageFiles(_Measured, servers.PageFiles):
    """``flask cms page-files DIR``, as docs/deploy.md runs it beside nginx."""

    def __init__(self, env: dict[str, str], directory: Path, interval: float = 0.5, items: int | None = None):
        """``items``: the item pages kept as files (``CMS_PAGE_FILES_ITEMS``);
        ready once the first whole pass (items included) is reported."""
        env = {**env, "PYTHONUNBUFFERED": "1"}
        if items is not None:
            env["FLASK_CMS_PAGE_FILES_ITEMS"] = str(items)
        log = Path(env["CMS_INSTANCE_PATH"]).parent / "page-files.log"
        super().__init__(env, directory, interval, log=log)
        servers.wait_for(lambda: "wrote" in log.read_text(), self.process, 600, "page-files' first whole pass")


class Nginx(_Measured, servers.Nginx):
    """One nginx: the documented site (``deploy/nginx/warta.conf``) and a static server."""

    def __init__(
        self,
        upstream: str,
        workdir: Path,
        static_root: Path,
        workers: str = "auto",
        site_conf: Path | None = None,
        pages_dir: Path | None = None,
    ):
        super().__init__(upstream, workdir, pages_dir, workers, static_root=static_root, site_conf=site_conf)


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == pid]


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def workers_cpu_seconds(master: int) -> float:
    """CPU time (user + system) of all the master's workers, past and present.

    Live workers count their own time; workers already recycled (gunicorn's
    ``max_requests``) count through the master's reaped-children time, so
    the total stays continuous when a worker is replaced."""
    ticks = os.sysconf("SC_CLK_TCK")
    own = _stat_fields(master)
    total = (int(own[13]) + int(own[14])) if own else 0
    for pid in children(master):
        fields = _stat_fields(pid)
        if fields:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def _ppid(proc_dir: Path) -> int | None:
    try:
        return int(proc_dir.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def memory_kib(pid: int) -> dict[str, int]:
    """RSS (counts pages shared with the master) and PSS (shares split fairly)."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    pss = rss
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    except (OSError, StopIteration):
        pass
    return {"rss": rss, "pss": pss}


@contextmanager
def postgres(workdir_name: str = "warta-bench-services"):
    """PostgreSQL 15 (+ Redis) via ``.ci/services.sh`` on free ports; yields the database URL."""
    with services(workdir_name) as (database_url, _redis_url):
        yield database_url


@contextmanager
def services(workdir_name: str = "warta-bench-services", pg_port: int | None = None, redis_port: int | None = None):
    """PostgreSQL 15 and Redis via ``.ci/services.sh`` on ``pg_port`` and
    ``redis_port`` (default: free ones), in a private directory so a CI run
    beside us is left alone; yields ``(database_url, redis_url)``.  Both are
    stopped by their own pid files on the way out."""
    services_dir = Path("/tmp") / f"{workdir_name}-{os.getpid()}"  # postgres must reach it
    env = {
        **os.environ,
        "CI_PG_PORT": str(pg_port or free_port()),
        "CI_REDIS_PORT": str(redis_port or free_port()),
        "CI_SERVICES_DIR": str(services_dir),
    }
    script = ROOT / ".ci" / "services.sh"
    started = subprocess.run(
        [
            "bash",
            "-c",
            f'source {shlex.quote(str(script))} && start_services >&2 && echo "$CI_DATABASE_URL $CI_REDIS_URL"',
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if started.returncode:
        raise RuntimeError("could not start PostgreSQL:\n" + started.stderr[-3000:])
    try:
        database_url, redis_url = started.stdout.strip().splitlines()[-1].split()
        yield database_url, redis_url
    finally:
        subprocess.run(
            ["bash", "-c", f"source {shlex.quote(str(script))} && stop_services"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(["rm", "-rf", str(services_dir)], check=False)
