"""dip: entries, documents, links, decrees, DIK, imports and the search index

Revision ID: 0001_dip
Revises:
Create Date: 2026-11-23 11:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0001_dip"
down_revision = None
branch_labels = ("dip",)
depends_on = "0001_core"


def upgrade():
    op.create_table(
        "dip_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kode", sa.String(length=64), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("jenis", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("description_text", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("official", sa.String(length=200), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=True),
        sa.Column("made_place", sa.String(length=200), nullable=False),
        sa.Column("hardcopy", sa.Boolean(), nullable=False),
        sa.Column("softcopy", sa.Boolean(), nullable=False),
        sa.Column("retention", sa.String(length=200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_dip_entry_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_entry")),
        sa.UniqueConstraint("year", "kode", name="uq_dip_entry_year_kode"),
    )
    op.create_index("ix_dip_entry_filters", "dip_entry", ["year", "category", "unit_id"], unique=False)
    op.create_index("ix_dip_entry_year_published", "dip_entry", ["year", "published_at"], unique=False)
    op.create_index("ix_dip_entry_unit_published", "dip_entry", ["unit_id", "published_at"], unique=False)
    op.create_index("ix_dip_entry_jenis_published", "dip_entry", ["jenis", "published_at"], unique=False)
    op.create_index(op.f("ix_dip_entry_published_at"), "dip_entry", ["published_at"], unique=False)

    op.create_table(
        "dip_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=80), nullable=False),
        sa.Column("mimetype", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["dip_entry.id"], name=op.f("fk_dip_document_entry_id_dip_entry"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_document")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_dip_document_stored_name")),
    )
    op.create_index(op.f("ix_dip_document_entry_id"), "dip_document", ["entry_id"], unique=False)

    op.create_table(
        "dip_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["dip_entry.id"], name=op.f("fk_dip_link_entry_id_dip_entry"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_link")),
    )
    op.create_index(op.f("ix_dip_link_entry_id"), "dip_link", ["entry_id"], unique=False)

    op.create_table(
        "dip_decree",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("official_name", sa.String(length=200), nullable=False),
        sa.Column("official_title", sa.String(length=200), nullable=False),
        sa.Column("official_nip", sa.String(length=50), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_decree")),
        sa.UniqueConstraint("year", name=op.f("uq_dip_decree_year")),
    )

    op.create_table(
        "dip_dik",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("information", sa.String(length=500), nullable=False),
        sa.Column("pasal17", sa.String(length=20), nullable=False),
        sa.Column("other_law", sa.String(length=500), nullable=False),
        sa.Column("consequence", sa.Text(), nullable=False),
        sa.Column("public_interest", sa.Text(), nullable=False),
        sa.Column("period_text", sa.String(length=200), nullable=False),
        sa.Column("exempt_until", sa.Date(), nullable=True),
        sa.Column("klasifikasi_jenis", sa.String(length=200), nullable=False),
        sa.Column("penetap_name", sa.String(length=200), nullable=False),
        sa.Column("penetap_unit", sa.String(length=200), nullable=False),
        sa.Column("alasan", sa.Text(), nullable=False),
        sa.Column("penetapan_place", sa.String(length=100), nullable=False),
        sa.Column("penetapan_date", sa.Date(), nullable=True),
        sa.Column("sk_number", sa.String(length=200), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_dip_dik_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_dik")),
    )
    op.create_index(op.f("ix_dip_dik_exempt_until"), "dip_dik", ["exempt_until"], unique=False)
    op.create_index(op.f("ix_dip_dik_unit_id"), "dip_dik", ["unit_id"], unique=False)
    op.create_index(op.f("ix_dip_dik_year"), "dip_dik", ["year"], unique=False)

    op.create_table(
        "dip_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_dip_import_user_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dip_import")),
    )
    # The search index comes with the stems columns it indexes (0003_dip_search_stems).


def downgrade():
    from plugins.dip.search import drop_schema

    drop_schema(op.get_bind())
    op.drop_table("dip_import")
    op.drop_index(op.f("ix_dip_dik_year"), table_name="dip_dik")
    op.drop_index(op.f("ix_dip_dik_unit_id"), table_name="dip_dik")
    op.drop_index(op.f("ix_dip_dik_exempt_until"), table_name="dip_dik")
    op.drop_table("dip_dik")
    op.drop_table("dip_decree")
    op.drop_index(op.f("ix_dip_link_entry_id"), table_name="dip_link")
    op.drop_table("dip_link")
    op.drop_index(op.f("ix_dip_document_entry_id"), table_name="dip_document")
    op.drop_table("dip_document")
    op.drop_index(op.f("ix_dip_entry_published_at"), table_name="dip_entry")
    op.drop_index("ix_dip_entry_jenis_published", table_name="dip_entry")
    op.drop_index("ix_dip_entry_unit_published", table_name="dip_entry")
    op.drop_index("ix_dip_entry_year_published", table_name="dip_entry")
    op.drop_index("ix_dip_entry_filters", table_name="dip_entry")
    op.drop_table("dip_entry")
