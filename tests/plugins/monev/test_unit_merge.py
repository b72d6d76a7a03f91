"""Merging two units that are one OPD: Monev's rows follow the kept unit.

Before, Monev did not answer ``cms_units_merged``: a unit with a recorded
complaint, a social account or a checklist answer could not be merged at
all (the delete of the old unit failed on them)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cms import accounts
from cms.errors import FieldError
from cms.extensions import db
from cms.models import AuditLog, Unit
from plugins.monev.models import MonevAnswer, MonevComplaint, MonevLetter, MonevPeriod, MonevSocialAccount
from tests.conftest import PASSWORD


def _two_units():
    old, new = (accounts.get_or_create_unit(name) for name in ("Dishub", "Dinas Perhubungan"))
    period = MonevPeriod(year=2025, kind="year")
    db.session.add(period)
    db.session.commit()
    return old, new, period


def _answer(period, unit, item, status):
    return MonevAnswer(period_id=period.id, unit_id=unit.id, item=item, status=status, present=True)


def _letter(period, unit, seq):
    number = f"{seq:03d}/MONEV/2026"
    return MonevLetter(
        period_id=period.id, unit_id=unit.id, year=2026, seq=seq, number=number, issued_on=date(2026, 1, 5)
    )


def test_complaints_accounts_letters_and_answers_follow_the_kept_unit(app):
    old, new, period = _two_units()
    old_id, new_id = old.id, new.id
    db.session.add_all(
        [
            MonevComplaint(unit_id=old.id, received_on=date(2025, 3, 4), category="Jalan rusak"),
            MonevSocialAccount(unit_id=old.id, platform="instagram", url="https://instagram.com/dishub"),
            _letter(period, old, 7),
            _answer(period, old, "sk_ppid", "diterima"),  # beats the target's draft
            _answer(period, new, "sk_ppid", "draf"),
            _answer(period, old, "sop", "draf"),  # loses to the target's submitted answer
            _answer(period, new, "sop", "diajukan"),
            _answer(period, old, "meja_layanan", "diajukan"),  # only the old unit answered it
        ]
    )
    db.session.commit()

    moved = accounts.merge_units(old, new)

    assert db.session.get(Unit, old_id) is None
    assert db.session.scalar(select(MonevComplaint.unit_id)) == new_id
    assert db.session.scalar(select(MonevSocialAccount.unit_id)) == new_id
    assert db.session.scalar(select(MonevLetter.unit_id)) == new_id
    answers = {
        row.item: row.status for row in db.session.scalars(select(MonevAnswer).where(MonevAnswer.unit_id == new_id))
    }
    assert answers == {"sk_ppid": "diterima", "sop": "diajukan", "meja_layanan": "diajukan"}
    assert db.session.scalar(select(MonevAnswer.id).where(MonevAnswer.unit_id == old_id)) is None
    expected = {"monev_complaint": 1, "monev_social_account": 1, "monev_letter": 1, "monev_answer": 2}
    assert {key: moved[key] for key in moved if key.startswith("monev")} == expected
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "unit.merge"))
    assert {key: audit.detail["moved"][key] for key in expected} == expected
    dropped = db.session.scalar(select(AuditLog).where(AuditLog.action == "monev.answers.dropped_on_merge"))
    assert (dropped.object_id, dropped.detail) == (str(new_id), {"source_id": old_id, "answers": 2})


def test_two_letters_for_one_period_refuse_the_merge_and_change_nothing(app):
    old, new, period = _two_units()
    old_id = old.id
    db.session.add_all(
        [
            _letter(period, old, 3),
            _letter(period, new, 4),
            MonevComplaint(unit_id=old.id, received_on=date(2025, 3, 4), category="Parkir"),
        ]
    )
    db.session.commit()

    with pytest.raises(FieldError) as refused:
        accounts.merge_units(old, new)

    assert refused.value.field == "source"
    assert "surat hasil Monev Tahun 2025" in str(refused.value) and "003/MONEV/2026" in str(refused.value)
    db.session.expire_all()
    assert db.session.get(Unit, old_id) is not None
    assert db.session.scalar(select(MonevComplaint.unit_id)) == old_id
    assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "unit.merge")) is None


def test_the_officer_sees_the_refusal_on_the_merge_form(app, client, make_user):
    """The merge page caught only core's own error: a plugin's refusal was a 500."""
    old, new, period = _two_units()
    old_id, new_id = old.id, new.id
    db.session.add_all([_letter(period, old, 3), _letter(period, new, 4)])
    db.session.commit()
    utama = make_user("ppid")
    client.post("/login", data={"email": utama.email, "password": PASSWORD})

    answer = client.post("/admin/units/merge", data={"source": old_id, "target": new_id, "confirm": "1"})

    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Kedua unit sudah menerima surat hasil Monev Tahun 2025" in page
    assert "penggabungan dibatalkan" in page
    db.session.expire_all()
    assert db.session.get(Unit, old_id) is not None and db.session.get(Unit, new_id) is not None
