"""Reading the DIP: filters shared by the catalogue, print layout, exports and API."""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session, selectinload

from cms.api import YEAR_MAX, YEAR_MIN, Unit, db, int_in, valid_id
from plugins.dip import search
from plugins.dip.models import CATEGORIES, DipEntry


@dataclass
class Filters:
    """What the visitor chose; bad values are dropped, never a 500."""

    q: str = ""
    kategori: str = ""
    unit: int | None = None
    jenis: str = ""
    tahun: int | None = None

    @classmethod
    def from_args(cls, args) -> Filters:
        kategori = (args.get("kategori") or "").strip()
        return cls(
            q=(args.get("q") or "").strip()[:200],
            kategori=kategori if kategori in CATEGORIES else "",
            unit=valid_id(args.get("unit")),
            jenis=(args.get("jenis") or "").strip()[:100],
            tahun=int_in(args.get("tahun"), low=YEAR_MIN, high=YEAR_MAX),
        )

    def to_args(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}

    def where(self, stmt: Select) -> Select:
        if self.kategori:
            stmt = stmt.where(DipEntry.category == self.kategori)
        if self.unit:
            stmt = stmt.where(DipEntry.unit_id == self.unit)
        if self.jenis:
            stmt = stmt.where(DipEntry.jenis == self.jenis)
        if self.tahun:
            stmt = stmt.where(DipEntry.year == self.tahun)
        return stmt


def public_base() -> Select:
    return select(DipEntry).where(DipEntry.published_at.is_not(None))


def _dialect() -> str:
    return db.engine.dialect.name


def in_list_order(stmt: Select) -> Select:
    """The catalogue's order without a search: newest year, then category,
    then entry.  The list, the printable layout and the exports all use it,
    so an export holds the rows in the order the list showed them."""
    return stmt.order_by(DipEntry.year.desc(), DipEntry.category, DipEntry.id)


COUNT_CAP = 1_000  # searches count and rank up to this many matches, then say "more than"


@dataclass
class Result:
    hits: list[dict]
    total: int
    capped: bool = False  # more than COUNT_CAP matches; ``total`` is COUNT_CAP + 1


def page(filters: Filters, page_no: int = 1, per_page: int = 20, base: Select | None = None) -> Result:
    """One page of matching entries (with highlights when searching) and the count."""
    dialect = _dialect()
    stmt = filters.where(base if base is not None else public_base())
    offset = (max(page_no, 1) - 1) * per_page
    capped = False
    if not search.words(filters.q):
        total = (
            db.session.scalar(
                select(func.count()).select_from(stmt.order_by(None).with_only_columns(DipEntry.id).subquery())
            )
            or 0
        )
        ids = db.session.scalars(
            in_list_order(stmt).with_only_columns(DipEntry.id).limit(per_page).offset(offset)
        ).all()
    else:
        total, capped, ids = _search(stmt, dialect, filters.q, per_page, offset)
    entries = {e.id: e for e in db.session.scalars(select(DipEntry).where(DipEntry.id.in_(ids)))} if ids else {}
    hits = []
    for entry_id in ids:
        entry = entries[entry_id]
        title = snippet = None
        if filters.q:
            title, snippet = search.highlight(filters.q, entry.title, entry.description_text)
        hits.append({"entry": entry, "title": title, "snippet": snippet})
    return Result(hits, total, capped)


def _search(stmt: Select, dialect: str, q: str, per_page: int, offset: int) -> tuple[int, bool, list[int]]:
    """A plan that stays fast at 50,000 rows on both databases: the match set
    is read once (SQLite: ``id IN (…MATCH…)``, a join would re-run MATCH per
    row; PostgreSQL: the GIN index, titles read with the ids), at most
    COUNT_CAP + 1 candidates are kept and ranked (``search.rank``).  Broader searches show the newest first."""
    condition = search.match_condition(dialect, q)
    if condition is None:  # the caller searches only when q has words
        return 0, False, []
    matched = stmt.where(condition).order_by(None).with_only_columns(DipEntry.id)
    if dialect == "sqlite":
        candidates = db.session.scalars(matched.limit(COUNT_CAP + 1)).all()
    else:  # the bitmap scan reads each matching row anyway: its title comes free
        rows = db.session.execute(matched.add_columns(DipEntry.title).limit(COUNT_CAP + 1)).all()
        candidates = [entry_id for entry_id, _ in rows]
    if len(candidates) > COUNT_CAP:
        ids = db.session.scalars(matched.order_by(DipEntry.id.desc()).limit(per_page).offset(offset)).all()
        return COUNT_CAP + 1, True, list(ids)
    if dialect == "sqlite":
        return len(candidates), False, _ranked(q, candidates)[offset : offset + per_page]
    return (
        len(candidates),
        False,
        search.rank(q, [(entry_id, title) for entry_id, title in rows])[offset : offset + per_page],
    )


def _ranked(q: str, candidates) -> list[int]:
    rows = db.session.execute(select(DipEntry.id, DipEntry.title).where(DipEntry.id.in_(candidates))).all()
    return search.rank(q, [(entry_id, title) for entry_id, title in rows])


def entry_ids(filters: Filters, base: Select | None = None) -> list[int]:
    """The ids of every matching entry in the order the list shows them
    (``page``: list order, or a search's ranking; newest first past
    ``COUNT_CAP`` matches), a few bytes each."""
    stmt = filters.where(base if base is not None else public_base())
    condition = search.match_condition(_dialect(), filters.q) if search.words(filters.q) else None
    if condition is None:
        return list(db.session.scalars(in_list_order(stmt).with_only_columns(DipEntry.id)))
    matched = stmt.where(condition).order_by(None).with_only_columns(DipEntry.id)
    candidates = db.session.scalars(matched.limit(COUNT_CAP + 1)).all()
    if len(candidates) > COUNT_CAP:
        return list(db.session.scalars(matched.order_by(DipEntry.id.desc())))
    return _ranked(filters.q, candidates)


def batches(ids: list[int], batch: int = 500) -> Iterator[list[DipEntry]]:
    """The entries of ``ids`` in loaded batches: a worker may commit between
    two (no cursor stays open), and each is freed once written."""
    for start in range(0, len(ids), batch):
        yield list(_load(ids[start : start + batch]))


def iter_entries(filters: Filters, base: Select | None = None, batch: int = 500) -> Iterator[DipEntry]:
    """Every matching entry in the official order, fetched in batches (exports):
    ids first, then entries in batches, so memory stays flat at 50,000 rows."""
    for entries in batches(entry_ids(filters, base), batch):
        yield from entries


def _load(ids: list[int]) -> Iterator[DipEntry]:
    # Documents and links in two queries per batch, not two per row.
    stmt = (
        select(DipEntry)
        .where(DipEntry.id.in_(ids))
        .options(selectinload(DipEntry.documents), selectinload(DipEntry.links))
    )
    found = {e.id: e for e in db.session.scalars(stmt)}
    for entry_id in ids:
        if entry_id in found:
            yield found[entry_id]
    # No expunge: the session holds clean objects weakly, so each batch is
    # freed once written (expunging costs more than the export itself).


FACETS_TTL = 30  # seconds; this process forgets them at once when it writes an entry
_facets_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> (expires, facets)


@event.listens_for(Session, "after_flush")
def _forget_facets(session, flush_context) -> None:
    if any(isinstance(obj, DipEntry) for obj in (*session.new, *session.dirty, *session.deleted)):
        _facets_cache.clear()


def facets(unit_ids: set[int] | None = None, *, drafts: bool = False) -> dict[str, list]:
    """Years, units and jenis that have entries (for the filter selects).

    Public lists count published entries only (cached briefly: they are read
    on every catalogue page); staff pass ``drafts=True`` and their units.
    """
    if unit_ids is None and not drafts:
        key = db.engine
        hit = _facets_cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        value = _facets(None, drafts=False)
        _facets_cache[key] = (time.monotonic() + FACETS_TTL, value)
        return value
    return _facets(unit_ids, drafts=drafts)


def _facets(unit_ids: set[int] | None, *, drafts: bool) -> dict[str, list]:
    conditions = [] if drafts else [DipEntry.published_at.is_not(None)]
    if unit_ids is not None:
        conditions.append(DipEntry.unit_id.in_(unit_ids))
    years = db.session.scalars(select(DipEntry.year).where(*conditions).distinct().order_by(DipEntry.year.desc())).all()
    unit_sub = select(DipEntry.unit_id).where(*conditions).distinct()
    units = db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_sub)).order_by(Unit.name)).all()
    jenis = db.session.scalars(
        select(DipEntry.jenis).where(DipEntry.jenis != "", *conditions).distinct().order_by(DipEntry.jenis)
    ).all()
    return {"years": list(years), "units": list(units), "jenis": list(jenis), "categories": list(CATEGORIES.items())}


def grouped(entries: list[DipEntry]) -> list[tuple[str, list[DipEntry]]]:
    """Entries grouped by category in the official order (printable layout)."""
    groups: dict[str, list[DipEntry]] = {key: [] for key in CATEGORIES}
    for entry in entries:
        groups.setdefault(entry.category, []).append(entry)
    return [(CATEGORIES.get(key, key), items) for key, items in groups.items() if items]
