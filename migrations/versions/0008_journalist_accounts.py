"""core: journalist accounts, personal embargo preview links, announced lift times

Revision ID: 0008_journalist_accounts
Revises: 0007_user_position_nip
Create Date: 2026-12-07 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_journalist_accounts"
down_revision = "0007_user_position_nip"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "journalist_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("email_enc", sa.Text(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("phone_enc", sa.Text(), nullable=False),
        sa.Column("press_card", sa.String(length=100), nullable=False),
        sa.Column("press_card_mime", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("journalist_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["journalist_id"], ["feeds_journalist.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("journalist_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journalist_account_email_hash"), ["email_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_journalist_account_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_journalist_account_user_id"), ["user_id"], unique=False)

    op.create_table(
        "embargo_preview_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("journalist_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("token_enc", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["journalist_id"], ["feeds_journalist.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["revoked_by_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("embargo_preview_link", schema=None) as batch_op:
        batch_op.create_index("ix_embargo_preview_link_post_journalist", ["post_id", "journalist_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_embargo_preview_link_journalist_id"), ["journalist_id"], unique=False)

    op.create_table(
        "embargo_schedule",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("lift_at", sa.DateTime(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id"),
    )


def downgrade():
    op.drop_table("embargo_schedule")
    with op.batch_alter_table("embargo_preview_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_embargo_preview_link_journalist_id"))
        batch_op.drop_index("ix_embargo_preview_link_post_journalist")
    op.drop_table("embargo_preview_link")
    with op.batch_alter_table("journalist_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journalist_account_user_id"))
        batch_op.drop_index(batch_op.f("ix_journalist_account_status"))
        batch_op.drop_index(batch_op.f("ix_journalist_account_email_hash"))
    op.drop_table("journalist_account")
