"""Concurrent submissions through the real form against a live server on a
file database: every request stored, numbers unique and consecutive."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select
from werkzeug.serving import make_server

from cms.extensions import db
from plugins.inbox.models import InfoRequest
from tests.conftest import on_postgres
from tests.plugins.inbox.conftest import form_data

SUBMISSIONS = 40


def test_concurrent_submissions_get_unique_consecutive_numbers(make_app, tmp_path):
    config = {"INBOX_MIN_SUBMIT_SECONDS": 0}
    if not on_postgres():
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'inbox.db'}"
    app = make_app(enabled=["inbox"], **config)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    def post(i: int) -> int:
        data = form_data(name=f"Pemohon {i}", email="", phone=f"0812000{i:04d}")
        # A bound, not a sync: each submission renders its tanda bukti PDF and the
        # file database takes one writer at a time, so the last of 40 waits long.
        with httpx.Client(base_url=base, timeout=300) as http:
            return http.post("/ppid/permohonan", data=data).status_code

    try:
        with ThreadPoolExecutor(max_workers=10) as pool:  # within the pool (5 + 10 overflow)
            codes = list(pool.map(post, range(SUBMISSIONS)))
    finally:
        server.shutdown()
        thread.join()
    assert codes == [303] * SUBMISSIONS
    with app.app_context():
        rows = db.session.execute(select(InfoRequest.seq, InfoRequest.number, InfoRequest.name)).all()
    assert len(rows) == SUBMISSIONS
    assert sorted(seq for seq, _, _ in rows) == list(range(1, SUBMISSIONS + 1))
    assert len({number for _, number, _ in rows}) == SUBMISSIONS
    assert {name for _, _, name in rows} == {f"Pemohon {i}" for i in range(SUBMISSIONS)}
