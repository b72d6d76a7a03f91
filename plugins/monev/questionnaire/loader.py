"""The e-Monev questionnaire of a year, read from its data file and checked.

Next year's questionnaire is a new ``emonev-<year>.json`` (in ``data/`` or in
``MONEV_EMONEV_DATA_DIR``), not a code change.  A bad file is refused with a
message naming the file and the question at fault, never half-loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import current_app

BUNDLED = Path(__file__).parent / "data"
NAME = re.compile(r"^emonev-(\d{4})\.json$")
KEY = re.compile(r"^[a-z0-9_.-]{1,40}$")
SOURCE = re.compile(r"^([a-z0-9_]+\.[a-z0-9_]+|halaman:/[A-Za-z0-9_/.-]*)$")


class QuestionnaireError(ValueError):
    """The data file is not a usable questionnaire (the message says where)."""


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    score: float


@dataclass(frozen=True)
class Question:
    key: str
    indicator: str
    text: str
    weight: float
    options: tuple[Option, ...]
    needs: str
    generated: tuple[str, ...] = ()
    upload: str = ""  # what to upload, "" when Warta generates all of it

    def option(self, key: str | None) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    @property
    def best(self) -> Option:
        return max(self.options, key=lambda o: o.score)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    weight: float


@dataclass(frozen=True)
class Questionnaire:
    year: int
    title: str
    source: dict
    indicators: tuple[Indicator, ...]
    questions: tuple[Question, ...]
    path: str = ""
    _by_key: dict = field(default_factory=dict, compare=False, repr=False)

    def question(self, key: str) -> Question | None:
        return self._by_key.get(key)

    def of(self, indicator: str) -> list[Question]:
        return [q for q in self.questions if q.indicator == indicator]

    @property
    def sources(self) -> list[str]:
        return sorted({s for q in self.questions for s in q.generated})


def data_dirs() -> list[Path]:
    extra = current_app.config.get("MONEV_EMONEV_DATA_DIR") or ""
    return ([Path(extra)] if extra else []) + [BUNDLED]


def available_years() -> list[int]:
    years = {int(m.group(1)) for d in data_dirs() if d.is_dir() for p in d.iterdir() if (m := NAME.match(p.name))}
    return sorted(years, reverse=True)


def default_year() -> int | None:
    """The year set in ``MONEV_EMONEV_YEAR``, else the newest data file."""
    years = available_years()
    wanted = int(current_app.config.get("MONEV_EMONEV_YEAR") or 0)
    if wanted in years:
        return wanted
    return years[0] if years else None


def path_for(year: int) -> Path | None:
    return next((d / f"emonev-{year}.json" for d in data_dirs() if (d / f"emonev-{year}.json").is_file()), None)


def load(year: int) -> Questionnaire:
    path = path_for(year)
    if path is None:
        raise QuestionnaireError(f"Kuesioner e-Monev tahun {year} tidak ditemukan (emonev-{year}.json).")
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int, _size: int) -> Questionnaire:
    return load_file(Path(path))


def load_file(path: Path) -> Questionnaire:
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise QuestionnaireError(f"{name}: bukan JSON yang sah ({exc}).") from None
    return parse(data, name, str(path))


def _fail(name: str, where: str, why: str):
    raise QuestionnaireError(f"{name}: {where}: {why}")


def _number(value, name: str, where: str, what: str, low: float = 0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low or (high and value > high):
        bound = f"{low}–{high}" if high else f"> {low}" if low == 0 else f"≥ {low}"
        _fail(name, where, f"{what} harus angka {bound}, bukan {value!r}")
    return float(value)


def parse(data, name: str = "kuesioner", path: str = "") -> Questionnaire:
    """A questionnaire from its decoded data; ``QuestionnaireError`` naming the fault."""
    if not isinstance(data, dict):
        _fail(name, "berkas", "isi harus objek JSON")
    year = data.get("year")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        _fail(name, "berkas", f"'year' harus tahun, bukan {year!r}")
    match = NAME.match(name)
    if match and int(match.group(1)) != year:
        _fail(name, "berkas", f"'year' {year} tidak sama dengan tahun nama berkas")
    source = data.get("source")
    if not isinstance(source, dict) or not source.get("regulation") or not source.get("wording"):
        _fail(name, "berkas", "'source' harus menyebut dasar aturan ('regulation') dan asal rumusan ('wording')")
    indicators = []
    for i, raw in enumerate(data.get("indicators") or [], start=1):
        where = f"indikator ke-{i}"
        if not isinstance(raw, dict) or not KEY.match(str(raw.get("key", ""))) or not raw.get("label"):
            _fail(name, where, "perlu 'key' (huruf kecil, angka, - _ .) dan 'label'")
        weight = _number(raw.get("weight"), name, f"indikator '{raw['key']}'", "bobot")
        if weight <= 0:
            _fail(name, f"indikator '{raw['key']}'", "bobot harus lebih dari 0")
        indicators.append(Indicator(raw["key"], str(raw["label"]), weight))
    if not indicators:
        _fail(name, "berkas", "tidak ada indikator")
    keys = [i.key for i in indicators]
    if len(set(keys)) != len(keys):
        _fail(name, "indikator", "kode indikator ganda")
    shared = data.get("options") or {}
    questions: list[Question] = []
    for i, raw in enumerate(data.get("questions") or [], start=1):
        questions.append(_question(raw, i, name, set(keys), shared))
    if not questions:
        _fail(name, "berkas", "tidak ada pertanyaan")
    by_key = {q.key: q for q in questions}
    if len(by_key) != len(questions):
        dup = next(q.key for q in questions if sum(1 for o in questions if o.key == q.key) > 1)
        _fail(name, f"pertanyaan '{dup}'", "kode pertanyaan ganda")
    for ind in indicators:
        if not any(q.indicator == ind.key for q in questions):
            _fail(name, f"indikator '{ind.key}'", "tidak memiliki pertanyaan")
    return Questionnaire(
        year, str(data.get("title") or f"e-Monev {year}"), source, tuple(indicators), tuple(questions), path, by_key
    )


def _question(raw, i: int, name: str, indicators: set[str], shared: dict) -> Question:
    if not isinstance(raw, dict):
        _fail(name, f"pertanyaan ke-{i}", "harus objek")
    key = str(raw.get("key", ""))
    where = f"pertanyaan '{key}'" if KEY.match(key) else f"pertanyaan ke-{i}"
    if not KEY.match(key):
        _fail(name, where, "perlu 'key' (huruf kecil, angka, - _ .)")
    if raw.get("indicator") not in indicators:
        _fail(name, where, f"indikator {raw.get('indicator')!r} tidak dikenal")
    if not isinstance(raw.get("text"), str) or not raw["text"].strip():
        _fail(name, where, "teks pertanyaan kosong")
    weight = _number(raw.get("weight"), name, where, "bobot")
    if weight <= 0:
        _fail(name, where, "bobot harus lebih dari 0")
    options_raw = raw.get("options")
    if isinstance(options_raw, str):
        if options_raw not in shared:
            _fail(name, where, f"pilihan jawaban {options_raw!r} tidak didefinisikan di 'options'")
        options_raw = shared[options_raw]
    if not isinstance(options_raw, list) or len(options_raw) < 2:
        _fail(name, where, "perlu paling sedikit dua pilihan jawaban")
    options = []
    for opt in options_raw:
        if not isinstance(opt, dict) or not KEY.match(str(opt.get("key", ""))) or not opt.get("label"):
            _fail(name, where, "setiap pilihan perlu 'key' dan 'label'")
        options.append(Option(opt["key"], str(opt["label"]), _number(opt.get("score"), name, where, "skor", 0, 100)))
    if len({o.key for o in options}) != len(options):
        _fail(name, where, "kode pilihan jawaban ganda")
    evidence = raw.get("evidence")
    if not isinstance(evidence, dict) or not str(evidence.get("needs", "")).strip():
        _fail(name, where, "'evidence.needs' (bukti yang diperlukan) kosong")
    generated = evidence.get("generated") or []
    if not isinstance(generated, list) or not all(isinstance(s, str) and SOURCE.match(s) for s in generated):
        _fail(name, where, "'evidence.generated' harus daftar sumber seperti 'dip.berkala' atau 'halaman:/ppid/'")
    upload = evidence.get("upload") or ""
    if not generated and not upload:
        _fail(name, where, "bukti harus dibuat dari Warta ('generated') atau diunggah ('upload')")
    return Question(
        key,
        raw["indicator"],
        raw["text"].strip(),
        weight,
        tuple(options),
        evidence["needs"].strip(),
        tuple(generated),
        str(upload),
    )
