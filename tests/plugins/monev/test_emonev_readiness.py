"""The readiness score per indicator and overall, the band, and what is
missing to reach the next band, on answers worked out by hand."""

from __future__ import annotations

from plugins.monev.questionnaire import loader, readiness

YA = [{"key": "ya", "label": "Ya", "score": 100}, {"key": "tidak", "label": "Tidak", "score": 0}]
TIGA = [
    {"key": "lengkap", "label": "Lengkap", "score": 100},
    {"key": "sebagian", "label": "Sebagian", "score": 50},
    {"key": "tidak", "label": "Tidak", "score": 0},
]


def small():
    def q(key, ind, weight, options):
        return {
            "key": key,
            "indicator": ind,
            "weight": weight,
            "text": key,
            "options": options,
            "evidence": {"needs": "bukti", "upload": "berkas"},
        }

    return loader.parse(
        {
            "year": 2025,
            "source": {"regulation": "Perki 1/2022", "wording": "uji"},
            "indicators": [{"key": "a", "label": "A", "weight": 60}, {"key": "b", "label": "B", "weight": 40}],
            "questions": [q("q1", "a", 2, YA), q("q2", "a", 1, TIGA), q("q3", "b", 1, YA), q("q4", "b", 3, YA)],
        }
    )


def test_score_band_and_missing_by_hand(monev_app):
    answers = {"q1": "ya", "q2": "sebagian", "q3": "ya", "q4": "ya"}
    evidence = {"q1": True, "q2": True, "q3": False, "q4": True}  # q3 has no evidence: predicted 0
    r = readiness.compute(small(), answers, evidence)
    # A = (2·100 + 1·50) / 3 = 83.33; B = (1·0 + 3·100) / 4 = 75; total = (60·83.33 + 40·75) / 100 = 80.0
    assert r.indicators == {"a": 83.3, "b": 75.0}
    assert r.total == 80.0
    assert r.band == "Menuju Informatif"
    assert (r.next_band, r.gap) == ("Informatif", 10.0)
    # gains: q2 0.6·(1/3)·50 = 10, q3 0.4·(1/4)·100 = 10: one of them closes the 10-point gap
    assert [(line.question.key, line.gain) for line, _why in r.missing] == [("q2", 10.0)]
    assert "perlu “Lengkap”" in r.missing[0][1]


def test_lower_band_lists_enough_to_climb(monev_app):
    answers = {"q1": "ya", "q2": "tidak", "q4": "tidak"}
    r = readiness.compute(small(), answers, {"q1": True, "q2": True, "q4": True})
    # A = 200/3 = 66.67; B = 0; total = 40.0 → Kurang Informatif, 20 short of Cukup Informatif
    assert (r.total, r.band, r.next_band, r.gap) == (40.0, "Kurang Informatif", "Cukup Informatif", 20.0)
    # q4: 0.4·3/4·100 = 30 closes it alone
    assert [line.question.key for line, _why in r.missing] == ["q4"]
    assert r.missing[0][1].startswith("jawaban belum maksimal")
    nothing = readiness.compute(small(), {}, {})
    assert (nothing.total, nothing.band) == (0.0, "Tidak Informatif")
    assert "belum dijawab" in nothing.missing[0][1]


def test_all_best_with_evidence_is_informatif(monev_app):
    q = loader.load(2025)
    r = readiness.compute(
        q, {x.key: x.best.key for x in q.questions}, dict.fromkeys((x.key for x in q.questions), True)
    )
    assert (r.total, r.band, r.next_band, r.missing) == (100.0, "Informatif", None, [])
