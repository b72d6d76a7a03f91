"""Full-text search over DIP entries: SQLite FTS5 or PostgreSQL tsvector.

SQLite: ``dip_entry_fts`` is an FTS5 external-content table over ``dip_entry``
kept in step by triggers (so raw-SQL writes, imports and bench seeding stay
searchable).  PostgreSQL: a GIN index on ``to_tsvector('simple', …)``; the
``simple`` configuration keeps kode numbers and OPD names intact.  Never
``LIKE`` over long text.  Highlighting is done in Python on the shown rows
(escape first, then ``<mark>``), the same on both databases.  ``ensure_schema`` runs from the migration and from
an ``after_create`` event (tests build tables with ``create_all``).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, column, event, func, literal_column, table, text

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
    Highlights are made afterwards for the shown rows only (``highlight``).
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


def rank(q: str, rows: list[tuple[int, str]]) -> list[int]:
    """Order candidate (id, title) rows: more query words in the title first,
    then newest.  Scoring a few hundred titles in Python costs well under a
    millisecond, while FTS5's bm25 walks the whole match list of each word."""
    patterns = [re.compile(rf"(?<!\w){re.escape(w)}", re.IGNORECASE) for w in words(q)]
    scored = [(-sum(1 for p in patterns if p.search(title or "")), -entry_id, entry_id) for entry_id, title in rows]
    return [entry_id for *_, entry_id in sorted(scored)]


def _pattern(q: str) -> re.Pattern | None:
    terms = sorted({w.lower() for w in words(q)}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)


def _mark(text: str, pattern: re.Pattern) -> Markup:
    """Escape ``text`` and wrap each match (prefix of a query word) in <mark>."""
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(str(escape(text[last:found.start()])))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def highlight(q: str, title: str, description: str, words_around: int = 12) -> tuple[Markup, Markup]:
    """(title, description snippet) with query words marked, for one shown entry."""
    pattern = _pattern(q)
    if pattern is None:
        return Markup(escape(title)), Markup(escape(description[:240]))
    found = pattern.search(description)
    if found is None:
        snippet = description[:240]
    else:
        before = description[:found.start()].split(" ")
        after = description[found.start():].split(" ")
        head = before[-words_around:] if len(before) > words_around else before
        snippet = ("… " if len(before) > words_around else "") + " ".join(head + after[:words_around * 2])
        if len(after) > words_around * 2:
            snippet += " …"
    return _mark(title, pattern), _mark(snippet, pattern)


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
