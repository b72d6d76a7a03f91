"""Full-text search over public posts: SQLite FTS5 or PostgreSQL tsvector.

SQLite: ``post_fts`` is an FTS5 *external-content* table over ``post``
(title, summary, body_text) kept in step by triggers, so raw SQL writes
(bench seeding, imports) stay searchable too.  PostgreSQL: a GIN index on
``to_tsvector('indonesian', …)`` and ``ts_headline`` for snippets.  Never
``LIKE`` over bodies.

``ensure_schema()`` creates these objects; the migration calls it and so does
an ``after_create`` event on the ``post`` table (tests use ``create_all``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import bindparam, event, select, text

from cms.extensions import db
from cms.models.content import Post

PG_DOCUMENT = (
    "to_tsvector('indonesian', coalesce(post.title, '') || ' ' || coalesce(post.summary, '') "
    "|| ' ' || coalesce(post.body_text, ''))"
)
_SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS post_fts USING fts5("
    "title, summary, body_text, content='post', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS post_fts_ai AFTER INSERT ON post BEGIN "
    "INSERT INTO post_fts(rowid, title, summary, body_text) "
    "VALUES (new.id, new.title, new.summary, new.body_text); END",
    "CREATE TRIGGER IF NOT EXISTS post_fts_ad AFTER DELETE ON post BEGIN "
    "INSERT INTO post_fts(post_fts, rowid, title, summary, body_text) "
    "VALUES ('delete', old.id, old.title, old.summary, old.body_text); END",
    # Only re-index when indexed columns change (status flips are frequent).
    "CREATE TRIGGER IF NOT EXISTS post_fts_au AFTER UPDATE OF title, summary, body_text ON post BEGIN "
    "INSERT INTO post_fts(post_fts, rowid, title, summary, body_text) "
    "VALUES ('delete', old.id, old.title, old.summary, old.body_text); "
    "INSERT INTO post_fts(rowid, title, summary, body_text) "
    "VALUES (new.id, new.title, new.summary, new.body_text); END",
]
_PG_DDL = [f"CREATE INDEX IF NOT EXISTS ix_post_fulltext ON post USING gin ({PG_DOCUMENT})"]
_SQLITE_DROP = ["DROP TRIGGER IF EXISTS post_fts_ai", "DROP TRIGGER IF EXISTS post_fts_ad",
                "DROP TRIGGER IF EXISTS post_fts_au", "DROP TABLE IF EXISTS post_fts"]
_PG_DROP = ["DROP INDEX IF EXISTS ix_post_fulltext"]
_WORD = re.compile(r"\w+", re.UNICODE)
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # placeholders, escaped before <mark> goes in
# Matches are counted up to here; past it the page says "more than 1.000" and
# lists newest first, because ranking every match of a very common word is slow.
MAX_RESULTS = 1000


def ensure_schema(connection) -> None:
    """Create the search objects on ``connection`` (idempotent)."""
    for statement in _SQLITE_DDL if connection.dialect.name == "sqlite" else _PG_DDL:
        connection.exec_driver_sql(statement)
    if connection.dialect.name == "sqlite":
        # Index rows that existed before the table (e.g. an upgraded install).
        connection.exec_driver_sql("INSERT INTO post_fts(post_fts) VALUES ('rebuild')")


def drop_schema(connection) -> None:
    for statement in _SQLITE_DROP if connection.dialect.name == "sqlite" else _PG_DROP:
        connection.exec_driver_sql(statement)


@event.listens_for(Post.__table__, "after_create")
def _after_post_table_created(target, connection, **kw):
    ensure_schema(connection)


@event.listens_for(Post.__table__, "before_drop")
def _before_post_table_dropped(target, connection, **kw):
    drop_schema(connection)


@dataclass
class Hit:
    post: Post
    snippet: Markup


def _fts5_query(q: str) -> str | None:
    """Words as quoted FTS5 terms (prefix match on the last), all required.

    Quoting each word means user input can never be FTS syntax (no errors on
    ``"``, ``*``, ``NEAR``, ``-``)."""
    words = _WORD.findall(q)[:12]
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    terms[-1] += "*"
    return " ".join(terms)


def _marked(snippet: str | None) -> Markup:
    escaped = str(escape(snippet or ""))
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def _count(base: str, params: dict) -> int:
    """Matches, counted up to ``MAX_RESULTS + 1``."""
    sql = f"SELECT count(*) FROM (SELECT 1 {base} LIMIT {MAX_RESULTS + 1}) hits"
    return db.session.execute(text(sql), params).scalar_one()


def search(q: str, *, page: int = 1, per_page: int = 20) -> tuple[list[Hit], int]:
    """Public posts matching ``q`` (best first) and the count, at most ``MAX_RESULTS + 1``."""
    from cms.publishing import public_filter

    q = (q or "").strip()[:200]
    if not q:
        return [], 0
    offset = (max(page, 1) - 1) * per_page
    public_sql, params = public_filter()
    if db.engine.dialect.name == "sqlite":
        match = _fts5_query(q)
        if match is None:
            return [], 0
        params["match"] = match
        # FTS first (CROSS JOIN fixes the order), then a covering index answers
        # "is it public?" without reading the wide post rows.
        base = ("FROM post_fts CROSS JOIN post INDEXED BY ix_post_visibility ON post.id = post_fts.rowid "
                f"WHERE post_fts MATCH :match AND {public_sql}")
        # Rank and page first; snippets only for the rows shown (snippet() per
        # match would cost more than the whole search on common words).  A term
        # in thousands of items is listed newest first: ranking them all is slow.
        total = _count(base, params)
        ranking = "post_fts.rowid DESC" if total > MAX_RESULTS else "bm25(post_fts, 8.0, 3.0, 1.0)"
        page_sql = f"SELECT post.id AS id {base} ORDER BY {ranking} LIMIT :limit OFFSET :offset"
        rows_sql = None  # snippets are cut in Python: FTS5's snippet() rescans every match
    else:
        params["q"] = q
        base = (f"FROM post, websearch_to_tsquery('indonesian', :q) query "
                f"WHERE {PG_DOCUMENT} @@ query AND {public_sql}")
        total = _count(base, params)
        ranking = "post.published_at DESC" if total > MAX_RESULTS else \
            f"ts_rank({PG_DOCUMENT}, query) DESC, post.published_at DESC"
        page_sql = f"SELECT post.id AS id {base} ORDER BY {ranking} LIMIT :limit OFFSET :offset"
        rows_sql = (
            "SELECT post.id AS id, ts_headline('indonesian', coalesce(post.summary, '') || ' ' || "
            f"coalesce(post.body_text, ''), query, 'StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=35, "
            "MinWords=15, MaxFragments=2, FragmentDelimiter= … ') AS snip "
            "FROM post, websearch_to_tsquery('indonesian', :q) query WHERE post.id IN :ids")
    if not total:
        return [], 0
    ids = [r.id for r in db.session.execute(text(page_sql), {**params, "limit": per_page, "offset": offset})]
    if not ids:
        return [], total
    posts = {p.id: p for p in db.session.scalars(select(Post).where(Post.id.in_(ids)))}
    if rows_sql is None:
        words = _WORD.findall(q)[:12]
        snippets = {i: cut_snippet(posts[i].summary + " " + posts[i].body_text, words) for i in posts}
    else:
        snippets = dict(db.session.execute(text(rows_sql).bindparams(bindparam("ids", expanding=True)),
                                           {**params, "ids": ids}).all())
    return [Hit(posts[i], _marked(snippets.get(i))) for i in ids if i in posts], total


def cut_snippet(text_: str, words: list[str], width: int = 28) -> str:
    """About ``width`` words around the first hit, hits wrapped in mark placeholders.

    Matches like the FTS5 query: whole words, the last one as a prefix,
    case- and accent-insensitive enough for Indonesian text."""
    if not words:
        return ""
    alternatives = [re.escape(w) + (r"\w*" if n == len(words) - 1 else r"\b") for n, w in enumerate(words)]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + ")", re.IGNORECASE | re.UNICODE)
    tokens = text_.split()
    first = next((n for n, token in enumerate(tokens) if pattern.search(token)), 0)
    start = max(first - width // 3, 0)
    window = " ".join(tokens[start:start + width])
    marked = pattern.sub(lambda m: MARK_OPEN + m.group(0) + MARK_CLOSE, window)
    return ("… " if start else "") + marked + (" …" if start + width < len(tokens) else "")
