"""Test-only servers and installs: a private Redis, an example plugin
installed as a third party would.  Warta's own stack (gunicorn, nginx,
page files) starts through ``cms.testing.servers``, shared with the benches."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from cms.testing.servers import ROOT, free_port, stop, wait_for

__all__ = ["ROOT", "free_port", "redis_server", "installed_example"]


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

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        wait_for(answers, proc, 20, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop(proc, timeout=10)


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
