"""Run the real stack for tests: migrated file database, gunicorn, nginx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 30) -> None:
    """Poll a readiness URL until it answers (a server start has no event to wait on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not come up")


def site_env(tmp: Path, **extra) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'warta.db'}",
        "CMS_INSTANCE_PATH": str(tmp / "instance"),
        "SECRET_KEY": "live-test-secret",
        "FLASK_HUEY_SQLITE_PATH": str(tmp / "huey.db"),
    }
    for key in ("TEST_DATABASE_URL", "REDIS_URL"):
        env.pop(key, None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2):
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    proc = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", proc)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@contextmanager
def nginx(upstream: str, tmp: Path, pages_dir: Path | None = None):
    port = free_port()
    prefix = tmp / "nginx"
    pages_dir = pages_dir or tmp / "pages"
    (prefix / "cache").mkdir(parents=True, exist_ok=True)
    (prefix / "logs").mkdir(exist_ok=True)
    site = (ROOT / "deploy" / "nginx" / "warta.conf").read_text()
    site = (
        site.replace("@ROOT@", str(ROOT))
        .replace("@LISTEN@", f"127.0.0.1:{port}")
        .replace("@UPSTREAM@", upstream)
        .replace("@CACHE_DIR@", str(prefix / "cache"))
        .replace("@PAGES_DIR@", str(pages_dir))
    )
    (prefix / "site.conf").write_text(site)
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    types {{ text/css css; application/javascript js; image/svg+xml svg; text/html html; }}
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
""")
    binary = "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "nginx"
    proc = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def start_page_files(env: dict[str, str], directory: Path, interval: float = 0.2) -> subprocess.Popen:
    """``flask cms page-files DIR --watch``; returns once the home page file is there."""
    proc = subprocess.Popen(
        [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "page-files", str(directory), "--interval", str(interval)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not (directory / "index.html").exists():  # a file has no event to wait on
        if proc.poll() is not None:
            raise RuntimeError(f"page-files exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.terminate()
            raise TimeoutError("page-files wrote nothing in 30 s")
        time.sleep(0.05)
    return proc


def stop_page_files(proc: subprocess.Popen) -> int:
    proc.terminate()
    return proc.wait(timeout=30)


@contextmanager
def redis_server(tmp: Path):
    """A private redis-server on a free loopback port (installed by `make test`)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.05)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def installed_example(name: str, package: str, target: Path):
    """pip-install ``examples/<name>`` into ``target`` and put it on sys.path,
    as a third party would install a plugin; undone afterwards."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT / "examples" / name),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    sys.path.insert(0, str(target))
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[module]
