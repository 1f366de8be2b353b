"""a vacancy's closing date for applications

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vacancies") as batch_op:
        batch_op.add_column(sa.Column("closing_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vacancies") as batch_op:
        batch_op.drop_column("closing_date")
