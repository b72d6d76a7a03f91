"""Demo newsroom content for ``flask cms demo``: a city Humas's week.

Written for Warta (fictional people; institutions are generic city offices).
Idempotent: items are keyed by slug, categories by slug.  One release is under
embargo and one is scheduled, both relative to now, so the worker has work.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TypedDict

from slugify import slugify
from sqlalchemy import select

from cms import identity
from cms.accounts import get_or_create_unit
from cms.extensions import db
from cms.models.content import Category, Post, PostRevision
from cms.newsroom.media import save_image_bytes
from cms.newsroom.posts import PostData, apply_data, snapshot
from cms.newsroom.publishing import ensure_preview_token
from cms.timeutil import naive_utc

CATEGORIES = {
    "Infrastruktur": "Jalan, jembatan, drainase dan fasilitas umum.",
    "Kesehatan": "Layanan kesehatan, puskesmas dan program imunisasi.",
    "Pendidikan": "Sekolah, beasiswa dan literasi.",
    "Layanan Publik": "Perizinan, kependudukan dan pengaduan warga.",
    "Lingkungan": "Kebersihan, sampah, ruang terbuka hijau dan banjir.",
    "Ekonomi": "UMKM, pasar, investasi dan ketenagakerjaan.",
}


class _Contact(TypedDict):
    contact_name: str
    contact_role: str
    contact_phone: str
    contact_email: str


CONTACT = _Contact(
    contact_name="Rahmawati Putri",
    contact_role="Kepala Subbagian Publikasi, Bagian Humas",
    contact_phone="021 8894 0101",
    contact_email="humas@warta.local",
)

# (kind, title, unit, categories, hours ago (negative: future), dateline, summary, paragraphs, picture)
# Pictures: illustrations drawn for the demo (scripts/make_demo_images.py) in demo_assets/.
ITEMS: list[tuple[str, str, str, list[str], int | str, str, str, list[str], str]] = [
    (
        "siaran-pers",
        "Pemkot Resmikan Jembatan Kali Malang, Waktu Tempuh Warga Berkurang 20 Menit",
        "Dinas Bina Marga dan Sumber Daya Air",
        ["Infrastruktur"],
        2,
        "BEKASI —",
        "Jembatan penghubung sepanjang 120 meter di atas Kali Malang resmi dibuka untuk kendaraan roda dua "
        "dan roda empat mulai Senin pagi.",
        [
            "Pemerintah Kota meresmikan Jembatan Kali Malang yang menghubungkan Kecamatan Bekasi Timur dan "
            "Bekasi Selatan. Jembatan selebar 12 meter ini dibangun selama sepuluh bulan dengan anggaran daerah.",
            "“Warga yang biasanya memutar lewat jalan arteri kini bisa memangkas waktu tempuh hingga 20 menit "
            "pada jam sibuk,” kata Kepala Dinas Bina Marga dan Sumber Daya Air, Ir. Hendra Wijaya.",
            "Jembatan dilengkapi trotoar selebar dua meter, lampu penerangan tenaga surya dan jalur khusus "
            "sepeda. Pemkot meminta pengendara mematuhi batas kecepatan 30 km/jam di sekitar jembatan.",
        ],
        "jembatan",
    ),
    (
        "berita",
        "Puskesmas Buka Layanan Malam untuk Ibu Hamil dan Balita",
        "Dinas Kesehatan",
        ["Kesehatan"],
        20,
        "BEKASI —",
        "Sebanyak delapan puskesmas kini melayani pemeriksaan ibu hamil dan balita hingga pukul 21.00 WIB.",
        [
            "Layanan malam dibuka untuk warga yang bekerja pada siang hari. Pemeriksaan kehamilan, imunisasi dan "
            "penimbangan balita tersedia tanpa biaya bagi pemegang kartu JKN.",
            "Dinas Kesehatan mencatat kunjungan ibu hamil naik 18 persen dalam dua pekan pertama uji coba.",
            "Daftar puskesmas dan jadwalnya dapat dilihat di laman Dinas Kesehatan atau ditanyakan melalui "
            "layanan pengaduan 112.",
        ],
        "puskesmas",
    ),
    (
        "siaran-pers",
        "Pendaftaran Beasiswa Pelajar Berprestasi Dibuka hingga Akhir Bulan",
        "Dinas Pendidikan",
        ["Pendidikan"],
        30,
        "BEKASI —",
        "Pemkot menyediakan 1.500 kuota beasiswa bagi pelajar SD, SMP dan mahasiswa ber-KTP kota.",
        [
            "Pendaftaran dilakukan secara daring dan gratis. Pelamar melampirkan rapor atau transkrip, kartu "
            "keluarga dan surat keterangan tidak mampu bagi jalur afirmasi.",
            "Dinas Pendidikan mengingatkan bahwa pendaftaran tidak dipungut biaya apa pun. Warga diminta "
            "melaporkan pihak yang meminta imbalan melalui kanal pengaduan resmi.",
        ],
        "beasiswa",
    ),
    (
        "berita",
        "Warga Antusias Ikuti Car Free Day Perdana di Jalan Ahmad Yani",
        "Dinas Perhubungan",
        ["Layanan Publik", "Lingkungan"],
        50,
        "BEKASI —",
        "Ribuan warga berolahraga, bersepeda dan berbelanja produk UMKM pada Car Free Day perdana.",
        [
            "Ruas Jalan Ahmad Yani ditutup untuk kendaraan bermotor pukul 06.00–09.00 WIB. Dinas Perhubungan "
            "menyiapkan jalur pengalihan dan petugas di setiap simpang.",
            "Kegiatan akan digelar setiap Minggu. Pedagang UMKM yang ingin berjualan dapat mendaftar ke "
            "kelurahan setempat.",
        ],
        "car-free-day",
    ),
    (
        "siaran-pers",
        "Pemkot Bersihkan 40 Titik Saluran Jelang Musim Hujan",
        "Dinas Lingkungan Hidup",
        ["Lingkungan", "Infrastruktur"],
        75,
        "BEKASI —",
        "Pengerukan sedimen dan sampah dilakukan serentak di 12 kecamatan untuk mengurangi genangan.",
        [
            "Sebanyak 600 petugas dan 15 alat berat dikerahkan selama dua pekan. Prioritas diberikan pada "
            "kawasan yang tergenang lebih dari enam jam pada musim hujan lalu.",
            "Warga diimbau tidak membuang sampah ke saluran dan melaporkan sumbatan melalui aplikasi pengaduan.",
        ],
        "saluran",
    ),
    (
        "berita",
        "Pasar Murah Digelar di Lima Kecamatan, Harga Beras Lebih Rendah",
        "Dinas Perdagangan dan Perindustrian",
        ["Ekonomi"],
        100,
        "BEKASI —",
        "Beras, minyak goreng dan gula dijual di bawah harga pasar untuk menjaga daya beli warga.",
        [
            "Setiap warga dapat membeli paling banyak lima kilogram beras dengan menunjukkan KTP. Stok disiapkan "
            "bekerja sama dengan Bulog dan distributor lokal.",
            "Pasar murah berlangsung hingga Jumat di kantor kecamatan, mulai pukul 08.00 WIB.",
        ],
        "pasar-murah",
    ),
    (
        "siaran-pers",
        "Layanan Adminduk Keliling Hadir di Kelurahan Setiap Sabtu",
        "Dinas Kependudukan dan Pencatatan Sipil",
        ["Layanan Publik"],
        130,
        "BEKASI —",
        "Perekaman KTP-el, pencetakan kartu keluarga dan akta kelahiran kini bisa dilayani di kelurahan.",
        [
            "Mobil layanan keliling menyambangi dua kelurahan setiap Sabtu. Jadwal diumumkan sepekan sebelumnya "
            "melalui media sosial resmi dan papan pengumuman kelurahan.",
            "Semua layanan kependudukan tidak dipungut biaya. Warga cukup membawa dokumen asli dan fotokopi.",
        ],
        "adminduk",
    ),
    (
        "berita",
        "Seratus UMKM Ikuti Pelatihan Pemasaran Digital",
        "Dinas Koperasi dan UMKM",
        ["Ekonomi"],
        160,
        "BEKASI —",
        "Pelaku usaha belajar foto produk, katalog daring dan pencatatan keuangan sederhana.",
        [
            "Pelatihan tiga hari ini menghadirkan praktisi toko daring dan pendamping dari perbankan. Peserta "
            "mendapat pendampingan lanjutan selama tiga bulan.",
            "Dinas Koperasi dan UMKM menargetkan 1.000 pelaku usaha terlatih hingga akhir tahun.",
        ],
        "umkm",
    ),
    (
        "siaran-pers",
        "Wali Kota Ajak Warga Cek Data Penerima Bantuan Sosial",
        "Dinas Sosial",
        ["Layanan Publik"],
        200,
        "BEKASI —",
        "Warga dapat memeriksa status penerima bantuan melalui kelurahan atau laman resmi Dinas Sosial.",
        [
            "Pemutakhiran data dilakukan agar bantuan tepat sasaran. Warga yang merasa layak namun belum terdata "
            "dapat mengajukan usulan melalui musyawarah kelurahan.",
            "Pemkot menegaskan tidak ada pungutan dalam proses pendataan maupun penyaluran bantuan.",
        ],
        "bansos",
    ),
    (
        "berita",
        "Perpustakaan Daerah Perpanjang Jam Buka hingga Malam",
        "Dinas Perpustakaan dan Kearsipan",
        ["Pendidikan"],
        240,
        "BEKASI —",
        "Perpustakaan daerah kini buka sampai pukul 20.00 WIB pada hari kerja.",
        [
            "Perpanjangan jam buka menjawab permintaan pelajar dan pekerja. Ruang baca anak dan pojok digital "
            "juga dibuka pada Sabtu.",
            "Keanggotaan gratis dengan menunjukkan KTP atau kartu pelajar.",
        ],
        "perpustakaan",
    ),
    # Scheduled: goes out tomorrow, 10.00 WIB.
    (
        "siaran-pers",
        "Pemkot Luncurkan Aplikasi Pengaduan Warga Terpadu",
        "Dinas Komunikasi dan Informatika",
        ["Layanan Publik"],
        "scheduled",
        "BEKASI —",
        "Satu aplikasi untuk pengaduan jalan rusak, sampah, penerangan jalan dan layanan administrasi.",
        [
            "Aplikasi dapat diunduh gratis dan juga tersedia dalam versi web. Setiap pengaduan mendapat nomor "
            "pelacakan dan batas waktu tanggapan.",
            "Peluncuran dilakukan bersamaan dengan pelatihan petugas penghubung di setiap perangkat daerah.",
        ],
        "aplikasi",
    ),
    # Embargoed: journalists get the preview link; public the day after tomorrow, 10.00 WIB.
    (
        "siaran-pers",
        "Kota Raih Penghargaan Badan Publik Informatif",
        "Dinas Komunikasi dan Informatika",
        ["Layanan Publik"],
        "embargo",
        "BEKASI —",
        "Pemerintah Kota meraih predikat Informatif dalam Monitoring dan Evaluasi Keterbukaan Informasi Publik.",
        [
            "Penghargaan diserahkan Komisi Informasi kepada badan publik yang meraih nilai 90 ke atas. "
            "Penilaian mencakup pengumuman informasi berkala, layanan permohonan dan pengelolaan keberatan.",
            "“Keterbukaan informasi adalah hak warga, bukan kebaikan hati pemerintah,” ujar Kepala Bagian Humas, "
            "Dewi Lestari.",
        ],
        "penghargaan",
    ),
]


ASSETS = Path(__file__).with_name("demo_assets")
DEMO_CREDIT = "Ilustrasi: Bagian Humas"
IDENTITY = {
    "name": "Pemerintah Kota Bekasi",
    "tagline": "Bagian Hubungan Masyarakat, Sekretariat Daerah",
    "address": "Jl. Jenderal Ahmad Yani No. 1, Marga Jaya, Bekasi Selatan, Kota Bekasi 17141",
    "phone": "(021) 8894 0101",
    "email": "humas@warta.local",
    "social_instagram": "https://www.instagram.com/humas.kota",
    "social_youtube": "https://www.youtube.com/@humaskota",
    "social_x": "https://x.com/humaskota",
    "accent": "#1d4f91",
}


def load_identity() -> None:
    """The demo city's identity and its lambang (drawn for the demo, not an
    official emblem), unless an admin has already set one."""
    if identity.row() is not None:
        return
    identity.save(IDENTITY, logo=((ASSETS / "lambang.svg").read_bytes(), "image/svg+xml"))


def _category(name: str) -> Category:
    slug = slugify(name)
    cat = db.session.scalar(select(Category).where(Category.slug == slug))
    if cat is None:
        cat = Category(name=name, slug=slug, description=CATEGORIES.get(name, ""))
        db.session.add(cat)
        db.session.flush()
    return cat


def _wib_10(days_ahead: int):
    """10.00 WIB (03.00 UTC) ``days_ahead`` days from today."""
    return (naive_utc() + timedelta(days=days_ahead)).replace(hour=3, minute=0, second=0, microsecond=0)


def load_demo() -> int:
    """Create the demo items that are missing; returns how many were added."""
    added = 0
    load_identity()
    for kind, title, unit_name, cats, when, dateline, summary, paragraphs, picture in ITEMS:
        slug = slugify(title, max_length=120, word_boundary=True)
        if db.session.scalar(select(Post.id).where(Post.slug == slug)) is not None:
            continue
        unit = get_or_create_unit(unit_name)
        picture_bytes = (ASSETS / f"{picture}.jpg").read_bytes()
        image = save_image_bytes(picture_bytes, f"{picture}.jpg", alt=f"Ilustrasi: {title}")
        image.credit = DEMO_CREDIT  # a release shows who made its picture
        data = PostData(
            title=title,
            kind=kind,
            slug=slug,
            summary=summary,
            dateline=dateline,
            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
            unit_id=unit.id,
            category_ids=[_category(c).id for c in cats],
            tags=", ".join(c.lower() for c in cats),
            featured_image_id=image.id,
            **CONTACT,
        )
        post = Post(status="draft")
        apply_data(post, data, is_new=True)
        if when == "scheduled":
            post.status, post.publish_at = "scheduled", _wib_10(1)
        elif when == "embargo":
            post.status, post.publish_at = "scheduled", _wib_10(2)
            post.embargo_until = post.publish_at
        else:
            post.status = "published"
            post.published_at = post.updated_at = naive_utc() - timedelta(hours=int(when))
        if post.status == "scheduled":
            ensure_preview_token(post)
        db.session.add(post)
        db.session.flush()
        db.session.add(PostRevision(post_id=post.id, version=post.version, action="demo", data=snapshot(post)))
        added += 1
    db.session.commit()
    return added
