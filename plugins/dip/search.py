"""Full-text search over DIP entries: SQLite FTS5 or PostgreSQL tsvector.

SQLite: ``dip_entry_fts`` is an FTS5 external-content table over ``dip_entry``
kept in step by triggers (so raw-SQL writes, imports and bench seeding stay
searchable).  PostgreSQL: the stored ``simple`` tsvector of the Indonesian
stems (``dip_entry.search_vector``, GIN-indexed) (``cms.api.FullTextIndex``: "perizinan" finds "izin"); kode
numbers and names are kept as they are.  Never
``LIKE`` over long text.  Highlighting is done in Python on the shown rows
(escape first, then ``<mark>``), the same on both databases.  ``ensure_schema`` runs from the migration and from
an ``after_create`` event (tests build tables with ``create_all``).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import ColumnElement, Select, column, func, literal_column, table, text

from cms.api import FullTextIndex, fts5_match, pg_stem_query, query_terms, register_vocabulary, stem_text
from plugins.dip.models import DipEntry

INDEX = FullTextIndex("dip_entry", ("title", "description_text", "kode", "jenis"), store_title_vector=False)
PG_DOCUMENT = INDEX.pg_vector  # the stored tsvector of the stems
_WORD = re.compile(r"\w+", re.UNICODE)
_fts = table("dip_entry_fts", column("rowid"), column("rank"))


ensure_schema = INDEX.ensure
drop_schema = INDEX.drop
INDEX.attach(DipEntry.__table__, DipEntry)


def public_texts(connection):
    """Title, description and jenis of every published entry ("did you mean")."""
    return connection.execute(
        text("SELECT title, description_text, jenis FROM dip_entry WHERE published_at IS NOT NULL")
    )


register_vocabulary("dip_entry", public_texts)


def words(q: str, limit: int = 12) -> list[str]:
    return _WORD.findall(q or "")[:limit]


def _fts5_query(q: str, joiner: str) -> str:
    """Each word's stem, or the word itself, as a prefix (``cms.api.fts5_match``)."""
    return fts5_match(INDEX, query_terms(q), prefix=True, joiner=joiner, every_prefix=True)


def _pg_query(q: str, joiner: str) -> str:
    return pg_stem_query(query_terms(q), prefix=True, joiner=joiner, every_prefix=True)[0]


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
        match = _fts5_query(q, "OR" if any_word else "AND")
        stmt = stmt.join(_fts, _fts.c.rowid == DipEntry.id).where(
            text("dip_entry_fts MATCH :dip_match").bindparams(dip_match=match)
        )
        return stmt.order_by(None).order_by(_fts.c.rank) if rank else stmt
    query = func.to_tsquery("simple", _pg_query(q, "|" if any_word else "&"))
    document: ColumnElement[Any] = literal_column(PG_DOCUMENT)
    stmt = stmt.where(document.op("@@")(query))
    if rank:
        stmt = stmt.order_by(None).order_by(func.ts_rank(document, query).desc(), DipEntry.id.desc())
    return stmt


def rank(q: str, rows: list[tuple[int, str]]) -> list[int]:
    """Order candidate (id, title) rows: more query words in the title first
    (as typed counting twice, as a relative once), then newest.  Scoring a
    few hundred titles in Python costs well under a millisecond, while
    FTS5's bm25 walks the whole match list of each word."""
    terms = query_terms(q)
    patterns = [re.compile(rf"(?<!\w){re.escape(w)}", re.IGNORECASE) for w, _ in terms]
    roots = [r for _, r in terms]

    def score(title: str) -> int:
        stems = set(stem_text(title).split())
        return 2 * sum(1 for p in patterns if p.search(title)) + sum(1 for r in roots if r in stems)

    scored = [(-score(title or ""), -entry_id, entry_id) for entry_id, title in rows]
    return [entry_id for *_, entry_id in sorted(scored)]


def _pattern(q: str) -> re.Pattern | None:
    terms = sorted({t for pair in query_terms(q) for t in pair}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", re.IGNORECASE)


def _mark(text: str, pattern: re.Pattern) -> Markup:
    """Escape ``text`` and wrap each match (prefix of a query word) in <mark>."""
    out, last = [], 0
    for found in pattern.finditer(text):
        out.append(str(escape(text[last : found.start()])))
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
        before = description[: found.start()].split(" ")
        after = description[found.start() :].split(" ")
        head = before[-words_around:] if len(before) > words_around else before
        snippet = ("… " if len(before) > words_around else "") + " ".join(head + after[: words_around * 2])
        if len(after) > words_around * 2:
            snippet += " …"
    return _mark(title, pattern), _mark(snippet, pattern)


def match_condition(dialect: str, q: str) -> ColumnElement | None:
    """A WHERE clause for counting matches without the ranking join."""
    terms = words(q)
    if not terms:
        return None
    if dialect == "sqlite":
        sub = (
            text("SELECT rowid FROM dip_entry_fts WHERE dip_entry_fts MATCH :dip_match")
            .bindparams(dip_match=_fts5_query(q, "AND"))
            .columns(column("rowid"))
        )
        return DipEntry.id.in_(sub)
    return literal_column(PG_DOCUMENT).op("@@")(func.to_tsquery("simple", _pg_query(q, "&")))
