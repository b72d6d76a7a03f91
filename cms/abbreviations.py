"""Abbreviations of Indonesian government writing and what they stand for.

A reader types "PBB" where the register says "Pajak Bumi dan Bangunan", or
the reverse; search (``cms.fulltext``) matches either form.  The list holds
the abbreviations of public offices, budgets, permits and civil records that
Indonesian public information uses most, including those the Kota Bekasi
register spells out ("Laporan Kinerja Instansi Pemerintah (LKIP)").
"""

from __future__ import annotations

from functools import cache

from cms.stemming import stem_text

ABBREVIATIONS = {
    "adminduk": "administrasi kependudukan",
    "apbd": "anggaran pendapatan dan belanja daerah",
    "apbn": "anggaran pendapatan dan belanja negara",
    "asn": "aparatur sipil negara",
    "bansos": "bantuan sosial",
    "bappeda": "badan perencanaan pembangunan daerah",
    "bphtb": "bea perolehan hak atas tanah dan bangunan",
    "bpjs": "badan penyelenggara jaminan sosial",
    "bpkd": "badan pengelola keuangan daerah",
    "bpnt": "bantuan pangan non tunai",
    "cfd": "car free day",
    "disdukcapil": "dinas kependudukan dan pencatatan sipil",
    "dpmptsp": "dinas penanaman modal dan pelayanan terpadu satu pintu",
    "dprd": "dewan perwakilan rakyat daerah",
    "dtks": "data terpadu kesejahteraan sosial",
    "imb": "izin mendirikan bangunan",
    "iku": "indikator kinerja utama",
    "iui": "izin usaha industri",
    "kia": "kartu identitas anak",
    "kk": "kartu keluarga",
    "ktp": "kartu tanda penduduk",
    "lakip": "laporan akuntabilitas kinerja instansi pemerintah",
    "lkip": "laporan kinerja instansi pemerintah",
    "lkpj": "laporan keterangan pertanggungjawaban",
    "lppd": "laporan penyelenggaraan pemerintahan daerah",
    "nik": "nomor induk kependudukan",
    "opd": "organisasi perangkat daerah",
    "pad": "pendapatan asli daerah",
    "pbb": "pajak bumi dan bangunan",
    "pkl": "pedagang kaki lima",
    "pns": "pegawai negeri sipil",
    "ppid": "pejabat pengelola informasi dan dokumentasi",
    "psbb": "pembatasan sosial berskala besar",
    "ptsp": "pelayanan terpadu satu pintu",
    "puskesmas": "pusat kesehatan masyarakat",
    "rkpd": "rencana kerja pemerintah daerah",
    "rpjmd": "rencana pembangunan jangka menengah daerah",
    "rpjpd": "rencana pembangunan jangka panjang daerah",
    "rsud": "rumah sakit umum daerah",
    "rtrw": "rencana tata ruang wilayah",
    "skpd": "satuan kerja perangkat daerah",
    "sop": "standar operasional prosedur",
    "spm": "standar pelayanan minimal",
    "umkm": "usaha mikro kecil dan menengah",
}


@cache
def _by_stems() -> dict[tuple[str, ...], str]:
    """The stems of each spelt-out form → its abbreviation."""
    return {tuple(stem_text(long).split()): short for short, long in ABBREVIATIONS.items()}


def expansion(word: str) -> tuple[str, ...] | None:
    """The stems of what ``word`` abbreviates ("pbb" → pajak bumi dan bangun)."""
    long = ABBREVIATIONS.get(word.lower())
    return tuple(stem_text(long).split()) if long else None


def abbreviated(roots: list[str]) -> list[tuple[int, int, str]]:
    """Runs of ``roots`` that spell out an abbreviation: (start, end, abbreviation),
    longest first, not overlapping."""
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for phrase, short in sorted(_by_stems().items(), key=lambda item: -len(item[0])):
        n = len(phrase)
        for start in range(len(roots) - n + 1):
            if tuple(roots[start : start + n]) == phrase and not taken & set(range(start, start + n)):
                found.append((start, start + n, short))
                taken |= set(range(start, start + n))
    return sorted(found)
