"""Ownership graph: companies and ownership edges.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("hq_country", sa.String(2), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_table(
        "ownership_edges",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.Integer(),
                  sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owned_id", sa.Integer(),
                  sa.ForeignKey("companies.id", ondelete="CASCADE"), nullable=False),
        sa.Column("percent", sa.Float(), nullable=True),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_index("ix_ownership_edges_owner_id", "ownership_edges", ["owner_id"])
    op.create_index("ix_ownership_edges_owned_id", "ownership_edges", ["owned_id"])


def downgrade() -> None:
    op.drop_table("ownership_edges")
    op.drop_table("companies")
