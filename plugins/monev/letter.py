"""The letter of results' official parts: kop, signer, nomor and tanggal.

The kop and signer are the PPID Utama's letter settings, asked through
``cms_monev_letterhead`` (the inbox keeps them), so every Warta letter has
one head; without such a plugin, the site identity's kop with the settings
``MONEV_LETTER_PLACE`` and ``MONEV_LETTER_SIGNER``.  The number follows
``MONEV_LETTER_NUMBER_PATTERN`` and is given once per unit and period, on the
first download, and stored with its date; the PDF of that first printing is
kept too (``keep_pdf``), so every later download is the same document even
after the figures, the kop or the signer changed.  A letter missing a part
is not printed; ``missing`` says what to set and where.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import string
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from cms.api import User, db, default_kop, private_dir, results, roman_month, to_wib, utcnow
from plugins.monev.models import MonevLetter, MonevPeriod

FIELDS = ("seq", "unit", "bulan_romawi", "bulan", "tahun")
SAMPLE = {"seq": 7, "unit": "UTAMA", "bulan_romawi": "XII", "bulan": 12, "tahun": 2026}
PROFILE = "profil pengguna penanda tangan (Admin › Pengguna)"
STORE = ("monev", "surat")  # under private_dir: issued letters, never served directly

log = logging.getLogger(__name__)


@dataclass
class Head:
    kop: dict
    signer: dict | None
    where: str  # where an officer sets the kop and the signer
    tembusan: list[str] = field(default_factory=list)


class LetterMissing(ValueError):
    def __init__(self, gaps: list[str]):
        super().__init__("Surat hasil Monev belum dapat diterbitkan: " + "; ".join(gaps) + ".")
        self.gaps = gaps


def head() -> Head:
    for _plugin, found in results("cms_monev_letterhead"):
        if isinstance(found, dict) and isinstance(found.get("kop"), dict):
            kop = found["kop"]
            return Head(kop, found.get("signer"), str(found.get("where") or ""), list(kop.get("tembusan") or []))
    cfg = current_app.config
    kop = {**default_kop(), "unit_name": "PPID Utama", "unit_code": "UTAMA", "place": cfg["MONEV_LETTER_PLACE"]}
    return Head(kop, _configured_signer(), "pengaturan MONEV_LETTER_PLACE dan MONEV_LETTER_SIGNER")


def _configured_signer() -> dict | None:
    email = (current_app.config["MONEV_LETTER_SIGNER"] or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
    if user is None:
        return None
    return {
        "name": (user.name or "").strip(),
        "position": (user.position or "").strip(),
        "nip": (user.nip or "").strip(),
    }


def check_pattern(pattern: str) -> str:
    """The pattern, or ``ValueError`` saying what is wrong with it."""
    pattern = (pattern or "").strip()
    if not pattern:
        raise ValueError("pola kosong")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        unknown = sorted(n for n in names if n not in FIELDS)
        if unknown:
            raise ValueError(f"tidak dikenal: {{{unknown[0]}}}")
        if "seq" not in names or "tahun" not in names:
            raise ValueError("pola wajib memuat {seq} dan {tahun}")
        pattern.format(**SAMPLE)
    except (IndexError, KeyError) as exc:
        raise ValueError(f"pola tidak sah: {exc}") from None
    return pattern


def missing(found: Head, numbered: bool) -> list[str]:
    """Every part the letter lacks, each naming where to set it (empty = complete)."""
    gaps = []
    signer = found.signer or {}
    if not signer.get("name"):
        gaps.append(f"belum ada penanda tangan PPID Utama — pilih di {found.where}")
    else:
        if not signer.get("position"):
            gaps.append(f"jabatan penanda tangan ({signer['name']}) belum diisi pada {PROFILE}")
        if not signer.get("nip"):
            gaps.append(f"NIP penanda tangan ({signer['name']}) belum diisi pada {PROFILE}")
    if not str(found.kop.get("instansi") or "").strip() or not str(found.kop.get("place") or "").strip():
        gaps.append(f"nama instansi dan tempat surat pada kop belum diisi di {found.where}")
    if not numbered:
        try:
            check_pattern(current_app.config["MONEV_LETTER_NUMBER_PATTERN"])
        except ValueError as exc:
            gaps.append(f"pola nomor surat Monev (pengaturan MONEV_LETTER_NUMBER_PATTERN) tidak sah: {exc}")
    return gaps


def issued(period: MonevPeriod, unit_id: int) -> MonevLetter | None:
    return db.session.scalar(
        select(MonevLetter).where(MonevLetter.period_id == period.id, MonevLetter.unit_id == unit_id)
    )


def number(period: MonevPeriod, unit_id: int, found: Head, actor_id: int | None) -> MonevLetter:
    """The unit's letter for the period: the stored one, else a new number (committed)."""
    kept = issued(period, unit_id)
    if kept is not None:
        return kept
    pattern = check_pattern(current_app.config["MONEV_LETTER_NUMBER_PATTERN"])
    day = to_wib(utcnow()).date()
    for _attempt in range(5):  # two first downloads at once: the loser takes the next number
        row = _new(pattern, period, unit_id, found, day, actor_id)
        db.session.add(row)
        try:
            db.session.commit()
            return row
        except IntegrityError:
            db.session.rollback()
            kept = issued(period, unit_id)
            if kept is not None:
                return kept
    raise LetterMissing(["nomor surat bentrok dengan surat lain; bedakan pola nomor dengan {unit} atau {bulan}"])


def _new(pattern: str, period: MonevPeriod, unit_id: int, found: Head, day: date, actor_id: int | None) -> MonevLetter:
    last = db.session.scalar(select(func.max(MonevLetter.seq)).where(MonevLetter.year == day.year)) or 0
    seq = last + 1
    text = pattern.format(
        seq=seq,
        unit=str(found.kop.get("unit_code") or "UTAMA"),
        bulan_romawi=roman_month(day),
        bulan=day.month,
        tahun=day.year,
    )
    return MonevLetter(
        period_id=period.id,
        unit_id=unit_id,
        year=day.year,
        seq=seq,
        number=text,
        issued_on=day,
        issued_by_id=actor_id,
    )


def stored_pdf(row: MonevLetter) -> bytes | None:
    """The letter as printed when it was issued; ``None`` before its first
    printing, or when its file is gone or altered (logged: it is printed
    and kept again)."""
    if not row.stored:
        return None
    try:
        data = (private_dir(*STORE) / row.stored).read_bytes()
    except OSError:
        log.warning("Monev letter %s: its file %s is missing; printing it again", row.number, row.stored)
        return None
    if hashlib.sha256(data).hexdigest() != row.sha256:
        log.error("Monev letter %s: its file %s does not match its SHA-256; printing it again", row.number, row.stored)
        return None
    return data


def keep_pdf(row: MonevLetter, data: bytes) -> bytes:
    """Keep ``data`` as the letter's printing (committed) and return the
    letter: of two first downloads at once, the printing stored first wins
    and both get it."""
    name = f"{secrets.token_hex(16)}.pdf"
    path = private_dir(*STORE) / name
    path.write_bytes(data)
    won = db.session.execute(
        update(MonevLetter)
        .where(MonevLetter.id == row.id, MonevLetter.stored == row.stored)
        .values(stored=name, sha256=hashlib.sha256(data).hexdigest()),
        execution_options={"synchronize_session": False},
    ).rowcount  # type: ignore[attr-defined]  # DML returns a CursorResult; SQLAlchemy types it Result
    db.session.commit()
    db.session.refresh(row)
    if won:
        return data
    path.unlink(missing_ok=True)
    return stored_pdf(row) or data
