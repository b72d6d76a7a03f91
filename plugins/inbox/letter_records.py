"""Issuing a letter: check its parts, number it, print it, sign it, store it.

All of it happens in the caller's transaction: a letter that cannot be
completed leaves nothing behind (the counter bump rolls back with it, and
the encrypted file written for it is deleted when the transaction rolls
back).  The stored PDF is the record: it is served as issued, never printed
again; a correction is a new letter naming the one it replaces.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from cms.api import PDFError, audit, db, decrypt_bytes, encrypt_bytes, hook, manager, naive_utc, private_dir
from plugins.inbox import clock, law, letter_numbers, letter_render, letterhead
from plugins.inbox.errors import InboxError
from plugins.inbox.letter_kinds import KINDS, OBJECTION_KINDS
from plugins.inbox.letter_models import Letter

log = logging.getLogger(__name__)
FOLDER = "inbox_letters"
_PENDING = "inbox_letter_files"
POSTAL = ("pos", "kurir")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# The number is held until the PDF is printed and stored (about 0.5 s each),
# so on SQLite a letter may queue behind dozens of others at once.
LOCK_WAIT_MS = 120_000


class LetterMissing(InboxError):
    """What the officer must fill in before the letter can be issued."""

    def __init__(self, gaps: list[str]):
        super().__init__("Surat belum dapat diterbitkan: " + "; ".join(gaps) + ".", None)
        self.gaps = gaps


def missing_parts(kind: str, req, kop, signer, obj=None) -> list[str]:
    """Every part the letter lacks, each as an instruction (empty = complete)."""
    gaps = []
    if signer is None or not signer.name:
        gaps.append(
            "belum ada penanda tangan — isi nama pada profil petugas atau pilih penanda tangan di Pengaturan surat"
        )
    elif not signer.position:
        gaps.append(f"jabatan penanda tangan ({signer.name}) belum diisi pada profil pengguna")
    if not letter_numbers.pattern_for(kind, kop):
        gaps.append("pola nomor surat untuk jenis surat ini belum diisi di Pengaturan surat")
    else:
        try:
            letter_numbers.check_pattern(letter_numbers.pattern_for(kind, kop))
        except letter_numbers.PatternError as exc:
            gaps.append(f"pola nomor surat tidak sah ({exc})")
    if not kop.instansi.strip() or not kop.place.strip():
        gaps.append("nama instansi dan tempat surat pada kop belum diisi")
    to = letter_render.recipient(req, obj)
    if req.delivery in POSTAL and not to["address"]:
        gaps.append("alamat pemohon wajib diisi karena salinan dikirim melalui pos/kurir")
    if kind in OBJECTION_KINDS and obj is None:
        gaps.append("keberatan tidak ditemukan")
    if kind == "pemberitahuan":
        if not req.outcome:
            gaps.append("keputusan atas permohonan belum dicatat")
        elif req.outcome == law.REJECTED or (req.outcome == "dikabulkan_sebagian" and not req.withheld_parts):
            if not req.exemptions and not req.other_law:
                gaps.append("dasar pengecualian (Pasal 17 huruf dan/atau pasal undang-undang lain) belum diisi")
            if not req.consequence_test:
                gaps.append("hasil uji konsekuensi belum diisi")
    if kind == "perpanjangan" and not (req.extended_due_date and req.extension_reason):
        gaps.append("alasan perpanjangan belum dicatat")
    if kind == "kelengkapan" and not req.incomplete_note:
        gaps.append("uraian kekurangan belum dicatat")
    if kind == "pemberitahuan_keberatan" and obj is not None and not (obj.order and obj.order.executed_date):
        gaps.append("pelaksanaan perintah Atasan PPID belum dicatat")
    if kind == "tanggapan_keberatan" and obj is not None and not (obj.outcome and obj.reasons):
        gaps.append("keputusan dan alasan Atasan PPID belum dicatat")
    return gaps


def _new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))


def _will_sign() -> bool:
    return bool(manager().hook.cms_inbox_sign_letter.get_hookimpls())


def _store(pdf: bytes) -> str:
    name = secrets.token_hex(16)
    path = private_dir(FOLDER) / name
    path.write_bytes(encrypt_bytes(pdf))
    db.session.info.setdefault(_PENDING, []).append(path)
    return name


@event.listens_for(Session, "after_rollback")
def _drop_unissued(session):
    """The letter's row did not survive: neither may its file."""
    for path in session.info.pop(_PENDING, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_commit")
def _keep_issued(session):
    session.info.pop(_PENDING, None)


def issue(kind: str, req, *, obj=None, actor=None, replaces: Letter | None = None, note: str = "") -> Letter:
    """Issue one letter inside the current transaction (the caller commits)."""
    if kind not in KINDS:
        raise InboxError("Jenis surat tidak dikenal.", None)
    kop = letterhead.resolve(req.unit_id)
    signer = letterhead.signer_for(kind, req, kop, actor, obj)
    gaps = missing_parts(kind, req, kop, signer, obj)
    if gaps or signer is None:  # no signer is always a gap
        raise LetterMissing(gaps)
    now = naive_utc()
    day = clock.local_date(now)
    code = _new_code()
    letter_numbers.wait_for_writers(LOCK_WAIT_MS)
    seq, number = letter_numbers.allocate(kind, kop, req.unit_id, day)
    if db.session.scalar(select(Letter.id).where(Letter.number == number)) is not None:
        raise LetterMissing([f"nomor {number} sudah dipakai surat lain; bedakan pola nomor antarunit dengan {{unit}}"])
    sheet = letter_render.Sheet(kind, number, day, code, signer, replaces, note.strip(), _will_sign())
    try:
        pdf = letter_render.pdf(letter_render.html(sheet, req, kop, obj))
    except PDFError as exc:
        raise InboxError(f"Surat gagal dicetak: {exc}", None) from exc
    letter = Letter(
        code=code,
        kind=kind,
        request_id=req.id,
        objection_id=getattr(obj, "id", None),
        unit_id=req.unit_id,
        year=day.year,
        seq=seq,
        number=number,
        issued_at=now,
        issued_date=day,
        signer_id=getattr(signer.user, "id", None),
        signer_name=signer.name,
        signer_position=signer.position,
        signer_nip=signer.nip,
        unit_label=kop.unit_name,
        replaces_id=getattr(replaces, "id", None),
        correction_note=note.strip(),
        created_by_id=getattr(actor, "id", None),
        sha256="",
        size=0,
        stored_name="",
    )
    if sheet.will_sign:
        signed = hook().cms_inbox_sign_letter(pdf=pdf, letter=letter)
        if signed:
            pdf, letter.signed = signed, True
        else:  # no signer took it: print the unsigned wording instead
            sheet.will_sign = False
            pdf = letter_render.pdf(letter_render.html(sheet, req, kop, obj))
    letter.sha256, letter.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
    letter.stored_name = _store(pdf)
    db.session.add(letter)
    db.session.flush()
    audit.record(
        "inbox.letter.issued",
        "inbox_letter",
        number,
        {"kind": kind, "request": req.number, "sha256": letter.sha256, "replaces": getattr(replaces, "number", None)},
        user=actor,
    )
    return letter


def on_decision(kind: str, req, obj=None) -> Letter | None:
    """The letter of a decision, in the decision's transaction.

    ``INBOX_LETTERS_ON_DECISION``: ``"required"`` refuses an officer's
    decision whose letter cannot be issued (the view rolls back and shows
    what to fill in); ``"when_ready"`` (default, safe on upgrade) saves the
    decision, tells the officer what the letter lacks and leaves it to be
    issued from the case page; ``"off"`` issues nothing.  Without an officer
    (worker, CLI) a letter that cannot be issued is skipped and logged."""
    mode = _mode()
    if mode == "off":
        return None
    actor = letterhead.acting_officer()
    if actor is not None and mode == "required":
        return issue(kind, req, obj=obj, actor=actor)
    try:
        with db.session.begin_nested():
            return issue(kind, req, obj=obj, actor=actor)
    except InboxError as exc:
        log.info("inbox: %s for %s not issued: %s", kind, req.number, exc)
        _tell_officer(actor, exc)
        return None


def _tell_officer(actor, exc: InboxError) -> None:
    """An officer at the screen learns what the letter lacks (the public, the
    worker and the CLI only get the log line); see ``letter_notice``."""
    if actor is None:
        return
    from plugins.inbox import letter_notice

    letter_notice.hold(exc)


def _mode() -> str:
    value = current_app.config["INBOX_LETTERS_ON_DECISION"]
    if value in (False, None, "", "off"):
        return "off"
    return "required" if value == "required" else "when_ready"


def on_receipt(kind: str, req, obj=None) -> Letter | None:
    """A receipt after the request/keberatan was committed: its own transaction.
    At the desk the officer is told what the receipt lacks."""
    if _mode() == "off":
        return None
    actor = letterhead.acting_officer()
    try:
        letter = issue(kind, req, obj=obj, actor=actor)
        db.session.commit()
        return letter
    except InboxError as exc:
        db.session.rollback()
        log.info("inbox: %s for %s not issued: %s", kind, req.number, exc)
        _tell_officer(actor, exc)  # a desk entry: the officer must know no receipt exists
        return None


def load(letter: Letter) -> bytes:
    """The PDF exactly as issued (the hash is checked on every read)."""
    data = decrypt_bytes((private_dir(FOLDER) / letter.stored_name).read_bytes())
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise RuntimeError(f"letter {letter.number}: stored file does not match its SHA-256")
    return data


def attachment(letter: Letter | None) -> list[tuple[str, str, bytes]]:
    return [(letter.filename, "application/pdf", load(letter))] if letter is not None else []


def of_request(req) -> list[Letter]:
    return list(db.session.scalars(select(Letter).where(Letter.request_id == req.id).order_by(Letter.id)))


def replaced_by(letter: Letter) -> Letter | None:
    return db.session.scalar(select(Letter).where(Letter.replaces_id == letter.id).order_by(Letter.id.desc()))


def issuable(req) -> list[str]:
    """The request's letter kinds whose facts are recorded (for the issue form)."""
    kinds = ["tanda_terima"]
    if req.outcome:
        kinds.append("pemberitahuan")
    if req.extended_due_date:
        kinds.append("perpanjangan")
    if req.incomplete_note:
        kinds.append("kelengkapan")
    return kinds
