"""Optimistic-lock version column: concurrent actions on one row answer 409.

Revision ID: 0002_dip_row_versions
Revises: 0001_dip
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_dip_row_versions"
down_revision = "0001_dip"
branch_labels = None
depends_on = None

TABLES = ("dip_entry",)


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
