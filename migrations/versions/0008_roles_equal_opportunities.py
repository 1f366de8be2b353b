"""equal-opportunities answers; user-management actions in the audit log

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

from jdtool.migration_helpers import replace_audit_action_check

revision = "0008"
down_revision = "0007"
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
)
NEW_ACTIONS = (*OLD_ACTIONS, "user-add", "user-role")

PREFER_NOT_TO_SAY = "prefer not to say"
QUESTIONS = {
    "age_band": ("16-24", "25-34", "35-44", "45-54", "55-64", "65+", PREFER_NOT_TO_SAY),
    "sex": ("female", "male", PREFER_NOT_TO_SAY),
    "ethnicity": (
        "Asian or Asian British",
        "Black, Black British, Caribbean or African",
        "Mixed or multiple ethnic groups",
        "White",
        "Other ethnic group",
        PREFER_NOT_TO_SAY,
    ),
    "disability": ("yes", "no", PREFER_NOT_TO_SAY),
}
LENGTHS = {"age_band": 20, "sex": 20, "ethnicity": 60, "disability": 20}


def _allowed(column: str) -> sa.CheckConstraint:
    values = ", ".join("'" + value.replace("'", "''") + "'" for value in QUESTIONS[column])
    return sa.CheckConstraint(
        f"{column} IS NULL OR {column} IN ({values})",
        name=op.f(f"ck_equal_opportunities_answers_{column}_known"),
    )


def upgrade() -> None:
    op.create_table(
        "equal_opportunities_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.String(length=LENGTHS[name]), nullable=True) for name in QUESTIONS),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        *(_allowed(name) for name in QUESTIONS),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_equal_opportunities_answers_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equal_opportunities_answers")),
        sa.UniqueConstraint(
            "application_id", name=op.f("uq_equal_opportunities_answers_application_id")
        ),
    )
    replace_audit_action_check(NEW_ACTIONS)


def downgrade() -> None:
    replace_audit_action_check(OLD_ACTIONS)
    op.drop_table("equal_opportunities_answers")
