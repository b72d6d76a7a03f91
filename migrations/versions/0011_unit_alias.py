"""core: old names and slugs of merged units, so old links and imports still find them

Revision ID: 0011_unit_alias
Revises: 0010_post_image_gallery
Create Date: 2026-12-07 00:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_unit_alias"
down_revision = "0010_post_image_gallery"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_alias_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_alias")),
        sa.UniqueConstraint("name", name=op.f("uq_unit_alias_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_unit_alias_slug")),
    )
    op.create_index(op.f("ix_unit_alias_unit_id"), "unit_alias", ["unit_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_unit_alias_unit_id"), table_name="unit_alias")
    op.drop_table("unit_alias")
