"""inbox: tracking code held encrypted for the one receipt page

Revision ID: 0004_inbox_receipt_code
Revises: 0003_inbox
Create Date: 2026-12-01 09:00:00

The code used to travel in the session cookie; it now waits, encrypted, on
the request row until the receipt page shows it once.  ``tracking_hash`` was
already a keyed hash, so existing rows need no change.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_inbox_receipt_code"
down_revision = "0003_inbox"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipt_code_enc", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_column("receipt_code_enc")
