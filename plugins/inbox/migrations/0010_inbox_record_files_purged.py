"""inbox: when an issued letter's or kuitansi's PDF was destroyed under the retention schedule

Revision ID: 0010_inbox_record_files_purged
Revises: 0009_inbox_disposisi
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_inbox_record_files_purged"
down_revision = "0009_inbox_disposisi"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inbox_letter", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("inbox_payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("inbox_payment", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
    with op.batch_alter_table("inbox_letter", schema=None) as batch_op:
        batch_op.drop_column("purged_at")
