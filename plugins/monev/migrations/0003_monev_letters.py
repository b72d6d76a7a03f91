"""monev: the number and date of each unit's letter of results

Revision ID: 0003_monev_letters
Revises: 0002_monev_emonev
Create Date: 2026-12-07 07:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0003_monev_letters"
down_revision = "0002_monev_emonev"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "monev_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["monev_period.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["issued_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "unit_id", name="uq_monev_letter_unit"),
        sa.UniqueConstraint("number", name="uq_monev_letter_number"),
    )
    op.create_index("ix_monev_letter_period_id", "monev_letter", ["period_id"])
    op.create_index("ix_monev_letter_unit_id", "monev_letter", ["unit_id"])


def downgrade():
    op.drop_index("ix_monev_letter_unit_id", table_name="monev_letter")
    op.drop_index("ix_monev_letter_period_id", table_name="monev_letter")
    op.drop_table("monev_letter")
