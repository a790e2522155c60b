"""Entry fingerprints (a hash of the source's record, so diffs read only what changed) and
snapshot editions (a past edition loaded to fill in history).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows stored before this revision keep NULL; a diff involving them compares in full.
    with op.batch_alter_table("list_entries") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(40), nullable=True))
    with op.batch_alter_table("snapshots") as batch:
        batch.add_column(sa.Column("edition", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("snapshots") as batch:
        batch.drop_column("edition")
    with op.batch_alter_table("list_entries") as batch:
        batch.drop_column("fingerprint")
