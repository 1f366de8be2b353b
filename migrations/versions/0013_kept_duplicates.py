"""duplicate pairs a person reviewed and kept both of, per draft; their audit action

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from jdtool.migration_helpers import replace_audit_action_check

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "import", "approve", "new-version",
    "export", "sign", "score-submit", "score-withdraw", "consensus", "override", "decision",
    "shortlist-final", "delete", "erase", "retention", "restore", "user-add", "user-role",
    "review-accept", "draft-edit", "approve-warnings", "password-change", "user-disable",
    "user-enable",
)  # fmt: skip
#: Keeping both lines of a pair the checks flag as duplicates.
NEW_ACTIONS = (*OLD_ACTIONS, "duplicate-kept")


def upgrade() -> None:
    op.create_table(
        "kept_duplicates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_key_hash", sa.String(length=32), nullable=False),
        sa.Column("second_key_hash", sa.String(length=32), nullable=False),
        sa.Column("kept_by_id", sa.Integer(), nullable=True),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('duty', 'criterion')", name=op.f("ck_kept_duplicates_kind_known")
        ),
        sa.CheckConstraint(
            "first_key_hash <= second_key_hash", name=op.f("ck_kept_duplicates_pair_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["kept_by_id"], ["users.id"], name=op.f("fk_kept_duplicates_kept_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["job_description_versions.id"],
            name=op.f("fk_kept_duplicates_version_id_job_description_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_duplicates")),
        sa.UniqueConstraint(
            "version_id",
            "kind",
            "first_key_hash",
            "second_key_hash",
            name=op.f("uq_kept_duplicates_pair"),
        ),
    )
    op.create_index(
        op.f("ix_kept_duplicates_version_id"), "kept_duplicates", ["version_id"], unique=False
    )
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
    op.drop_index(op.f("ix_kept_duplicates_version_id"), table_name="kept_duplicates")
    op.drop_table("kept_duplicates")
