"""crosspost: accounts, per-post choices, delivery outbox

Revision ID: 0001_crosspost
Revises:
Create Date: 2026-11-23 11:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0001_crosspost"
down_revision = None
branch_labels = ("crosspost",)
depends_on = "0002_newsroom"


def upgrade():
    op.create_table(
        "crosspost_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("secrets_enc", sa.Text(), nullable=False),
        sa.Column("state_enc", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("default_kinds", sa.String(length=200), nullable=False),
        sa.Column("default_categories", sa.String(length=500), nullable=False),
        sa.Column("share_serta_merta", sa.Boolean(), nullable=False),
        sa.Column("last_test_at", sa.DateTime(), nullable=True),
        sa.Column("last_test_ok", sa.Boolean(), nullable=True),
        sa.Column("last_test_message", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosspost_account")),
    )
    op.create_table(
        "crosspost_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["crosspost_account.id"],
            name=op.f("fk_crosspost_choice_account_id_crosspost_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosspost_choice")),
        sa.UniqueConstraint("post_id", "account_id", name=op.f("uq_crosspost_choice_post_id")),
    )
    op.create_index(op.f("ix_crosspost_choice_post_id"), "crosspost_choice", ["post_id"], unique=False)
    op.create_table(
        "crosspost_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("remote_id", sa.String(length=300), nullable=True),
        sa.Column("remote_url", sa.String(length=500), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["crosspost_account.id"],
            name=op.f("fk_crosspost_delivery_account_id_crosspost_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crosspost_delivery")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_crosspost_delivery_idempotency_key")),
    )
    op.create_index("ix_crosspost_delivery_due", "crosspost_delivery", ["status", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_crosspost_delivery_account_id"), "crosspost_delivery", ["account_id"], unique=False)
    op.create_index(op.f("ix_crosspost_delivery_post_id"), "crosspost_delivery", ["post_id"], unique=False)


def downgrade():
    op.drop_table("crosspost_delivery")
    op.drop_table("crosspost_choice")
    op.drop_table("crosspost_account")
