"""sign-in failures counted per account and address (not one audit row each); one-time
passwords that must be changed; audit actions for password resets, single applicants and
equal-opportunities entries

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

from jdtool.migration_helpers import replace_audit_action_check

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "import", "approve", "new-version",
    "export", "sign", "score-submit", "score-withdraw", "consensus", "override", "decision",
    "shortlist-final", "delete", "erase", "retention", "restore", "user-add", "user-role",
    "review-accept", "draft-edit", "approve-warnings", "password-change", "user-disable",
    "user-enable", "duplicate-kept",
)  # fmt: skip
#: An administrator giving a one-time password; adding one applicant; an equal-opportunities
#: entry (that it was made, never its answers).
NEW_ACTIONS = (*OLD_ACTIONS, "password-reset", "applicant-add", "equal-opportunities")


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('account', 'address')", name=op.f("ck_sign_in_failures_kind_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_failures")),
        sa.UniqueConstraint("kind", "key", name=op.f("uq_sign_in_failures_kind_key")),
    )
    op.create_index("ix_sign_in_failures_last_failure_at", "sign_in_failures", ["last_failure_at"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("must_change_password")
    op.drop_index("ix_sign_in_failures_last_failure_at", "sign_in_failures")
    op.drop_table("sign_in_failures")
