"""monev: e-Monev answers and evidence files

Revision ID: 0002_monev_emonev
Revises: 0001_monev
Create Date: 2026-12-07 04:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002_monev_emonev"
down_revision = "0001_monev"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "monev_emonev_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("option", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "question", name="uq_monev_emonev_answer"),
    )
    op.create_index("ix_monev_emonev_answer_year", "monev_emonev_answer", ["year"])
    op.create_table(
        "monev_emonev_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("question", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=120), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("stored", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "file_name", name="uq_monev_emonev_file"),
    )
    op.create_index("ix_monev_emonev_file_year", "monev_emonev_file", ["year"])


def downgrade():
    op.drop_table("monev_emonev_file")
    op.drop_table("monev_emonev_answer")
