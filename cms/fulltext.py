"""The full-text index of one table, on either database.

SQLite: an FTS5 *external-content* table ``<table>_fts`` over the columns,
kept in step by triggers (so raw SQL writes, imports and bench seeding stay
searchable); the update trigger fires only when an indexed column changes.
PostgreSQL: a GIN index ``ix_<table>_fulltext`` on ``to_tsvector(config, …)``.
Used by the newsroom search (``cms.newsroom.search``) and the DIP catalogue
(``plugins.dip.search``); each migration calls ``ensure`` and an
``after_create`` event does the same for ``create_all`` (tests).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import FromClause, event


@dataclass(frozen=True)
class FullTextIndex:
    """A full-text index over ``columns`` of ``table``: FTS5 on SQLite, ``tsvector`` on PostgreSQL."""

    table: str
    columns: tuple[str, ...]
    pg_config: str  # "indonesian" stems words; "simple" keeps codes and names intact

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def pg_document(self) -> str:
        """The tsvector expression; queries must repeat it to use the index."""
        parts = " || ' ' || ".join(f"coalesce({self.table}.{c}, '')" for c in self.columns)
        return f"to_tsvector('{self.pg_config}', {parts})"

    def _sqlite_ddl(self) -> list[str]:
        cols = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
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
            connection.exec_driver_sql(
                f"CREATE INDEX IF NOT EXISTS ix_{self.table}_fulltext ON {self.table} USING gin (({self.pg_document}))"
            )

    def drop(self, connection) -> None:
        if connection.dialect.name == "sqlite":
            for suffix in ("ai", "ad", "au"):
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {self.fts}_{suffix}")
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {self.fts}")
        else:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS ix_{self.table}_fulltext")

    def attach(self, table: FromClause) -> None:
        """Follow ``create_all``/``drop_all`` of ``table``."""
        event.listen(table, "after_create", lambda target, connection, **kw: self.ensure(connection))
        event.listen(table, "before_drop", lambda target, connection, **kw: self.drop(connection))
