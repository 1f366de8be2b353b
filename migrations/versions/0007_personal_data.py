"""personal data: vacancy closing date, applications whose personal data was deleted

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHECK_NAME = "ck_applications_person_or_deleted"
CHECK_SQL = "(applicant_id IS NULL) = (personal_data_deleted_at IS NOT NULL)"


def upgrade() -> None:
    # SQLite rebuilds both tables (batch mode); jdtool.db.upgrade_database switches SQLite's
    # foreign keys off around the migrations, so dropping the old `applications` is allowed.
    with op.batch_alter_table("vacancies") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("personal_data_deleted_at", sa.DateTime(), nullable=True))
        batch.alter_column("applicant_id", existing_type=sa.Integer(), nullable=True)
        batch.create_check_constraint("person_or_deleted", CHECK_SQL)


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_constraint(op.f(CHECK_NAME), type_="check")
        batch.alter_column("applicant_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("personal_data_deleted_at")
    with op.batch_alter_table("vacancies") as batch:
        batch.drop_column("closed_at")
