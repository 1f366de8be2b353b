"""accounts: a session version that ends every session, disabled accounts; their audit actions

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from jdtool.migration_helpers import replace_audit_action_check

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "import", "approve", "new-version",
    "export", "sign", "score-submit", "score-withdraw", "consensus", "override", "decision",
    "shortlist-final", "delete", "erase", "retention", "restore", "user-add", "user-role",
    "review-accept", "draft-edit", "approve-warnings",
)  # fmt: skip
#: Changing one's password; an administrator disabling or enabling an account.
NEW_ACTIONS = (*OLD_ACTIONS, "password-change", "user-disable", "user-enable")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(), nullable=True))
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("disabled_at")
        batch_op.drop_column("session_version")
