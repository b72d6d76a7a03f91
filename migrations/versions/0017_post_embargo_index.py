"""core: index post (status, embargo_until): the next embargo to lift

Every feed render asks when time alone will next change the public set
(``min(embargo_until) WHERE status = 'published' AND embargo_until > now``);
embargo links and subscriptions ask the same with ``status IN (…)``.
Without this index each question walks every published post
(ix_post_public ranges on status only), so the RSS feed slowed with the
table (bench/scale/tenfold.py).  Status comes first: SQLite without
statistics prefers an index with an equality to one with a range.

Revision ID: 0017_post_embargo_index
Revises: 0016_password_reset
Create Date: 2026-12-07 06:00:00

"""

from alembic import op

revision = "0017_post_embargo_index"
down_revision = "0016_password_reset"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("post") as batch_op:
        batch_op.create_index("ix_post_embargo", ["status", "embargo_until"], unique=False)


def downgrade():
    with op.batch_alter_table("post") as batch_op:
        batch_op.drop_index("ix_post_embargo")
