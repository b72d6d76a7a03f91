"""The demo's letter settings: a kop and a signer, so a demo install issues
its receipts and notices instead of telling every officer the kop is empty.

Only when nobody has saved letter settings yet: an officer's settings win.
The signer account gets a random password nobody knows (an admin may set
one); it exists to sign the letters the demo itself issues.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from cms.api import User, db
from plugins.inbox import letterhead
from plugins.inbox.letter_models import Letterhead

SIGNER_EMAIL = "ppid.contoh@warta.local"
SIGNER_NIP = "197805122003122004"  # a made-up NIP: Monev's letter of results prints one
KOP = {
    "instansi": "PEMERINTAH KOTA BEKASI",
    "unit_name": "PPID Utama Kota Bekasi",
    "unit_code": "UTAMA",
    "address": "Jl. Jenderal Ahmad Yani No. 1, Marga Jaya, Bekasi Selatan, Kota Bekasi 17141",
    "phone": "(021) 8894 0101",
    "email": "ppid@warta.local",
    "place": "Bekasi",
    "tembusan": "Wali Kota Bekasi selaku Atasan PPID\nArsip",
}


def _signer() -> User:
    user = db.session.scalar(select(User).where(User.email == SIGNER_EMAIL))
    if user is None:
        user = User(
            email=SIGNER_EMAIL,
            role="ppid",
            name="Dewi Lestari, S.Sos.",
            position="Kepala Bagian Hubungan Masyarakat selaku PPID Utama",
            nip=SIGNER_NIP,
            password_hash=generate_password_hash(secrets.token_urlsafe(32), method="scrypt"),
            active=True,
        )
        db.session.add(user)
        db.session.flush()
    return user


def load() -> None:
    """Fill the PPID Utama's kop and signer unless someone already has."""
    if letterhead.row(None) is not None:
        demo = db.session.scalar(select(User).where(User.email == SIGNER_EMAIL))
        if demo is not None and not demo.nip:  # a demo made before signers had a NIP
            demo.nip = SIGNER_NIP
            db.session.commit()
        return
    db.session.add(Letterhead(unit_key=0, signer_id=_signer().id, **KOP))
    db.session.commit()
