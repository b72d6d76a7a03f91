"""The full-text index of one table, on either database, with Indonesian stems.

Each indexed table carries two stemmed copies of its text (``title_stems``
and ``text_stems``, made by ``cms.stemming``), filled by the ORM on every
save (``keep_stems``) and by ``backfill`` after raw-SQL writes, a migration
or ``flask cms reindex``.

SQLite: an FTS5 *external-content* table ``<table>_fts`` over the text
columns and the stems, kept in step by triggers; the update trigger fires
only when an indexed column changes.  PostgreSQL: a stored generated column
``search_vector``, the ``simple`` tsvector of the stems (title weighted A),
with a GIN index ``ix_<table>_search_vector`` — not the ``indonesian``
Snowball configuration, which misses prefixes that change a root's first
letter — and ``title_vector``, the title's exact words.  Stored, so ranking
reads each match's vectors instead of building them from the text again
(~0.7 ms a row for a news item).  The column is DDL
only, not in the models: SQLite has no tsvector.  Queries match the stems
and rank exact words higher (``fts5_match``, ``pg_stem_query``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import FromClause, event, inspect, text

from cms.abbreviations import abbreviated, expansion
from cms.stemming import stem, stem_text, words

STEM_COLUMNS = ("title_stems", "text_stems")
VECTOR_COLUMN = "search_vector"  # PostgreSQL only, generated from the stems
TITLE_VECTOR_COLUMN = "title_vector"  # PostgreSQL only, the title's exact words
INDEXES: dict[str, FullTextIndex] = {}  # by table, for ``flask cms reindex``
# The public texts of each index, for the "did you mean" vocabulary
# (cms.search_terms): scope → function(connection) → rows of strings.
VOCABULARIES: dict[str, Callable] = {}


def register_vocabulary(scope: str, texts: Callable) -> None:
    VOCABULARIES[scope] = texts


@dataclass(frozen=True)
class FullTextIndex:
    """A full-text index over ``columns`` of ``table``: FTS5 on SQLite, ``tsvector`` on PostgreSQL."""

    table: str
    columns: tuple[str, ...]  # the first is the title: its stems go to ``title_stems``
    pg_config: str = "simple"  # of the exact-word ranking vector
    # PostgreSQL stores the title's exact words too (``pg_exact``), for an
    # index whose ranking reads them (the newsroom's; DIP ranks in Python).
    store_title_vector: bool = True

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def fts_columns(self) -> tuple[str, ...]:
        return self.columns + STEM_COLUMNS

    @property
    def pg_document(self) -> str:
        """The stems' tsvector: what ``search_vector`` stores (the GIN index's
        expression before 0018_search_vector)."""
        t = self.table
        return (
            f"(setweight(to_tsvector('simple', coalesce({t}.title_stems, '')), 'A') || "
            f"to_tsvector('simple', coalesce({t}.text_stems, '')))"
        )

    @property
    def pg_vector(self) -> str:
        """The stored ``pg_document``: what queries match and rank."""
        return f"{self.table}.{VECTOR_COLUMN}"

    @property
    def pg_exact(self) -> str:
        """The title's exact words, stored (ranking only: an exact word beats a relative)."""
        return f"{self.table}.{TITLE_VECTOR_COLUMN}"

    @property
    def pg_exact_document(self) -> str:
        return f"to_tsvector('{self.pg_config}', coalesce({self.table}.{self.columns[0]}, ''))"

    @property
    def pg_stored(self) -> tuple[str, ...]:
        """The generated columns PostgreSQL stores (``VECTOR_COLUMN`` first)."""
        return (VECTOR_COLUMN, TITLE_VECTOR_COLUMN) if self.store_title_vector else (VECTOR_COLUMN,)

    def stems_of(self, values: dict) -> dict[str, str]:
        title, *rest = (values.get(c) for c in self.columns)
        return {"title_stems": _index_terms(title), "text_stems": _index_terms(*rest)}

    def _sqlite_ddl(self) -> list[str]:
        cols = ", ".join(self.fts_columns)
        new = ", ".join(f"new.{c}" for c in self.fts_columns)
        old = ", ".join(f"old.{c}" for c in self.fts_columns)
        t, fts = self.table, self.fts
        delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); "
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{t}', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {t} BEGIN {insert}END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {t} BEGIN {delete}END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {t} BEGIN {delete}{insert}END",
        ]

    def ensure(self, connection) -> None:
        """Create the index on ``connection`` (idempotent)."""
        if connection.dialect.name == "sqlite":
            for statement in self._sqlite_ddl():
                connection.exec_driver_sql(statement)
            # Index rows that existed before the table (an upgraded install).
            connection.exec_driver_sql(f"INSERT INTO {self.fts}({self.fts}) VALUES ('rebuild')")
        else:
            t = self.table
            expressions = {VECTOR_COLUMN: self.pg_document, TITLE_VECTOR_COLUMN: f"({self.pg_exact_document})"}
            added = ", ".join(
                f"ADD COLUMN IF NOT EXISTS {name} tsvector GENERATED ALWAYS AS {expressions[name]} STORED"
                for name in self.pg_stored
            )
            connection.exec_driver_sql(f"ALTER TABLE {t} {added}")  # one rewrite of the table
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{t}_fulltext")  # the expression index it replaces
            connection.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS ix_{t}_{VECTOR_COLUMN} ON {t} USING gin ({VECTOR_COLUMN})"
            )
            # The new column's statistics: without them the planner takes a
            # common word for a rare one and sorts all its matches (25 ms
            # against 0.5 ms at 50,000 items) until autovacuum analyses.
            connection.exec_driver_sql(f"ANALYZE {t}")

    def drop(self, connection) -> None:
        """Drop the index (PostgreSQL keeps the column: ``flask cms reindex``
        then rewrites only the rows whose stems change, without locking the
        table for a rewrite; ``drop_vector`` removes it)."""
        if connection.dialect.name == "sqlite":
            for suffix in ("ai", "ad", "au"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {self.fts}_{suffix}")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {self.fts}")
        else:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{self.table}_fulltext")
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{self.table}_{VECTOR_COLUMN}")

    def drop_vector(self, connection) -> None:
        """PostgreSQL: the stored vector columns and the index (a downgrade)."""
        if connection.dialect.name != "sqlite":
            self.drop(connection)
            dropped = ", ".join(f"DROP COLUMN IF EXISTS {name}" for name in self.pg_stored)
            connection.exec_driver_sql(f"ALTER TABLE {self.table} {dropped}")

    def backfill(self, connection, progress: Callable[[int, int], None] | None = None, batch: int = 1000) -> int:
        """Write the stems of every row whose stems differ (Core updates: no
        version bump, so stored pages stay valid); returns rows changed."""
        cols = ", ".join(self.columns + STEM_COLUMNS)
        total = connection.execute(text(f"SELECT count(*) FROM {self.table}")).scalar_one()
        done = changed = last = 0
        while True:
            rows = connection.execute(
                text(f"SELECT id, {cols} FROM {self.table} WHERE id > :last ORDER BY id LIMIT {batch}"),
                {"last": last},
            ).all()
            if not rows:
                break
            updates = []
            for row in rows:
                values = row._mapping
                stems = self.stems_of(values)
                if any(values[c] != stems[c] for c in STEM_COLUMNS):
                    updates.append({"row_id": row.id, **stems})
            if updates:
                connection.execute(
                    text(
                        f"UPDATE {self.table} SET title_stems = :title_stems, text_stems = :text_stems "
                        "WHERE id = :row_id"
                    ),
                    updates,
                )
            changed += len(updates)
            done += len(rows)
            last = rows[-1].id
            if progress:
                progress(done, total)
        return changed

    def rebuild(self, connection, progress: Callable[[int, int], None] | None = None) -> int:
        """Stems of every row, then the index built afresh (``flask cms reindex``)."""
        self.drop(connection)  # no trigger work per updated row
        changed = self.backfill(connection, progress)
        self.ensure(connection)
        return changed

    def attach(self, table: FromClause, model=None) -> None:
        """Follow ``create_all``/``drop_all`` of ``table``; keep ``model``'s stems."""
        INDEXES[self.table] = self
        event.listen(table, "after_create", lambda target, connection, **kw: self.ensure(connection))
        event.listen(table, "before_drop", lambda target, connection, **kw: self.drop(connection))
        if model is not None:
            event.listen(model, "before_insert", self._fill, propagate=True)
            event.listen(model, "before_update", self._refill, propagate=True)

    def _fill(self, mapper, connection, target) -> None:
        for column, value in self.stems_of({c: getattr(target, c) for c in self.columns}).items():
            setattr(target, column, value)

    def _refill(self, mapper, connection, target) -> None:
        state = inspect(target)
        if any(state.attrs[c].history.has_changes() for c in self.columns):
            self._fill(mapper, connection, target)


def query_terms(q: str, limit: int = 12) -> list[tuple[str, str]]:
    """(word, stem) of the query's words, lower case, at most ``limit``."""
    return [(w.lower(), stem(w)) for w in words(q)[:limit]]


def _units(terms: list[tuple[str, str]]) -> list[tuple[list[tuple[str, str]], str | None, tuple[str, ...] | None]]:
    """The query in units: (words, the abbreviation they spell out, what the
    one word abbreviates) — "pajak bumi dan bangunan" is one unit that "pbb"
    also satisfies, and "pbb" one that the spelt-out phrase satisfies."""
    runs = {start: (end, short) for start, end, short in abbreviated([r for _, r in terms])}
    units: list[tuple[list[tuple[str, str]], str | None, tuple[str, ...] | None]] = []
    n = 0
    while n < len(terms):
        if n in runs:
            end, short = runs[n]
            units.append((terms[n:end], short, None))
            n = end
        else:
            units.append(([terms[n]], None, expansion(terms[n][0])))
            n += 1
    return units


def fts5_match(
    index: FullTextIndex, terms: list[tuple[str, str]], *, prefix: bool = False, joiner="AND", every_prefix=False
) -> str:
    """An FTS5 query: each word's stem in the stems, or the word itself in
    the text (so an exact word scores on both); the last as a prefix if
    asked; an abbreviation or its spelt-out form satisfies the other.

    Every term is quoted: user input can never be FTS5 syntax."""
    exact = "{" + " ".join(index.columns) + "}"
    stems = "{" + " ".join(STEM_COLUMNS) + "}"
    last = len(terms) - 1
    parts, at = [], 0
    for words_, short, long in _units(terms):
        alternatives = []
        for word, root in words_:
            star = "*" if prefix and (every_prefix or at == last) else ""
            alternatives.append(f'({stems} : "{root}"{star} OR {exact} : "{word}"{star})')
            at += 1
        unit = " AND ".join(alternatives)
        if short:
            unit = f'({unit}) OR {stems} : "{short}"'
        if long:
            unit = f'{unit} OR {stems} : "{" ".join(long)}"'
        parts.append(f"({unit})")
    return f" {joiner} ".join(parts)


def pg_stem_query(
    terms: list[tuple[str, str]], *, prefix: bool = False, joiner: str = "&", every_prefix: bool = False
) -> tuple[str, str]:
    """``to_tsquery('simple', …)`` texts of the stems (abbreviations and their
    spelt-out forms satisfying each other) and of the exact words.

    Only ``\\w`` characters reach here (``query_terms``), so no tsquery
    operator can slip in; each is quoted anyway."""
    last = len(terms) - 1

    def quoted(w: str, star: bool = False) -> str:
        return "'" + w.replace("'", "") + "'" + (":*" if star else "")

    parts, at = [], 0
    for words_, short, long in _units(terms):
        alternatives = []
        for _, root in words_:
            alternatives.append(quoted(root, prefix and (every_prefix or at == last)))
            at += 1
        unit = " & ".join(alternatives)
        if short:
            unit = f"({unit}) | {quoted(short)}"
        if long:
            unit = f"{unit} | ({' <-> '.join(quoted(w) for w in long)})"
        parts.append(f"({unit})")
    return f" {joiner} ".join(parts), " | ".join(quoted(word) for word, _ in terms)


def _index_terms(*texts: str | None) -> str:
    """The stems of ``texts``, then each word that differs from its stem.

    PostgreSQL's index holds only these columns: without the words as typed,
    a half-typed last word ("pembangu") could not match "pembangunan" as a
    prefix, since Sastrawi leaves an unknown fragment unstemmed."""
    stems = stem_text(*texts)
    seen = set(stems.split())
    extra = []
    for chunk in texts:
        for word in words(chunk):
            lowered = word.lower()
            if lowered not in seen:
                seen.add(lowered)
                extra.append(lowered)
    return f"{stems} {' '.join(extra)}".strip()
