"""Optimistic-lock version column: concurrent actions on one row answer 409.

Revision ID: 0003_crosspost_row_versions
Revises: 0002_crosspost_account_start
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_crosspost_row_versions"
down_revision = "0002_crosspost_account_start"
branch_labels = None
depends_on = None

TABLES = ("crosspost_delivery",)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
