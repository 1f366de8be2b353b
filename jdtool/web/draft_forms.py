"""The form that edits a draft job description's header and duties."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..services.drafts import DraftHeader


class NumberField(DecimalField):
    """A decimal shown as people write it: 25583, not 25583.0; 31.67 as 31.67."""

    def _value(self) -> str:
        if self.raw_data or self.data is None:
            return super()._value()
        return format(Decimal(str(self.data)).normalize(), "f")


def _optional_number(label: str, maximum: float, description: str = "") -> NumberField:
    return NumberField(
        label,
        description=description,
        places=None,
        validators=[Optional(), NumberRange(0, maximum, f"Enter a number from 0 to {maximum:g}.")],
    )


class DraftForm(FlaskForm):
    #: The draft's edit stamp when this page was loaded (see services.drafts.save_draft).
    edit_stamp = HiddenField()
    title = StringField(
        "Job title", validators=[DataRequired("Give the job a title."), Length(max=300)]
    )
    location = StringField("Location", validators=[Length(max=300)])
    grade = StringField("Grade", validators=[Length(max=200)])
    salary_min = _optional_number("Lowest salary (£)", 1_000_000, "Full-time equivalent.")
    salary_max = _optional_number("Highest salary (£)", 1_000_000)
    salary_text = StringField(
        "Salary as written",
        description="Used when there are no figures, e.g. “NJC pay scale, points 5 to 6”.",
        validators=[Length(max=500)],
    )
    hours_per_week = _optional_number("Hours per week", 168)
    weeks_per_year = _optional_number("Weeks per year", 52.143)
    contract = StringField("Contract", validators=[Length(max=500)])
    reports_to = StringField("Reports to", validators=[Length(max=300)])
    purpose = TextAreaField("Job purpose")
    #: One textarea per duty section, one duty per line.
    sections = FieldList(TextAreaField())

    def validate_edit_stamp(self, field: HiddenField) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("The form was incomplete. Reload the page and try again.")

    def validate_salary_max(self, field: DecimalField) -> None:
        if (
            field.data is not None
            and self.salary_min.data is not None
            and self.salary_min.data > field.data
        ):
            raise ValidationError("The highest salary must not be less than the lowest.")

    def header(self) -> DraftHeader:
        def number(value):
            return float(value) if value is not None else None

        return DraftHeader(
            title=self.title.data,
            location=self.location.data,
            grade=self.grade.data,
            salary_min=number(self.salary_min.data),
            salary_max=number(self.salary_max.data),
            salary_text=self.salary_text.data,
            hours_per_week=number(self.hours_per_week.data),
            weeks_per_year=number(self.weeks_per_year.data),
            contract=self.contract.data,
            reports_to=self.reports_to.data,
            purpose=self.purpose.data,
        )

    def duties_by_section(self) -> list[list[str]]:
        return [(entry.data or "").splitlines() for entry in self.sections]
