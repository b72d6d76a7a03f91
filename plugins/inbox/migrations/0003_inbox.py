"""inbox: report narrative, DIP links in answers

Revision ID: 0003_inbox
Revises: 0002_inbox
Create Date: 2026-11-23 12:06:57.112731

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_inbox"
down_revision = "0002_inbox"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_report_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_report_text")),
        sa.UniqueConstraint("year", "unit_key", "section", name="uq_inbox_report_text_key"),
    )
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dip_links", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.alter_column("dip_links", server_default=None)


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_column("dip_links")

    op.drop_table("inbox_report_text")
