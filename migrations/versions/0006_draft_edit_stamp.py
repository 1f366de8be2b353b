"""version stamp on job description drafts, for saves made at the same time

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.add_column(
            sa.Column("edit_stamp", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("edited_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_job_description_versions_edited_by_id_users"),
            "users",
            ["edited_by_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_job_description_versions_edit_stamp_not_negative"),
            "edit_stamp >= 0",
        )


def downgrade() -> None:
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.drop_constraint(
            batch_op.f("ck_job_description_versions_edit_stamp_not_negative"), type_="check"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_job_description_versions_edited_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("edited_by_id")
        batch_op.drop_column("edited_at")
        batch_op.drop_column("edit_stamp")
