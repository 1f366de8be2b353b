"""audit action for changes to a vacancy's interview questions

Revision ID: 0018
Revises: 0017
"""

from jdtool.migration_helpers import replace_audit_action_check

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login", "login-failed", "login-blocked", "logout", "import", "approve", "new-version",
    "export", "sign", "score-submit", "score-withdraw", "consensus", "override", "decision",
    "shortlist-final", "delete", "erase", "retention", "restore", "user-add", "user-role",
    "review-accept", "draft-edit", "approve-warnings", "password-change", "user-disable",
    "user-enable", "duplicate-kept", "password-reset", "applicant-add", "equal-opportunities",
)  # fmt: skip
#: A question added, changed, deleted or moved (what every candidate will be asked).
NEW_ACTIONS = (*OLD_ACTIONS, "question-change")


def upgrade() -> None:
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
