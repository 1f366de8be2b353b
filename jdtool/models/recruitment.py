"""Vacancies, applications, panels and their score sheets."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .people import utcnow

if TYPE_CHECKING:
    from .documents import JobDescriptionVersion
    from .people import User

SCALES = ("0-3", "1-5", "met")
STAGES = ("shortlisting", "interview", "references")
OUTCOMES = ("shortlist", "reject", "appoint", "not appointed")
#: Where a vacancy is, in order; worked out from its records (see services/lifecycle.py).
VACANCY_STATUSES = ("open", "shortlisting", "interviewing", "decided", "closed")


class Vacancy(Base):
    """A post being recruited to, pinned to one approved JD + person-spec version."""

    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint(f"scale IN {SCALES}", name="scale_known"),
        CheckConstraint("length(trim(title)) > 0", name="title_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    scale: Mapped[str] = mapped_column(String(10), default="0-3")
    #: Shortlisting panels see the anonymous reference instead of the name.
    anonymised: Mapped[bool] = mapped_column(default=False)
    #: A maintained school must have a panel member with safer-recruitment training.
    maintained_school: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The last day applications are taken (as advertised); None when not recorded.
    closing_date: Mapped[date | None]
    shortlist_finalised_at: Mapped[datetime | None]
    #: When HR closed the vacancy after its final decisions; personal-data retention counts
    #: from here (see services/retention.py).
    closed_at: Mapped[datetime | None]

    version: Mapped[JobDescriptionVersion] = relationship()
    applications: Mapped[list[Application]] = relationship(
        back_populates="vacancy", order_by="Application.id"
    )
    panel: Mapped[list[PanelMember]] = relationship(
        back_populates="vacancy", order_by="PanelMember.id"
    )


class Applicant(Base):
    """A person who applies (possibly to several vacancies)."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254), unique=True)


class Application(Base):
    """One applicant's application to one vacancy."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "applicant_id"),
        UniqueConstraint("vacancy_id", "reference"),
        # Target of the composite foreign keys that keep sheets inside one vacancy.
        UniqueConstraint("id", "vacancy_id"),
        CheckConstraint(
            "(applicant_id IS NULL) = (personal_data_deleted_at IS NOT NULL)",
            name="person_or_deleted",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"))
    #: NULL once the applicant's personal data was deleted (retention or erasure); the
    #: reference, scores and decisions stay.
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))
    #: Random (never derived from the name); shown instead of the name when anonymised.
    reference: Mapped[str] = mapped_column(String(40))
    #: The applicant opted in to the Disability Confident interview guarantee.
    disability_confident: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    personal_data_deleted_at: Mapped[datetime | None]

    vacancy: Mapped[Vacancy] = relationship(back_populates="applications")
    applicant: Mapped[Applicant | None] = relationship()
    files: Mapped[list[ApplicationFile]] = relationship(order_by="ApplicationFile.id")


class PanelMember(Base):
    """A user who sits on a vacancy's panel for one stage."""

    __tablename__ = "panel_members"
    __table_args__ = (
        UniqueConstraint("vacancy_id", "user_id", "stage"),
        UniqueConstraint("id", "vacancy_id", "stage"),
        CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    stage: Mapped[str] = mapped_column(String(20))
    is_chair: Mapped[bool] = mapped_column(default=False)
    #: When the member completed safer-recruitment training, if recorded.
    training_date: Mapped[date | None]

    vacancy: Mapped[Vacancy] = relationship(back_populates="panel")
    user: Mapped[User] = relationship()


class ConflictDeclaration(Base):
    """A panel member declares a conflict of interest and is kept away from that applicant."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (UniqueConstraint("panel_member_id", "application_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreSheet(Base):
    """One panel member's scores for one application at one stage.

    Sheets are stored when submitted and never edited; amending withdraws the sheet (it stays,
    with `live` NULL) and a new one is submitted.
    """

    __tablename__ = "score_sheets"
    __table_args__ = (
        ForeignKeyConstraint(
            ["application_id", "vacancy_id"], ["applications.id", "applications.vacancy_id"]
        ),
        ForeignKeyConstraint(
            ["panel_member_id", "vacancy_id", "stage"],
            ["panel_members.id", "panel_members.vacancy_id", "panel_members.stage"],
        ),
        # NULLs never collide, so any number of withdrawn sheets but one live one.
        UniqueConstraint("panel_member_id", "application_id", "stage", "live"),
        CheckConstraint(
            "(live AND withdrawn_at IS NULL) OR (live IS NULL AND withdrawn_at IS NOT NULL)",
            name="live_or_withdrawn",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int]
    application_id: Mapped[int]
    panel_member_id: Mapped[int]
    stage: Mapped[str] = mapped_column(String(20))
    #: True for the sheet that counts; NULL once withdrawn.
    live: Mapped[bool | None] = mapped_column(default=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]

    application: Mapped[Application] = relationship(viewonly=True)
    panel_member: Mapped[PanelMember] = relationship(viewonly=True)
    scores: Mapped[list[Score]] = relationship(
        back_populates="sheet", order_by="Score.id", cascade="all, delete-orphan"
    )


class ScoreDraft(Base):
    """A score sheet saved unfinished: the member's own working copy, never counted.

    One per member, application and stage; submitting it stores a `ScoreSheet` and deletes the
    draft. While a member amends a submitted sheet, that sheet stays live until the amendment
    (this draft) is submitted.
    """

    __tablename__ = "score_drafts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["application_id", "vacancy_id"], ["applications.id", "applications.vacancy_id"]
        ),
        ForeignKeyConstraint(
            ["panel_member_id", "vacancy_id", "stage"],
            ["panel_members.id", "panel_members.vacancy_id", "panel_members.stage"],
        ),
        UniqueConstraint("panel_member_id", "application_id", "stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int]
    application_id: Mapped[int]
    panel_member_id: Mapped[int]
    stage: Mapped[str] = mapped_column(String(20))
    #: JSON: {"<criterion id>-<method>": {"score": "2" | "na" | null, "note": "..."}}
    entries: Mapped[str] = mapped_column(Text, default="{}")
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class Score(Base):
    """One score for one criterion by one assessment method; NULL value = not assessed."""

    __tablename__ = "scores"
    __table_args__ = (
        ForeignKeyConstraint(
            ["criterion_id", "method_code"],
            ["criterion_methods.criterion_id", "criterion_methods.method_code"],
        ),
        UniqueConstraint("sheet_id", "criterion_id", "method_code"),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 5)", name="value_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("score_sheets.id"))
    criterion_id: Mapped[int]
    method_code: Mapped[str] = mapped_column(String(30))
    value: Mapped[int | None]
    #: The evidence the member saw for this score.
    note: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")


class ConsensusScore(Base):
    """A score the panel agreed (the chair records it); newest row per cell counts."""

    __tablename__ = "consensus_scores"
    __table_args__ = (
        ForeignKeyConstraint(
            ["criterion_id", "method_code"],
            ["criterion_methods.criterion_id", "criterion_methods.method_code"],
        ),
        CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 5)", name="value_in_range"),
        CheckConstraint("length(trim(rationale)) > 0", name="rationale_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    stage: Mapped[str] = mapped_column(String(20))
    criterion_id: Mapped[int]
    method_code: Mapped[str] = mapped_column(String(30))
    value: Mapped[int | None]
    rationale: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    recorded_by: Mapped[User] = relationship()


class GateOverride(Base):
    """Keeps an applicant eligible despite a failed essential criterion, with the reason."""

    __tablename__ = "gate_overrides"
    __table_args__ = (
        UniqueConstraint("application_id", "stage"),
        CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    stage: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    """Shortlist / reject (or appoint) with its reasons; the newest row per stage counts."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
        CheckConstraint(f"outcome IN {OUTCOMES}", name="outcome_known"),
        CheckConstraint("length(trim(reason)) > 0", name="reason_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    stage: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list[DecisionCriterion]] = relationship(
        order_by="DecisionCriterion.criterion_id", cascade="all, delete-orphan"
    )


class DecisionCriterion(Base):
    """A criterion a decision's reason rests on."""

    __tablename__ = "decision_criteria"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)


class ApplicationFile(Base):
    """An uploaded application form (PDF or Word), checked by content and size."""

    __tablename__ = "application_files"
    __table_args__ = (
        CheckConstraint("kind IN ('pdf', 'docx')", name="kind_known"),
        CheckConstraint("size > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    filename: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Read only when the file itself is downloaded: pages list files by name and size.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChangeCounter(Base):
    """How many commits have changed one kind of data. Pages built from that data are kept per
    worker with the count they were built at, and rebuilt once it moves
    (services/change_marks.py)."""

    __tablename__ = "change_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
