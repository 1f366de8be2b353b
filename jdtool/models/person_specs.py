"""Person specifications: categories, criteria and how each criterion is assessed."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base

PRIORITIES = ("essential", "desirable", "unknown")


class AssessmentMethod(Base):
    """How a criterion is tested: application form, interview, references…"""

    __tablename__ = "assessment_methods"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    label: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(unique=True)


class PersonSpecCategory(Base):
    """Qualifications, Experience… or a sub-group such as "Compassion" inside Values."""

    __tablename__ = "person_spec_categories"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("job_description_versions.id"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("person_spec_categories.id"))

    parent: Mapped[PersonSpecCategory | None] = relationship(remote_side=[id])
    criteria: Mapped[list[Criterion]] = relationship(
        order_by="Criterion.position", cascade="all, delete-orphan"
    )


class Criterion(Base):
    __tablename__ = "criteria"
    __table_args__ = (
        UniqueConstraint("category_id", "position"),
        CheckConstraint(f"priority IN {PRIORITIES}", name="priority_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("person_spec_categories.id"))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    #: "unknown" when the source does not say; never defaulted to essential.
    priority: Mapped[str] = mapped_column(String(20))
    #: The library clause this text was copied from or linked to (jdtool.models.library).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)

    method_links: Mapped[list[CriterionMethod]] = relationship(
        order_by="CriterionMethod.method_position", cascade="all, delete-orphan"
    )

    @property
    def methods(self) -> list[str]:
        return [link.method_code for link in self.method_links]


class CriterionMethod(Base):
    """One assessment method of one criterion."""

    __tablename__ = "criterion_methods"

    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)
    method_code: Mapped[str] = mapped_column(
        ForeignKey("assessment_methods.code"), primary_key=True
    )
    #: Copy of the method's display position, so a criterion's methods list in table order.
    method_position: Mapped[int]
