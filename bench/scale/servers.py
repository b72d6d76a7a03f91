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
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, fetch, free_port, stop, wait_http

VENV_BIN = Path(sys.executable).parent
WSGI = "bench.scale.bench_wsgi:app"


def site_env(workdir: Path, database_url: str, plugins: str | None) -> dict[str, str]:
    """The environment of one installation (as ``tests/livesrv.site_env``)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CMS_INSTANCE_PATH": str(workdir / "instance"),
        "SECRET_KEY": "scale-bench-secret",
        "FLASK_HUEY_SQLITE_PATH": str(workdir / "huey.db"),
        "PYTHONPATH": str(ROOT),
    }
    for key in ("TEST_DATABASE_URL", "REDIS_URL", "FLASK_DEBUG"):
        env.pop(key, None)
    if plugins is not None:
        env["CMS_PLUGINS"] = plugins
    return env


def fetch_ok(url: str) -> bytes:
    status, _, body = fetch(url, timeout=120)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return body


def migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        raise RuntimeError("flask cms init failed:\n" + done.stderr[-3000:])


class Gunicorn:
    """``gunicorn -c gunicorn.conf.py`` serving Warta plus the 20 KB endpoint."""

    def __init__(self, env: dict[str, str], workers: int = 2, **settings: str):
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"
        env = {**env, "GUNICORN_BIND": self.address, "GUNICORN_WORKERS": str(workers), **settings}
        self.log = open(Path(env["CMS_INSTANCE_PATH"]).parent / f"gunicorn-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", WSGI],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_http(self.url + "/health", self.process)
        except Exception:
            self.close()
            raise

    def worker_pids(self) -> list[int]:
        """The master's children now (workers are recycled by ``max_requests``)."""
        return children(self.process.pid)

    def cpu_seconds(self) -> float:
        return workers_cpu_seconds(self.process.pid)

    def close(self) -> None:
        stop(self.process)
        self.log.close()


class PageFiles:
    """``flask cms page-files DIR``, as docs/deploy.md runs it beside nginx."""

    def __init__(self, env: dict[str, str], directory: Path, interval: float = 0.5):
        self.directory = directory
        self.log = open(Path(env["CMS_INSTANCE_PATH"]).parent / "page-files.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "flask"),
                "--app",
                "wsgi",
                "cms",
                "page-files",
                str(directory),
                "--interval",
                str(interval),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while not (directory / "index.html").exists():  # the first pass has no event to wait on
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise RuntimeError(f"page-files wrote nothing; see {self.log.name}")
            time.sleep(0.05)

    def cpu_seconds(self) -> float:
        return workers_cpu_seconds(self.process.pid)

    def close(self) -> None:
        stop(self.process)
        self.log.close()


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


NGINX_MAIN = """
{user}
worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
    include {mime_types};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    # Logging off on both servers alike: the comparison is of serving, not disks.
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;

    # The ceiling: plain files from disk, same nginx, same workers.
    server {{
        listen 127.0.0.1:{static_port};
        root {static_root};
    }}
}}
"""


class Nginx:
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
        prefix = workdir / "nginx"
        (prefix / "cache").mkdir(parents=True, exist_ok=True)
        (prefix / "logs").mkdir(exist_ok=True)
        self.port, static_port = free_port(), free_port()
        site = (site_conf or ROOT / "deploy" / "nginx" / "warta.conf").read_text()
        site = (
            site.replace("@ROOT@", str(ROOT))
            .replace("@LISTEN@", f"127.0.0.1:{self.port}")
            .replace("@UPSTREAM@", upstream)
            .replace("@CACHE_DIR@", str(prefix / "cache"))
            .replace("@PAGES_DIR@", str(pages_dir or workdir / "pages"))
        )
        (prefix / "site.conf").write_text(site)
        mime = "/etc/nginx/mime.types" if Path("/etc/nginx/mime.types").exists() else str(prefix / "mime.types")
        if not Path(mime).exists():
            Path(mime).write_text("types { text/html html; application/rss+xml xml; text/css css; }\n")
        (prefix / "nginx.conf").write_text(
            NGINX_MAIN.format(
                user="user root;" if os.geteuid() == 0 else "",
                workers=workers,
                prefix=prefix,
                mime_types=mime,
                static_port=static_port,
                static_root=static_root,
            )
        )
        binary = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
        self.process = subprocess.Popen(
            [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.static_url = f"http://127.0.0.1:{static_port}"
        try:
            wait_http(self.url + "/health", self.process)
            wait_http(self.static_url + "/", self.process)
        except Exception:
            self.close()
            raise

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    def cpu_seconds(self) -> float:
        return workers_cpu_seconds(self.process.pid)

    def close(self) -> None:
        stop(self.process)


@contextmanager
def postgres(workdir_name: str = "warta-bench-services"):
    """PostgreSQL 15 (+ Redis) via ``.ci/services.sh`` on free ports, in a
    private directory so a CI run beside us is left alone."""
    services_dir = Path("/tmp") / f"{workdir_name}-{os.getpid()}"  # postgres must reach it
    env = {
        **os.environ,
        "CI_PG_PORT": str(free_port()),
        "CI_REDIS_PORT": str(free_port()),
        "CI_SERVICES_DIR": str(services_dir),
    }
    script = ROOT / ".ci" / "services.sh"
    started = subprocess.run(
        ["bash", "-c", f'source {shlex.quote(str(script))} && start_services >&2 && echo "$CI_DATABASE_URL"'],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if started.returncode:
        raise RuntimeError("could not start PostgreSQL:\n" + started.stderr[-3000:])
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(
            ["bash", "-c", f"source {shlex.quote(str(script))} && stop_services"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=120,
        )
        subprocess.run(["rm", "-rf", str(services_dir)], check=False)
