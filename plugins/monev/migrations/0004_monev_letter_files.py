"""monev: keep each issued letter of results as printed

Revision ID: 0004_monev_letter_files
Revises: 0003_monev_letters
Create Date: 2026-12-07 13:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004_monev_letter_files"
down_revision = "0003_monev_letters"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("monev_letter") as batch:
        batch.add_column(sa.Column("stored", sa.String(length=80), nullable=False, server_default=""))
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("monev_letter") as batch:
        batch.drop_column("sha256")
        batch.drop_column("stored")
