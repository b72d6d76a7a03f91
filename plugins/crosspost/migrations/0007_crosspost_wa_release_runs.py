"""A WhatsApp release is held through cms job runs, not its own lease column.

Revision ID: 0007_crosspost_wa_release_runs
Revises: 0006_crosspost_account_reconnect
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_crosspost_wa_release_runs"
down_revision = "0006_crosspost_account_reconnect"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crosspost_wa_release", schema=None) as batch_op:
        batch_op.drop_column("lease_until")


def downgrade():
    with op.batch_alter_table("crosspost_wa_release", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
