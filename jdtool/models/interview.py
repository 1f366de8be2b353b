"""Interview questions: what the panel asks, in order, and which criteria each answer evidences.

Scores stay per criterion × method (jdtool.models.recruitment); a question only says where in
the interview the evidence for its criteria is heard. A question's criteria carry the clause
library's clause_id, so questions asked in earlier vacancies are suggested for the same clause.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .people import utcnow


class InterviewQuestion(Base):
    """One question of a vacancy's interview, at its place in the order it is asked."""

    __tablename__ = "interview_questions"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "position"),
        CheckConstraint("length(trim(text)) > 0", name="text_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"), index=True)
    #: 1-based order in which the panel asks it (briefly 0 while two questions swap places).
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    #: What a strong answer shows, in the panel's words.
    guidance: Mapped[str] = mapped_column(Text, default="")
    #: Follow-up prompts, one a line.
    follow_ups: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criterion_links: Mapped[list[InterviewQuestionCriterion]] = relationship(
        cascade="all, delete-orphan"
    )
    score_guidance: Mapped[list[InterviewQuestionGuidance]] = relationship(
        order_by="InterviewQuestionGuidance.score", cascade="all, delete-orphan"
    )

    @property
    def criterion_ids(self) -> set[int]:
        return {link.criterion_id for link in self.criterion_links}

    @property
    def follow_up_list(self) -> list[str]:
        return [line.strip() for line in self.follow_ups.splitlines() if line.strip()]


class InterviewQuestionCriterion(Base):
    """A criterion whose evidence a question draws out."""

    __tablename__ = "interview_question_criteria"

    question_id: Mapped[int] = mapped_column(ForeignKey("interview_questions.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)


class InterviewQuestionGuidance(Base):
    """What an answer worth one score on the vacancy's scale sounds like."""

    __tablename__ = "interview_question_guidance"
    __table_args__ = (CheckConstraint("score >= 0 AND score <= 5", name="score_in_range"),)

    question_id: Mapped[int] = mapped_column(ForeignKey("interview_questions.id"), primary_key=True)
    score: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
