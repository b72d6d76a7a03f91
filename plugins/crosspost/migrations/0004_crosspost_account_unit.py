"""Accounts per unit: an OPD connects its own accounts (NULL = central account).

Revision ID: 0004_crosspost_account_unit
Revises: 0003_crosspost_row_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_crosspost_account_unit"
down_revision = "0003_crosspost_row_versions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_crosspost_account_unit_id", ["unit_id"])
        batch_op.create_foreign_key(
            "fk_crosspost_account_unit_id_unit", "unit", ["unit_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.drop_constraint("fk_crosspost_account_unit_id_unit", type_="foreignkey")
        batch_op.drop_index("ix_crosspost_account_unit_id")
        batch_op.drop_column("unit_id")
