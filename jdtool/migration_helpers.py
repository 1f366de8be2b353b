"""Steps more than one migration takes (kept here so every migration runs the same code)."""

from __future__ import annotations

from alembic import op


def replace_audit_action_check(actions: tuple[str, ...]) -> None:
    """Allow `actions` in the audit log (its CHECK constraint), keeping it append-only.

    Actions the log already holds stay allowed too: the log is append-only, so going back to
    an older schema (and forward again) must neither refuse nor drop any of its rows.
    """
    logged = op.get_bind().exec_driver_sql("SELECT DISTINCT action FROM audit_events")
    actions = (*actions, *sorted({row[0] for row in logged} - set(actions)))
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
