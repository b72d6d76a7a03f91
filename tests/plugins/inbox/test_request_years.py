"""The inbox's year filter lists each year with requests once, newest first,
without reading every request (bench/scale/tenfold.py: 200,000 requests)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update

from cms.extensions import db
from plugins.inbox.models import InfoRequest
from plugins.inbox.request_years import request_years
from tests.plugins.inbox.conftest import get_request


def test_years_with_gaps_newest_first_on_the_inbox(app, client, submit, make_user, login):
    assert request_years() == []
    for year in (2021, 2021, 2023, 2025):
        number, _ = submit()
        db.session.execute(update(InfoRequest).where(InfoRequest.id == get_request(number).id).values(year=year))
    db.session.commit()
    assert request_years() == [2025, 2023, 2021]
    login(make_user("ppid"))
    html = client.get("/admin/inbox/").text
    years = html[html.index('name="year"') :]
    years = years[: years.index("</select>")]
    assert all(f'value="{y}"' in years for y in (2025, 2023, 2021)) and 'value="2022"' not in years


def test_years_step_down_the_index(app, submit):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    sent = []

    def before(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        request_years()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sent[0]).all()
    steps = " | ".join(row[-1] for row in plan)
    assert "SCAN inbox_request" not in steps and "ix_inbox_request_year" in steps, steps
