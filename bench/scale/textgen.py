"""Indonesian-looking text with realistic word frequencies (Zipf), seeded so
every run builds the same data.  Search terms then hit few or many items the
way real ones do.
"""

from __future__ import annotations

import itertools
import random

# Common words of government press releases, most frequent first.
COMMON = (
    "yang dan di dalam untuk dengan pada ini dari kota pemerintah kegiatan masyarakat program "
    "daerah tahun akan tersebut dinas wali kepala pelayanan warga pembangunan bagi juga sebagai "
    "telah oleh informasi publik kecamatan kelurahan bantuan anggaran sekolah kesehatan jalan "
    "banjir pasar transportasi lingkungan sampah air bersih puskesmas rumah sakit pendidikan "
    "guru siswa pegawai aparatur sipil negara digital layanan aplikasi inovasi penghargaan "
    "festival budaya pariwisata ekonomi usaha mikro kecil menengah koperasi pangan harga beras "
    "stunting vaksinasi imunisasi posyandu keluarga perempuan anak disabilitas sosial bencana "
    "kebakaran keamanan ketertiban lalu lintas parkir perizinan investasi pajak retribusi "
    "rapat koordinasi peresmian kunjungan kerja sosialisasi pelatihan penyerahan pengumuman"
).split()
PLACES = (
    "Bekasi",
    "Bandung",
    "Semarang",
    "Surabaya",
    "Makassar",
    "Medan",
    "Padang",
    "Pontianak",
    "Denpasar",
    "Kupang",
    "Ambon",
    "Jayapura",
    "Mataram",
    "Palu",
    "Manado",
)
FIRST = (
    "Siti",
    "Budi",
    "Rina",
    "Agus",
    "Dewi",
    "Andi",
    "Putri",
    "Joko",
    "Nur",
    "Wayan",
    "Made",
    "Yusuf",
    "Fitri",
    "Hendra",
    "Ratna",
    "Bambang",
    "Sri",
    "Teguh",
    "Lestari",
    "Rudi",
)
LAST = (
    "Aminah",
    "Santoso",
    "Wati",
    "Saputra",
    "Lestari",
    "Pratama",
    "Hidayat",
    "Nasution",
    "Siregar",
    "Kusuma",
    "Wibowo",
    "Rahmawati",
    "Gunawan",
    "Setiawan",
    "Hutapea",
    "Tanjung",
)
SYLLABLES = (
    "ba ka ta ma na ra sa la pa da ga ja wa ya ha be ke te me ne re se le pe de ge je "
    "bi ki ti mi ni ri si li pi di gi bu ku tu mu nu ru su lu pu du gu ju ng an in un"
).split()


class Text:
    """A seeded generator; ``vocabulary`` words follow a Zipf law (s ≈ 1.1)."""

    def __init__(self, seed: int = 8, vocabulary: int = 20_000):
        self.rng = random.Random(seed)
        rare = {self._word() for _ in range(vocabulary * 2)} - set(COMMON)
        self.words = list(COMMON) + sorted(rare)[: vocabulary - len(COMMON)]
        weights = [1 / (rank**1.1) for rank in range(1, len(self.words) + 1)]
        self.cumulative = list(itertools.accumulate(weights))
        self._pool: list[str] = []

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4)))

    def sample(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, low: int = 8, high: int = 22) -> str:
        words = self.sample(self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def paragraph(self, sentences: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self) -> str:
        words = self.sample(self.rng.randint(6, 11))
        return " ".join(w.capitalize() for w in words)

    def body(self, target_chars: int = 3000) -> tuple[str, str]:
        """``(html, plain)`` of about ``target_chars`` characters of prose.

        Paragraphs come from a pool (fresh ones now and then), so 50,000
        bodies cost seconds, not minutes, and are still all different.
        """
        if not self._pool:
            self._pool = [self.paragraph(self.rng.randint(3, 6)) for _ in range(4000)]
        paragraphs: list[str] = [self.paragraph(3)]
        while sum(len(p) for p in paragraphs) < target_chars:
            paragraphs.append(self.rng.choice(self._pool))
        html = "".join(f"<p>{p}</p>" for p in paragraphs)
        return html, "\n\n".join(paragraphs)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def place(self) -> str:
        return self.rng.choice(PLACES)

    def digits(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789") for _ in range(n))
