"""WhatsApp to journalists: subscribers, consent records, releases, messages.

Revision ID: 0005_crosspost_whatsapp
Revises: 0004_crosspost_account_unit
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_crosspost_whatsapp"
down_revision = "0004_crosspost_account_unit"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "crosspost_wa_subscriber",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("phone_enc", sa.Text(), nullable=False),
        sa.Column("phone_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("outlet", sa.String(160), nullable=False),
        sa.Column("category_ids", sa.JSON(), nullable=False),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("optin_text", sa.Text(), nullable=False),
        sa.Column("optin_sent_at", sa.DateTime(), nullable=True),
        sa.Column("activated_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "crosspost_wa_consent",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "subscriber_id",
            sa.Integer(),
            sa.ForeignKey("crosspost_wa_subscriber.id", ondelete="SET NULL"),
            nullable=True,
            index=True,
        ),
        sa.Column("action", sa.String(12), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.String(200), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False, unique=True),
        sa.Column("purpose", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "crosspost_wa_release",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("post_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("planned_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
    )
    op.create_table(
        "crosspost_wa_message",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "release_id", sa.Integer(), sa.ForeignKey("crosspost_wa_release.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "subscriber_id",
            sa.Integer(),
            sa.ForeignKey("crosspost_wa_subscriber.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("wamid", sa.String(128), nullable=True, unique=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("release_id", "subscriber_id"),
    )
    op.create_index("ix_crosspost_wa_message_due", "crosspost_wa_message", ["release_id", "status"])


def downgrade():
    op.drop_index("ix_crosspost_wa_message_due", table_name="crosspost_wa_message")
    op.drop_table("crosspost_wa_message")
    op.drop_table("crosspost_wa_release")
    op.drop_table("crosspost_wa_consent")
    op.drop_table("crosspost_wa_subscriber")
