"""interview questions per vacancy: criteria each covers, guidance per score, follow-ups

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interview_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vacancy_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=False),
        sa.Column("follow_ups", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "length(trim(text)) > 0", name=op.f("ck_interview_questions_text_given")
        ),
        sa.ForeignKeyConstraint(
            ["vacancy_id"],
            ["vacancies.id"],
            name=op.f("fk_interview_questions_vacancy_id_vacancies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interview_questions")),
        sa.UniqueConstraint(
            "vacancy_id", "position", name=op.f("uq_interview_questions_vacancy_id_position")
        ),
    )
    op.create_index(
        op.f("ix_interview_questions_vacancy_id"), "interview_questions", ["vacancy_id"]
    )
    op.create_table(
        "interview_question_criteria",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["criteria.id"],
            name=op.f("fk_interview_question_criteria_criterion_id_criteria"),
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["interview_questions.id"],
            name=op.f("fk_interview_question_criteria_question_id_interview_questions"),
        ),
        sa.PrimaryKeyConstraint(
            "question_id", "criterion_id", name=op.f("pk_interview_question_criteria")
        ),
    )
    op.create_table(
        "interview_question_guidance",
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "score >= 0 AND score <= 5", name=op.f("ck_interview_question_guidance_score_in_range")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["interview_questions.id"],
            name=op.f("fk_interview_question_guidance_question_id_interview_questions"),
        ),
        sa.PrimaryKeyConstraint(
            "question_id", "score", name=op.f("pk_interview_question_guidance")
        ),
    )


def downgrade() -> None:
    op.drop_table("interview_question_guidance")
    op.drop_table("interview_question_criteria")
    op.drop_index(op.f("ix_interview_questions_vacancy_id"), table_name="interview_questions")
    op.drop_table("interview_questions")
