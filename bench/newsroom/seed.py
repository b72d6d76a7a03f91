"""Seed N published posts of realistic length into a SQLite file (Zipf words)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import insert

WORDS = """pemerintah kota warga layanan publik dinas wali kecamatan kelurahan program jalan jembatan banjir
saluran sampah kesehatan puskesmas sekolah pendidikan beasiswa pasar harga beras umkm pelatihan digital
aplikasi pengaduan informasi keterbukaan anggaran pembangunan infrastruktur lingkungan taman hijau air
bersih listrik penerangan transportasi angkutan terminal parkir pajak retribusi perizinan investasi
kerja tenaga lowongan bantuan sosial data penerima kartu keluarga penduduk akta kelahiran kematian
perpustakaan budaya festival olahraga pemuda perempuan anak lansia disabilitas vaksinasi imunisasi gizi
posyandu rumah sakit ambulans darurat kebakaran bencana evakuasi relawan polisi keamanan ketertiban
rapat koordinasi kunjungan kerja peresmian peluncuran penghargaan prestasi inovasi teknologi internet
wilayah utara selatan timur barat pusat tengah minggu senin selasa rabu kamis jumat sabtu pagi siang
sore malam tahun bulan hari persen ribu juta miliar rupiah meter kilometer hektare unit orang keluarga
mengatakan menjelaskan menambahkan meminta mengimbau menegaskan menyampaikan mengajak menargetkan
meresmikan membuka menutup membangun memperbaiki membersihkan meningkatkan mengurangi memastikan
baru lama besar kecil tinggi rendah cepat lambat mudah gratis resmi terpadu serentak berkelanjutan
dan yang di ke dari untuk dengan pada dalam oleh akan telah sudah belum tidak juga serta atau karena
agar sehingga bahwa ini itu tersebut para setiap seluruh beberapa sejumlah hingga sejak selama""".split()


def _pseudo_words(n: int) -> list[str]:
    """Place and person-like names: the long tail real news has."""
    syllables = (
        "ba be bi bo bu ka ke ki ko ku ma me mi mo mu na ni no nu ra ri ro ru sa si so su ta ti to tu ja ji wa"
    ).split()
    rng = random.Random(7)
    return sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(n * 2)})[:n]


VOCAB = WORDS + _pseudo_words(4000)
_WEIGHTS = [1 / (i + 1) for i in range(len(VOCAB))]


def zipf_words(rng: random.Random, n: int) -> list[str]:
    return rng.choices(VOCAB, weights=_WEIGHTS, k=n)


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(zipf_words(rng, words))
    return text[0].upper() + text[1:] + "."


def seed(app, n: int = 50_000, batch: int = 2_000) -> None:
    from cms.extensions import db
    from cms.models import Category, Post, Unit
    from cms.models.content import post_category

    rng = random.Random(42)
    with app.app_context():
        db.create_all()
        units = [Unit(name=f"Dinas {w.title()}", slug=f"dinas-{w}") for w in WORDS[:20]]
        cats = [Category(name=w.title(), slug=w, description="") for w in WORDS[20:32]]
        db.session.add_all(units + cats)
        db.session.commit()
        unit_ids, cat_ids = [u.id for u in units], [c.id for c in cats]
        start = datetime(2020, 1, 1)
        for offset in range(0, n, batch):
            rows, links = [], []
            for i in range(offset, min(offset + batch, n)):
                title = paragraph(rng, rng.randint(6, 12)).rstrip(".").title()
                paras = [paragraph(rng, rng.randint(60, 110)) for _ in range(rng.randint(4, 6))]
                body_text = "\n".join(paras)
                when = start + timedelta(minutes=50 * i)
                rows.append(
                    dict(
                        id=i + 1,
                        kind="siaran-pers" if i % 3 else "berita",
                        title=title,
                        slug=f"{'-'.join(title.lower().split()[:8])}-{i + 1}",
                        summary=paras[0][:280],
                        body_html="".join(f"<p>{p}</p>" for p in paras),
                        body_text=body_text,
                        dateline="BEKASI —",
                        language="id",
                        status="published",
                        published_at=when,
                        updated_at=when,
                        created_at=when,
                        unit_id=rng.choice(unit_ids),
                        version=1,
                        contact_name="Humas",
                        contact_role="",
                        contact_phone="",
                        contact_email="",
                    )
                )
                links.append({"post_id": i + 1, "category_id": rng.choice(cat_ids)})
            db.session.execute(insert(Post), rows)
            db.session.execute(insert(post_category), links)
            db.session.commit()
