"""The daily report and unattended running: review.received_at (backfilled) and score_aspect
(backfilled from score.aspects) for SQL aggregates; the outbox; promised-date reminders; the
daemon's heartbeat.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "heartbeat",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("beat_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("not_before", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "score_aspect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=40), nullable=False),
        sa.Column("aspect", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id", "content_hash", "aspect"),
    )
    with op.batch_alter_table("score_aspect", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_aspect_aspect"), ["aspect"], unique=False)
        batch_op.create_index(batch_op.f("ix_score_aspect_review_id"), ["review_id"], unique=False)

    op.create_table(
        "outbox_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("cid", sa.String(length=100), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_attachment_outbox_id"), ["outbox_id"], unique=False
        )

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("done_by", sa.String(length=100), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["review.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_id", "due_date"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_status"), ["status"], unique=False)

    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("promises_read_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE review SET received_at = COALESCE(published_at, first_seen_at)")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.alter_column("received_at", existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index(batch_op.f("ix_review_received_at"), ["received_at"], unique=False)

    # The aspects of every existing score, a row each.
    score = sa.table(
        "score", sa.column("review_id"), sa.column("content_hash"), sa.column("aspects", sa.JSON())
    )
    aspect = sa.table(
        "score_aspect", sa.column("review_id"), sa.column("content_hash"), sa.column("aspect")
    )
    result = op.get_bind().execute(
        sa.select(score.c.review_id, score.c.content_hash, score.c.aspects)
    )
    for rows in result.partitions(1000):
        found = [
            {"review_id": row.review_id, "content_hash": row.content_hash, "aspect": name}
            for row in rows
            for name in (row.aspects or {})
        ]
        if found:
            op.bulk_insert(aspect, found)


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_received_at"))
        batch_op.drop_column("received_at")

    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_column("promises_read_at")

    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_status"))
        batch_op.drop_index(batch_op.f("ix_reminder_review_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_due_date"))
        batch_op.drop_index(batch_op.f("ix_reminder_draft_id"))

    op.drop_table("reminder")
    with op.batch_alter_table("outbox_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_attachment_outbox_id"))

    op.drop_table("outbox_attachment")
    with op.batch_alter_table("score_aspect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_aspect_review_id"))
        batch_op.drop_index(batch_op.f("ix_score_aspect_aspect"))

    op.drop_table("score_aspect")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_outbox_review_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_kind"))

    op.drop_table("outbox")
    op.drop_table("heartbeat")
