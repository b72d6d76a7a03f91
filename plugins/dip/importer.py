"""Import a DIP (CSV, XLSX or the Kota Bekasi JSON export): validate, then upsert.

Every row is validated before anything is written, so a bad row never leaves
a half-written entry; good rows are written in batches, one transaction each
with a savepoint per row, so a row the database refuses is reported alone and
never takes the rest of its batch with it.
The Bekasi ``kode`` (with the year) is the key, so a second run updates or
skips and never duplicates.  Each failure carries its place and reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.exc import SQLAlchemyError

from cms.api import audit, begin_for_savepoints, db, get_or_create_unit, naive_utc
from plugins.dip import rules
from plugins.dip.columns import ALIASES, column_key, split_holder
from plugins.dip.files import DipError
from plugins.dip.models import DipEntry, DipLink
from plugins.dip.readers import Source, collect, read

BATCH = 500
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    files: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (place, reason)
    file_errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict) -> Summary:
        counts: dict[str, Any] = {
            k: int(data.get(k) or 0) for k in ("created", "updated", "skipped", "failed", "files")
        }
        lists: dict[str, Any] = {
            k: [tuple(e) for e in data.get(k) or []] for k in ("errors", "file_errors", "warnings")
        }
        return cls(**counts, **lists)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("created", "updated", "skipped", "failed", "files")} | {
            "errors": [list(e) for e in self.errors[:1000]],
            "file_errors": [list(e) for e in self.file_errors],
            "warnings": [list(w) for w in self.warnings[:1000]],
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return _NEUTRALISED.sub("", text)


def normalise(raw: dict[str, Any], default_year: int | None) -> tuple[dict[str, Any], list[str]]:
    """Validated entry fields from one raw row; raises DipError naming the column."""
    if "__invalid__" in raw:
        raise DipError(f"entri bukan objek JSON ({raw['__invalid__']})", "baris")
    row = {}
    for key, value in raw.items():
        mapped = column_key(key) if key not in ALIASES else key
        if mapped and mapped not in row:
            row[mapped] = value
    notes = []
    data: dict[str, Any] = {"category": rules.category(_text(row.get("category")))}
    raw_title = _text(row.get("title"))
    data["title"] = rules.title(raw_title)
    if rules.has_html(raw_title):
        notes.append("tag HTML pada ringkasan dibuang")
    data["description_html"], data["description_text"] = rules.description(_text(row.get("description")))
    data["kode"] = rules.short(_text(row.get("kode")), "kode", "Kode", 64) or None
    data["made_on"] = rules.parse_date(row.get("made_on"), "waktu pembuatan")
    data["reviewed_on"] = rules.parse_date(row.get("reviewed_on"), "tanggal tinjau")
    if _text(row.get("year")):
        data["year"] = rules.year(_text(row.get("year")))
    else:
        data["year"] = default_year or (data["made_on"].year if data["made_on"] else date.today().year)
    for key, label in (
        ("jenis", "Jenis informasi"),
        ("made_place", "Tempat pembuatan"),
        ("official", "Pejabat"),
        ("responsible", "Penanggung jawab"),
        ("retention", "Jangka waktu penyimpanan"),
    ):
        data[key] = rules.short(_text(row.get(key)), key, label, 100 if key == "jenis" else 200)
    unit, official = split_holder(_text(row.get("unit")))  # our export: "Unit — Pejabat"
    data["official"] = data["official"] or rules.short(official, "official", "Pejabat", 200)
    data["unit"] = rules.short(unit, "unit", "Unit", 200)
    data["unit_reg"] = rules.short(_text(row.get("unit_reg")), "reg_opd", "reg_opd", 50)
    links = [rules.link(part, "tautan") for part in re.split(r"[\s,]+", _text(row.get("links"))) if part]
    data["links"] = list(dict.fromkeys(links))
    formats = _text(row.get("formats")).lower()
    data["hardcopy"] = any(w in formats for w in ("hardcopy", "hard copy", "cetak"))
    data["softcopy"] = not formats or any(w in formats for w in ("softcopy", "soft copy", "elektronik", "online"))
    return data, notes


def _db_reason(exc: SQLAlchemyError) -> str:
    """The database's own words, first line only (names the column or constraint)."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


class Importer:
    """One run: ``run(path)`` → Summary; ``progress(done, total)`` is called as it goes.

    ``checkpoint(cursor)`` is called inside each batch's transaction, just
    before its commit, with what a resume needs: the rows whose outcome is now
    stored and the summary so far.  ``resume`` is such a cursor: the rows it
    covers are read again only to rebuild duplicate detection, not written
    or counted twice.
    """

    def __init__(
        self,
        *,
        year: int | None = None,
        actor=None,
        progress: Callable[[int, int], None] | None = None,
        batch: int = BATCH,
        checkpoint: Callable[[dict], None] | None = None,
        resume: dict | None = None,
    ):
        self.year = year
        self.batch = max(1, batch)
        self.checkpoint = checkpoint or (lambda cursor: None)
        self.resume_row = int((resume or {}).get("row") or 0)
        self._resumed = Summary.from_dict((resume or {}).get("summary") or {}) if resume else None
        self.actor = actor
        self.progress = progress or (lambda done, total: None)
        self.summary = Summary()
        self._units: dict[tuple[str, str], int | None] = {}
        self._claims: dict[int, str] = {}  # unit id -> the Bekasi reg_opd that first used it
        self._seen: dict[tuple[int, str], tuple[str, dict]] = {}
        self._raw_seen: dict[str, dict] = {}

    def run(self, path: Path | str, name: str | None = None) -> Summary:
        """Import a file or folder; ``name`` labels an uploaded file in the report."""
        path = Path(path)
        sources = [read(path, name)] if name and path.is_file() else collect(path)
        return self.run_sources(sources)

    def run_sources(self, sources: list[Source]) -> Summary:
        total = sum(len(s.rows) for s in sources)
        done, batch = 0, []
        self.summary.files = len(sources)
        for source in sources:
            if source.error:
                self.summary.file_errors.append((source.name, source.error))
                continue
            in_file: dict[str, str] = {}
            for place, raw in source.rows:
                done += 1
                item = self._validate(place, raw, in_file)
                if done <= self.resume_row:
                    if (
                        done == self.resume_row and self._resumed is not None
                    ):  # stored before the stop: counted in the cursor's summary
                        self.summary = self._resumed
                    continue
                if item is not None:
                    batch.append(item)
                if len(batch) >= self.batch:
                    self._write(batch, done)
                    batch = []
                self.progress(done, total)  # callers throttle (CLI by 10%, the job by 100 rows)
        if batch:
            self._write(batch, done)
        self.progress(total, total)
        audit.record(
            "dip.import",
            "dip_import",
            "",
            self.summary.as_dict() | {"errors": len(self.summary.errors)},
            user=self.actor,
            commit=True,
        )
        return self.summary

    def _fail(self, place: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.errors.append((place, reason))

    def _validate(self, place: str, raw: dict, in_file: dict[str, str]):
        kode_raw = str(raw.get("kode") or "").strip()
        if kode_raw and kode_raw not in in_file and self._raw_seen.get(kode_raw) == raw:
            in_file[kode_raw] = place  # the same item listed again (Bekasi: index + category file)
            self.summary.skipped += 1
            return None
        try:
            data, notes = normalise(raw, self.year)
        except DipError as exc:
            self._fail(place, f"{exc.field}: {exc}" if exc.field else str(exc))
            return None
        for note in notes:
            self.summary.warnings.append((place, note))
        kode = data["kode"]
        if kode:
            if kode in in_file:
                self._fail(place, f"kode: kode {kode} ganda dalam berkas ini (pertama di {in_file[kode]})")
                return None
            in_file[kode] = place
            earlier = self._seen.get((data["year"], kode))
            if earlier is not None:
                if earlier[1] == data:
                    self.summary.skipped += 1  # the same item listed in another file
                else:
                    self._fail(place, f"kode: kode {kode} sudah dipakai entri lain di {earlier[0]}")
                return None
            self._seen[(data["year"], kode)] = (place, data)
            self._raw_seen[kode_raw] = raw
        return place, data

    def _unit_id(self, name: str, reg: str, place: str) -> int | None:
        """Units are matched by name; two Bekasi registrations (reg_opd) whose
        names differ only in case stay two units, with a warning to merge."""
        key = (reg, name.lower())
        if key not in self._units:
            unit_id = get_or_create_unit(name).id if name else None
            owner = self._claims.get(unit_id) if unit_id else None
            if reg and owner is not None and owner != reg:
                alias = f"{name} (reg {reg})"
                unit_id = get_or_create_unit(alias).id
                self.summary.warnings.append(
                    (
                        place,
                        f"unit: '{name}' (reg_opd {reg}) bernama sama dengan "
                        f"reg_opd {owner}; disimpan sebagai unit '{alias}'",
                    )
                )
            if reg and unit_id:
                self._claims.setdefault(unit_id, reg)
            self._units[key] = unit_id
        return self._units[key]

    def _write(self, batch: list[tuple[str, dict]], done: int) -> None:
        begin_for_savepoints(db.session)  # the batch and its checkpoint commit together
        keys = [(d["year"], d["kode"]) for _, d in batch if d["kode"]]
        existing = {}
        if keys:
            found = db.session.scalars(select(DipEntry).where(tuple_(DipEntry.year, DipEntry.kode).in_(keys)))
            existing = {(e.year, e.kode): e for e in found}
        for place, data in batch:
            units, claims = dict(self._units), dict(self._claims)
            try:
                with db.session.begin_nested():  # one savepoint a row: a bad row costs only itself
                    outcome = self._upsert(place, data, existing)
            except SQLAlchemyError as exc:
                self._units, self._claims = units, claims  # ids made in the rolled-back savepoint
                self._fail(place, f"basis data: baris ditolak ({_db_reason(exc)})")
                continue
            setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)
        self.checkpoint({"row": done, "summary": self.summary.as_dict()})
        db.session.commit()

    def _upsert(self, place: str, data: dict, existing: dict) -> str:
        data = dict(data)
        links = data.pop("links")
        data["unit_id"] = self._unit_id(data.pop("unit"), data.pop("unit_reg"), place)
        entry = existing.get((data["year"], data["kode"])) if data["kode"] else None
        if entry is None and not data["kode"]:
            entry = db.session.scalar(
                select(DipEntry)
                .where(
                    DipEntry.year == data["year"], DipEntry.title == data["title"], DipEntry.unit_id == data["unit_id"]
                )
                .limit(1)
            )
        if entry is None:
            entry = DipEntry(**data, source="impor", published_at=naive_utc())
            entry.links = [DipLink(url=url) for url in links]
            db.session.add(entry)
            if not data["kode"]:
                db.session.flush()
                entry.kode = f"WRT-{entry.id}"
            return "created"
        changed = False
        for key, value in data.items():
            if key in ("kode", "reviewed_on") and not value:
                continue  # never wipe a key or a review done in Warta
            if getattr(entry, key) != value:
                setattr(entry, key, value)
                changed = True
        if [link.url for link in entry.links] != links:
            entry.links = [DipLink(url=url) for url in links]
            changed = True
        return "updated" if changed else "skipped"
