"""core: PostgreSQL stores each post's search vector (post.search_vector)

Ranking a search rebuilt the tsvector of every match from ``text_stems``
(about 0.7 ms a post, up to 1,000 posts a query: p99 818 ms at 50,000
items) and that of its title.  Stored generated columns replace them:
``search_vector`` (GIN-indexed, in place of the expression index
``ix_post_fulltext``) for matching, counting and ranking, and
``title_vector`` (the title's exact words) for ranking.
SQLite keeps its FTS5 table: nothing changes there.

Revision ID: 0018_post_search_vector
Revises: 0017_post_embargo_index
Create Date: 2026-12-07 06:45:00

"""

from alembic import op

revision = "0018_post_search_vector"
down_revision = "0017_post_embargo_index"
branch_labels = None
depends_on = None


def upgrade():
    from cms.newsroom import search

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search.ensure_schema(bind)  # the columns (computed for every post), the index; drops the old one


def downgrade():
    from cms.newsroom import search

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        search.INDEX.drop_vector(bind)
        bind.exec_driver_sql(
            f"CREATE INDEX IF NOT EXISTS ix_post_fulltext ON post USING gin ({search.INDEX.pg_document})"
        )
