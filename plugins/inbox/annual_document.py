"""The laporan layanan informasi publik as one outline of chapters and blocks,
printed by the PDF template and written by the DOCX writer alike.

Chapters I–VI follow Perki 1/2021 Pasal 56 as transposed in research §2.12:
kebijakan (sarana, SDM, anggaran), pelaksanaan, rincian pelayanan, rincian
penyelesaian sengketa (with pelaksanaannya), kendala, rekomendasi.  An
official document: the words are Indonesian here, not catalogue strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cms.api import rupiah, tanggal

EMPTY = "[Belum diisi. Lengkapi bagian ini pada formulir narasi laporan di Warta atau pada berkas DOCX.]"


@dataclass
class Text:
    text: str
    heading: str = ""  # a sub-heading (A., B., …) before the text


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    wide: bool = False  # printed on a landscape page


@dataclass
class Chart:
    title: str
    rows: list[tuple[str, int]]


@dataclass
class Chapter:
    number: str
    title: str
    blocks: list = field(default_factory=list)


def _tanggal(iso: str) -> str:
    """``2026-01-01`` as the report writes it: ``1 Januari 2026``."""
    return tanggal(date.fromisoformat(iso))


def angka(value) -> str:
    """``20.000``; ``11,8``; ``—`` for nothing (Indonesian number style)."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


# Rows of Chapter IV table A: how the keberatan came in (``models.OBJECTION_CHANNELS``).
OBJECTION_CHANNEL_ROWS = {
    "web": "— diajukan melalui laman PPID",
    "desk": "— diajukan dengan datang langsung",
    "letter": "— diajukan melalui surat",
}


def _counts(rows: list[list]) -> list[list[str]]:
    return [[label, angka(value)] for _key, label, value in rows]


def _chart(title: str, rows: list[list], short: bool = False) -> Chart:
    return Chart(title, [((key if short else label)[:44], value) for key, label, value in rows])


def _narrative(texts: dict, key: str) -> str:
    return (texts.get(key) or "").strip() or EMPTY


UNIT_HEADER = [
    "PPID Pembantu / Unit",
    "Permohonan",
    "Dikabulkan seluruhnya",
    "Dikabulkan sebagian",
    "Ditolak",
    "Tidak dikuasai",
    "Belum didokumentasikan",
    "Ditarik pemohon",
    "Belum selesai",
    "Rata-rata hari kerja",
    "Terlambat",
    "Keberatan",
    "Biaya ditetapkan (Rp)",
    "Biaya diterima (Rp)",
]


def _unit_rows(units: list[dict]) -> list[list[str]]:
    keys = ("total", "granted", "partial", "rejected", "not_held", "not_documented", "withdrawn", "pending")
    return [
        [u["unit"], *(angka(u[k]) for k in keys), angka(u["days_avg"]), angka(u["late"]), angka(u["objections"])]
        + [angka(u["fee_charged"]), angka(u["fee_collected"])]
        for u in units
    ]


def summary_text(fig: dict) -> str:
    """Chapter II's opening paragraph, also the ringkasan published to the DIP."""
    req, obj = fig["requests"], fig["objections"]
    label = fig["period"]["label"]
    return (
        f"Selama {label} ({_tanggal(fig['start'])} s.d. {_tanggal(fig['end'])}) diterima "
        f"{angka(req['total'])} permohonan informasi publik. Sebanyak {angka(req['answered'])} permohonan "
        "telah diberi pemberitahuan tertulis: "
        f"{angka(req['granted'])} dikabulkan seluruhnya, {angka(req['partial'])} dikabulkan sebagian, "
        f"{angka(req['rejected'])} ditolak, {angka(req['not_held'])} informasinya tidak dikuasai dan "
        f"{angka(req['not_documented'])} belum didokumentasikan; {angka(req['withdrawn'])} permohonan ditarik "
        f"kembali oleh pemohon. Rata-rata waktu pemberitahuan tertulis {angka(req['days_avg'])} hari kerja. "
        f"Diajukan {angka(obj['total'])} keberatan dan {angka(obj['disputes'])} sengketa informasi. "
        f"Biaya layanan yang ditetapkan {rupiah(fig['fees']['charged'])} dan yang diterima "
        f"{rupiah(fig['fees']['collected'])}."
    )


def outline(fig: dict, texts: dict) -> list[Chapter]:
    """Every chapter of the report from its figures (``annual_stats.compute``)
    and its narrative (``report.narrative``)."""
    req, obj, fees = fig["requests"], fig["objections"], fig["fees"]
    decisions = [
        ["Dikabulkan seluruhnya", angka(req["granted"])],
        ["Dikabulkan sebagian", angka(req["partial"])],
        ["Ditolak (informasi dikecualikan)", angka(req["rejected"])],
        ["Informasi tidak dikuasai", angka(req["not_held"])],
        ["Informasi belum dikuasai/didokumentasikan", angka(req["not_documented"])],
        ["Ditarik kembali oleh pemohon", angka(req["withdrawn"])],
        ["Ditutup karena tidak lengkap (bukan penolakan)", angka(req["closed_incomplete"])],
        ["Belum selesai pada akhir periode", angka(req["pending"])],
        ["Jumlah", angka(req["total"])],
    ]
    timing = [
        ["Rata-rata waktu pemberitahuan tertulis (hari kerja)", angka(req["days_avg"])],
        ["Median (hari kerja)", angka(req["days_median"])],
        ["Paling lama (hari kerja)", angka(req["days_max"])],
        ["Dijawab dalam 10 hari kerja", angka(req["within_10"])],
        ["Dijawab dalam masa perpanjangan (11–17 hari kerja)", angka(req["within_17"])],
        ["Melewati batas waktu (termasuk yang belum dijawab)", angka(req["late"])],
        ["Permohonan yang diperpanjang", angka(req["extensions"])],
    ]
    summary = summary_text(fig)
    return [
        Chapter(
            "I",
            "Gambaran Umum Kebijakan Pelayanan Informasi Publik",
            [
                Text(_narrative(texts, "kebijakan")),
                Text(_narrative(texts, "sarana"), "A. Sarana dan prasarana pelayanan informasi publik"),
                Text(_narrative(texts, "sdm"), "B. Sumber daya manusia dan kualifikasinya"),
                Text(_narrative(texts, "anggaran"), "C. Anggaran pelayanan informasi dan realisasinya"),
            ],
        ),
        Chapter(
            "II",
            "Gambaran Umum Pelaksanaan Pelayanan Informasi Publik",
            [Text(summary), Text(_narrative(texts, "pelaksanaan"))],
        ),
        Chapter(
            "III",
            "Rincian Pelayanan Informasi Publik",
            [
                Table("A. Jumlah permohonan menurut saluran", ["Saluran", "Jumlah"], _counts(fig["by_channel"])),
                _chart("Permohonan menurut saluran", fig["by_channel"]),
                Table(
                    "B. Jumlah permohonan menurut jenis pemohon",
                    ["Jenis pemohon", "Jumlah"],
                    _counts(fig["by_applicant"]),
                ),
                Table(
                    "C. Kategori informasi yang diminta",
                    ["Kategori informasi", "Jumlah"],
                    _counts(fig["by_category"]),
                ),
                _chart("Kategori informasi yang diminta", fig["by_category"]),
                Table("D. Keputusan atas permohonan", ["Keputusan", "Jumlah"], decisions),
                _chart("Keputusan atas permohonan", fig["by_outcome"]),
                Table(
                    "E. Alasan penolakan (Pasal 17 UU 14/2008 dan undang-undang lain)",
                    ["Alasan", "Jumlah"],
                    _counts(fig["by_ground"]),
                ),
                Table("F. Waktu yang diperlukan untuk memenuhi permintaan", ["Uraian", "Nilai"], timing),
                Table(
                    "G. Biaya layanan informasi",
                    ["Uraian", "Jumlah"],
                    [
                        [
                            f"Biaya ditetapkan dalam {angka(fees['requests'])} pemberitahuan tertulis",
                            rupiah(fees["charged"]),
                        ],
                        [f"Biaya diterima ({angka(fees['payments'])} pembayaran)", rupiah(fees["collected"])],
                    ],
                ),
                Table("H. Rincian per PPID Pembantu", UNIT_HEADER, _unit_rows(fig["units"]), wide=True),
            ],
        ),
        Chapter(
            "IV",
            "Rincian Penyelesaian Sengketa Informasi Publik",
            [
                Table(
                    "A. Keberatan",
                    ["Uraian", "Jumlah"],
                    [
                        ["Keberatan yang diterima", angka(obj["total"])],
                        # figures built before the channel was stored lack it
                        *([OBJECTION_CHANNEL_ROWS[k], angka(n)] for k, _l, n in obj.get("by_channel", [])),
                        ["Diajukan melewati jangka waktu", angka(obj["late_filed"])],
                        ["Belum diberi tanggapan Atasan PPID", angka(obj["pending"])],
                    ],
                ),
                Table(
                    "B. Keberatan menurut alasan (Pasal 35 UU 14/2008)", ["Alasan", "Jumlah"], _counts(obj["by_ground"])
                ),
                _chart("Keberatan menurut alasan", obj["by_ground"], short=True),
                Table("C. Tanggapan Atasan PPID atas keberatan", ["Tanggapan", "Jumlah"], _counts(obj["by_outcome"])),
                Table(
                    "D. Sengketa informasi di Komisi Informasi dan pengadilan",
                    ["Tahap", "Jumlah"],
                    _counts(obj["disputes_by_stage"])
                    + [
                        ["Jumlah permohonan penyelesaian sengketa ke Komisi Informasi", angka(obj["disputes"])],
                        [
                            "Sudah diputus (putusan Komisi Informasi, di pengadilan atau selesai)",
                            angka(obj["disputes_decided"]),
                        ],
                        ["Jumlah yang berlanjut ke pengadilan", angka(obj["lawsuits"])],
                    ],
                ),
                Text(
                    _narrative(texts, "pelaksanaan_putusan"),
                    f"E. Pelaksanaan tanggapan atas keberatan ({angka(obj['granted'])} dikabulkan) "
                    "dan putusan sengketa",
                ),
            ],
        ),
        Chapter("V", "Kendala Eksternal dan Internal", [Text(_narrative(texts, "kendala"))]),
        Chapter("VI", "Rekomendasi dan Rencana Tindak Lanjut", [Text(_narrative(texts, "rekomendasi"))]),
    ]
