"""core: jabatan and NIP of a user, for the signature block of letters

Revision ID: 0007_user_position_nip
Revises: 0006_job_runs
Create Date: 2026-12-07 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_user_position_nip"
down_revision = "0006_job_runs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("nip", sa.String(length=30), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("nip")
        batch_op.drop_column("position")
