"""Data migration 0008: the old free-text sengketa row becomes stage rows and a result."""

from __future__ import annotations

import os
from datetime import date, datetime

import sqlalchemy as sa

from tests.test_migrations import empty_db, flask  # noqa: F401 - the fixture is used by name

REVISION = "0011_inbox_after_decision"


def _filled(table: sa.Table, **values) -> dict:
    """A row with ``values`` and a plain value in every other required column."""
    row = dict(values)
    for col in table.columns:
        if col.name in row or col.nullable or col.server_default is not None or col.primary_key:
            continue
        try:
            kind = col.type.python_type
        except NotImplementedError:
            kind = str
        row[col.name] = {
            int: 0,
            bool: False,
            date: date(2025, 11, 24),
            datetime: datetime(2025, 11, 24, 3),
            dict: {},
            list: [],
        }.get(kind, "x")
    return row


def test_old_free_text_stage_moves_into_stage_rows(empty_db, tmp_path):  # noqa: F811
    env = {**os.environ, "DATABASE_URL": empty_db, "CMS_INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "m"}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    before = flask(["db", "upgrade", f"{REVISION}-1"], env)
    assert before.returncode == 0, before.stderr
    engine = sa.create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))
    meta = sa.MetaData()
    meta.reflect(engine, only=["inbox_request", "inbox_objection", "inbox_dispute"])
    req, obj, dispute = (meta.tables[n] for n in ("inbox_request", "inbox_objection", "inbox_dispute"))
    with engine.begin() as conn:
        conn.execute(req.insert().values(_filled(req, id=1, number="0001/PPID/2025", received_date=date(2025, 11, 24))))
        conn.execute(obj.insert().values(_filled(obj, id=1, request_id=1, number="KEB-0001/PPID/2025")))
        rows = [
            # at mediation, two dates, no result yet
            {"id": 1, "stage": "mediasi", "filed_on": date(2026, 1, 12), "mediation_on": date(2026, 2, 2)},
            # decided, with the result in free text
            {
                "id": 2,
                "stage": "putusan",
                "filed_on": date(2026, 1, 12),
                "decision_on": date(2026, 4, 1),
                "decision": "Majelis mengabulkan sebagian permohonan; NIK dihitamkan.",
            },
            # registered, no date typed, a text that names no result
            {"id": 3, "stage": "didaftarkan", "decision": "Menunggu jadwal sidang."},
        ]
        for row in rows:
            values = {"objection_id": 1, "ki_number": f"00{row['id']}/KI/2026", "decision": "", "notes": "", **row}
            conn.execute(dispute.insert().values(_filled(dispute, **values)))
    after = flask(["db", "upgrade", REVISION], env)
    assert after.returncode == 0, after.stderr
    with engine.connect() as conn:
        stages = conn.execute(
            sa.text("SELECT dispute_id, stage, day FROM inbox_dispute_stage ORDER BY dispute_id, id")
        ).all()
        disputes = conn.execute(sa.text("SELECT id, stage, result, result_note FROM inbox_dispute ORDER BY id")).all()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("inbox_dispute")}
    engine.dispose()
    as_date = lambda v: v if isinstance(v, date) or v is None else date.fromisoformat(str(v)[:10])  # noqa: E731
    assert [(d, s, as_date(day)) for d, s, day in stages] == [
        (1, "registrasi", date(2026, 1, 12)),
        (1, "mediasi", date(2026, 2, 2)),
        (2, "registrasi", date(2026, 1, 12)),
        (2, "putusan", date(2026, 4, 1)),
        (3, "registrasi", None),
    ]
    assert [tuple(d) for d in disputes] == [
        (1, "mediasi", None, ""),
        (2, "putusan", "dikabulkan_sebagian", "Majelis mengabulkan sebagian permohonan; NIK dihitamkan."),
        (3, "registrasi", None, "Menunggu jadwal sidang."),
    ]
    assert not {"filed_on", "mediation_on", "adjudication_on", "decision_on", "decision"} & columns
    down = flask(["db", "downgrade", f"{REVISION}-1"], env)
    assert down.returncode == 0, down.stderr
    engine = sa.create_engine(empty_db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        back = conn.execute(sa.text("SELECT id, stage, decision_on, decision FROM inbox_dispute ORDER BY id")).all()
    engine.dispose()
    assert [(i, s, as_date(d), t) for i, s, d, t in back] == [
        (1, "mediasi", None, ""),
        (2, "putusan", date(2026, 4, 1), "Majelis mengabulkan sebagian permohonan; NIK dihitamkan."),
        (3, "didaftarkan", None, "Menunggu jadwal sidang."),
    ]
