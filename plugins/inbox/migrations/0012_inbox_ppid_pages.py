"""inbox: public PPID pages, office profiles, SOP files; the DIP item a request asks for

Revision ID: 0012_inbox_ppid_pages
Revises: 0011_inbox_after_decision
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_inbox_ppid_pages"
down_revision = "0011_inbox_after_decision"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_ppid_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_table(
        "inbox_ppid_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.Integer(), nullable=False),
        sa.Column("about_html", sa.Text(), nullable=False),
        sa.Column("officers", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("hours", sa.String(length=300), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("unit_key"),
    )
    op.create_table(
        "inbox_ppid_sop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind"),
    )
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dip_item_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dip_item_title", sa.String(length=500), server_default="", nullable=False))
        batch_op.create_index("ix_inbox_request_dip_item_id", ["dip_item_id"], unique=False)


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_request_dip_item_id")
        batch_op.drop_column("dip_item_title")
        batch_op.drop_column("dip_item_id")
    op.drop_table("inbox_ppid_sop")
    op.drop_table("inbox_ppid_office")
    op.drop_table("inbox_ppid_page")
