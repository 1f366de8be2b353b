"""Vacancies: applicants, panels, scores, decisions, the lifecycle."""

from __future__ import annotations

import json
from pathlib import Path

import click
from sqlalchemy import select

from .core import Context, main


@main.group("vacancy")
def vacancy_group() -> None:
    """Vacancies: create one on an approved job description, rank its applicants."""


@vacancy_group.command("create")
@click.option("--jd", "job_description_id", type=int, required=True, help="Job description ID.")
@click.option("--title", required=True, help="The vacancy's title.")
@click.option("--scale", type=click.Choice(["0-3", "1-5", "met"]), default="0-3", show_default=True)
@click.option("--anonymised", is_flag=True, help="Hide names from the shortlisting panel.")
@click.option("--maintained", is_flag=True, help="A maintained school (training rule applies).")
@click.option(
    "--closing-date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Last day for applications (YYYY-MM-DD).",
)
@click.pass_obj
def vacancy_create_command(
    context: Context,
    job_description_id: int,
    title: str,
    scale: str,
    anonymised: bool,
    maintained: bool,
    closing_date,
) -> None:
    """Create a vacancy pinned to the JD's approved version; prints the vacancy ID."""
    from ..services.vacancies import create_vacancy

    with context.session() as session:
        vacancy = create_vacancy(
            session,
            job_description_id,
            title,
            scale,
            anonymised=anonymised,
            maintained_school=maintained,
            closing_date=closing_date.date() if closing_date else None,
        )
        vacancy_id = vacancy.id
    click.echo(vacancy_id)


@vacancy_group.command("rank")
@click.argument("vacancy_id", type=int)
@click.option("--stage", type=click.Choice(["shortlisting", "interview"]), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.pass_obj
def vacancy_rank_command(context: Context, vacancy_id: int, stage: str, as_json: bool) -> None:
    """Rank applicants: essential gate, total, rank (ties stay tied)."""
    from ..services.decisions import rank_stage
    from ..services.scoping import command_line_scope

    with context.session() as session:
        scope = command_line_scope(session, vacancy_id)
        rows = [
            {
                "applicant": ranked.application.reference,
                "eligible": ranked.standing.eligible,
                "failed_essentials": ranked.standing.failed_essentials,
                "unassessed_essentials": ranked.standing.unassessed_essentials,
                "total": ranked.standing.total,
                "rank": ranked.standing.rank,
                "tied": ranked.standing.tied,
                "guaranteed_interview": ranked.standing.guaranteed_interview,
                "override_reason": ranked.standing.override_reason,
            }
            for ranked in rank_stage(session, scope, stage)
        ]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        rank = "-" if row["rank"] is None else f"{row['rank']}{'=' if row['tied'] else ''}"
        if row["failed_essentials"]:
            gate = "fails essential " + ", ".join(map(str, row["failed_essentials"]))
        elif row["unassessed_essentials"]:
            gate = "essential " + ", ".join(map(str, row["unassessed_essentials"]))
            gate += " not assessed"
        else:
            gate = "eligible"
        if row["override_reason"]:
            gate += f" (kept by override: {row['override_reason']})"
        note = "  (Disability Confident: offer an interview)" if row["guaranteed_interview"] else ""
        click.echo(f"{rank}\t{row['applicant']}\t{row['total']:g}\t{gate}{note}")


@vacancy_group.command("close")
@click.argument("vacancy_id", type=int)
@click.pass_obj
def vacancy_close_command(context: Context, vacancy_id: int) -> None:
    """Close a vacancy once every interviewed applicant has a decision; retention starts now."""
    from ..services.lifecycle import close_vacancy
    from ..services.retention import deletion_due, retention_months
    from ..services.scoping import command_line_scope

    months = retention_months(context.app.config["RETENTION_MONTHS"])
    with context.session() as session:
        scope = command_line_scope(session, vacancy_id)
        close_vacancy(session, scope)
        due = deletion_due(scope.vacancy, months)
    click.echo(
        f"Vacancy {vacancy_id} closed. Unsuccessful applicants' personal data will be deleted "
        f"from {due:%d %B %Y} ({months} months)."
    )


@vacancy_group.command("decide")
@click.argument("vacancy_id", type=int)
@click.argument("applicant")
@click.option("--stage", type=click.Choice(["shortlisting", "interview"]), required=True)
@click.option(
    "--outcome",
    type=click.Choice(["shortlist", "reject", "appoint", "no-appointment"]),
    required=True,
)
@click.option("--reason", required=True, help="Why, in the panel's words.")
@click.option("--criteria", help="Criterion numbers the reason rests on, e.g. 8,10.")
@click.pass_obj
def vacancy_decide_command(
    context: Context,
    vacancy_id: int,
    applicant: str,
    stage: str,
    outcome: str,
    reason: str,
    criteria: str | None,
) -> None:
    """Record a decision a panel made on paper (APPLICANT: reference or email)."""
    from ..models import Application
    from ..services.lifecycle import decide_on_paper
    from ..services.scoping import command_line_scope

    with context.session() as session:
        scope = command_line_scope(session, vacancy_id)
        decision = decide_on_paper(session, scope, applicant, stage, outcome, reason, criteria)
        reference = session.get(Application, decision.application_id).reference
    click.echo(f"{reference}\t{stage}\t{outcome}")


@vacancy_group.command("finalise")
@click.argument("vacancy_id", type=int)
@click.option("--stage", type=click.Choice(["shortlisting"]), required=True)
@click.pass_obj
def vacancy_finalise_command(context: Context, vacancy_id: int, stage: str) -> None:
    """Make the shortlist final (two members' scores and a decision for everyone needed)."""
    from ..services.lifecycle import finalise_on_paper
    from ..services.scoping import command_line_scope

    with context.session() as session:
        shortlisted = finalise_on_paper(session, command_line_scope(session, vacancy_id), stage)
    click.echo(f"Vacancy {vacancy_id}: the shortlist is final ({shortlisted} shortlisted).")


@vacancy_group.command("list")
@click.pass_obj
def vacancy_list_command(context: Context) -> None:
    """`ID<TAB>title<TAB>status<TAB>closing date<TAB>progress` per vacancy."""
    from ..models import Vacancy
    from ..services.lifecycle import vacancy_progress

    with context.session() as session:
        for vacancy in session.scalars(select(Vacancy).order_by(Vacancy.id)):
            progress = vacancy_progress(session, vacancy)
            closing = f"{vacancy.closing_date:%Y-%m-%d}" if vacancy.closing_date else "-"
            click.echo(
                f"{vacancy.id}\t{vacancy.title}\t{progress.status}\t{closing}\t{progress.summary}"
            )


@main.group("applicants")
def applicants_group() -> None:
    """Applicants of a vacancy."""


@applicants_group.command("import")
@click.argument("vacancy_id", type=int)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def applicants_import_command(context: Context, vacancy_id: int, csv_file: Path) -> None:
    """Import applicants from CSV: name,email[,reference,disability_confident]."""
    from ..services.applicants import import_applicants
    from ..services.vacancies import get_vacancy

    with context.session() as session:
        result = import_applicants(session, get_vacancy(session, vacancy_id), csv_file.read_bytes())
        lines = [
            f"{a.reference}\t{a.applicant.name}\t{a.applicant.email}" for a in result.applications
        ]
        unknown = result.unknown_columns
    for line in lines:
        click.echo(line)
    if unknown:
        click.echo(f"jdtool: ignored unknown columns: {', '.join(unknown)}", err=True)
    click.echo(f"Imported {len(lines)} applicants.", err=True)


@main.group("panel")
def panel_group() -> None:
    """Panel members of a vacancy."""


@panel_group.command("add")
@click.argument("vacancy_id", type=int)
@click.argument("email")
@click.option("--stage", type=click.Choice(["shortlisting", "interview"]), required=True)
@click.option("--chair", is_flag=True, help="This member chairs the stage's panel.")
@click.option("--name", help="Display name, when a new account is made.")
@click.pass_obj
def panel_add_command(
    context: Context, vacancy_id: int, email: str, stage: str, chair: bool, name: str | None
) -> None:
    """Seat a user on a stage's panel (makes a panel account when the email is new)."""
    from ..services.panels import add_panel_member
    from ..services.vacancies import get_vacancy

    with context.session() as session:
        seat = add_panel_member(
            session, get_vacancy(session, vacancy_id), email, stage, chair=chair, name=name
        )
        role = "chair" if chair else "member"
        message = f"Added {seat.member.user.email} to the {stage} panel as {role}."
        password = seat.new_password
    click.echo(message)
    if password:
        click.echo(
            f"New panel account: they sign in with {email.strip().lower()} and the password "
            f"{password} (pass it on privately)."
        )


@main.group("scores")
def scores_group() -> None:
    """Panel scores."""


@scores_group.command("import")
@click.argument("vacancy_id", type=int)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--stage", type=click.Choice(["shortlisting", "interview"]), required=True)
@click.pass_obj
def scores_import_command(context: Context, vacancy_id: int, csv_file: Path, stage: str) -> None:
    """Import scores (applicant,panel_member,criterion,method,score,note); all or nothing."""
    from ..services.score_import import import_scores

    with context.session() as session:
        sheets = import_scores(session, vacancy_id, stage, csv_file.read_bytes())
        count = len(sheets)
    click.echo(f"Imported {count} score sheets.")
