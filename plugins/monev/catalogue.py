"""The scored Monev indicators, their default weights and thresholds.

Every default is documented in docs/monev.md; the PPID Utama overrides them
with the settings ``MONEV_CATEGORY_WEIGHTS``, ``MONEV_WEIGHTS`` and
``MONEV_THRESHOLDS`` (read at call time).  Thresholds are ``[bound, score]``
pairs tried in order: for "higher is better" the first bound the value
reaches, for "lower is better" the first bound it does not exceed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

CATEGORIES = {
    "ppid": "Kategori PPID Pembantu",
    "pengaduan": "Kategori Pengelolaan Pengaduan Publik",
    "medsos": "Kategori Pengelolaan Media Sosial",
}
CATEGORY_WEIGHTS = {"ppid": 50, "pengaduan": 25, "medsos": 25}

# What the "Sumber" column shows for an indicator's source plugin: its name
# as users know it from the menu, not its id.  Plain Indonesian, like the
# labels above: the report and the letter print them too.
SOURCE_NAMES = {
    "inbox": "Layanan permohonan informasi",
    "dip": "Daftar Informasi Publik (DIP)",
    "crosspost": "Crosspost media sosial",
    "monev": "Monev (pengaduan, akun, penilaian mandiri)",
    "inti": "Redaksi Warta (siaran pers dan berita)",
}

RATE = ((90, 100), (75, 75), (50, 50), (0, 25))


@dataclass(frozen=True)
class Empty:
    """What a rate without a denominator (or a median without cases) means.

    The rule, per indicator: where the public brings the work (keberatan,
    outside complaints) nothing to handle means nothing went wrong, so the
    indicator is met (full score); where the unit itself must act (answer,
    fill its DIP, post) nothing done is not met (score 0).
    """

    met: bool
    what: str  # "tidak ada <what>": keberatan, pengaduan, permohonan dijawab

    @property
    def score(self) -> float:
        return 100.0 if self.met else 0.0

    @property
    def text(self) -> str:
        return f"tidak ada {self.what} ({'nilai penuh' if self.met else 'nilai 0'})"


def no_case(what: str) -> Empty:
    """Nothing to handle: met."""
    return Empty(True, what)


def no_activity(what: str) -> Empty:
    """Nothing done: not met."""
    return Empty(False, what)


@dataclass(frozen=True)
class Scored:
    key: str
    category: str
    label: str
    source: str  # the plugin whose figures it needs ("monev" and "inti" are always there)
    num: tuple[str, ...]  # raw figures added up
    den: str | None = None  # raw figure: value = num / den * 100
    higher_better: bool = True
    weight: float = 10
    thresholds: tuple[tuple[float, float], ...] = RATE
    # A rate (``den``) or a median says what "nothing in the period" means.
    empty: Empty | None = None
    unit: str = "%"

    @property
    def empty_score(self) -> float:
        return self.empty.score if self.empty else 0.0

    @property
    def source_name(self) -> str:
        return SOURCE_NAMES.get(self.source, self.source)


INDICATORS: tuple[Scored, ...] = (
    Scored(
        "tepat_10",
        "ppid",
        "Permohonan dijawab ≤ 10 hari kerja",
        "inbox",
        ("inbox.answered_10",),
        "inbox.answered",
        weight=30,
        empty=no_activity("permohonan dijawab"),
    ),
    Scored(
        "tepat_17",
        "ppid",
        "Permohonan dijawab ≤ 17 hari kerja (dengan perpanjangan)",
        "inbox",
        ("inbox.answered_17",),
        "inbox.answered",
        weight=15,
        thresholds=((100, 100), (90, 75), (75, 50), (0, 25)),
        empty=no_activity("permohonan dijawab"),
    ),
    Scored(
        "lewat_tenggat",
        "ppid",
        "Permohonan terbuka melewati tenggat (saat ini)",
        "inbox",
        ("inbox.open_overdue",),
        higher_better=False,
        weight=15,
        thresholds=((0, 100), (2, 60), (5, 30), (10**9, 0)),
        unit="permohonan",
    ),
    Scored(
        "dip_lengkap",
        "ppid",
        "Kelengkapan DIP (semua kolom terisi)",
        "dip",
        ("dip.complete",),
        "dip.items",
        weight=15,
        empty=no_activity("informasi dalam DIP"),
    ),
    Scored(
        "dip_mutakhir",
        "ppid",
        "Kemutakhiran DIP (diperbarui dalam periode)",
        "dip",
        ("dip.updated",),
        "dip.items",
        weight=10,
        thresholds=((75, 100), (50, 75), (25, 50), (0, 25)),
        empty=no_activity("informasi dalam DIP"),
    ),
    Scored(
        "dip_terbit",
        "ppid",
        "Informasi berkala dan serta merta diterbitkan",
        "dip",
        ("dip.berkala", "dip.serta_merta"),
        weight=5,
        thresholds=((4, 100), (2, 75), (1, 50), (0, 0)),
        unit="informasi",
    ),
    Scored(
        "mandiri",
        "ppid",
        "Penilaian mandiri terverifikasi",
        "monev",
        ("monev.self_accepted",),
        "monev.self_items",
        weight=10,
        thresholds=((100, 100), (80, 80), (60, 60), (0, 20)),
        empty=no_activity("butir penilaian mandiri"),
    ),
    Scored(
        "keberatan_30",
        "pengaduan",
        "Keberatan dijawab atasan ≤ 30 hari kerja",
        "inbox",
        ("inbox.objections_answered_30",),
        "inbox.objections",
        weight=40,
        thresholds=((100, 100), (80, 75), (50, 50), (0, 25)),
        empty=no_case("keberatan"),
    ),
    Scored(
        "sengketa",
        "pengaduan",
        "Sengketa informasi",
        "inbox",
        ("inbox.disputes",),
        higher_better=False,
        weight=20,
        thresholds=((0, 100), (1, 70), (3, 40), (10**9, 20)),
        unit="sengketa",
    ),
    Scored(
        "pengaduan_selesai",
        "pengaduan",
        "Pengaduan di luar Warta diselesaikan",
        "monev",
        ("monev.complaints_resolved",),
        "monev.complaints",
        weight=25,
        empty=no_case("pengaduan"),
    ),
    Scored(
        "pengaduan_hari",
        "pengaduan",
        "Median hari penyelesaian pengaduan",
        "monev",
        ("monev.complaints_median_days",),
        higher_better=False,
        weight=15,
        thresholds=((5, 100), (14, 75), (30, 50), (10**9, 25)),
        empty=no_case("pengaduan selesai"),
        unit="hari",
    ),
    Scored(
        "rilis_berita",
        "medsos",
        "Siaran pers dan berita diterbitkan",
        "inti",
        ("inti.releases", "inti.news"),
        weight=40,
        thresholds=((12, 100), (6, 75), (1, 50), (0, 0)),
        unit="naskah",
    ),
    Scored(
        "crosspost_terkirim",
        "medsos",
        "Unggahan media sosial terkirim (bukan gagal)",
        "crosspost",
        ("crosspost.sent",),
        "crosspost.attempted",
        weight=30,
        empty=no_activity("unggahan"),
    ),
    Scored(
        "akun_medsos",
        "medsos",
        "Akun media sosial resmi terdaftar",
        "monev",
        ("monev.accounts",),
        weight=30,
        thresholds=((2, 100), (1, 60), (0, 0)),
        unit="akun",
    ),
)
BY_KEY = {spec.key: spec for spec in INDICATORS}
MEDIAN_KEYS = {"monev.complaints_median_days", "inbox.median_days"}

QUALIFICATIONS = (
    (90, "Informatif"),
    (80, "Menuju Informatif"),
    (60, "Cukup Informatif"),
    (40, "Kurang Informatif"),
    (0, "Tidak Informatif"),
)


def qualification(score: float | None) -> str:
    if score is None:
        return "tidak tersedia"
    return next(label for bound, label in QUALIFICATIONS if score >= bound)


def category_weights() -> dict[str, float]:
    return {**CATEGORY_WEIGHTS, **_setting("MONEV_CATEGORY_WEIGHTS")}


def weight(spec: Scored) -> float:
    return float(_setting("MONEV_WEIGHTS").get(spec.key, spec.weight))


def thresholds(spec: Scored) -> tuple[tuple[float, float], ...]:
    custom = _setting("MONEV_THRESHOLDS").get(spec.key)
    return tuple((float(b), float(s)) for b, s in custom) if custom else spec.thresholds


def score(spec: Scored, value: float) -> float:
    steps = thresholds(spec)
    for bound, points in steps:
        if (value >= bound) if spec.higher_better else (value <= bound):
            return points
    return steps[-1][1]


def _setting(name: str) -> dict:
    value = current_app.config.get(name) or {}
    return value if isinstance(value, dict) else {}
