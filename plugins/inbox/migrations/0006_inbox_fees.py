"""Standar biaya table and payments with their kuitansi (issue 18).

Revision ID: 0006_inbox_fees
Revises: 0005_inbox_row_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_inbox_fees"
down_revision = "0005_inbox_row_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_fee_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "inbox_payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("receipt_number", sa.String(length=60), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.String(length=300), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_name", sa.String(length=200), nullable=False),
        sa.Column("pdf_stored_name", sa.String(length=100), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_size", sa.Integer(), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["inbox_request.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_number", name="uq_inbox_payment_receipt_number"),
    )
    with op.batch_alter_table("inbox_payment", schema=None) as batch_op:
        batch_op.create_index("ix_inbox_payment_request_id", ["request_id"], unique=False)
        batch_op.create_index("ix_inbox_payment_paid_on", ["paid_on"], unique=False)


def downgrade():
    with op.batch_alter_table("inbox_payment", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_payment_paid_on")
        batch_op.drop_index("ix_inbox_payment_request_id")
    op.drop_table("inbox_payment")
    op.drop_table("inbox_fee_item")
