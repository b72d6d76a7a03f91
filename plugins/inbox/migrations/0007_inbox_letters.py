"""inbox: official letters (kop per unit, issued letters) and the DIK reference

Revision ID: 0007_inbox_letters
Revises: 0006_inbox_fees
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_inbox_letters"
down_revision = "0006_inbox_fees"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inbox_letterhead",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_key", sa.Integer(), nullable=False),
        sa.Column("instansi", sa.String(length=200), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("unit_code", sa.String(length=30), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_mime", sa.String(length=30), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("delegate", sa.Boolean(), nullable=False),
        sa.Column("tembusan", sa.Text(), nullable=False),
        sa.Column("number_pattern", sa.String(length=200), nullable=False),
        sa.Column("patterns", sa.JSON(), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["user_account.id"], name=op.f("fk_inbox_letterhead_signer_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_letterhead")),
        sa.UniqueConstraint("unit_key", name=op.f("uq_inbox_letterhead_unit_key")),
    )
    op.create_table(
        "inbox_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=120), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_position", sa.String(length=200), nullable=False),
        sa.Column("signer_nip", sa.String(length=30), nullable=False),
        sa.Column("unit_label", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("stored_name", sa.String(length=100), nullable=False),
        sa.Column("signed", sa.Boolean(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("correction_note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_inbox_letter_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["objection_id"], ["inbox_objection.id"], name=op.f("fk_inbox_letter_objection_id_inbox_objection")
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"], ["inbox_letter.id"], name=op.f("fk_inbox_letter_replaces_id_inbox_letter")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["inbox_request.id"], name=op.f("fk_inbox_letter_request_id_inbox_request")
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["user_account.id"], name=op.f("fk_inbox_letter_signer_id_user_account")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_inbox_letter_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_letter")),
        sa.UniqueConstraint("code", name=op.f("uq_inbox_letter_code")),
        sa.UniqueConstraint("number", name=op.f("uq_inbox_letter_number")),
    )
    op.create_index(op.f("ix_inbox_letter_objection_id"), "inbox_letter", ["objection_id"], unique=False)
    op.create_index(op.f("ix_inbox_letter_request_id"), "inbox_letter", ["request_id"], unique=False)
    op.create_index(op.f("ix_inbox_letter_unit_id"), "inbox_letter", ["unit_id"], unique=False)
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dik_ref", sa.String(length=300), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("inbox_request", schema=None) as batch_op:
        batch_op.drop_column("dik_ref")
    op.drop_index(op.f("ix_inbox_letter_unit_id"), table_name="inbox_letter")
    op.drop_index(op.f("ix_inbox_letter_request_id"), table_name="inbox_letter")
    op.drop_index(op.f("ix_inbox_letter_objection_id"), table_name="inbox_letter")
    op.drop_table("inbox_letter")
    op.drop_table("inbox_letterhead")
