"""One bad row costs only itself: clashing unit slugs, a refused row, any batch size."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from cms.extensions import db
from cms.models import Unit
from plugins.dip.importer import Importer
from plugins.dip.models import DipEntry
from tests.plugins.dip.conftest import BEKASI

REFUSED_TITLE = "Baris yang ditolak basis data"


def _bekasi_rows(count: int) -> list[dict]:
    """``count`` distinct, valid rows from the real Kota Bekasi export."""
    rows, seen = [], set()
    for path in sorted(p for p in BEKASI.rglob("*") if p.is_file()):
        try:
            found = json.loads(path.read_text())
        except ValueError:
            continue  # the export's one malformed file
        for row in found if isinstance(found, list) else []:
            if row.get("kode") in seen or row.get("dokumen_kategori", "").lower() == "dikecualikan":
                continue
            seen.add(row["kode"])
            rows.append(row)
            if len(rows) == count:
                return rows
    raise AssertionError("the export has fewer rows than asked for")


def _refuse_title_in_database(title: str) -> None:
    """A real database-level refusal (as a CHECK or trigger a DBA added would give)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text(
                "CREATE OR REPLACE FUNCTION refuse_dip_row() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title = '{title}' THEN RAISE EXCEPTION 'ringkasan ditolak'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
        )
        db.session.execute(text("DROP TRIGGER IF EXISTS refuse_dip_row ON dip_entry"))
        db.session.execute(
            text(
                "CREATE TRIGGER refuse_dip_row BEFORE INSERT ON dip_entry "
                "FOR EACH ROW EXECUTE FUNCTION refuse_dip_row()"
            )
        )
    else:
        db.session.execute(
            text(
                "CREATE TRIGGER refuse_dip_row BEFORE INSERT ON dip_entry "
                f"WHEN NEW.title = '{title}' BEGIN SELECT RAISE(ABORT, 'ringkasan ditolak'); END"
            )
        )
    db.session.commit()


@pytest.fixture
def refusing_db(dip_app):
    _refuse_title_in_database(REFUSED_TITLE)
    yield
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TRIGGER IF EXISTS refuse_dip_row ON dip_entry"))
        db.session.execute(text("DROP FUNCTION IF EXISTS refuse_dip_row()"))
        db.session.commit()


@pytest.mark.parametrize("batch", [500, 7])
def test_dash_units_and_bad_rows_among_600_keep_every_good_row(dip_app, refusing_db, tmp_path, batch):
    rows = _bekasi_rows(600)
    rows[10]["opd"] = "-"
    rows[11]["opd"] = "–"  # an en dash: slugifies to nothing, like "-"
    rows[250]["dokumen_kategori"] = "Rahasia Negara"  # bad on validation
    rows[420]["judul"] = REFUSED_TITLE  # good on validation, refused by the database
    source = tmp_path / "dip.json"
    source.write_text(json.dumps(rows))

    summary = Importer(batch=batch).run(source)

    assert summary.created == 598 and summary.failed == 2
    errors = dict(summary.errors)
    assert set(errors) == {
        f"dip.json entri #251 (kode {rows[250]['kode']})",
        f"dip.json entri #421 (kode {rows[420]['kode']})",
    }
    assert errors[f"dip.json entri #251 (kode {rows[250]['kode']})"].startswith(
        "kategori: Kategori tidak dikenal: 'Rahasia Negara'"
    )
    refused = errors[f"dip.json entri #421 (kode {rows[420]['kode']})"]
    assert refused.startswith("basis data: baris ditolak") and "ringkasan ditolak" in refused

    stored = set(db.session.scalars(select(DipEntry.kode)))
    assert stored == {r["kode"] for i, r in enumerate(rows) if i not in (250, 420)}
    dash = {u.name: u.slug for u in db.session.scalars(select(Unit).where(Unit.name.in_(["-", "–"])))}
    assert dash == {"-": "unit", "–": "unit-2"}
    by_unit = dict(
        db.session.execute(
            select(Unit.name, func.count())
            .join(DipEntry, DipEntry.unit_id == Unit.id)
            .where(Unit.name.in_(["-", "–"]))
            .group_by(Unit.name)
        ).all()
    )
    assert by_unit == {"-": 1, "–": 1}

    # A second run writes nothing new and fails the same two rows again, nothing more.
    again = Importer(batch=batch).run(source)
    assert (again.created, again.failed) == (0, 2)
    assert db.session.scalar(select(func.count()).select_from(DipEntry)) == 598
