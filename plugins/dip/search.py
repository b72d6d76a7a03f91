"""Full-text search over DIP entries: SQLite FTS5 or PostgreSQL tsvector.

SQLite: ``dip_entry_fts`` is an FTS5 external-content table over ``dip_entry``
kept in step by triggers (so raw-SQL writes, imports and bench seeding stay
searchable).  PostgreSQL: a GIN index on ``to_tsvector('simple', …)``; the
``simple`` configuration keeps kode numbers and OPD names intact.  Never
``LIKE`` over long text.  ``ensure_schema`` runs from the migration and from
an ``after_create`` event (tests build tables with ``create_all``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, bindparam, column, event, func, literal_column, select, table, text

from cms.extensions import db

from plugins.dip.models import DipEntry

_COLS = "title, description_text, kode, jenis"
PG_DOCUMENT = (
    "to_tsvector('simple', coalesce(dip_entry.title, '') || ' ' || coalesce(dip_entry.description_text, '')"
    " || ' ' || coalesce(dip_entry.kode, '') || ' ' || coalesce(dip_entry.jenis, ''))"
)
_SQLITE_DDL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS dip_entry_fts USING fts5({_COLS}, content='dip_entry', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS dip_entry_fts_ai AFTER INSERT ON dip_entry BEGIN "
    f"INSERT INTO dip_entry_fts(rowid, {_COLS}) VALUES (new.id, new.title, new.description_text, "
    "new.kode, new.jenis); END",
    f"CREATE TRIGGER IF NOT EXISTS dip_entry_fts_ad AFTER DELETE ON dip_entry BEGIN "
    f"INSERT INTO dip_entry_fts(dip_entry_fts, rowid, {_COLS}) VALUES ('delete', old.id, old.title, "
    "old.description_text, old.kode, old.jenis); END",
    f"CREATE TRIGGER IF NOT EXISTS dip_entry_fts_au AFTER UPDATE OF {_COLS} ON dip_entry BEGIN "
    f"INSERT INTO dip_entry_fts(dip_entry_fts, rowid, {_COLS}) VALUES ('delete', old.id, old.title, "
    "old.description_text, old.kode, old.jenis); "
    f"INSERT INTO dip_entry_fts(rowid, {_COLS}) VALUES (new.id, new.title, new.description_text, "
    "new.kode, new.jenis); END",
]
_PG_DDL = [f"CREATE INDEX IF NOT EXISTS ix_dip_entry_fulltext ON dip_entry USING gin (({PG_DOCUMENT}))"]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS dip_entry_fts_ai", "DROP TRIGGER IF EXISTS dip_entry_fts_ad",
                "DROP TRIGGER IF EXISTS dip_entry_fts_au", "DROP TABLE IF EXISTS dip_entry_fts"]
_PG_DROP = ["DROP INDEX IF EXISTS ix_dip_entry_fulltext"]
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # placeholders, escaped before <mark> goes in
_fts = table("dip_entry_fts", column("rowid"), column("rank"))


def ensure_schema(connection) -> None:
    """Create the search objects on ``connection`` (idempotent)."""
    sqlite = connection.dialect.name == "sqlite"
    for statement in _SQLITE_DDL if sqlite else _PG_DDL:
        connection.exec_driver_sql(statement)
    if sqlite:  # index rows that existed before the table (upgraded installs)
        connection.exec_driver_sql("INSERT INTO dip_entry_fts(dip_entry_fts) VALUES ('rebuild')")


def drop_schema(connection) -> None:
    for statement in _SQLITE_DROP if connection.dialect.name == "sqlite" else _PG_DROP:
        connection.exec_driver_sql(statement)


@event.listens_for(DipEntry.__table__, "after_create")
def _after_create(target, connection, **kw):
    ensure_schema(connection)


@event.listens_for(DipEntry.__table__, "before_drop")
def _before_drop(target, connection, **kw):
    drop_schema(connection)


def words(q: str, limit: int = 12) -> list[str]:
    return _WORD.findall(q or "")[:limit]


def _fts5_query(terms: list[str], joiner: str) -> str:
    """Quoted terms (prefix match) so user input can never be FTS5 syntax."""
    return f" {joiner} ".join(f'"{w}"*' for w in terms)


def _pg_query(terms: list[str], joiner: str) -> str:
    # Only \w characters reach here, so no tsquery operators can slip in.
    return f" {joiner} ".join(f"{w}:*" for w in terms)


def apply(stmt: Select, dialect: str, q: str, *, any_word: bool = False, rank: bool = True) -> Select:
    """Restrict ``stmt`` (selecting DipEntry) to matches of ``q``; best first when ``rank``.

    Ranking scores every match, so callers turn it off for very broad
    queries (thousands of matches) and keep their own order instead.
    Highlights are fetched afterwards for the shown rows only (``highlights``).
    """
    terms = words(q)
    if not terms:
        return stmt
    if dialect == "sqlite":
        match = _fts5_query(terms, "OR" if any_word else "AND")
        stmt = stmt.join(_fts, _fts.c.rowid == DipEntry.id).where(
            text("dip_entry_fts MATCH :dip_match").bindparams(dip_match=match))
        return stmt.order_by(None).order_by(_fts.c.rank) if rank else stmt
    query = func.to_tsquery("simple", _pg_query(terms, "|" if any_word else "&"))
    document = literal_column(PG_DOCUMENT)
    stmt = stmt.where(document.op("@@")(query))
    if rank:
        stmt = stmt.order_by(None).order_by(func.ts_rank(document, query).desc(), DipEntry.id.desc())
    return stmt


def rank_sqlite(q: str, ids: list[int], limit: int, offset: int) -> list[int]:
    """Order a small candidate set by bm25 (scores only those rows)."""
    if not ids:
        return []
    sql = text(
        "SELECT rowid FROM dip_entry_fts WHERE dip_entry_fts MATCH :m AND rowid IN :ids "
        "ORDER BY rank, rowid DESC LIMIT :limit OFFSET :offset"
    ).bindparams(bindparam("ids", expanding=True))
    rows = db.session.execute(sql, {"m": _fts5_query(words(q), "AND"), "ids": ids, "limit": limit,
                                    "offset": offset})
    return [row[0] for row in rows]


def highlights(dialect: str, q: str, ids: list[int]) -> dict[int, tuple[Markup, Markup]]:
    """{id: (title with <mark>, description snippet with <mark>)} for the given rows."""
    terms = words(q)
    if not terms or not ids:
        return {}
    if dialect == "sqlite":
        sql = text(
            f"SELECT rowid AS id, highlight(dip_entry_fts, 0, '{MARK_OPEN}', '{MARK_CLOSE}') AS t, "
            f"snippet(dip_entry_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', ' … ', 24) AS s "
            "FROM dip_entry_fts WHERE dip_entry_fts MATCH :m AND rowid IN :ids"
        ).bindparams(bindparam("ids", expanding=True))
        rows = db.session.execute(sql, {"m": _fts5_query(terms, "OR"), "ids": ids}).all()
    else:
        query = func.to_tsquery("simple", _pg_query(terms, "|"))
        stmt = select(
            DipEntry.id,
            func.ts_headline("simple", DipEntry.title, query,
                             f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, HighlightAll=true"),
            func.ts_headline("simple", DipEntry.description_text, query,
                             f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=30, MinWords=12"),
        ).where(DipEntry.id.in_(ids))
        rows = db.session.execute(stmt).all()
    return {row[0]: (marked(row[1]), marked(row[2])) for row in rows}


def marked(snippet: str | None) -> Markup:
    """Escape everything, then turn the placeholders into ``<mark>``."""
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def match_condition(dialect: str, q: str) -> ColumnElement | None:
    """A WHERE clause for counting matches without the ranking join."""
    terms = words(q)
    if not terms:
        return None
    if dialect == "sqlite":
        sub = text("SELECT rowid FROM dip_entry_fts WHERE dip_entry_fts MATCH :dip_match").bindparams(
            dip_match=_fts5_query(terms, "AND")).columns(column("rowid"))
        return DipEntry.id.in_(sub)
    return literal_column(PG_DOCUMENT).op("@@")(func.to_tsquery("simple", _pg_query(terms, "&")))
