"""a count of the commits that changed scoring data, so each worker can keep the pages it
builds from that data until the count moves; and a random mark of this database, drawn again
by every restore, so a count put back by a restore is never taken for the same data

Revision ID: 0019
Revises: 0018
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    counters = op.create_table(
        "change_counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_counters")),
    )
    op.bulk_insert(
        counters,
        [
            {"name": "scoring", "value": 0},
            {"name": "database", "value": secrets.randbelow(2**31 - 1) + 1},
        ],
    )


def downgrade() -> None:
    op.drop_table("change_counters")
