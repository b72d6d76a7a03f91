"""The e-Monev questionnaire is data: the 2025 file loads, a bad file is
refused naming the question, and next year's file needs no code change."""

from __future__ import annotations

import copy
import json

import pytest

from plugins.monev.questionnaire import loader
from plugins.monev.questionnaire.loader import QuestionnaireError

SIX = {
    "kualitas_informasi",
    "sarana_prasarana",
    "jenis_informasi",
    "pelayanan_informasi",
    "komitmen_organisasi",
    "digitalisasi_inovasi",
}


def bundled() -> dict:
    return json.loads((loader.BUNDLED / "emonev-2025.json").read_text(encoding="utf-8"))


def test_2025_questionnaire_loads_with_its_source(monev_app):
    q = loader.load(2025)
    assert {i.key for i in q.indicators} == SIX
    assert all(q.of(i.key) for i in q.indicators)
    assert "Nomor 1 Tahun 2022" in q.source["regulation"]
    assert "tidak tersedia" in q.source["wording"]  # the official wording was not available: said so
    berkala = q.question("jen-1")
    assert berkala.generated == ("dip.berkala",) and berkala.best.score == 100
    assert all(question.needs for question in q.questions)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"][2].pop("weight"), "pertanyaan 'kua-3': bobot harus angka"),
        (lambda d: d["questions"][0].update(indicator="tidak_ada"), "pertanyaan 'kua-1': indikator 'tidak_ada'"),
        (
            lambda d: d["questions"][4].update(options=[{"key": "ya", "label": "Ya", "score": 100}]),
            "pertanyaan 'sar-1'",
        ),
        (lambda d: d["questions"][5]["evidence"].update(needs=""), "pertanyaan 'sar-2': 'evidence.needs'"),
        (lambda d: d["questions"][1].update(key="kua-1"), "pertanyaan 'kua-1': kode pertanyaan ganda"),
        (lambda d: d["questions"][3].update(options="tidak_ada"), "pertanyaan 'kua-4': pilihan jawaban"),
        (lambda d: d.update(year=2024), "tidak sama dengan tahun nama berkas"),
    ],
)
def test_bad_file_names_the_question(tmp_path, change, message):
    data = copy.deepcopy(bundled())
    change(data)
    path = tmp_path / "emonev-2025.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as err:
        loader.load_file(path)
    assert message in str(err.value)
    assert str(err.value).startswith("emonev-2025.json: ")


def test_not_json_is_refused(tmp_path):
    path = tmp_path / "emonev-2025.json"
    path.write_text("{ year: 2025", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="bukan JSON"):
        loader.load_file(path)


def test_next_year_is_a_data_file(make_app, tmp_path):
    data = bundled()
    data["year"] = 2026
    data["questions"][0]["text"] = "Pertanyaan baru tahun 2026?"
    folder = tmp_path / "kuesioner"
    folder.mkdir()
    (folder / "emonev-2026.json").write_text(json.dumps(data), encoding="utf-8")
    app = make_app(enabled=["monev"], MONEV_EMONEV_DATA_DIR=str(folder))
    with app.app_context():
        assert loader.available_years() == [2026, 2025]
        assert loader.default_year() == 2026
        assert loader.load(2026).question("kua-1").text == "Pertanyaan baru tahun 2026?"
        app.config["MONEV_EMONEV_YEAR"] = 2025
        assert loader.default_year() == 2025
