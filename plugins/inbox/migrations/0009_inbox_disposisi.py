"""inbox: disposisi timeline, answer drafts awaiting approval, approval per unit, the applicant's OPD pick

Revision ID: 0009_inbox_disposisi
Revises: 0008_inbox_annual_report
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_inbox_disposisi"
down_revision = "0008_inbox_annual_report"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_disposition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=True),
        sa.Column("to_unit_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["inbox_request.id"], name=op.f("fk_inbox_disposition_request_id_inbox_request")
        ),
        sa.ForeignKeyConstraint(["from_unit_id"], ["unit.id"], name=op.f("fk_inbox_disposition_from_unit_id_unit")),
        sa.ForeignKeyConstraint(["to_unit_id"], ["unit.id"], name=op.f("fk_inbox_disposition_to_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_inbox_disposition_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_disposition")),
    )
    op.create_index(op.f("ix_inbox_disposition_request_id"), "inbox_disposition", ["request_id"], unique=False)
    op.create_table(
        "inbox_answer_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"], ["inbox_request.id"], name=op.f("fk_inbox_answer_draft_request_id_inbox_request")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_inbox_answer_draft_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_inbox_answer_draft_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["user_account.id"], name=op.f("fk_inbox_answer_draft_reviewer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_answer_draft")),
        sa.UniqueConstraint("request_id", name=op.f("uq_inbox_answer_draft_request_id")),
    )
    op.create_table(
        "inbox_unit_approval",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_inbox_unit_approval_unit_id_unit")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["user_account.id"], name=op.f("fk_inbox_unit_approval_updated_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_inbox_unit_approval")),
    )
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suggested_unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_inbox_request_suggested_unit_id_unit"), "unit", ["suggested_unit_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inbox_request_suggested_unit_id_unit"), type_="foreignkey")
        batch_op.drop_column("suggested_unit_id")
    op.drop_table("inbox_unit_approval")
    op.drop_table("inbox_answer_draft")
    op.drop_index(op.f("ix_inbox_disposition_request_id"), table_name="inbox_disposition")
    op.drop_table("inbox_disposition")
