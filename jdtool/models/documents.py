"""Job descriptions, their versions and the parts of each version."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .people import utcnow

if TYPE_CHECKING:
    from .person_specs import Criterion, PersonSpecCategory

VERSION_STATUSES = ("draft", "approved")


ORGANISATION_KINDS = ("trust", "school")
#: The divisors of paid weeks employers use (jdtool.pay.WEEKS_IN_YEAR and 52).
WEEKS_DIVISORS = (52, 52.143)


class Organisation(Base):
    """An employer's record: a trust (or council) or a school, which may belong to a trust.

    A job description belongs to one: its school, or its trust when it names no school. Its
    documents take their name, logo and standard statements from the record, and the actual
    salary its pay rules; a school without its own statement or rule uses its trust's.
    """

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="kind_known"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("full_time_hours IS NULL OR full_time_hours > 0", name="hours_positive"),
        CheckConstraint(
            f"weeks_divisor IS NULL OR weeks_divisor IN {WEEKS_DIVISORS}", name="divisor_known"
        ),
        CheckConstraint("leave_days IS NULL OR leave_days >= 0", name="leave_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    #: "trust" (a trust, council or other employer) or "school".
    kind: Mapped[str] = mapped_column(String(20), default="trust", server_default="trust")
    #: The trust a school belongs to.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    address: Mapped[str | None] = mapped_column(Text)
    #: Who applicants contact: name, email or phone.
    contact: Mapped[str | None] = mapped_column(Text)
    safeguarding_statement: Mapped[str | None] = mapped_column(Text)
    online_search_statement: Mapped[str | None] = mapped_column(Text)
    equality_statement: Mapped[str | None] = mapped_column(Text)
    right_to_work_statement: Mapped[str | None] = mapped_column(Text)
    #: Pay rules; None means "as the trust says", else the advert's own settings.
    full_time_hours: Mapped[float | None]
    weeks_divisor: Mapped[float | None]
    #: Annual leave + bank holidays of a full-time all-year worker, in days.
    leave_days: Mapped[float | None]
    #: The employer's own paid-weeks figure, "45.05" or "447/522".
    paid_weeks: Mapped[str | None] = mapped_column(String(30))

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


class JobDescription(Base):
    """A job description and person specification, across all its versions."""

    __tablename__ = "job_descriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The file it was imported from, if any.
    source_filename: Mapped[str | None] = mapped_column(String(300))

    versions: Mapped[list[JobDescriptionVersion]] = relationship(
        back_populates="job_description",
        order_by="JobDescriptionVersion.number",
        cascade="all, delete-orphan",
    )

    @property
    def current(self) -> JobDescriptionVersion:
        return self.versions[-1]


class JobDescriptionVersion(Base):
    """One version: a draft being edited, or an approved version that never changes again."""

    __tablename__ = "job_description_versions"
    __table_args__ = (
        UniqueConstraint("job_description_id", "number"),
        CheckConstraint(f"status IN {VERSION_STATUSES}", name="status_known"),
        CheckConstraint("status = 'draft' OR content_hash IS NOT NULL", name="approved_has_hash"),
        CheckConstraint(
            "salary_min IS NULL OR salary_max IS NULL OR salary_min <= salary_max",
            name="salary_range_ordered",
        ),
        CheckConstraint("edit_stamp >= 0", name="edit_stamp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_description_id: Mapped[int] = mapped_column(ForeignKey("job_descriptions.id"))
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: SHA-256 of the version's content, fixed when it is approved.
    content_hash: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How many times the draft has been saved from the edit page; a save must name the stamp
    #: it was loaded with, so two people editing at once cannot overwrite each other unseen.
    edit_stamp: Mapped[int] = mapped_column(default=0, server_default="0")
    #: When and by whom the draft was last saved from the edit page.
    edited_at: Mapped[datetime | None]
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    title: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    #: The school the post is at (an organisation of kind "school").
    school_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    location: Mapped[str | None] = mapped_column(String(300))
    grade: Mapped[str | None] = mapped_column(String(200))
    salary_min: Mapped[float | None]
    salary_max: Mapped[float | None]
    #: "fte", "actual" or "hourly": what the salary figures are.
    salary_basis: Mapped[str | None] = mapped_column(String(20))
    salary_text: Mapped[str | None] = mapped_column(String(500))
    hours_per_week: Mapped[float | None]
    weeks_per_year: Mapped[float | None]
    inset_days: Mapped[int | None]
    contract: Mapped[str | None] = mapped_column(String(500))
    contract_end: Mapped[date | None]
    reports_to: Mapped[str | None] = mapped_column(String(300))
    key_relationships: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(200))
    section: Mapped[str | None] = mapped_column(String(200))
    job_number: Mapped[str | None] = mapped_column(String(100))
    #: The date the document gives itself ("January 2026"), as written.
    document_date: Mapped[str | None] = mapped_column(String(100))
    purpose: Mapped[str | None] = mapped_column(Text)
    #: True when the source had a person specification at all.
    has_person_spec: Mapped[bool] = mapped_column(default=False)
    #: What the importer could not tell, one warning per line.
    import_warnings: Mapped[str] = mapped_column(Text, default="")
    #: An import whose findings matter: a person must review it before it is approved and
    #: before its text joins the clause library.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    #: The importer's findings as a JSON list (jdtool.document.Finding.to_dict()).
    import_findings: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")

    job_description: Mapped[JobDescription] = relationship(back_populates="versions")
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    school: Mapped[Organisation | None] = relationship(foreign_keys=[school_id])
    duty_sections: Mapped[list[DutySection]] = relationship(
        order_by="DutySection.position", cascade="all, delete-orphan"
    )
    statements: Mapped[list[Statement]] = relationship(
        order_by="Statement.position", cascade="all, delete-orphan"
    )
    extra_sections: Mapped[list[ExtraSection]] = relationship(
        order_by="ExtraSection.position", cascade="all, delete-orphan"
    )
    signatories: Mapped[list[Signatory]] = relationship(
        order_by="Signatory.position", cascade="all, delete-orphan"
    )
    categories: Mapped[list[PersonSpecCategory]] = relationship(
        order_by="PersonSpecCategory.position", cascade="all, delete-orphan"
    )

    @property
    def employer(self) -> Organisation | None:
        """The record the post belongs to: its school, else its trust or organisation."""
        return self.school or self.organisation

    def duties(self) -> list[Duty]:
        return [duty for section in self.duty_sections for duty in section.duties]

    def criteria(self) -> list[Criterion]:
        return [criterion for category in self.categories for criterion in category.criteria]


class DutySection(Base):
    __tablename__ = "duty_sections"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(Text)

    duties: Mapped[list[Duty]] = relationship(
        order_by="Duty.position", cascade="all, delete-orphan"
    )


class Duty(Base):
    __tablename__ = "duties"
    __table_args__ = (UniqueConstraint("section_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("duty_sections.id"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    #: The library clause this text was copied from or linked to (jdtool.models.library).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)


class Statement(Base):
    """A standard statement: safeguarding commitment, flexibility clause, equal opportunities."""

    __tablename__ = "statements"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    #: The library clause this text was copied from or linked to (jdtool.models.library).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)


class ExtraSection(Base):
    """A section such as "Physical effort and working conditions"."""

    __tablename__ = "extra_sections"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    position: Mapped[int]
    heading: Mapped[str] = mapped_column(Text)
    #: Paragraphs separated by blank lines.
    body: Mapped[str] = mapped_column(Text)


class Signatory(Base):
    """A role that signs the JD: Employee, Headteacher, Line manager…"""

    __tablename__ = "signatories"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    position: Mapped[int]
    role: Mapped[str] = mapped_column(String(200))
