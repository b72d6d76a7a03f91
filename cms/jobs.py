"""Background jobs: the only module that imports huey.

Jobs are plain functions marked with ``@job("name")``; they are bound to the
app's queue when the app is built and always run inside an application
context.  Storage is SQLite in ``instance/`` by default, Redis when
``REDIS_URL`` is set; tests use ``HUEY_IMMEDIATE`` to run jobs inline.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage

from cms.hookspecs import PeriodicTask

log = logging.getLogger(__name__)
HEARTBEAT_KEY = "cms:worker-heartbeat"


@dataclass(frozen=True)
class _JobSpec:
    func: Callable[..., Any]
    retries: int
    retry_delay: int


_JOBS: dict[str, _JobSpec] = {}


def job(name: str, *, retries: int = 0, retry_delay: int = 0):
    """Mark a function as a background job called ``name``."""

    def decorator(func):
        _JOBS[name] = _JobSpec(func, retries, retry_delay)
        return func

    return decorator


class JobQueue:
    """The app's huey instance plus the jobs bound to it."""

    def __init__(self, app, huey):
        self.app = app
        self.huey = huey
        self._tasks: dict[str, Any] = {}
        self._periodic_bound = False

    def _in_app(self, func):
        app = self.app

        def run(*args, **kwargs):
            with app.app_context():
                return func(*args, **kwargs)

        run.__name__ = getattr(func, "__name__", "job")
        return run

    def task(self, name: str):
        if name not in self._tasks:
            spec = _JOBS.get(name)
            if spec is None:
                raise KeyError(f"no background job named {name!r}")
            self._tasks[name] = self.huey.task(name=name, retries=spec.retries, retry_delay=spec.retry_delay)(
                self._in_app(spec.func)
            )
        return self._tasks[name]

    def bind_all(self) -> None:
        for name in list(_JOBS):
            self.task(name)
        if not self._periodic_bound:
            for periodic in periodic_tasks(self.app):
                self.huey.periodic_task(crontab(**periodic.schedule), name=periodic.name)(self._in_app(periodic.func))
            self._periodic_bound = True


def build_queue(app) -> JobQueue:
    """Choose storage from config (read now, at app build time, not import)."""
    if app.config.get("HUEY_IMMEDIATE"):
        huey = MemoryHuey("warta", immediate=True)
    elif app.config.get("REDIS_URL"):
        huey = RedisHuey("warta", url=app.config["REDIS_URL"])
    else:
        path = app.config.get("HUEY_SQLITE_PATH") or str(Path(app.instance_path) / "huey.db")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        synchronous = str(app.config.get("HUEY_SQLITE_SYNCHRONOUS") or "NORMAL").upper()
        if synchronous not in _SYNCHRONOUS:
            raise ValueError(f"HUEY_SQLITE_SYNCHRONOUS must be one of {', '.join(_SYNCHRONOUS)}, not {synchronous!r}")
        huey = SqliteHuey("warta", filename=path, storage_class=_WalStorage, synchronous=synchronous)
    return JobQueue(app, huey)


_SYNCHRONOUS = ("NORMAL", "FULL")


class _WalStorage(SqliteStorage):
    """huey's SQLite storage in WAL mode with ``synchronous=NORMAL`` by default.

    With FULL every enqueue waits for an fsync of the log (~6-25 ms on the
    reference disk, paid inside the web request).  With NORMAL in WAL mode a
    commit is in the log file before ``enqueue`` returns, so the job survives
    the web process or the worker being killed or restarted; only a power
    loss or kernel crash can take back the last commits since the log was
    last synced (at each checkpoint), never corrupt the file -- the same
    guarantee as Redis with ``appendfsync everysec``, the queue of the larger
    deployments.  Set ``HUEY_SQLITE_SYNCHRONOUS = "FULL"`` to pay the fsync.
    """

    def __init__(self, *args, synchronous: str = "NORMAL", **kwargs):
        self._synchronous = synchronous
        super().__init__(*args, journal_mode="wal", **kwargs)

    def _create_connection(self):
        conn = super()._create_connection()
        conn.execute(f"pragma synchronous={self._synchronous}")
        return conn


def queue(app=None) -> JobQueue:
    return (app or current_app).extensions["cms_jobs"]


def enqueue(name: str, *args, delay: float | None = None, eta: datetime | None = None, **kwargs):
    """Queue job ``name``; returns huey's result handle."""
    task = queue().task(name)
    if delay is not None or eta is not None:
        return task.schedule(args=args, kwargs=kwargs, delay=delay, eta=eta)
    return task(*args, **kwargs)


def periodic_tasks(app=None) -> list[PeriodicTask]:
    from cms.plugins import hook

    found: list[PeriodicTask] = []
    for result in hook(app).cms_periodic_tasks():
        found.extend(result or [])
    return found


def heartbeat() -> None:
    queue().huey.put(HEARTBEAT_KEY, time.time())


def last_heartbeat() -> float | None:
    try:
        return queue().huey.get(HEARTBEAT_KEY, peek=True)
    except Exception:  # noqa: BLE001 - health checks must answer, not raise
        return None


def run_worker(app, workers: int | None = None) -> None:
    """Run the consumer in the foreground (``flask cms worker``)."""
    jobs = queue(app)
    jobs.bind_all()
    jobs.huey.put(HEARTBEAT_KEY, time.time())
    consumer = jobs.huey.create_consumer(
        workers=workers or int(os.environ.get("CMS_WORKERS", "2")),
        worker_type="thread",
        periodic=True,
        check_worker_health=True,
    )
    log.info("worker started with %s jobs", len(_JOBS))
    consumer.run()


def pending_count(app=None) -> int:
    try:
        return queue(app).huey.pending_count()
    except Exception:  # noqa: BLE001
        return -1
