"""Bulk inserts shared by every seeder of the benches.

Its own module so that ``bench.scale.seed`` (newsroom) and
``bench.scale.seed_ppid`` (PPID) both import it and not each other.
"""

from __future__ import annotations

from sqlalchemy import func, insert, select, text

BATCH = 2000


def bulk(model, rows: list[dict]) -> None:
    """Insert ``rows`` in batches, dropping keys the model does not have."""
    from cms.extensions import db

    table = getattr(model, "__table__", model)  # a model or a plain association Table
    keep = {c.key for c in table.columns}
    # PostgreSQL takes at most 65,535 parameters per statement; SQLAlchemy
    # sends a batch as multi-row VALUES, so wide tables need smaller batches.
    size = max(1, min(BATCH, 30_000 // len(keep)))
    for start in range(0, len(rows), size):
        chunk = [{k: v for k, v in row.items() if k in keep} for row in rows[start : start + size]]
        db.session.execute(insert(table), chunk)
    db.session.commit()


def next_id(model) -> int:
    from cms.extensions import db

    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def fix_sequences(tables: list[str]) -> None:
    """PostgreSQL: explicit ids leave the serial sequences behind; catch them up."""
    from cms.extensions import db

    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        db.session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
        )
    db.session.commit()
