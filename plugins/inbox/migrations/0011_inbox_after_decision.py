"""inbox: after the decision — execution orders, sengketa stages, withheld parts (issue 19)

The old sengketa row kept one stage code, four dates and a free-text
"putusan"; its data moves into one stage row per dated (or current) stage
and, where the text says it plainly, a result from the fixed list (the text
itself is kept as ``result_note``).  Then the old columns go.

Revision ID: 0011_inbox_after_decision
Revises: 0010_inbox_record_files_purged
Create Date: 2026-12-07 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_inbox_after_decision"
down_revision = "0010_inbox_record_files_purged"
branch_labels = None
depends_on = None

ORDER = ("registrasi", "mediasi", "ajudikasi", "putusan", "gugatan", "putusan_pengadilan")
_OLD_DATES: tuple[tuple[str, str], ...] = (
    ("filed_on", "registrasi"),
    ("mediation_on", "mediasi"),
    ("adjudication_on", "ajudikasi"),
)
_OLD_DATES += (("decision_on", "putusan"),)
# Words of the old free text, first match wins (most specific first).
_RESULT_WORDS = (
    ("mediasi_berhasil", ("berhasil", "kesepakatan", "perdamaian")),
    ("dikabulkan_sebagian", ("sebagian",)),
    ("dicabut", ("dicabut", "mencabut")),
    ("gugur", ("gugur",)),
    ("ditolak", ("ditolak", "menolak")),
    ("dikabulkan_seluruhnya", ("dikabulkan", "mengabulkan", "terbuka", "seluruhnya")),
)


def legacy_result(text: str, stages: set) -> str | None:
    """The result the old free text states, when it states one plainly."""
    words = (text or "").lower()
    for result, keys in _RESULT_WORDS:
        if any(k in words for k in keys):
            if result == "mediasi_berhasil" and "mediasi" not in stages:
                continue
            if result in ("dikabulkan_seluruhnya", "dikabulkan_sebagian", "ditolak") and "putusan" not in stages:
                continue
            return result
    return None


def legacy_stages(row) -> dict:
    """Stage → date (or None) from one old row: every dated stage, the
    current stage, and registrasi under any later stage."""
    stages = {stage: row[column] for column, stage in _OLD_DATES if row[column] is not None}
    current = {"didaftarkan": "registrasi", "selesai": None}.get(row["stage"], row["stage"])
    if current in ORDER and current not in stages:
        stages[current] = None
    if stages and "registrasi" not in stages:
        stages["registrasi"] = None
    if "gugatan" in stages and "putusan" not in stages:
        stages["putusan"] = None
    return stages


def upgrade():
    # Read the old rows first: SQLite rebuilds the table to drop columns,
    # which it cannot do once stage rows point at it.
    old = _old_rows(op.get_bind())
    with op.batch_alter_table("inbox_dispute") as batch:
        batch.add_column(sa.Column("result", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("court_result", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("result_note", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("executed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("execution_note", sa.Text(), server_default="", nullable=False))
        for column in ("filed_on", "mediation_on", "adjudication_on", "decision_on", "decision"):
            batch.drop_column(column)
    op.create_table(
        "inbox_dispute_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"], ["inbox_dispute.id"], name=op.f("fk_inbox_dispute_stage_dispute_id_inbox_dispute")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_dispute_stage")),
        sa.UniqueConstraint("dispute_id", "stage", name="uq_inbox_dispute_stage_dispute_stage"),
    )
    op.create_index(op.f("ix_inbox_dispute_stage_dispute_id"), "inbox_dispute_stage", ["dispute_id"])
    op.create_table(
        "inbox_dispute_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["inbox_dispute_stage.id"],
            name=op.f("fk_inbox_dispute_document_stage_id_inbox_dispute_stage"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"], ["inbox_file.id"], name=op.f("fk_inbox_dispute_document_file_id_inbox_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_dispute_document")),
        sa.UniqueConstraint("file_id", name=op.f("uq_inbox_dispute_document_file_id")),
    )
    op.create_index(op.f("ix_inbox_dispute_document_stage_id"), "inbox_dispute_document", ["stage_id"])
    op.create_table(
        "inbox_withheld_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("exemptions", sa.JSON(), nullable=False),
        sa.Column("other_law", sa.String(length=300), nullable=False),
        sa.Column("consequence_test", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"], ["inbox_request.id"], name=op.f("fk_inbox_withheld_part_request_id_inbox_request")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_withheld_part")),
    )
    op.create_index(op.f("ix_inbox_withheld_part_request_id"), "inbox_withheld_part", ["request_id"])
    op.create_table(
        "inbox_execution_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("ordered_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("executed_date", sa.Date(), nullable=True),
        sa.Column("given", sa.Text(), nullable=False),
        sa.Column("executed_by_id", sa.Integer(), nullable=True),
        sa.Column("executed_by_name", sa.String(length=200), nullable=False),
        sa.Column("executed_at", sa.DateTime(), nullable=True),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["objection_id"], ["inbox_objection.id"], name=op.f("fk_inbox_execution_order_objection_id_inbox_objection")
        ),
        sa.ForeignKeyConstraint(
            ["executed_by_id"], ["user_account.id"], name=op.f("fk_inbox_execution_order_executed_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["inbox_letter.id"], name=op.f("fk_inbox_execution_order_letter_id_inbox_letter")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_execution_order")),
        sa.UniqueConstraint("objection_id", name=op.f("uq_inbox_execution_order_objection_id")),
    )
    op.create_index(op.f("ix_inbox_execution_order_due_date"), "inbox_execution_order", ["due_date"])
    _move_free_text(op.get_bind(), old)


def _old_rows(conn) -> list[dict]:
    dispute = sa.table(
        "inbox_dispute",
        sa.column("id"),
        sa.column("stage"),
        sa.column("filed_on", sa.Date),
        sa.column("mediation_on", sa.Date),
        sa.column("adjudication_on", sa.Date),
        sa.column("decision_on", sa.Date),
        sa.column("decision"),
    )
    return [dict(row) for row in conn.execute(sa.select(dispute)).mappings()]


def _move_free_text(conn, old: list[dict]) -> None:
    dispute = sa.table(
        "inbox_dispute",
        sa.column("id"),
        sa.column("stage"),
        sa.column("result"),
        sa.column("court_result"),
        sa.column("result_note"),
    )
    stage = sa.table(
        "inbox_dispute_stage",
        sa.column("dispute_id"),
        sa.column("stage"),
        sa.column("day", sa.Date),
        sa.column("note"),
    )
    for row in old:
        stages = legacy_stages(row)
        for code in ORDER:
            if code in stages:
                note = "" if stages[code] else "Dipindahkan dari catatan lama; tanggal tidak tercatat."
                conn.execute(stage.insert().values(dispute_id=row["id"], stage=code, day=stages[code], note=note))
        text = (row["decision"] or "").strip()
        result = legacy_result(text, set(stages)) if "gugatan" not in stages else None
        court = legacy_result(text, set(stages) | {"putusan"}) if "putusan_pengadilan" in stages else None
        status = {"didaftarkan": "registrasi"}.get(row["stage"], row["stage"])
        conn.execute(
            dispute.update()
            .where(dispute.c.id == row["id"])
            .values(stage=status, result=result, court_result=court, result_note=text)
        )


def downgrade():
    conn = op.get_bind()
    stages = conn.execute(sa.text("SELECT dispute_id, stage, day FROM inbox_dispute_stage")).all()
    notes = conn.execute(sa.text("SELECT id, result_note FROM inbox_dispute")).all()
    op.drop_table("inbox_execution_order")
    op.drop_table("inbox_withheld_part")
    op.drop_table("inbox_dispute_document")
    op.drop_table("inbox_dispute_stage")
    with op.batch_alter_table("inbox_dispute") as batch:
        batch.add_column(sa.Column("filed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("mediation_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("adjudication_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision", sa.Text(), server_default="", nullable=False))
        for column in ("result", "court_result", "result_note", "executed_on", "execution_note"):
            batch.drop_column(column)
    back = {"registrasi": "filed_on", "mediasi": "mediation_on", "ajudikasi": "adjudication_on"}
    back["putusan"] = "decision_on"
    for dispute_id, code, day in stages:
        if code in back and day is not None:
            conn.execute(
                sa.text(f"UPDATE inbox_dispute SET {back[code]} = :day WHERE id = :id"), {"day": day, "id": dispute_id}
            )
    for dispute_id, note in notes:
        conn.execute(
            sa.text("UPDATE inbox_dispute SET decision = :d WHERE id = :id"), {"d": note or "", "id": dispute_id}
        )
    conn.execute(sa.text("UPDATE inbox_dispute SET stage = 'didaftarkan' WHERE stage = 'registrasi'"))
    conn.execute(sa.text("UPDATE inbox_dispute SET stage = 'putusan' WHERE stage = 'putusan_pengadilan'"))
