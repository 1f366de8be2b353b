"""A vacancy's interview questions: list, add, import from a CSV file, edit, reorder, delete, the
question bank, the checks and the interview pack. HR (and other managers) and the interview
panel's chair prepare the questions; the interview panel may download the pack."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectMultipleField, TextAreaField, widgets
from wtforms.validators import DataRequired, InputRequired

from ..errors import DomainError
from ..scoring import SCALES
from ..services import interview_pack, question_import
from ..services import questions as question_service
from ..services.scoping import Scope
from ..services.vacancies import CsvRowsInvalid
from . import db_session
from .unit_of_work import on_refusal_go_to
from .vacancies import DOCX_TYPE, with_scope

bp = Blueprint("questions", __name__, url_prefix="/vacancies/<int:vacancy_id>/questions")


class QuestionForm(FlaskForm):
    text = TextAreaField(
        "Question", validators=[DataRequired("Write the question the panel will ask.")]
    )
    #: Choices are the criteria assessed at interview or by a task, set by the view.
    criteria = SelectMultipleField(
        "Criteria this question draws out evidence for",
        coerce=int,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
    guidance = TextAreaField(
        "What a strong answer shows", description="Shown to the panel beside the question."
    )
    follow_ups = TextAreaField("Follow-up prompts (optional)", description="One prompt a line.")

    def __init__(self, *args, scale, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale

    def score_guidance(self) -> dict[int, str]:
        """Guidance per score, from the boxes named guidance-<score> (one per scale point)."""
        return {
            value: request.form.get(f"guidance-{value}", "").strip()
            for value in self.scale.values
            if request.form.get(f"guidance-{value}", "").strip()
        }


class TokenForm(FlaskForm):
    """A button's form: only its CSRF token."""


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[InputRequired()])
    #: The position the page showed, so a form sent twice moves the question only once.
    position = IntegerField(validators=[InputRequired()])


class ImportForm(FlaskForm):
    """A CSV file of questions: the columns `jdtool questions import` reads."""

    file = FileField(
        "CSV file of questions",
        description="A CSV UTF-8 file of up to 1 MB.",
        validators=[FileRequired("Choose the CSV file of questions to import.")],
    )


#: A refused import lists this many wrong rows; the rest are counted.
ROWS_LISTED = 10


class BankForm(FlaskForm):
    source = IntegerField(validators=[InputRequired()])
    criterion = IntegerField(validators=[InputRequired()])


def _preparers_only(scope: Scope) -> None:
    """HR (and other managers) or the interview panel's chair."""
    if not (scope.manages or scope.is_chair("interview")):
        abort(403)


def _new_form(scope: Scope, **kwargs) -> QuestionForm:
    form = QuestionForm(scale=SCALES[scope.vacancy.scale], **kwargs)
    form.criteria.choices = [
        (c.criterion.id, f"{c.position}. {c.criterion.text}")
        for c in question_service.question_criteria(scope.vacancy)
    ]
    return form


def _draft(form: QuestionForm) -> question_service.QuestionDraft:
    return question_service.QuestionDraft(
        text=form.text.data or "",
        criterion_ids=form.criteria.data or [],
        guidance=form.guidance.data or "",
        follow_ups=form.follow_ups.data or "",
        score_guidance=form.score_guidance(),
    )


def _save(form: QuestionForm, action) -> bool:
    """Run a service call for the form; False, with each reason beside its field (reasons for
    no one field go to the top of the form), when it is refused."""
    try:
        action()
    except question_service.QuestionInvalid as invalid:
        for name, message in invalid.errors.items():
            field = getattr(form, name, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, message]
            else:
                form.form_errors.append(message)
        return False
    except DomainError as error:
        form.form_errors.append(str(error))
        return False
    return True


def _back(scope: Scope, anchor: str | None = None) -> Response:
    return redirect(url_for("questions.index", vacancy_id=scope.vacancy.id, _anchor=anchor), 303)


def _import_form(**kwargs) -> ImportForm:
    return ImportForm(prefix="import", **kwargs)


def _page(
    scope: Scope, form: QuestionForm, status: int = 200, import_form: ImportForm | None = None
):
    session = db_session()
    questions = question_service.vacancy_questions(session, scope.vacancy)
    criteria = question_service.question_criteria(scope.vacancy)
    return render_template(
        "questions/index.html",
        scope=scope,
        vacancy=scope.vacancy,
        questions=questions,
        positions={q.id: question_service.criterion_positions(scope.vacancy, q) for q in questions},
        criteria=criteria,
        issues=question_service.question_issues(scope.vacancy, questions),
        suggestions=question_service.suggestions(session, scope.vacancy),
        scale=SCALES[scope.vacancy.scale],
        form=form,
        import_form=import_form or _import_form(formdata=None),
        guidance=form.score_guidance(),
    ), status


@bp.route("", methods=["GET", "POST"])
@with_scope
def index(scope: Scope):
    """The questions in the order asked, the checks, the bank, a form to add one and a form to
    import a CSV file of them (both sent here; the import form's fields are named import-…)."""
    _preparers_only(scope)
    if request.method == "POST" and (
        "import-csrf_token" in request.form or "import-file" in request.files
    ):
        return _import_file(scope)
    form = _new_form(scope)
    if request.method == "POST":
        if form.validate_on_submit() and _save(
            form,
            lambda: question_service.add_question(db_session(), scope.vacancy, _draft(form)),
        ):
            flash("Question added.", "success")
            return _back(scope, "questions")
        return _page(scope, form, 400)
    return _page(scope, form)


def _import_file(scope: Scope):
    """Add the questions of a CSV file after the existing ones, as `jdtool questions import`
    does: all or nothing; refused, the page shows why at the top and beside the file field."""
    form = _import_form()
    if form.validate_on_submit():
        # One byte over the service's limit is enough for it to refuse the file as too large.
        data = form.file.data.stream.read(question_import.MAX_QUESTIONS_FILE_BYTES + 1)
        try:
            added = question_import.import_questions(db_session(), scope.vacancy.id, data)
        except DomainError as error:
            form.file.errors = [*form.file.errors, *_import_refusal(error)]
        else:
            count = len(added)
            flash(f"Imported {count} question{'s' if count != 1 else ''}.", "success")
            return _back(scope, "questions")
    return _page(scope, _new_form(scope, formdata=None), 400, import_form=form)


def _import_refusal(error: DomainError) -> list[str]:
    """What to show for a refused import: one line, or one line per wrong row (the first says
    nothing was imported), at most `ROWS_LISTED` of them."""
    if not isinstance(error, CsvRowsInvalid):
        return [str(error)]
    rows = [f"Nothing was imported. {error.errors[0]}", *error.errors[1:ROWS_LISTED]]
    more = len(error.errors) - ROWS_LISTED
    if more > 0:
        rows.append(f"…and {more:,} more row{'s' if more != 1 else ''} to correct.")
    return rows


@bp.route("/<int:question_id>", methods=["GET", "POST"])
@with_scope
def edit(scope: Scope, question_id: int):
    """Change one question (its text, criteria, guidance, follow-ups)."""
    _preparers_only(scope)
    session = db_session()
    question = question_service.get_question(session, scope.vacancy, question_id)
    if request.method == "GET":
        form = _new_form(scope, obj=question)
        form.criteria.data = sorted(question.criterion_ids)
        guidance = {row.score: row.text for row in question.score_guidance}
    else:
        form = _new_form(scope)
        guidance = form.score_guidance()
        if form.validate_on_submit() and _save(
            form,
            lambda: question_service.update_question(
                session, scope.vacancy, question_id, _draft(form)
            ),
        ):
            flash(f"Question {question.position} saved.", "success")
            return _back(scope, f"question-{question_id}")
    return render_template(
        "questions/edit.html",
        scope=scope,
        vacancy=scope.vacancy,
        question=question,
        form=form,
        guidance=guidance,
        scale=SCALES[scope.vacancy.scale],
    ), (400 if form.errors or form.form_errors else 200)


@bp.route("/<int:question_id>/delete", methods=["POST"])
@with_scope
def delete(scope: Scope, question_id: int):
    _preparers_only(scope)
    if TokenForm().validate_on_submit():
        _flash_outcome(
            lambda: question_service.delete_question(db_session(), scope.vacancy, question_id),
            "Question deleted.",
        )
    else:
        flash("The form expired; try again.", "error")
    return _back(scope, "questions")


@bp.route("/<int:question_id>/move", methods=["POST"])
@with_scope
def move(scope: Scope, question_id: int):
    _preparers_only(scope)
    form = MoveForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        _flash_outcome(
            lambda: question_service.move_question(
                db_session(), scope.vacancy, question_id, form.direction.data, form.position.data
            )
        )
    else:
        flash("The form expired; try again.", "error")
    return _back(scope, f"question-{question_id}")


@bp.route("/bank", methods=["POST"])
@with_scope
def add_from_bank(scope: Scope):
    """Copy a question from the bank (asked in another vacancy about the same clause)."""
    _preparers_only(scope)
    form = BankForm()
    if form.validate_on_submit():
        _flash_outcome(
            lambda: question_service.add_from_bank(
                db_session(), scope.vacancy, form.source.data, form.criterion.data
            ),
            "Question added from the bank: check its wording and guidance for this post.",
        )
    else:
        flash("The form expired; try again.", "error")
    return _back(scope, "questions")


@bp.route("/pack.docx")
@with_scope
def pack(scope: Scope):
    """The interview pack (Word) for the panel."""
    if not (scope.manages or scope.member("interview")):
        abort(403)
    preparer = scope.manages or scope.is_chair("interview")
    on_refusal_go_to(
        url_for("questions.index", vacancy_id=scope.vacancy.id)
        if preparer
        else url_for("vacancies.show", vacancy_id=scope.vacancy.id)
    )
    data = interview_pack.interview_pack_docx(db_session(), scope)
    return Response(
        data,
        mimetype=DOCX_TYPE,
        headers={
            "Content-Disposition": (
                f'attachment; filename="vacancy-{scope.vacancy.id}-interview-pack.docx"'
            )
        },
    )


def _flash_outcome(action, success: str | None = None) -> None:
    """Run a change the questions page asked for; refused, the page shows why at the top."""
    vacancy_id = (request.view_args or {})["vacancy_id"]
    on_refusal_go_to(url_for("questions.index", vacancy_id=vacancy_id, _anchor="questions"))
    action()
    if success:
        flash(success, "success")
