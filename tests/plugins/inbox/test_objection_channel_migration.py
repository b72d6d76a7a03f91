"""Migration 0013: existing keberatan take their channel from the audit entry
of their filing; one without such an entry was filed on the website."""

from __future__ import annotations

import os
from datetime import date

import sqlalchemy as sa

from tests.plugins.inbox.test_dispute_migration import _filled
from tests.test_migrations import empty_db, flask  # noqa: F401 - the fixture is used by name

REVISION = "0013_inbox_objection_channel"


def test_existing_keberatan_get_their_channel_from_the_audit_log(empty_db, tmp_path):  # noqa: F811
    env = {**os.environ, "DATABASE_URL": empty_db, "CMS_INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "m"}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    before = flask(["db", "upgrade", f"{REVISION}-1"], env)
    assert before.returncode == 0, before.stderr
    engine = sa.create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))
    meta = sa.MetaData()
    meta.reflect(engine, only=["inbox_request", "inbox_objection", "audit_log"])
    req, obj, audit = (meta.tables[n] for n in ("inbox_request", "inbox_objection", "audit_log"))
    numbers = ["KEB-0001/PPID/2025", "KEB-0002/PPID/2025", "KEB-0003/PPID/2025", "KEB-0004/PPID/2025"]
    with engine.begin() as conn:
        conn.execute(req.insert().values(_filled(req, id=1, number="0001/PPID/2025", received_date=date(2025, 11, 24))))
        for i, number in enumerate(numbers, start=1):
            conn.execute(obj.insert().values(_filled(obj, id=i, request_id=1, seq=i, number=number)))
        for number, channel in ((numbers[0], "desk"), (numbers[1], "letter"), (numbers[2], "web")):
            detail = {"request": "0001/PPID/2025", "grounds": ["a"], "late": False, "channel": channel}
            entry = _filled(
                audit, action="inbox.objection.created", object_type="inbox_objection", object_id=number, detail=detail
            )
            conn.execute(audit.insert().values(entry))
        conn.execute(  # another action naming a channel does not count
            audit.insert().values(
                _filled(
                    audit,
                    action="inbox.objection.decided",
                    object_type="inbox_objection",
                    object_id=numbers[3],
                    detail={"channel": "desk"},
                )
            )
        )
    after = flask(["db", "upgrade", REVISION], env)
    assert after.returncode == 0, after.stderr
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT number, channel FROM inbox_objection ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == list(zip(numbers, ["desk", "letter", "web", "web"], strict=True))
    down = flask(["db", "downgrade", f"{REVISION}-1"], env)
    assert down.returncode == 0, down.stderr
