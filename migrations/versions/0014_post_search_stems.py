"""core: Indonesian stems of posts for search, and the did-you-mean vocabulary

The full-text index now matches stems (cms.stemming) on both databases: the
old index (FTS5 over the text, or PostgreSQL's ``indonesian`` tsvector) is
replaced by one over the text and the new ``title_stems``/``text_stems``
columns, filled here for every existing post.

Revision ID: 0014_post_search_stems
Revises: 0013_site_identity
Create Date: 2026-12-07 03:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_post_search_stems"
down_revision = "0013_site_identity"
branch_labels = None
depends_on = None


def upgrade():
    from cms import search_terms
    from cms.newsroom import search

    bind = op.get_bind()
    search.drop_schema(bind)
    op.add_column("post", sa.Column("title_stems", sa.Text(), server_default="", nullable=False))
    op.add_column("post", sa.Column("text_stems", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "search_term",
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.Column("docs", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "word", name=op.f("pk_search_term")),
    )
    search.INDEX.backfill(bind, progress=lambda done, total: print(f"  post stems: {done:,} / {total:,}"))
    search.ensure_schema(bind)
    search_terms.rebuild(bind, "post", search.public_texts(bind))


def downgrade():
    from cms.newsroom import search

    search.drop_schema(op.get_bind())  # 0008's index is not rebuilt: search finds nothing until upgraded
    op.drop_table("search_term")
    with op.batch_alter_table("post") as batch_op:
        batch_op.drop_column("text_stems")
        batch_op.drop_column("title_stems")
