"""inbox: how a keberatan came in (web, in person, by letter) as a column

Until now the channel was only in the audit entry of its filing
(``inbox.objection.created``, detail ``channel``); existing rows take it
from there, and a row without such an entry was filed on the website.

Revision ID: 0013_inbox_objection_channel
Revises: 0012_inbox_ppid_pages
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_inbox_objection_channel"
down_revision = "0012_inbox_ppid_pages"
branch_labels = None
depends_on = None

STAFF_CHANNELS = ("desk", "letter")


def upgrade():
    with op.batch_alter_table("inbox_objection", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=20), server_default="web", nullable=False))
    conn = op.get_bind()
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("object_type", sa.String),
        sa.column("object_id", sa.String),
        sa.column("detail", sa.JSON),
    )
    objection = sa.table("inbox_objection", sa.column("number", sa.String), sa.column("channel", sa.String))
    entries = conn.execute(
        sa.select(audit.c.object_id, audit.c.detail)
        .where(audit.c.action == "inbox.objection.created", audit.c.object_type == "inbox_objection")
        .order_by(audit.c.id)
    ).all()
    for number, detail in entries:
        channel = (detail or {}).get("channel") if isinstance(detail, dict) else None
        if channel in STAFF_CHANNELS:
            conn.execute(objection.update().where(objection.c.number == number).values(channel=channel))


def downgrade():
    with op.batch_alter_table("inbox_objection", schema=None) as batch_op:
        batch_op.drop_column("channel")
