"""Interview questions: import them from a spreadsheet, list them, print the panel's pack."""

from __future__ import annotations

from pathlib import Path

import click

from .core import Context, main


@main.group("questions")
def questions_group() -> None:
    """A vacancy's interview questions."""


@questions_group.command("import")
@click.argument("vacancy_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def questions_import_command(context: Context, vacancy_id: int, file: Path) -> None:
    """Add questions from a CSV file: columns criterion (positions, e.g. 3;5), question,
    guidance. All or nothing."""
    from ..services.question_import import import_questions

    with context.session() as session:
        questions = import_questions(session, vacancy_id, file.read_bytes())
        count = len(questions)
    click.echo(f"Imported {count} question{'s' if count != 1 else ''}.")


@questions_group.command("list")
@click.argument("vacancy_id", type=int)
@click.pass_obj
def questions_list_command(context: Context, vacancy_id: int) -> None:
    """One line per question in the order asked: N<TAB>criteria<TAB>question."""
    from ..services.interview_pack import question_lines
    from ..services.scoping import command_line_scope

    with context.session() as session:
        scope = command_line_scope(session, vacancy_id)
        lines = question_lines(session, scope.vacancy)
    for number, criteria, text in lines:
        click.echo(f"{number}\t{criteria}\t{' '.join(text.split())}")


@main.command("export-pack")
@click.argument("vacancy_id", type=int)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
    help="The .docx file to write.",
)  # fmt: skip
@click.option(
    "--date",
    "interview_date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Interview date (YYYY-MM-DD); default: the advert's interview date.",
)
@click.pass_obj
def export_pack_command(context: Context, vacancy_id: int, output: Path, interview_date) -> None:
    """The interview pack: per shortlisted candidate, a cover page and every question."""
    from ..services.interview_pack import interview_pack_docx
    from ..services.scoping import command_line_scope

    with context.session() as session:
        scope = command_line_scope(session, vacancy_id)
        data = interview_pack_docx(
            session, scope, interview_date.date() if interview_date else None
        )
    output.write_bytes(data)
    click.echo(f"Wrote {output}")
