"""The live stack for browser journeys: migrated SQLite file, gunicorn, worker.

The web server and the worker are real subprocesses sharing one SQLite file
(WAL) and one huey queue, like ``make run``.  The test process builds the same
app in-process (same environment) to seed accounts and to read the database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from cms.testing.servers import ROOT, VENV_BIN, free_port, migrate, site_env, wait_http

PASSWORD = "kata-sandi-jurnal-2024"


class LiveSite:
    def __init__(self, tmp: Path, logs: Path, mail_port: int) -> None:
        self.tmp = tmp
        self.logs = logs
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = site_env(
            tmp,
            SITE_URL=self.url,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=mail_port,
            MAIL_DEFAULT_SENDER="ppid@warta.test",
            # Journeys sign several staff in within a minute from one address.
            FLASK_CMS_LOGIN_RATE_LIMIT="200 per minute",
            FLASK_CMS_MEDIA_DIR=str(tmp / "media"),
            FLASK_CMS_PRIVATE_DIR=str(tmp / "private"),
            FLASK_HUEY_SQLITE_PATH=str(tmp / "huey.db"),
            CMS_WORKERS="2",
            # A person takes longer than the anti-bot minimum; journeys type instantly.
            FLASK_INBOX_MIN_SUBMIT_SECONDS="0",
            FLASK_INBOX_SUBMIT_RATE_LIMIT="200 per hour",
            FLASK_INBOX_TRACK_RATE_LIMIT="200 per hour",
            # Send the journey's DIP import through the worker (progress page), as big files go.
            FLASK_DIP_IMPORT_INLINE_KB="16",
        )
        self._procs: list[subprocess.Popen] = []
        self._app = None

    # -- processes ---------------------------------------------------------
    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        proc.log_file = log  # type: ignore[attr-defined]
        self._procs.append(proc)
        return proc

    def start(self) -> LiveSite:
        self.logs.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        migrate(self.env)
        self.timings = {"migrate": time.monotonic() - started}
        web_env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESSLOG": str(self.logs / "access.log"),
        }
        web = self._spawn("web", [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"], web_env)
        worker = self._spawn("worker", [str(VENV_BIN / "flask"), "--app", "wsgi", "cms", "worker"], self.env)
        wait_http(f"{self.url}/health", web)
        self._wait_for_worker(worker)
        self.timings["up"] = time.monotonic() - started
        return self

    def _wait_for_worker(self, worker: subprocess.Popen, timeout: float = 60) -> None:
        """The worker writes a heartbeat once its jobs are bound; poll for it
        like ``wait_http`` polls a port (a start-up has no event to wait on)."""
        from cms import jobs

        deadline = time.monotonic() + timeout
        with self.app.app_context():
            while jobs.last_heartbeat() is None:
                if worker.poll() is not None:
                    self.ensure_alive()
                if time.monotonic() > deadline:
                    raise TimeoutError("the worker wrote no heartbeat")
                time.sleep(0.05)

    def stop(self) -> None:
        for proc in self._procs:
            # SIGINT: gunicorn's quick shutdown (SIGTERM waits for keep-alive clients).
            proc.send_signal(signal.SIGINT)
        for proc in self._procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.log_file.close()

    def ensure_alive(self) -> None:
        """The web server and the worker must still run; say why when one died."""
        for proc in self._procs:
            if proc.poll() is not None:
                name = "web" if "gunicorn" in proc.args[0] else "worker"
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the {name} process exited with {proc.returncode}:\n{tail}")

    def log_marks(self) -> dict[str, int]:
        return {name: (self.logs / f"{name}.log").stat().st_size for name in ("web", "worker")}

    def tracebacks_since(self, marks: dict[str, int]) -> str:
        """Tracebacks the web server or the worker logged after ``marks`` (empty: none)."""
        found = []
        for name, offset in marks.items():
            with open(self.logs / f"{name}.log", "rb") as fh:
                fh.seek(offset)
                text = fh.read().decode(errors="replace")
            if "Traceback" in text:
                found.append(f"--- {self.logs / name}.log ---\n" + text[text.index("Traceback") :][:6000])
        return "\n".join(found)

    # -- the same app, in this process ---------------------------------------
    @property
    def app(self):
        if self._app is None:
            from cms import create_app

            with mock.patch.dict(os.environ, self.env, clear=True):
                self._app = create_app()
        return self._app

    @contextmanager
    def db(self):
        """An app context on the live database; the session is removed after."""
        from cms.extensions import db

        with self.app.app_context():
            try:
                yield db.session
            finally:
                db.session.remove()

    def user(self, role: str, email: str, unit: str | None = None, name: str = ""):
        """Create a staff account (idempotent by e-mail); returns (email, password)."""
        from cms import accounts
        from cms.models import User

        with self.db() as session:
            if session.query(User).filter_by(email=email).first() is None:
                unit_obj = accounts.get_or_create_unit(unit) if unit else None
                accounts.create_user(email, role, PASSWORD, unit=unit_obj, name=name or email.split("@")[0])
                session.commit()
        return email, PASSWORD

    def approved_post(self, author_email: str, title: str, slug: str, summary: str, body_text: str) -> None:
        """An approved siaran pers by ``author_email``, waiting for an editor."""
        from cms.models import User
        from tests.conftest import new_post

        with self.db() as session:
            writer = session.query(User).filter_by(email=author_email).one()
            body = f"<p>{body_text}</p>"
            new_post("approved", title=title, slug=slug, summary=summary, body=body, body_text=body_text, author=writer)

    def enqueue(self, job_name: str, *args) -> None:
        """Queue a job for the live worker (the same huey storage)."""
        from cms.jobs import enqueue

        with self.app.app_context():
            enqueue(job_name, *args)
