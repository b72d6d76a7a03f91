"""Fifty letters issued at once on a file database: fifty distinct numbers,
consecutive in the unit's agenda, each PDF stored with its own hash."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from cms.extensions import db
from plugins.inbox import letter_records, services
from plugins.inbox.letter_models import Letter
from plugins.inbox.models import InfoRequest
from tests.conftest import on_postgres
from tests.plugins.inbox.conftest import form_data
from tests.plugins.inbox.letter_helpers import configure, officer

LETTERS = 50


def test_fifty_letters_at_once_get_fifty_distinct_numbers(make_app, make_user, tmp_path):
    config = {"INBOX_LETTERS_ON_DECISION": "off"}
    if not on_postgres():
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'letters.db'}"
    app = make_app(enabled=["inbox"], **config)
    with app.app_context():
        signer = officer(make_user)
        configure(signer=signer)
        ids = [services.create_request(form_data(name=f"Pemohon {i}", email=""))[0].id for i in range(LETTERS)]

    def issue(request_id: int) -> str:
        with app.app_context():
            req = db.session.get(InfoRequest, request_id)
            letter = letter_records.issue("tanda_terima", req)
            db.session.commit()
            return letter.number

    with ThreadPoolExecutor(max_workers=10) as pool:
        numbers = list(pool.map(issue, ids))
    assert len(set(numbers)) == LETTERS
    with app.app_context():
        rows = db.session.execute(select(Letter.seq, Letter.number, Letter.sha256)).all()
        assert sorted(seq for seq, _, _ in rows) == list(range(1, LETTERS + 1))
        assert {number for _, number, _ in rows} == set(numbers)
        assert len({sha for _, _, sha in rows}) == LETTERS
        db.session.remove()
