"""crosspost: accounts post only what is published after they start

Revision ID: 0002_crosspost_account_start
Revises: 0001_crosspost
Create Date: 2026-12-01 09:30:00

Existing accounts start when they were created, so nothing changes for them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_crosspost_account_start"
down_revision = "0001_crosspost"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE crosspost_account SET starts_at = created_at")


def downgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.drop_column("starts_at")
