"""Evidence files of the e-Monev questionnaire: generated from Warta or uploaded.

Every file is a PDF of at most ``MONEV_EVIDENCE_MAX_KB`` (the Komisi
Informasi's 2 MB): a bigger one is compressed or split into numbered parts
(``pdfsize``), or refused with the reason.  Files live outside the web root;
a file's name is unique per year and survives regeneration, so the URL the
index gives for it stays valid.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from cms.api import audit, db, private_dir
from plugins.monev.questionnaire import pdfsize, sources
from plugins.monev.questionnaire.loader import Question, Questionnaire
from plugins.monev.questionnaire.models import EmonevFile

STORE = ("monev", "emonev")


class EvidenceError(ValueError):
    """A refused or failed evidence file (the message is shown to the officer)."""


def max_bytes() -> int:
    return int(current_app.config.get("MONEV_EVIDENCE_MAX_KB", 2048)) * 1024


def upload_max_bytes() -> int:
    return int(current_app.config.get("MONEV_EMONEV_UPLOAD_MAX_MB", 20)) * 1024 * 1024


def store_dir() -> Path:
    return Path(private_dir(*STORE))


def slug(text: str, limit: int = 50) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "bukti"


def file_url(row: EmonevFile) -> str:
    """The file's stable address (site URL + path; the same after a rebuild)."""
    site = (current_app.config.get("SITE_URL") or "").rstrip("/")
    return f"{site}/admin/monev/emonev/{row.year}/bukti/{row.file_name}"


def path_of(row: EmonevFile) -> Path:
    return store_dir() / row.stored


def files(year: int) -> list[EmonevFile]:
    return list(
        db.session.scalars(
            select(EmonevFile).where(EmonevFile.year == year).order_by(EmonevFile.file_name, EmonevFile.part)
        )
    )


def by_name(year: int, name: str) -> EmonevFile | None:
    return db.session.scalar(select(EmonevFile).where(EmonevFile.year == year, EmonevFile.file_name == name))


def of_question(question: Question, all_files: list[EmonevFile]) -> list[EmonevFile]:
    """The question's files: those of its generated sources, then its uploads."""
    made = [f for s in question.generated for f in all_files if f.origin == "dibuat" and f.source == s]
    return made + [f for f in all_files if f.origin == "unggahan" and f.question == question.key]


def _replace(year: int, old: list[EmonevFile], rows: list[tuple[str, bytes]], **fields) -> list[EmonevFile]:
    """Write the new bodies, then swap the rows (names kept where they repeat)."""
    written: list[EmonevFile] = []
    for row in old:
        db.session.delete(row)
    db.session.flush()
    for part, (name, body) in enumerate(rows, start=1):
        stored = secrets.token_hex(16)
        (store_dir() / stored).write_bytes(body)
        row = EmonevFile(
            year=year,
            file_name=name,
            part=part,
            parts=len(rows),
            stored=stored,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            **fields,
        )
        db.session.add(row)
        written.append(row)
    db.session.commit()
    for row in old:
        (store_dir() / row.stored).unlink(missing_ok=True)
    return written


def _names(base: str, n: int) -> list[str]:
    return [f"{base}.pdf"] if n == 1 else [f"{base}-bagian-{i}.pdf" for i in range(1, n + 1)]


def generate(year: int, key: str, plugin_sources: dict, user_id: int | None = None) -> list[EmonevFile]:
    """Build one source's evidence now (in the worker); ``EvidenceError`` when it cannot be."""
    try:
        body = sources.make(key, year, plugin_sources)
    except sources.Unavailable:
        raise EvidenceError(_("Bukti %(key)s tidak tersedia.", key=key)) from None
    try:
        bodies = pdfsize.fit(body, max_bytes())
    except pdfsize.TooLarge as exc:
        raise EvidenceError(f"{key}: {exc}") from None
    base = f"{year}-{slug(key.replace(sources.PAGE, 'halaman-'))}"
    old = [f for f in files(year) if f.origin == "dibuat" and f.source == key]
    title = sources.title_of(key, plugin_sources)
    return _replace(
        year,
        old,
        list(zip(_names(base, len(bodies)), bodies, strict=True)),
        origin="dibuat",
        source=key,
        title=title[:300],
        created_by_id=user_id,
    )


def upload(year: int, question: Question, stream, filename: str, user) -> list[EmonevFile]:
    """Store an uploaded PDF for ``question``: compressed or split under the limit, or refused."""
    data = stream.read(upload_max_bytes() + 1)
    if not data:
        raise EvidenceError(_("Berkas bukti kosong."))
    if len(data) > upload_max_bytes():
        raise EvidenceError(
            _("Berkas bukti melebihi %(mb)s MB; pisahkan dahulu.", mb=upload_max_bytes() // 1024 // 1024)
        )
    if not data.startswith(b"%PDF-"):
        raise EvidenceError(_("Berkas bukti harus PDF (isi berkas bukan PDF)."))
    try:
        bodies = pdfsize.fit(data, max_bytes())
    except pdfsize.TooLarge as exc:
        raise EvidenceError(str(exc)) from None
    stem = slug(Path(filename or "bukti").stem, 40)
    base = f"{year}-{question.key}-{stem}"
    taken = {f.file_name for f in files(year)}
    n = 2
    while any(name in taken for name in _names(base, len(bodies))):
        base, n = f"{year}-{question.key}-{stem}-{n}", n + 1
    rows = _replace(
        year,
        [],
        list(zip(_names(base, len(bodies)), bodies, strict=True)),
        origin="unggahan",
        question=question.key,
        title=Path(filename or "bukti").name[:300],
        created_by_id=user.id,
    )
    audit.record(
        "monev.emonev.uploaded",
        "monev_emonev_file",
        rows[0].id,
        {"question": question.key, "parts": len(rows)},
        commit=True,
    )
    return rows


def remove_upload(row: EmonevFile, user) -> None:
    """Remove an upload with all its parts (a generated file is only ever rebuilt)."""
    if row.origin != "unggahan":
        raise EvidenceError(_("Bukti yang dibuat Warta diperbarui, tidak dihapus."))
    row_id, question, base = row.id, row.question, _base(row.file_name)
    group = [
        f for f in files(row.year) if f.origin == "unggahan" and f.question == question and _base(f.file_name) == base
    ]
    _replace(row.year, group, [], origin="unggahan")
    audit.record("monev.emonev.removed", "monev_emonev_file", row_id, {"question": question}, user=user, commit=True)


def _base(name: str) -> str:
    return name.rsplit("-bagian-", 1)[0].removesuffix(".pdf")


def status(questionnaire: Questionnaire, plugin_sources: dict) -> dict[str, dict]:
    """Per question: its generated sources (available or "tidak tersedia", built or not),
    whether an upload is still needed, its files and whether its evidence is complete."""
    all_files = files(questionnaire.year)
    out: dict[str, dict] = {}
    for q in questionnaire.questions:
        gen = []
        for key in q.generated:
            built = [f for f in all_files if f.origin == "dibuat" and f.source == key]
            ok = sources.available(key, questionnaire.year, plugin_sources)
            gen.append({"key": key, "title": sources.title_of(key, plugin_sources), "available": ok, "files": built})
        uploads = [f for f in all_files if f.origin == "unggahan" and f.question == q.key]
        missing_source = any(not g["available"] for g in gen)
        upload_needed = (bool(q.upload) or missing_source) and not uploads
        out[q.key] = {
            "generated": gen,
            "uploads": uploads,
            "upload_needed": upload_needed,
            "complete": not upload_needed and (bool(uploads) or any(g["available"] for g in gen)),
        }
    return out
