"""Batches owned by the key that submitted them, under an unguessable token, with the process
running them and its heartbeat (so a job whose process died is marked failed); rate buckets
shared by every service process.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("batch_jobs") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=True))
        batch.add_column(sa.Column("key_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("runner", sa.String(120), nullable=True))
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
    jobs = sa.table("batch_jobs", sa.column("id", sa.Integer()), sa.column("token", sa.String()))
    connection = op.get_bind()
    for (job_id,) in connection.execute(sa.select(jobs.c.id)).all():
        connection.execute(jobs.update().where(jobs.c.id == job_id)
                           .values(token=secrets.token_urlsafe(16)))
    with op.batch_alter_table("batch_jobs") as batch:
        batch.create_index("ix_batch_jobs_token", ["token"], unique=True)
    op.create_table(
        "rate_buckets",
        sa.Column("key_id", sa.Integer(), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_buckets")
    with op.batch_alter_table("batch_jobs") as batch:
        batch.drop_index("ix_batch_jobs_token")
        for column in ("heartbeat_at", "runner", "key_id", "token"):
            batch.drop_column(column)
