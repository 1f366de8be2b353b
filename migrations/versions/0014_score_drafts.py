"""score sheets saved unfinished (drafts), never counted

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("panel_member_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id", "vacancy_id"], ["applications.id", "applications.vacancy_id"],
            name=op.f("fk_score_drafts_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["panel_member_id", "vacancy_id", "stage"],
            ["panel_members.id", "panel_members.vacancy_id", "panel_members.stage"],
            name=op.f("fk_score_drafts_panel_member_id_panel_members"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_drafts")),
        sa.UniqueConstraint(
            "panel_member_id",
            "application_id",
            "stage",
            name=op.f("uq_score_drafts_panel_member_id_application_id_stage"),
        ),
    )


def downgrade() -> None:
    op.drop_table("score_drafts")
