"""Monev works with any subset of the other plugins: an indicator whose
source is disabled says "tidak tersedia" and its weight goes to the others."""

from __future__ import annotations

import pytest

from plugins.monev import catalogue, scoring
from tests.conftest import PASSWORD
from tests.plugins.monev import dataset
from tests.plugins.monev.conftest import ALL


@pytest.mark.parametrize("off", ["inbox", "dip", "crosspost"])
def test_monev_with_one_plugin_disabled(make_app, off):
    app = make_app(enabled=[p for p in ALL if p != off])
    with app.app_context():
        period, units = dataset.build(**{f"with_{off}": False})
        card = scoring.build(period, [units[k] for k in "ABC"])
        assert {s.key for s in card.unavailable} == {s.key for s in catalogue.INDICATORS if s.source == off}
        assert not any(k.startswith(f"{off}.") for k in card.raw)
        for uc in card.cards:
            for cat in catalogue.CATEGORIES:
                used = [r for r in uc.results if r.spec.category == cat and r.available]
                expected = round(
                    sum(catalogue.weight(r.spec) * r.score for r in used) / sum(catalogue.weight(r.spec) for r in used),
                    1,
                )
                assert uc.categories[cat] == expected
        from cms import accounts

        accounts.create_user("utama@x.test", "ppid", PASSWORD)
        client = app.test_client()
        client.post("/login", data={"email": "utama@x.test", "password": PASSWORD})
        page = client.get(f"/admin/monev/{period.id}/unit/{units['A'].id}").get_data(as_text=True)
        assert "tidak tersedia" in page
        assert client.get(f"/admin/monev/{period.id}/laporan.xlsx").status_code == 200


def test_inbox_off_by_hand(make_app):
    app = make_app(enabled=["dip", "crosspost", "monev"])
    with app.app_context():
        period, units = dataset.build(with_inbox=False)
        a = scoring.build(period, [units["A"]], with_trend=False).cards[0]
        # only the DIP and self-assessment remain: (50·15 + 75·10 + 75·5 + 20·10) / 40
        assert a.categories["ppid"] == 51.9
        # pengaduan keeps the outside complaints: (50·25 + 75·15) / 40
        assert a.categories["pengaduan"] == 59.4


def test_monev_alone(make_app):
    app = make_app(enabled=["monev"])
    with app.app_context():
        period, units = dataset.build(with_inbox=False, with_dip=False, with_crosspost=False)
        card = scoring.build(period, [units["A"]])
        assert card.cards[0].total is not None
        assert {s.source for s in card.unavailable} == {"inbox", "dip", "crosspost"}
