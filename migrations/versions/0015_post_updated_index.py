"""core: index the staff post list's sort (updated_at, id)

The admin post list sorts every post by last change; without an index
SQLite and PostgreSQL sort the whole table per page view (1.1 s at 50,000
items on SQLite, bench/scale/tenfold.py).

Revision ID: 0015_post_updated_index
Revises: 0014_post_search_stems
Create Date: 2026-12-07 04:15:00

"""

from alembic import op

revision = "0015_post_updated_index"
down_revision = "0014_post_search_stems"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("post") as batch_op:
        batch_op.create_index("ix_post_updated", ["updated_at", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("post") as batch_op:
        batch_op.drop_index("ix_post_updated")
