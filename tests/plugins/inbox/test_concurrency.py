"""Concurrent submissions through the real form against a live threaded
server (Werkzeug's, as ``make run`` uses) on a file database: every request
stored, numbers unique and consecutive, and no request ever holds more than
one connection of the app's pool (5 + 10 overflow) — 20 at once, each taking
a second slot, waited each other out for the pool's 30 s timeout."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select
from werkzeug.serving import make_server

from cms.content_version import read_version
from cms.extensions import db
from plugins.inbox.models import InfoRequest
from tests.conftest import on_postgres
from tests.plugins.inbox.conftest import form_data
from tests.pool_checkouts import CheckoutsPerThread

THREADS = 20  # more than the pool's 15 connections
SUBMISSIONS = 2 * THREADS


def test_concurrent_submissions_get_unique_consecutive_numbers(make_app, mailbox, tmp_path):
    config = {"INBOX_MIN_SUBMIT_SECONDS": 0, "MAIL_PORT": mailbox.port}
    if not on_postgres():
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'inbox.db'}"
    app = make_app(enabled=["inbox"], **config)
    with app.app_context():
        engine = db.engine
        # The counter's readers come from a sibling pool made at the first read
        # with the app pool's listeners; made now, it carries none of ours.
        read_version(engine, app.config)
    counts = CheckoutsPerThread(engine.pool)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    together = threading.Barrier(THREADS)  # each round of 20 posts leaves at once

    def post(i: int) -> int:
        data = form_data(name=f"Pemohon {i}", email=f"pemohon{i}@contoh.id", phone=f"0812000{i:04d}")
        # A bound, not a sync: each submission renders its tanda bukti PDF and the
        # file database takes one writer at a time, so the last of 40 waits long.
        with httpx.Client(base_url=base, timeout=300) as http:
            assert http.get("/ppid/permohonan").status_code == 200  # the header reads the counter
            together.wait(timeout=120)  # a bound: a failed GET breaks the round, not the run
            return http.post("/ppid/permohonan", data=data).status_code

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            codes = list(pool.map(post, range(SUBMISSIONS)))
    finally:
        server.shutdown()
        thread.join()
    assert codes == [303] * SUBMISSIONS
    assert counts.checkouts >= 2 * SUBMISSIONS  # the events did fire for every request
    assert len(counts.most) >= THREADS
    assert max(counts.most.values()) == 1, counts.most
    with app.app_context():
        rows = db.session.execute(select(InfoRequest.seq, InfoRequest.number, InfoRequest.name)).all()
    assert len(rows) == SUBMISSIONS
    assert sorted(seq for seq, _, _ in rows) == list(range(1, SUBMISSIONS + 1))
    assert len({number for _, number, _ in rows}) == SUBMISSIONS
    assert {name for _, _, name in rows} == {f"Pemohon {i}" for i in range(SUBMISSIONS)}
    receipts = {m["To"] for m in mailbox.messages}
    assert receipts == {f"pemohon{i}@contoh.id" for i in range(SUBMISSIONS)}
