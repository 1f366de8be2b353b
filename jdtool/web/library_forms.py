"""The forms and choices of the clause library and Compose pages (the views are in library.py)."""

from __future__ import annotations

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..models import AssessmentMethod
from ..services.documents import list_job_descriptions
from . import db_session

KINDS = [
    ("", "All kinds"),
    ("duty", "Duties"),
    ("criterion", "Criteria"),
    ("statement", "Statements"),
]
PRIORITY_CHOICES = [("", "Choose…"), ("essential", "Essential"), ("desirable", "Desirable")]
PLURALS = {"duty": "duties", "criterion": "criteria"}
#: Clauses per page of the library's own search (Compose shows SEARCH_PAGE_SIZE).
INDEX_PAGE_SIZE = 50


def page_number() -> int:
    """The `page` query parameter; anything but a whole number gives the first page."""
    page = request.args.get("page", "")
    return int(page) if page.isdigit() and len(page) < 7 else 1


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def method_choices() -> list[tuple[str, str]]:
    methods = db_session().scalars(select(AssessmentMethod).order_by(AssessmentMethod.position))
    return [(method.code, method.label) for method in methods]  # (value, label) pairs


class MergeClausesForm(FlaskForm):
    clauses = SelectMultipleField("Clauses to merge", coerce=int)
    canonical = RadioField(
        "Canonical clause", coerce=int, validators=[InputRequired("Choose the canonical clause.")]
    )
    canonical_text = TextAreaField(
        "New wording (optional)",
        description="Leave empty to keep the wording chosen above. Documents keep the text "
        "they copied.",
        validators=[Optional(), Length(max=2000)],
    )

    def __init__(self, *args, clause_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.clauses.choices = _choices(clause_choices)
        self.canonical.choices = _choices(clause_choices)


class StartComposeForm(FlaskForm):
    title = StringField(
        "Job title",
        validators=[DataRequired("Give the new job description a title."), Length(max=300)],
    )


class AddToDocumentForm(FlaskForm):
    """Add a library clause (clause_id) or a new text (kind + text) to a draft."""

    clause_id = IntegerField(widget=widgets.HiddenInput(), validators=[Optional()])
    kind = SelectField(
        "Kind",
        choices=_choices([("duty", "Duty"), ("criterion", "Criterion")]),
        default="duty",
        id="new-kind",  # the page's library search has its own "kind"
    )
    text = TextAreaField("Text", validators=[Optional(), Length(max=2000)], id="new-text")
    #: An existing duty section or person-spec category of the draft (chosen from a list);
    #: empty for the clause's own one.
    heading = StringField("Section or category", validators=[Optional(), Length(max=300)])
    new_heading = StringField(
        "Or a new section or category named",
        validators=[Optional(), Length(max=300)],
    )
    priority = SelectField("Essential or desirable", choices=_choices(PRIORITY_CHOICES), default="")
    methods = MultiCheckboxField("Assessed by")
    force = HiddenField(default="")

    def __init__(
        self, *args, sections=(), categories=(), kind_of_clause=lambda _clause_id: None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.methods.choices = _choices(method_choices())
        self.headings = {"duty": list(sections), "criterion": list(categories)}
        self.kind_of_clause = kind_of_clause

    @property
    def line_kind(self) -> str | None:
        """What is being added: the library clause's kind, or the kind chosen for new text."""
        if self.clause_id.data:
            return self.kind_of_clause(self.clause_id.data)
        return self.kind.data

    @property
    def chosen_heading(self) -> str | None:
        """The section or category chosen: a new one named wins over one picked from the list."""
        return (self.new_heading.data or "").strip() or (self.heading.data or "").strip() or None

    def validate_text(self, field) -> None:
        if not self.clause_id.data and not (field.data or "").strip():
            raise ValidationError(f"Write the {self.kind.data} before adding it.")

    def validate_heading(self, field) -> None:
        heading = (field.data or "").strip()
        kind = self.line_kind
        if not heading or (self.new_heading.data or "").strip() or kind not in self.headings:
            return
        if heading not in self.headings[kind]:
            where = "duty section" if kind == "duty" else "person specification category"
            raise ValidationError(
                f"“{heading}” is not a {where} of this document: choose one from the list, "
                "or name a new one."
            )

    def validate_priority(self, field) -> None:
        if self.line_kind == "criterion" and not field.data:
            raise ValidationError("Say whether the criterion is essential or desirable.")


class LineChangeForm(FlaskForm):
    """Remove, or move up or down, one duty or criterion shown in the document panel."""

    kind = SelectField(choices=_choices([("duty", "Duty"), ("criterion", "Criterion")]))
    position = IntegerField(validators=[InputRequired()])
    edit_stamp = IntegerField(validators=[InputRequired()])
    change = SelectField(choices=_choices([("remove", "Remove"), ("up", "Up"), ("down", "Down")]))


class DuplicateDecisionForm(FlaskForm):
    """Remove the repeat of a duplicate pair on the checks page, or keep both lines."""

    kind = SelectField(choices=_choices([("duty", "Duty"), ("criterion", "Criterion")]))
    position_a = IntegerField(validators=[InputRequired()])
    position_b = IntegerField(validators=[InputRequired()])
    edit_stamp = IntegerField(validators=[InputRequired()])
    decision = SelectField(choices=_choices([("remove", "Remove"), ("keep", "Keep both")]))


class MergeJobDescriptionsForm(FlaskForm):
    first = SelectField("First job description (its wording wins)", coerce=int)
    second = SelectField("Second job description", coerce=int)
    title = StringField("Title of the merged job description", validators=[Length(max=300)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = _choices(
            (version.job_description_id, f"{version.title} (ID {version.job_description_id})")
            for version in list_job_descriptions(db_session())
        )
        self.first.choices = choices
        self.second.choices = choices

    def validate_second(self, field) -> None:
        if field.data == self.first.data:
            raise ValidationError("Choose two different job descriptions.")
