"""imported drafts that need review, and the importer's findings about them

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from jdtool.migration_helpers import replace_audit_action_check

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "import", "approve", "new-version",
    "export", "sign", "score-submit", "score-withdraw", "consensus", "override", "decision",
    "shortlist-final", "delete", "erase", "retention", "restore", "user-add", "user-role",
)  # fmt: skip
#: Accepting an import that needed review; saving a draft; approving with warnings seen.
NEW_ACTIONS = (*OLD_ACTIONS, "review-accept", "draft-edit", "approve-warnings")


def upgrade() -> None:
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.add_column(
            sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("import_findings", sa.Text(), nullable=False, server_default="[]")
        )
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
    with op.batch_alter_table("job_description_versions") as batch_op:
        batch_op.drop_column("import_findings")
        batch_op.drop_column("needs_review")
