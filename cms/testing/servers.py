"""Servers on loopback for tests and benchmarks: pick a free port, start,
wait until it answers, stop by process id.

The test suite (tests/livesrv.py, fixtures) and the benches (bench/common.py,
bench/scale/servers.py, the bench runners) all start Warta's real stack —
gunicorn with ``gunicorn.conf.py``, nginx with ``deploy/nginx/warta.conf``,
``flask cms page-files`` — and small servers of their own; this module is the
one copy of that.  It uses the standard library only (no pytest, no test
dependency), so a bench script can import it and a pytest plugin can build
on it.  A server start has no event to wait on: readiness is polled.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]  # the checkout: wsgi.py, gunicorn.conf.py, deploy/
VENV_BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 10, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """GET without redirects or cookies: status, headers (lower-case names), body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def wait_for(ready: Callable[[], bool], process: subprocess.Popen | None = None, timeout: float = 60, what: str = ""):
    """Poll ``ready`` until it is true; fail early when ``process`` exits."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process is not None and process.poll() is not None:
            args = process.args if isinstance(process.args, (list, tuple)) else [process.args]
            raise RuntimeError(f"{Path(str(args[0])).name} exited with {process.returncode} ({what})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what or 'the server'} not ready within {timeout:.0f} s")
        time.sleep(0.05)


def wait_http(url: str, process: subprocess.Popen | None = None, timeout: float = 60) -> None:
    """Poll until ``url`` answers at all (any status)."""

    def answers() -> bool:
        try:
            fetch(url, timeout=2)
            return True
        except (OSError, urllib.error.URLError):
            return False

    wait_for(answers, process, timeout, url)


def stop(process: subprocess.Popen, timeout: float = 30, sig: int = signal.SIGTERM) -> int:
    """Stop one process we started, by its id; kill it if it will not go."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    return process.returncode


def site_env(workdir: Path, database_url: str | None = None, secret: str = "live-test-secret", **extra) -> dict:
    """The environment of one throw-away installation in ``workdir`` (SQLite
    there unless ``database_url``); the caller's database and Redis are dropped."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'warta.db'}",
        "CMS_INSTANCE_PATH": str(workdir / "instance"),
        "SECRET_KEY": secret,
        "FLASK_HUEY_SQLITE_PATH": str(workdir / "huey.db"),
    }
    for key in ("TEST_DATABASE_URL", "REDIS_URL", "FLASK_DEBUG"):
        env.pop(key, None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(env: dict[str, str], timeout: float = 600) -> None:
    """``flask cms init``: the schema and the plugins' tables."""
    done = subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError("flask cms init failed:\n" + done.stderr[-3000:])


def _log(path: Path | None) -> IO[Any] | int:
    return open(path, "w") if path else subprocess.DEVNULL  # noqa: SIM115 - closed by the owner


class Server:
    """A process we started and poll; ``close`` stops it and its log."""

    process: subprocess.Popen
    log: IO[Any] | int = subprocess.DEVNULL

    def _start(self, args: list[str], env: dict | None, log: Path | None, ready: Callable[[], None]) -> None:
        self.log = _log(log)
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            ready()
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        stop(self.process)
        if not isinstance(self.log, int):
            self.log.close()


class Gunicorn(Server):
    """``gunicorn -c gunicorn.conf.py APP`` (the production settings) on
    ``port`` (default: a free one); ``settings`` are more ``GUNICORN_*`` variables."""

    def __init__(
        self,
        env: dict[str, str],
        app: str = "wsgi:app",
        workers: int = 2,
        log: Path | None = None,
        port: int | None = None,
        **settings: str,
    ):
        self.port = port or free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.address}"
        env = {**env, "GUNICORN_BIND": self.address, "GUNICORN_WORKERS": str(workers), **settings}
        args = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", app]
        self._start(args, env, log, lambda: wait_http(self.url + "/health", self.process))


class PageFiles(Server):
    """``flask cms page-files DIR`` (docs/deploy.md runs it beside nginx);
    ready once the home page file is written."""

    def __init__(self, env: dict[str, str], directory: Path, interval: float = 0.5, log: Path | None = None):
        self.directory = directory
        args = [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "page-files", str(directory)]
        first_pass = (directory / "index.html").exists
        ready = lambda: wait_for(first_pass, self.process, 120, "page-files' first pass")  # noqa: E731
        self._start([*args, "--interval", str(interval)], env, log, ready)


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
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
{static}}}
"""
# The ceiling the scale bench compares with: plain files, same nginx, same workers.
NGINX_STATIC = """
    server {{
        listen 127.0.0.1:{port};
        root {root};
        # Copies of search results pages are named by their query as in the URL.
        location = /cari {{ try_files /cari/$arg_q.html =404; }}
    }}
"""


class Nginx(Server):
    """nginx with the documented site (``deploy/nginx/warta.conf``) in front of
    ``upstream`` (``host:port``); with ``static_root`` also a plain static server."""

    def __init__(
        self,
        upstream: str,
        workdir: Path,
        pages_dir: Path | None = None,
        workers: str = "1",
        static_root: Path | None = None,
        site_conf: Path | None = None,
    ):
        prefix = workdir / "nginx"
        (prefix / "cache").mkdir(parents=True, exist_ok=True)
        (prefix / "logs").mkdir(exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = (site_conf or ROOT / "deploy" / "nginx" / "warta.conf").read_text()
        for name, value in {
            "ROOT": ROOT,
            "LISTEN": f"127.0.0.1:{self.port}",
            "UPSTREAM": upstream,
            "CACHE_DIR": prefix / "cache",
            "PAGES_DIR": pages_dir or workdir / "pages",
        }.items():
            site = site.replace(f"@{name}@", str(value))
        (prefix / "site.conf").write_text(site)
        mime = Path("/etc/nginx/mime.types")
        if not mime.exists():
            mime = prefix / "mime.types"
            mime.write_text("types { text/html html; application/rss+xml xml; text/css css; image/svg+xml svg; }\n")
        static, self.static_url = "", None
        if static_root is not None:
            static_port = free_port()
            static = NGINX_STATIC.format(port=static_port, root=static_root)
            self.static_url = f"http://127.0.0.1:{static_port}"
        (prefix / "nginx.conf").write_text(
            NGINX_MAIN.format(
                user="user root;" if os.geteuid() == 0 else "",
                workers=workers,
                prefix=prefix,
                mime_types=mime,
                static=static,
            )
        )
        self._start([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], None, None, self._wait)

    def _wait(self) -> None:
        for url in filter(None, (self.url + "/health", self.static_url and self.static_url + "/")):
            wait_http(url, self.process)


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """``with serving(Gunicorn(env)) as web:`` — closed however the block ends."""
    try:
        yield server
    finally:
        server.close()


@contextmanager
def smtp_server(handler) -> Iterator[Any]:
    """A real SMTP server on a free loopback port; ``handler.handle_DATA``
    receives each mail.  Yields the aiosmtpd controller (``.port``).
    aiosmtpd is in the ``test`` extra, so it is imported here, on use."""
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@contextmanager
def in_thread(server) -> Iterator[str]:
    """Run an in-process server (``http.server`` or ``werkzeug.serving``,
    bound to ``("127.0.0.1", 0)``) in a thread; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
