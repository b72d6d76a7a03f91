"""The letters a PPID issues, with the title each carries (always Indonesian)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str  # the letter's default {kode} in the nomor surat (a setting per unit)
    title: str  # printed as the heading and the perihal
    short: str  # a few letters for the counter key


KINDS: dict[str, Kind] = {
    "tanda_terima": Kind("TT", "Tanda Bukti Penerimaan Permohonan Informasi Publik", "tt"),
    "pemberitahuan": Kind("PT", "Pemberitahuan Tertulis", "pt"),
    "perpanjangan": Kind("PW", "Pemberitahuan Perpanjangan Jangka Waktu", "pw"),
    "kelengkapan": Kind("PK", "Permintaan Kelengkapan Permohonan Informasi Publik", "pk"),
    "tanda_terima_keberatan": Kind("TK", "Tanda Bukti Penerimaan Keberatan", "tk"),
    "tanggapan_keberatan": Kind("TA", "Tanggapan Atasan PPID atas Keberatan", "ta"),
    "pemberitahuan_keberatan": Kind("PP", "Pemberitahuan Tertulis Pelaksanaan Tanggapan atas Keberatan", "pp"),
}
OBJECTION_KINDS = ("tanda_terima_keberatan", "tanggapan_keberatan", "pemberitahuan_keberatan")


def title(kind: str) -> str:
    return KINDS[kind].title
