"""An in-process app with a kop, signers and requests, for the letter
benchmark and the sample images of docs/inbox.md."""

from __future__ import annotations

import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

APPLICANT = {
    "applicant_type": "perseorangan",
    "name": "Budi Santoso",
    "nik": "3275014101900001",
    "address": "Jl. Melati No. 5, RT 03/RW 07, Margahayu, Bekasi Timur 17113",
    "phone": "081234567890",
    "email": "",
    "occupation": "Wartawan",
    "details": "Daftar penerima hibah dan bantuan sosial Kota Bekasi tahun anggaran 2025",
    "purpose": "Bahan liputan tentang penyaluran hibah",
    "access_method": "hardcopy",
    "delivery": "pos",
}


@contextmanager
def letter_app(workdir: str | None = None, database_url: str | None = None):
    """Yield ``(app, officer, atasan)`` inside an app context with the kop set up."""
    from cryptography.fernet import Fernet

    from cms import accounts
    from cms.app import create_app
    from cms.extensions import db
    from plugins.inbox.letter_models import Letterhead

    work = Path(workdir or tempfile.mkdtemp(prefix="warta-letters-"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "letters",
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{work / 'warta.db'}",
            "CMS_PLUGINS": ["inbox"],
            "HUEY_IMMEDIATE": True,
            "CMS_MEDIA_DIR": str(work / "media"),
            "CMS_PRIVATE_DIR": str(work / "private"),
            "CMS_DATA_KEY": Fernet.generate_key().decode(),
            "SITE_URL": "https://ppid.bekasikota.go.id",
            "MAIL_PORT": 1,
        }
    )
    with app.app_context():
        db.create_all()
        officer = accounts.create_user(
            "humas@bekasikota.go.id", "ppid", "sandi-rahasia-123", name="Drs. Sutrisno, M.Si."
        )
        officer.position, officer.nip = "Kepala Bagian Hubungan Masyarakat selaku PPID Utama", "197801012005011001"
        atasan = accounts.create_user(
            "sekda@bekasikota.go.id", "atasan", "sandi-rahasia-123", name="Dr. H. Junaedi, M.M."
        )
        atasan.position, atasan.nip = "Sekretaris Daerah Kota Bekasi selaku Atasan PPID", "196805121990031007"
        db.session.add(
            Letterhead(
                unit_key=0,
                instansi="PEMERINTAH KOTA BEKASI",
                unit_name="Pejabat Pengelola Informasi dan Dokumentasi",
                unit_code="UTAMA",
                address="Jl. Jend. Ahmad Yani No. 1, Bekasi 17141",
                phone="(021) 88970163",
                email="ppid@bekasikota.go.id",
                website="ppid.bekasikota.go.id",
                place="Bekasi",
                tembusan="Wali Kota Bekasi selaku Atasan PPID\nArsip",
                signer_id=officer.id,
                patterns={},
                codes={},
                logo=_logo(),
                logo_mime="image/png",
            )
        )
        db.session.commit()
        yield app, officer, atasan


def _logo() -> bytes:
    """A plain shield standing in for the lambang daerah."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (120, 140), "white")
    draw = ImageDraw.Draw(image)
    draw.polygon([(10, 10), (110, 10), (110, 80), (60, 130), (10, 80)], fill=(20, 90, 50), outline="black")
    draw.ellipse((40, 35, 80, 75), fill=(230, 190, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
