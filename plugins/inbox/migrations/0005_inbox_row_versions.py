"""Optimistic-lock version column: concurrent actions on one row answer 409.

Revision ID: 0005_inbox_row_versions
Revises: 0004_inbox_receipt_code
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_inbox_row_versions"
down_revision = "0004_inbox_receipt_code"
branch_labels = None
depends_on = None

TABLES = (
    "inbox_request",
    "inbox_objection",
)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
