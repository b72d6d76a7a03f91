"""Background jobs (huey, imported by ``cms.job_storage`` only).

Jobs are plain functions marked with ``@job("name")``; they are bound to the
app's queue when the app is built and always run inside an application
context.  Storage is SQLite in ``instance/`` by default, Redis when
``REDIS_URL`` is set; tests use ``HUEY_IMMEDIATE`` to run jobs inline.

huey is imported when the queue is first used (an enqueue, the worker, a
health check), not when the app is built: huey's storage module imports
redis and psycopg whenever they are installed (16 MB resident), and a web
worker serving public pages never enqueues.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

from cms.hookspecs import PeriodicTask

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)
HEARTBEAT_KEY = "cms:worker-heartbeat"


class JobDeferred(Exception):  # noqa: N818 - not an error: "try again later"
    """Raised by a job that cannot be done now for an expected reason (an
    SMTP server down): the queue retries it as after any failure, and the
    job has already logged one line saying why, so no traceback follows."""


class _QuietDeferred(logging.Filter):
    """Drops huey's "Unhandled exception in task" traceback for ``JobDeferred``."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], JobDeferred))


logging.getLogger("huey").addFilter(_QuietDeferred())


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

    def __init__(self, app, make_huey: Callable[[], Huey]):
        self.app = app
        self._make_huey = make_huey
        self._tasks: dict[str, Any] = {}
        self._periodic_bound = False

    def _in_app(self, func):
        app = self.app

        def run(*args, **kwargs):
            with app.app_context():
                return func(*args, **kwargs)

        run.__name__ = getattr(func, "__name__", "job")
        return run

    @cached_property
    def huey(self) -> Huey:
        return self._make_huey()

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
            from huey import crontab

            for periodic in periodic_tasks(self.app):
                self.huey.periodic_task(crontab(**periodic.schedule), name=periodic.name)(self._in_app(periodic.func))
            self._periodic_bound = True


def build_queue(app) -> JobQueue:
    """Choose storage from config (read now, at app build time, not import);
    huey itself is built at first use (``cms.job_storage``)."""
    if app.config.get("HUEY_IMMEDIATE"):
        return JobQueue(app, partial(_make, "memory_huey"))
    if app.config.get("REDIS_URL"):
        return JobQueue(app, partial(_make, "redis_huey", app.config["REDIS_URL"]))
    path = app.config.get("HUEY_SQLITE_PATH") or str(Path(app.instance_path) / "huey.db")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    synchronous = str(app.config.get("HUEY_SQLITE_SYNCHRONOUS") or "NORMAL").upper()
    if synchronous not in _SYNCHRONOUS:
        raise ValueError(f"HUEY_SQLITE_SYNCHRONOUS must be one of {', '.join(_SYNCHRONOUS)}, not {synchronous!r}")
    return JobQueue(app, partial(_make, "sqlite_huey", path, synchronous))


def _make(kind: str, *args: str) -> Huey:
    from cms import job_storage

    return getattr(job_storage, kind)(*args)


_SYNCHRONOUS = ("NORMAL", "FULL")


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
