"""core: staff notifications and the writer's proposed embargo time

Revision ID: 0012_post_notifications
Revises: 0011_unit_alias
Create Date: 2026-12-07 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_post_notifications"
down_revision = "0011_unit_alias"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_unread", "notification", ["user_id", "read_at"], unique=False)
    op.create_index("ix_notification_post_id", "notification", ["post_id"], unique=False)
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("embargo_proposed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_column("embargo_proposed_at")
    op.drop_index("ix_notification_post_id", table_name="notification")
    op.drop_index("ix_notification_unread", table_name="notification")
    op.drop_table("notification")
