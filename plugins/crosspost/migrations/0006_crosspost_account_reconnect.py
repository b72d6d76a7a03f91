"""An account whose token the network refused waits for reconnection.

Revision ID: 0006_crosspost_account_reconnect
Revises: 0005_crosspost_whatsapp
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_crosspost_account_reconnect"
down_revision = "0005_crosspost_whatsapp"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reconnect_since", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("reconnect_reason", sa.String(length=500), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("crosspost_account", schema=None) as batch_op:
        batch_op.drop_column("reconnect_reason")
        batch_op.drop_column("reconnect_since")
