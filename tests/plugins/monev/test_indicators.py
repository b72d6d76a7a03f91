"""Every Monev figure and score on the hand-built data set, against values
worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import pytest

from plugins.monev import scoring
from tests.plugins.monev import dataset

pytestmark = pytest.mark.usefixtures("monev_app")


def raw_of(period, units):
    raw = scoring.collect(period, [u.id for u in units.values()])
    return {key: {letter: fig["values"].get(u.id) for letter, u in units.items()} for key, fig in raw.items()}


def test_raw_figures_match_the_hand_count():
    period, units = dataset.build()
    raw = raw_of(period, units)
    expected = {
        "inbox.received": (4, 1, 0),
        "inbox.answered": (3, 1, 0),
        "inbox.answered_10": (1, 1, 0),
        "inbox.answered_17": (2, 1, 0),
        "inbox.late": (1, 0, 0),
        "inbox.median_days": (13.0, 3.0, None),
        "inbox.extended": (1, 0, 0),
        "inbox.open_overdue": (1, 0, 0),
        "inbox.returned": (1, 0, 0),
        "inbox.forwarded": (1, 0, 0),
        "inbox.objections": (1, 1, 0),
        "inbox.objections_answered_30": (1, 0, 0),
        "inbox.disputes": (1, 0, 0),
        "dip.items": (2, 1, 0),
        "dip.complete": (1, 1, 0),
        "dip.updated": (1, 0, 0),
        "dip.berkala": (1, 0, 0),
        "dip.serta_merta": (1, 0, 0),
        "dip.decree": (1, 1, 1),
        "crosspost.sent": (2, 0, 0),
        "crosspost.failed": (1, 0, 0),
        "crosspost.attempted": (3, 0, 0),
        "crosspost.accounts": (1, 0, 0),
        "inti.releases": (2, 0, 0),
        "inti.news": (1, 0, 0),
        "monev.complaints": (3, 0, 0),
        "monev.complaints_resolved": (2, 0, 0),
        "monev.complaints_median_days": (12.0, None, None),  # 4 and 20 days
        "monev.accounts": (2, 1, 0),
        "monev.self_items": (6, 6, 6),
        "monev.self_accepted": (3, 0, 0),  # the returned answer does not count
    }
    assert {k: (v["A"], v["B"], v["C"]) for k, v in raw.items()} == expected


def test_objection_grounds_and_crosspost_channels_are_broken_down(monev_app):
    period, units = dataset.build()
    raw = scoring.collect(period, [u.id for u in units.values()])
    a = units["A"].id
    assert raw["inbox.objections"]["detail"][a] == {"Pasal 35 huruf a": 1, "Pasal 35 huruf c": 1}
    assert raw["inbox.objections_answered_30"]["detail"][a] == {"Ditolak (menguatkan putusan PPID)": 1}
    assert raw["crosspost.sent"]["detail"][a] == {
        "mastodon: terkirim": 2,
        "mastodon: gagal": 1,
        "Unggahan terakhir lewat Warta": "2025-03-03",
    }


def test_scores_categories_totals_and_ranking():
    period, units = dataset.build()
    card = scoring.build(period, [units[k] for k in "ABC"])
    by_name = {c.name: c for c in card.cards}
    a, b, c = by_name["Dinas A"], by_name["Dinas B"], by_name["Dinas C"]
    scores = {r.spec.key: (r.value, r.score) for r in a.results}
    assert scores == {
        "tepat_10": (33.3, 25),  # 1/3
        "tepat_17": (66.7, 25),  # 2/3, below 75
        "lewat_tenggat": (1.0, 60),
        "dip_lengkap": (50.0, 50),
        "dip_mutakhir": (50.0, 75),
        "dip_terbit": (2.0, 75),  # 1 berkala + 1 serta merta
        "mandiri": (50.0, 20),  # 3 of 6
        "keberatan_30": (100.0, 100),
        "sengketa": (1.0, 70),
        "pengaduan_selesai": (66.7, 50),
        "pengaduan_hari": (12.0, 75),
        "rilis_berita": (3.0, 50),
        "crosspost_terkirim": (66.7, 50),
        "akun_medsos": (2.0, 100),
    }
    # (25·30 + 25·15 + 60·15 + 50·15 + 75·10 + 75·5 + 20·10) / 100
    assert a.categories == {"ppid": 41.0, "pengaduan": 77.8, "medsos": 65.0}
    assert a.total == 56.2 and a.qualification == "Kurang Informatif"
    assert b.categories == {"ppid": 79.5, "pengaduan": 70.0, "medsos": 18.0}
    assert b.total == 61.8 and b.qualification == "Cukup Informatif"
    # C has no data: no division error, zeros flagged as empty
    assert c.categories == {"ppid": 17.0, "pengaduan": 100.0, "medsos": 0.0}
    assert c.total == 33.5
    assert all(r.empty for r in c.results if r.spec.den and r.spec.key != "mandiri")
    assert [(x.name, x.rank) for x in card.cards] == [("Dinas B", 1), ("Dinas A", 2), ("Dinas C", 3)]
    assert a.previous is not None and a.trend == round(a.total - a.previous, 1)


def test_weights_and_thresholds_are_settings(monev_app):
    period, units = dataset.build()
    monev_app.config["MONEV_CATEGORY_WEIGHTS"] = {"ppid": 100, "pengaduan": 0, "medsos": 0}
    monev_app.config["MONEV_THRESHOLDS"] = {"tepat_10": [[30, 90], [0, 10]]}
    card = scoring.build(period, [units["A"]], with_trend=False)
    a = card.cards[0]
    # tepat_10 now scores 90: (90·30 + 25·15 + 60·15 + 50·15 + 75·10 + 75·5 + 20·10) / 100
    assert a.categories["ppid"] == 60.5
    assert a.total == 60.5


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], None), ([5], 5.0), ([3, 13], 8.0), ([5, 13, 20], 13.0), ([1, 1, 2, 9], 1.5), ([4, 4, 4, 4], 4.0)],
)
def test_median_from_a_histogram(values, expected):
    from collections import Counter
    from statistics import median

    from plugins.inbox.monev_source import _median

    assert _median(Counter(values)) == expected
    if values:
        assert expected == median(values)
