"""Writes relevance.json: each query with the items a reader expects.

    .venv/bin/python bench/search/build_relevance.py

The judgments are the patterns below, written by reading the titles: a DIP
entry is relevant when its title matches the query's pattern (the concept
behind the words, spelt out or abbreviated, any affix), a demo post when it
is named.  The patterns are applied once to the loaded data and the keys
(kode, slug) frozen into the JSON, so the set does not follow the code.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from relevance import load, make_app  # noqa: E402

# (kind, query, title pattern) over the Bekasi DIP titles
DIP = [
    ("abbreviation", "pbb", r"\bPBB\b|pajak bumi dan bangunan"),
    ("abbreviation", "pajak bumi dan bangunan", r"\bPBB\b|pajak bumi dan bangunan"),
    ("abbreviation", "rsud", r"\bRSUD\b|rumah sakit umum daerah"),
    ("abbreviation", "apbd", r"\bAPBD\b|anggaran pendapatan dan belanja daerah"),
    ("abbreviation", "anggaran pendapatan dan belanja daerah", r"\bAPBD\b|anggaran pendapatan dan belanja daerah"),
    ("abbreviation", "lakip", r"\bLAKIP\b|laporan akuntabilitas kinerja"),
    ("abbreviation", "laporan akuntabilitas kinerja", r"\bLAKIP\b|laporan akuntabilitas kinerja"),
    ("abbreviation", "dprd", r"\bDPRD\b|dewan perwakilan rakyat daerah"),
    ("abbreviation", "ktp elektronik", r"\bKTP|kartu tanda penduduk"),
    ("abbreviation", "disdukcapil", r"disdukcapil|dinas kependudukan dan pencatatan sipil"),
    ("affix", "perizinan", r"\bizin|perizinan|\bberizin"),
    ("affix", "izin", r"\bizin|perizinan|\bberizin"),
    ("affix", "kepegawaian", r"pegawai"),
    ("affix", "pegawai", r"pegawai"),
    ("affix", "penolakan", r"tolak"),
    ("affix", "ditolak", r"tolak"),
    ("affix", "perekaman ktp", r"rekam\w* KTP|KTP.*rekam"),
    ("affix", "rekam ktp", r"rekam\w* KTP|KTP.*rekam"),
    ("affix", "kependudukan", r"penduduk"),
    ("affix", "penduduk", r"penduduk"),
    ("affix", "penanaman modal", r"penanaman modal"),
    ("affix", "tanam modal", r"penanaman modal"),
    ("affix", "penelitian", r"peneliti|teliti"),
    ("affix", "berkunjung", r"kunjung"),
    ("affix", "penerbitan izin", r"penerbitan izin"),
    ("affix", "terbit izin", r"penerbitan izin"),
    ("affix", "pengaduan", r"aduan|mengadu"),
    ("affix", "pencatatan", r"catat"),
    ("affix", "keuangan", r"keuangan"),
    ("affix", "pelayanan kesehatan", r"pelayanan kesehatan|layanan kesehatan"),
    ("word order", "kelahiran akta", r"akta kelahiran"),
    ("word order", "keuangan laporan", r"laporan keuangan"),
    ("word order", "organisasi struktur rsud", r"struktur organisasi.*RSUD"),
    ("word order", "sekolah izin", r"izin.*sekolah"),
    ("word order", "rumah sakit izin", r"izin.*rumah sakit"),
    ("word order", "kerja kunjungan", r"kunjungan kerja"),
    ("reduplication", "anak-anak", r"\banak\b"),
    ("reduplication", "laporan-laporan kinerja", r"laporan kinerja"),
    ("reduplication", "peraturan-peraturan daerah", r"peraturan daerah"),
    ("reduplication", "data-data penduduk", r"data.*penduduk|penduduk.*data"),
]

# (kind, query, slugs of the demo posts a reader expects)
POSTS = [
    ("affix", "peresmian jembatan", ["pemkot-resmikan-jembatan-kali-malang-waktu-tempuh-warga-berkurang-20-menit"]),
    ("affix", "daftar beasiswa", ["pendaftaran-beasiswa-pelajar-berprestasi-dibuka-hingga-akhir-bulan"]),
    ("affix", "pelatihan pemasaran", ["seratus-umkm-ikuti-pelatihan-pemasaran-digital"]),
    ("affix", "latih umkm", ["seratus-umkm-ikuti-pelatihan-pemasaran-digital"]),
    ("affix", "menerima bantuan", ["wali-kota-ajak-warga-cek-data-penerima-bantuan-sosial"]),
    ("affix", "membersihkan saluran", ["pemkot-bersihkan-40-titik-saluran-jelang-musim-hujan"]),
    ("affix", "perpanjangan jam buka", ["perpustakaan-daerah-perpanjang-jam-buka-hingga-malam"]),
    ("word order", "keliling adminduk", ["layanan-adminduk-keliling-hadir-di-kelurahan-setiap-sabtu"]),
    ("word order", "murah pasar", ["pasar-murah-digelar-di-lima-kecamatan-harga-beras-lebih-rendah"]),
    ("word order", "malam layanan puskesmas", ["puskesmas-buka-layanan-malam-untuk-ibu-hamil-dan-balita"]),
    ("reduplication", "warga-warga", []),  # filled below: every post that names warga in its title
]


def main() -> None:
    from sqlalchemy import select

    from cms.extensions import db
    from cms.models.content import Post
    from plugins.dip.models import DipEntry

    with tempfile.TemporaryDirectory() as workdir:
        app = make_app(workdir)
        load(app)
        with app.app_context():
            entries = db.session.execute(select(DipEntry.kode, DipEntry.title)).all()
            posts = db.session.execute(select(Post.slug, Post.title)).all()
    queries = []
    for kind, q, pattern in DIP:
        found = re.compile(pattern, re.IGNORECASE)
        relevant = sorted({kode for kode, title in entries if kode and found.search(title)})
        if not relevant:
            print("no relevant item:", q)
            continue
        queries.append({"scope": "dip", "kind": kind, "q": q, "pattern": pattern, "relevant": relevant})
    for kind, q, slugs in POSTS:
        if not slugs:
            slugs = sorted(slug for slug, title in posts if re.search(r"\bwarga\b", title, re.IGNORECASE))
        known = {slug for slug, _ in posts}  # (the scheduled and embargoed demo items are not public)
        assert set(slugs) <= known, (q, set(slugs) - known)
        queries.append({"scope": "post", "kind": kind, "q": q, "relevant": slugs})
    (HERE / "relevance.json").write_text(
        json.dumps(
            {"about": __doc__.split("\n\n")[1].replace("\n", " "), "queries": queries}, indent=1, ensure_ascii=False
        )
        + "\n"
    )
    print(f"{len(queries)} queries written")


if __name__ == "__main__":
    main()
