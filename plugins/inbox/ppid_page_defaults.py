"""Default texts of the public PPID pages, shown until the PPID Utama edits them.

These are published content in Indonesian (like official documents), not
interface strings, so they are not in the translation catalogue.  They
follow UU 14/2008 and Perki 1/2021 so that a fresh install already answers
what the Komisi Informasi's e-Monev asks under "sarana dan prasarana".
"""

from __future__ import annotations

PAGES: dict[str, str] = {
    "maklumat": """
<p><strong>Maklumat Pelayanan Informasi Publik</strong></p>
<p>Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan informasi publik sesuai dengan standar
layanan yang telah ditetapkan, dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai
dengan ketentuan peraturan perundang-undangan yang berlaku.</p>
<p>Kami berjanji:</p>
<ol>
<li>memberikan informasi publik secara cepat, tepat waktu, dengan biaya ringan dan cara sederhana;</li>
<li>memberikan pemberitahuan tertulis paling lambat 10 hari kerja sejak permohonan diterima;</li>
<li>melayani setiap pemohon secara adil, ramah dan tanpa membeda-bedakan, termasuk penyandang disabilitas;</li>
<li>menjaga kerahasiaan data pribadi pemohon.</li>
</ol>
<p>Dasar hukum: Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik dan Peraturan
Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik.</p>
""",
    "jam-layanan": """
<h2>Jam layanan</h2>
<ul>
<li>Senin–Kamis: pukul 08.00–15.00 WIB (istirahat 12.00–13.00 WIB)</li>
<li>Jumat: pukul 08.00–15.30 WIB (istirahat 11.30–13.00 WIB)</li>
<li>Sabtu, Minggu dan hari libur nasional: tutup</li>
</ul>
<p>Permohonan dan keberatan secara daring dapat dikirim kapan saja melalui laman ini. Batas waktu
layanan dihitung dalam hari kerja.</p>
<h2>Tempat layanan</h2>
<p>Meja Layanan Informasi PPID di kantor badan publik. Permohonan juga dapat disampaikan melalui surat,
e-mail atau telepon kepada PPID Utama atau PPID Pembantu di perangkat daerah yang menguasai informasi.</p>
""",
    "alur-layanan": """
<h2>Permohonan informasi</h2>
<ol>
<li>Pemohon mengisi formulir permohonan secara daring atau datang ke meja layanan, dengan menyebutkan
rincian informasi yang dibutuhkan dan tujuan penggunaannya.</li>
<li>Petugas mencatat permohonan dan memberikan nomor pendaftaran serta kode pelacakan.</li>
<li>PPID memeriksa apakah informasi tersebut dikuasai dan apakah termasuk informasi yang dikecualikan.</li>
<li>PPID memberikan pemberitahuan tertulis paling lambat 10 hari kerja sejak permohonan diterima; jangka
waktu ini dapat diperpanjang satu kali paling lama 7 hari kerja dengan alasan tertulis.</li>
<li>Informasi diberikan dalam bentuk salinan elektronik atau cetak. Salinan elektronik tidak dipungut
biaya; salinan cetak mengikuti standar biaya.</li>
</ol>
<h2>Keberatan</h2>
<ol>
<li>Bila permohonan ditolak, tidak ditanggapi, atau dijawab tidak sesuai, pemohon dapat mengajukan
keberatan kepada Atasan PPID paling lambat 30 hari kerja.</li>
<li>Atasan PPID memberikan tanggapan tertulis paling lambat 30 hari kerja sejak keberatan dicatat.</li>
</ol>
<h2>Sengketa informasi</h2>
<p>Bila tidak puas atas tanggapan Atasan PPID, pemohon dapat mengajukan permohonan penyelesaian sengketa
informasi kepada Komisi Informasi paling lambat 14 hari kerja sejak tanggapan diterima.</p>
""",
    "prosedur": """
<ol>
<li>Isi formulir permohonan secara daring, atau datang langsung, kirim surat, e-mail atau telepon ke meja
layanan PPID.</li>
<li>Anda menerima nomor pendaftaran dan kode pelacakan.</li>
<li>PPID memberikan pemberitahuan tertulis paling lambat 10 hari kerja sejak permohonan diterima, dan dapat
diperpanjang satu kali paling lama 7 hari kerja dengan alasan tertulis.</li>
<li>Bila tidak puas, Anda dapat mengajukan keberatan kepada Atasan PPID paling lambat 30 hari kerja; Atasan
PPID menanggapi dalam 30 hari kerja. Setelah itu sengketa dapat diajukan ke Komisi Informasi dalam 14 hari
kerja.</li>
</ol>
<p>Cara menghitung: hari permohonan diterima (tanggal WIB) adalah hari ke-0; yang dihitung hanya hari kerja
Senin–Jumat di luar libur nasional dan cuti bersama.</p>
""",
    "sop": """
<p>Standar operasional prosedur (SOP) layanan informasi publik ditetapkan oleh PPID Utama dan berlaku bagi
PPID Utama maupun seluruh PPID Pembantu. Dokumen SOP dapat diunduh di bawah ini.</p>
""",
    "struktur": """
<p>PPID terdiri atas Atasan PPID, PPID Utama dan PPID Pembantu. Atasan PPID memutus keberatan. PPID Utama
mengoordinasikan layanan informasi, menyusun Daftar Informasi Publik dan menetapkan informasi yang
dikecualikan melalui uji konsekuensi. PPID Pembantu di setiap perangkat daerah membantu PPID Utama
melayani permohonan atas informasi yang dikuasai perangkat daerahnya.</p>
""",
}

UTAMA_ABOUT = """
<p>PPID Utama mengoordinasikan seluruh layanan informasi publik, menerima dan meneruskan permohonan kepada
PPID Pembantu yang menguasai informasi, serta mengelola Daftar Informasi Publik.</p>
"""

PEMBANTU_ABOUT = """
<p>PPID Pembantu {unit} membantu PPID Utama melayani permohonan atas informasi publik yang dikuasai
{unit}, serta memutakhirkan Daftar Informasi Publik perangkat daerah tersebut.</p>
"""
