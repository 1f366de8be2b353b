"""Equal-opportunities monitoring answers: kept apart from the application, never shown to
the panel, read only as counts by HR and administrators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from .people import utcnow

PREFER_NOT_TO_SAY = "prefer not to say"
#: Each question and its allowed answers (a blank answer is stored as NULL: not answered).
EO_QUESTIONS: dict[str, tuple[str, ...]] = {
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


def _allowed(column: str) -> CheckConstraint:
    values = ", ".join("'" + value.replace("'", "''") + "'" for value in EO_QUESTIONS[column])
    return CheckConstraint(f"{column} IS NULL OR {column} IN ({values})", name=f"{column}_known")


class EqualOpportunitiesAnswer(Base):
    """One application's monitoring answers (at most one row per application)."""

    __tablename__ = "equal_opportunities_answers"
    __table_args__ = tuple(_allowed(column) for column in EO_QUESTIONS)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    age_band: Mapped[str | None] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    disability: Mapped[str | None] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
