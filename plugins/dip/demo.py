"""A small demo DIP (idempotent: keyed by kode like the importer)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from cms.api import db, get_or_create_unit, naive_utc
from plugins.dip.models import DikEntry, DipDecree, DipEntry, DipLink

_ENTRIES = [
    (
        "DEMO-1",
        "berkala",
        "Profil Badan Publik",
        "Struktur organisasi Dinas Komunikasi dan Informatika",
        "Bagan struktur organisasi beserta tugas pokok dan fungsi.",
        "Dinas Komunikasi dan Informatika",
    ),
    (
        "DEMO-2",
        "berkala",
        "Laporan Keuangan",
        "Laporan Realisasi Anggaran semester I",
        "Ringkasan realisasi pendapatan dan belanja daerah.",
        "Badan Keuangan Daerah",
    ),
    (
        "DEMO-3",
        "setiap_saat",
        "Regulasi",
        "Peraturan Wali Kota tentang Standar Layanan Informasi Publik",
        "Naskah Perwal beserta lampiran maklumat pelayanan.",
        "Bagian Hukum",
    ),
    (
        "DEMO-4",
        "setiap_saat",
        "Laporan dan prosedur akses informasi",
        "Formulir permohonan informasi publik",
        "Formulir permohonan dan keberatan yang dapat diunduh.",
        # The PPID Utama's own OPD: a unit named "PPID Utama" would list it
        # as a PPID Pembantu of itself (struktur page, disposisi lists).
        "Dinas Komunikasi dan Informatika",
    ),
    (
        "DEMO-5",
        "serta_merta",
        "Informasi Darurat",
        "Peringatan dini banjir dan titik pengungsian",
        "Daftar titik pengungsian dan nomor darurat BPBD.",
        "Badan Penanggulangan Bencana Daerah",
    ),
]


def load() -> None:
    year = date.today().year
    existing = set(db.session.scalars(select(DipEntry.kode).where(DipEntry.year == year)))
    for kode, category, jenis, title, text, unit in _ENTRIES:
        if kode in existing:
            continue
        entry = DipEntry(
            year=year,
            kode=kode,
            category=category,
            jenis=jenis,
            title=title,
            description_html=f"<p>{text}</p>",
            description_text=text,
            unit_id=get_or_create_unit(unit).id,
            responsible="Kepala " + unit,
            made_on=date.today() - timedelta(days=30),
            made_place="Kantor Wali Kota",
            softcopy=True,
            retention="5 tahun",
            reviewed_on=date.today(),
            published_at=naive_utc() - timedelta(days=30),
            source="demo",
        )
        entry.links = [DipLink(url="https://jdih.example.go.id/dokumen", label="JDIH")]
        db.session.add(entry)
    if db.session.scalar(select(DipDecree).where(DipDecree.year == year)) is None:
        db.session.add(
            DipDecree(
                year=year,
                number=f"800/{year}/PPID",
                signed_on=date(year, 1, 15),
                place="Kota Contoh",
                official_name="Nama Pejabat PPID",
                official_title="PPID Utama",
                official_nip="197001011990031001",
            )
        )
    if db.session.scalar(select(DikEntry).where(DikEntry.information.startswith("[Demo]"))) is None:
        db.session.add(
            DikEntry(
                year=year,
                unit_id=get_or_create_unit("Dinas Kependudukan dan Pencatatan Sipil").id,
                information="[Demo] Data pribadi penduduk (NIK, nomor KK, alamat lengkap)",
                pasal17="h",
                other_law="Pasal 79 UU 24/2013 tentang Administrasi Kependudukan",
                consequence=(
                    "Membuka data dapat mengungkap rahasia pribadi dan membuka peluang penyalahgunaan identitas."
                ),
                public_interest="Kepentingan publik terpenuhi melalui data agregat yang tetap dibuka.",
                period_text="Selama yang bersangkutan hidup",
                klasifikasi_jenis="Rahasia pribadi",
                penetap_name="PPID Utama",
                penetap_unit="Dinas Komunikasi dan Informatika",
                alasan="Pasal 17 huruf h UU KIP",
                penetapan_place="Kota Contoh",
                penetapan_date=date(year, 1, 15),
                sk_number=f"800/{year}/DIK",
            )
        )
    db.session.commit()
