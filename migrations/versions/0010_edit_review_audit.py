"""draft edits, review acceptance and acknowledged approval warnings in the audit log

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

OLD_ACTIONS = (
    "login",
    "login-failed",
    "login-blocked",
    "logout",
    "import",
    "approve",
    "new-version",
    "export",
    "sign",
    "score-submit",
    "score-withdraw",
    "consensus",
    "override",
    "decision",
    "shortlist-final",
    "delete",
    "erase",
    "retention",
    "restore",
    "user-add",
    "user-role",
)
NEW_ACTIONS = (*OLD_ACTIONS, "edit", "review-accept")


def upgrade() -> None:
    _replace_action_check(NEW_ACTIONS)


def downgrade() -> None:
    _replace_action_check(OLD_ACTIONS)


def _replace_action_check(actions: tuple[str, ...]) -> None:
    name = "ck_audit_events_action_known"
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(name), "audit_events", type_="check")
        op.create_check_constraint(op.f(name), "audit_events", f"action IN {actions}")
        return
    # SQLite cannot alter a CHECK: batch mode copies the table, which drops its triggers, so
    # the append-only triggers are made again afterwards.
    for change in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{change}")
    with op.batch_alter_table("audit_events", recreate="always") as batch:
        batch.drop_constraint(op.f(name), type_="check")
        batch.create_check_constraint(op.f(name), f"action IN {actions}")
    for change in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{change.lower()} BEFORE {change} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
