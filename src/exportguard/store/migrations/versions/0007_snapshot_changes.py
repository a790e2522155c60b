"""The keys a diff of each new snapshot against the one before it of its source reads,
recorded when the snapshot is written (`store/changes.py`). A new table: snapshots stored
before it have no row, and their diffs compare the entries' fingerprints as before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshot_changes",
        sa.Column("snapshot_id", sa.Integer(),
                  sa.ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("base_id", sa.Integer(), sa.ForeignKey("snapshots.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("keys_before", sa.JSON(), nullable=False),
        sa.Column("keys_after", sa.JSON(), nullable=False),
        sa.Column("positions", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("snapshot_changes")
