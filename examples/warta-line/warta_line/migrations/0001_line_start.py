"""line: create tables

Revision ID: 0001_line_start
Revises:
Depends on: 0007_user_position_nip (Warta's core)
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_line_start"
down_revision = None
branch_labels = ("line",)
# The branch starts after Warta's core tables exist (units, users, posts).
depends_on = "0007_user_position_nip"


def upgrade():
    op.create_table(
        "line_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )


def downgrade():
    op.drop_table("line_entry")
