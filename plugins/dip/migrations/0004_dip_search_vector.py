"""dip: PostgreSQL stores each entry's search vector (dip_entry.search_vector)

As core's 0018_post_search_vector: matching, counting and ranking read a
stored generated tsvector of the stems, GIN-indexed, instead of building
it per row; it replaces the expression index ``ix_dip_entry_fulltext``.
SQLite keeps its FTS5 table.

Revision ID: 0004_dip_search_vector
Revises: 0003_dip_search_stems
"""

from alembic import op

revision = "0004_dip_search_vector"
down_revision = "0003_dip_search_stems"
branch_labels = None
depends_on = None


def upgrade():
    from plugins.dip import search

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search.ensure_schema(bind)


def downgrade():
    from plugins.dip import search

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search.INDEX.drop_vector(bind)
        bind.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_dip_entry_fulltext ON dip_entry USING gin ({search.INDEX.pg_document})"
        )
