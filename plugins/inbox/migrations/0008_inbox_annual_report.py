"""inbox: built files of the annual report; when a request was classified

Revision ID: 0008_inbox_annual_report
Revises: 0007_inbox_letters
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_inbox_annual_report"
down_revision = "0007_inbox_letters"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_annual_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=4), nullable=False),
        sa.Column("unit_key", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("pdf_name", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_size", sa.Integer(), nullable=False),
        sa.Column("docx_name", sa.String(length=64), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("docx_size", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=True),
        sa.Column("dip_entry_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["user_account.id"], name=op.f("fk_inbox_annual_report_requested_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_annual_report")),
        sa.UniqueConstraint("year", "period", "unit_key", name="uq_inbox_annual_report_key"),
    )
    with op.batch_alter_table("inbox_request") as batch:
        batch.add_column(sa.Column("categorised_at", sa.DateTime(), nullable=True))
    # Requests an officer already classified keep their category in the report
    # (the audit log holds every "categorised" event, keyed by the request number).
    op.execute(
        "UPDATE inbox_request SET categorised_at = CURRENT_TIMESTAMP WHERE number IN "
        "(SELECT object_id FROM audit_log WHERE action = 'inbox.request.categorised')"
    )


def downgrade():
    with op.batch_alter_table("inbox_request") as batch:
        batch.drop_column("categorised_at")
    op.drop_table("inbox_annual_report")
