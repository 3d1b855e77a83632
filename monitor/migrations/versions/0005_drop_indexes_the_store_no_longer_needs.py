"""Drop two indexes nothing needs any more: periods use review.received_at, and lookups by
source use the unique (source_id, external_id). Fewer indexes, faster inserts.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_published_at"))
        batch_op.drop_index(batch_op.f("ix_review_source_id"))


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_published_at"), ["published_at"], unique=False)
