"""append-only audit log

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ACTIONS = (
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
)


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("address", sa.String(length=45), nullable=True),
        sa.CheckConstraint(f"action IN {ACTIONS}", name=op.f("ck_audit_events_action_known")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    op.create_index("ix_audit_events_action_at", "audit_events", ["action", "at"])
    op.create_index(
        "ix_audit_events_action_subject_at", "audit_events", ["action", "subject", "at"]
    )
    # Append-only, held by the database itself: an UPDATE or DELETE is refused.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
    else:
        for change in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{change.lower()} BEFORE {change} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_index("ix_audit_events_action_subject_at", table_name="audit_events")
    op.drop_index("ix_audit_events_action_at", table_name="audit_events")
    op.drop_table("audit_events")
