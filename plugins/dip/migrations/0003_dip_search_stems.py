"""dip: Indonesian stems of entries for the catalogue search

The DIP index now matches stems (cms.api.FullTextIndex) on both databases;
the ``title_stems``/``text_stems`` columns are filled here for every entry,
then the index is built over the text and the stems.

Revision ID: 0003_dip_search_stems
Revises: 0002_dip_row_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_dip_search_stems"
down_revision = "0002_dip_row_versions"
branch_labels = None
depends_on = None


def upgrade():
    from plugins.dip import search

    bind = op.get_bind()
    search.drop_schema(bind)
    op.add_column("dip_entry", sa.Column("title_stems", sa.Text(), server_default="", nullable=False))
    op.add_column("dip_entry", sa.Column("text_stems", sa.Text(), server_default="", nullable=False))
    search.INDEX.backfill(bind, progress=lambda done, total: print(f"  dip_entry stems: {done:,} / {total:,}"))
    search.ensure_schema(bind)


def downgrade():
    from plugins.dip import search

    search.drop_schema(op.get_bind())
    with op.batch_alter_table("dip_entry") as batch_op:
        batch_op.drop_column("text_stems")
        batch_op.drop_column("title_stems")
