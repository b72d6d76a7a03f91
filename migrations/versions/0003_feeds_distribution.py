"""feeds: change counter, e-mail subscribers, accredited journalists, embargo log

Revision ID: 0003_feeds
Revises: 0002_newsroom
Create Date: 2026-11-23 11:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_feeds"
down_revision = "0002_newsroom"
branch_labels = None
depends_on = None


def upgrade():
    state = op.create_table(
        "feeds_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds_state")),
    )
    op.create_table(
        "feeds_subscriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email_enc", sa.Text(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("all_categories", sa.Boolean(), nullable=False),
        sa.Column("category_ids", sa.JSON(), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("confirm_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_sent_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds_subscriber")),
        sa.UniqueConstraint("email_hash", name=op.f("uq_feeds_subscriber_email_hash")),
    )
    with op.batch_alter_table("feeds_subscriber", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feeds_subscriber_confirm_hash"), ["confirm_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_feeds_subscriber_status"), ["status"], unique=False)

    op.create_table(
        "feeds_journalist",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=False),
        sa.Column("email_enc", sa.Text(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("token_enc", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("token_issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_feeds_journalist_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds_journalist")),
        sa.UniqueConstraint("email_hash", name=op.f("uq_feeds_journalist_email_hash")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_feeds_journalist_token_hash")),
    )
    op.create_table(
        "feeds_mailing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_feeds_mailing_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds_mailing")),
        sa.UniqueConstraint("post_id", name=op.f("uq_feeds_mailing_post_id")),
    )
    op.create_table(
        "feeds_embargo_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("journalist_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["journalist_id"],
            ["feeds_journalist.id"],
            name=op.f("fk_feeds_embargo_access_journalist_id_feeds_journalist"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_feeds_embargo_access_post_id_post"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds_embargo_access")),
    )
    with op.batch_alter_table("feeds_embargo_access", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feeds_embargo_access_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_feeds_embargo_access_journalist_id"), ["journalist_id"], unique=False)
        batch_op.create_index("ix_feeds_embargo_access_post_journalist", ["post_id", "journalist_id"], unique=False)

    # The counter row exists from the start; the flush listener only UPDATEs it.
    op.execute(state.insert().values(id=1, counter=1, changed_at=sa.func.current_timestamp()))


def downgrade():
    op.drop_table("feeds_embargo_access")
    op.drop_table("feeds_mailing")
    op.drop_table("feeds_journalist")
    op.drop_table("feeds_subscriber")
    op.drop_table("feeds_state")
