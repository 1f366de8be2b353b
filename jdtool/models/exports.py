"""Documents jdtool produces and keeps: signed copies and the facts only an advert needs."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .documents import JobDescriptionVersion, Organisation
from .people import User, utcnow

DEFAULT_SAFEGUARDING_STATEMENT = (
    "We are committed to safeguarding and promoting the welfare of children and young people and "
    "expect all staff and volunteers to share this commitment. This post is subject to an "
    "enhanced Disclosure and Barring Service (DBS) check, including a check of the children's "
    "barred list, and to satisfactory references."
)
DEFAULT_ONLINE_SEARCH_STATEMENT = (
    "In line with Keeping Children Safe in Education (KCSIE), we will carry out an online search "
    "on shortlisted candidates as part of our due diligence."
)
DEFAULT_EQUALITY_STATEMENT = (
    "We welcome applications from everyone, whatever their age, disability, sex, gender identity, "
    "race, religion or belief, sexual orientation, marriage or civil partnership, or pregnancy "
    "and maternity."
)
DEFAULT_RIGHT_TO_WORK_STATEMENT = (
    "The successful candidate will need to show that they have the right to work in the UK."
)


class SignedCopy(Base):
    """A frozen Word rendering of one approved version for a named postholder."""

    __tablename__ = "signed_copies"
    __table_args__ = (
        # The copy names its job description and version number, and that pair must exist.
        ForeignKeyConstraint(
            ["job_description_id", "version_number"],
            ["job_description_versions.job_description_id", "job_description_versions.number"],
        ),
        CheckConstraint("length(trim(postholder)) > 0", name="postholder_named"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint(
            "(signed_on IS NULL AND signed_by IS NULL) "
            "OR (signed_on IS NOT NULL AND signed_by IS NOT NULL)",
            name="signed_on_and_by_together",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_description_id: Mapped[int] = mapped_column(ForeignKey("job_descriptions.id"))
    version_number: Mapped[int]
    postholder: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(300))
    #: The .docx exactly as produced; every download returns these bytes.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: SHA-256 of `content`, hex.
    sha256: Mapped[str] = mapped_column(String(64))
    produced_at: Mapped[datetime] = mapped_column(default=utcnow)
    produced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The date on the signatures, as the head records it.
    signed_on: Mapped[date | None]
    #: Who signed, as the head records it ("Jane Smith and A. Head").
    signed_by: Mapped[str | None] = mapped_column(String(300))
    signed_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[JobDescriptionVersion] = relationship(viewonly=True)
    produced_by: Mapped[User | None] = relationship(foreign_keys=[produced_by_id])


class AdvertDetails(Base):
    """What an advert says beyond the JD: dates, how to apply, statements, pay rules."""

    __tablename__ = "advert_details"
    __table_args__ = (
        CheckConstraint(
            "closing_date IS NULL OR interview_date IS NULL OR closing_date <= interview_date",
            name="closing_before_interview",
        ),
        CheckConstraint("full_time_hours > 0", name="full_time_hours_positive"),
        CheckConstraint("weeks_in_year IN (52, 52.143)", name="weeks_in_year_known"),
        CheckConstraint("leave_days >= 0", name="leave_days_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_description_id: Mapped[int] = mapped_column(ForeignKey("job_descriptions.id"), unique=True)
    closing_date: Mapped[date | None]
    interview_date: Mapped[date | None]
    #: As the school words it: "1 September 2026", "As soon as possible".
    start_date: Mapped[str | None] = mapped_column(String(100))
    how_to_apply: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(Text)
    safeguarding_statement: Mapped[str] = mapped_column(
        Text, default=DEFAULT_SAFEGUARDING_STATEMENT
    )
    online_search_statement: Mapped[str] = mapped_column(
        Text, default=DEFAULT_ONLINE_SEARCH_STATEMENT
    )
    equality_statement: Mapped[str] = mapped_column(Text, default=DEFAULT_EQUALITY_STATEMENT)
    right_to_work_statement: Mapped[str] = mapped_column(
        Text, default=DEFAULT_RIGHT_TO_WORK_STATEMENT
    )
    full_time_hours: Mapped[float] = mapped_column(default=37.0)
    #: 52 or 52.143: the divisor of paid weeks.
    weeks_in_year: Mapped[float] = mapped_column(default=52.143)
    #: Annual leave + bank holidays of a full-time all-year worker, in days.
    leave_days: Mapped[float] = mapped_column(default=35.0)
    #: The employer's own paid-weeks figure, "45.05" or "447/522"; blank to work it out.
    paid_weeks: Mapped[str | None] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


#: The image types a logo may be: those Word and LibreOffice both show.
LOGO_CONTENT_TYPES = ("image/png", "image/jpeg")
MAX_LOGO_BYTES = 1024 * 1024


class OrganisationLogo(Base):
    """The logo printed at the top of an organisation's Word documents."""

    __tablename__ = "organisation_logos"
    __table_args__ = (
        CheckConstraint(f"content_type IN {LOGO_CONTENT_TYPES}", name="content_type_known"),
        CheckConstraint(
            f"length(content) > 0 AND length(content) <= {MAX_LOGO_BYTES}", name="content_size"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(30))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation: Mapped[Organisation] = relationship()
