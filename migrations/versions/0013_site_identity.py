"""core: the institution's identity (logo, name, contacts, accent colour)

Revision ID: 0013_site_identity
Revises: 0012_post_notifications
Create Date: 2026-12-07 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_site_identity"
down_revision = "0012_post_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "site_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tagline", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("social", sa.JSON(), nullable=False),
        sa.Column("accent", sa.String(length=7), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_mime", sa.String(length=40), nullable=False),
        sa.Column("privacy_html", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_identity")),
    )


def downgrade():
    op.drop_table("site_identity")
