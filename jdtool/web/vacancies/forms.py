"""Forms for vacancies, applicants and panels."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Optional

SCALE_CHOICES = [
    SelectChoice("0-3", "0–3 (no evidence, mentioned, brief example, detailed example)"),
    SelectChoice("1-5", "1–5 (no evidence … outstanding)"),
    SelectChoice("met", "Met / not met"),
]


class VacancyForm(FlaskForm):
    job_description = SelectField(
        "Approved job description",
        coerce=int,
        validators=[DataRequired("Choose an approved job description.")],
    )
    title = StringField("Vacancy title", validators=[DataRequired("Give the vacancy a title.")])
    scale = RadioField("Scoring scale", choices=SCALE_CHOICES, default="0-3")
    anonymised = BooleanField("Anonymised shortlisting (the panel sees references, not names)")
    maintained_school = BooleanField("Maintained school (safer-recruitment training rule applies)")
    closing_date = DateField(
        "Closing date for applications (optional)",
        validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )


class ApplicantForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired("Enter the applicant's name.")])
    email = EmailField("Email address", validators=[DataRequired("Enter an email address.")])
    disability_confident = BooleanField(
        "Applying under the Disability Confident interview guarantee"
    )


class CsvForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file.")])


class PanelForm(FlaskForm):
    email = EmailField("Email address", validators=[DataRequired("Enter an email address.")])
    name = StringField("Name (for a new account)", validators=[Optional()])
    stage = SelectField("Stage")
    chair = BooleanField("Chair of this stage's panel")
    training_date = DateField(
        "Safer-recruitment training date (if trained)", validators=[Optional()]
    )


class TrainingForm(FlaskForm):
    training_date = DateField("Training date", validators=[Optional()])


class ConflictForm(FlaskForm):
    reason = StringField("What is the conflict?", validators=[Optional()])


class FileUploadForm(FlaskForm):
    file = FileField(
        "Application form (PDF or Word)",
        validators=[FileRequired("Choose the application form to upload.")],
    )


class OverrideForm(FlaskForm):
    reason = TextAreaField(
        "Reason for keeping this applicant",
        validators=[
            DataRequired("Give a reason for keeping an applicant who failed an essential.")
        ],
    )


class DecisionForm(FlaskForm):
    outcome = RadioField("Decision", validators=[DataRequired("Choose a decision.")])
    #: Choices are the stage's criteria, set by the view.
    criteria = SelectMultipleField(
        "Criteria the decision rests on",
        coerce=int,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    reason = TextAreaField(
        "Reason", validators=[DataRequired("Give the reason for this decision.")]
    )
