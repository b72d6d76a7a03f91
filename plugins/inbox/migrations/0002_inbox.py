"""inbox: officer queue sort key

Revision ID: 0002_inbox
Revises: 0001_inbox
Create Date: 2026-11-23 11:59:17.560050

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_inbox"
down_revision = "0001_inbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_rank", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("due_sort", sa.Date(), nullable=True))
        batch_op.create_index("ix_inbox_request_queue", ["queue_rank", "due_sort", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_request_year"), ["year"], unique=False)
    # Backfill the sort key the ORM keeps from now on.
    op.execute(
        "UPDATE inbox_request SET due_sort = COALESCE(extended_due_date, due_date), queue_rank = CASE "
        "WHEN status IN ('terdaftar', 'menunggu_kelengkapan', 'diproses') THEN 0 ELSE 1 END"
    )
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.alter_column("queue_rank", server_default=None)


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_request_year"))
        batch_op.drop_index("ix_inbox_request_queue")
        batch_op.drop_column("due_sort")
        batch_op.drop_column("queue_rank")
