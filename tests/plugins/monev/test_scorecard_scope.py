"""What the scorecard shows a PPID Pembantu, and when a period counts as empty."""

from __future__ import annotations

import re

from cms import accounts
from cms.extensions import db
from plugins.monev import scoring
from plugins.monev.models import MonevPeriod, MonevSocialAccount
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset


def login(client, email, role, unit=None):
    accounts.create_user(email, role, PASSWORD, unit=unit)
    client.post("/logout")
    client.post("/login", data={"email": email, "password": PASSWORD})


def rows(page: str) -> list[tuple[str, str]]:
    """(rank, unit name) of each scorecard row."""
    return re.findall(r"<tr><td>(\d+)</td><td><a [^>]*>([^<]+)</a>", page)


def test_pembantu_sees_its_rank_among_all_units(client, monev_app):
    period, units = dataset.build()  # B 61.8 (1st), A 56.2 (2nd), C 33.5 (3rd)
    login(client, "pembantu-a@x.test", "ppid_unit", units["A"])
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    assert rows(page) == [("2", "Dinas A")]
    assert "Dinas B" not in page and "61.8" not in page
    login(client, "pembantu-c@x.test", "ppid_unit", units["C"])
    assert rows(client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)) == [("3", "Dinas C")]


def test_utama_still_sees_every_unit_ranked(client, monev_app):
    period, _units = dataset.build()
    login(client, "utama@x.test", "ppid")
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    assert rows(page) == [("1", "Dinas B"), ("2", "Dinas A"), ("3", "Dinas C")]


def test_state_figures_do_not_make_an_empty_period_one_with_data(client, monev_app):
    # Dinas A has registered and connected accounts and a request overdue today:
    # that is now, not 2023 (before its first DIP entry); the period is empty
    # and no trend is made up against 2022.
    _period, units = dataset.build()
    period = MonevPeriod(year=2023, kind="year")
    db.session.add(period)
    db.session.commit()
    card = scoring.build(period)
    assert card.raw["monev.accounts"]["values"][units["A"].id] == 2
    assert card.raw["inbox.open_overdue"]["values"][units["A"].id] == 1
    assert not card.has_data
    assert all(c.previous is None and c.trend is None for c in card.cards)
    login(client, "utama@x.test", "ppid")
    page = client.get(f"/admin/monev/{period.id}/").get_data(as_text=True)
    assert "Tidak ada data pada periode ini" in page
    unit_page = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}").get_data(as_text=True)
    assert "Tidak ada data pada periode ini" in unit_page


def test_a_period_with_only_an_account_registered_is_empty(monev_app):
    unit = accounts.get_or_create_unit("Dinas Sepi")
    db.session.add(MonevSocialAccount(unit_id=unit.id, platform="X", url="https://x.com/sepi"))
    period = MonevPeriod(year=2030, kind="s1")
    db.session.add(period)
    db.session.commit()
    assert not scoring.build(period).has_data
