"""core: press room (contacts, boilerplate, media kit photos) and release numbers

Revision ID: 0009_press_room
Revises: 0008_journalist_accounts
Create Date: 2026-12-07 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_press_room"
down_revision = "0008_journalist_accounts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "press_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("whatsapp", sa.Boolean(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "press_room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("boilerplate", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("kit_digest", sa.String(length=64), nullable=True),
        sa.Column("kit_size", sa.Integer(), nullable=False),
        sa.Column("kit_built_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "press_kit_photo",
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("credit", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["media_id"], ["media.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("media_id"),
    )
    op.create_table(
        "release_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "post_press_contact",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["press_contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "contact_id"),
    )
    op.create_index("ix_post_press_contact_contact_id", "post_press_contact", ["contact_id"], unique=False)
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.add_column(sa.Column("release_number", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("release_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("release_seq", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint("uq_post_release_seq", ["release_year", "release_seq"])


def downgrade():
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_constraint("uq_post_release_seq", type_="unique")
        batch_op.drop_column("release_seq")
        batch_op.drop_column("release_year")
        batch_op.drop_column("release_number")
    op.drop_index("ix_post_press_contact_contact_id", table_name="post_press_contact")
    op.drop_table("post_press_contact")
    op.drop_table("release_counter")
    op.drop_table("press_kit_photo")
    op.drop_table("press_room")
    op.drop_table("press_contact")
