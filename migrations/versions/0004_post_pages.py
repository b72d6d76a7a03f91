"""newsroom: item pages rendered on change for anonymous readers

Revision ID: 0004_post_pages
Revises: 0003_feeds
Create Date: 2026-11-23 14:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004_post_pages"
down_revision = "0003_feeds"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "post_page",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.String(length=32), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("rendered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["post.id"], name=op.f("fk_post_page_post_id_post"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("post_id", "locale", name=op.f("pk_post_page")),
    )


def downgrade():
    op.drop_table("post_page")
