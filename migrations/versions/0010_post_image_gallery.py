"""core: several images per post (ordered, captioned) and a photo credit

Revision ID: 0010_post_image_gallery
Revises: 0009_press_room
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_post_image_gallery"
down_revision = "0009_press_room"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit", sa.String(length=200), server_default="", nullable=False))
    op.create_table(
        "post_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("media_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["media_id"], ["media.id"], name=op.f("fk_post_image_media_id_media"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_post_image_post_id_post"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_image")),
        sa.UniqueConstraint("post_id", "media_id", name=op.f("uq_post_image_post_id")),
    )
    with op.batch_alter_table("post_image", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_image_media_id"), ["media_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_post_image_post_id"), ["post_id"], unique=False)


def downgrade():
    op.drop_table("post_image")
    with op.batch_alter_table("media", schema=None) as batch_op:
        batch_op.drop_column("credit")
