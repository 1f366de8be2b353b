"""Personal data: retention, erasure, dump and restore."""

from __future__ import annotations

from pathlib import Path

import click

from .core import Context, fail, main


@main.group("retention")
def retention_group() -> None:
    """Delete unsuccessful applicants' personal data after the retention period."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.pass_obj
def retention_run_command(context: Context, dry_run: bool) -> None:
    """For every vacancy closed longer ago than JDTOOL_RETENTION_MONTHS (6): delete the
    personal data of applicants who were not appointed; scores and decisions stay."""
    from ..db import checkpoint
    from ..services.retention import retention_months, run_retention

    months = retention_months(context.app.config["RETENTION_MONTHS"])
    with context.session() as session:
        deletions = run_retention(session, months, dry_run=dry_run)
        if dry_run:
            session.rollback()
    if not dry_run:
        checkpoint(context.app.extensions["jdtool_engine"])
    verb = "would delete" if dry_run else "deleted"
    for deletion in deletions:
        click.echo(f"vacancy {deletion.vacancy_ids[0]}\t{verb}\t{deletion.summary()}")
    total = sum(len(d.references) for d in deletions)
    click.echo(
        f"{len(deletions)} vacancies, {total} applications {verb}"
        + (" (dry run: nothing changed)" if dry_run else "")
    )


@main.command("erase")
@click.argument("email")
@click.pass_obj
def erase_command(context: Context, email: str) -> None:
    """Erase one person's applicant data from every vacancy (an erasure request)."""
    from ..db import checkpoint
    from ..services.retention import erase_applicant

    with context.session() as session:
        deletion = erase_applicant(session, email)
    checkpoint(context.app.extensions["jdtool_engine"])
    click.echo(f"Erased: {deletion.summary()} ({', '.join(deletion.references)}).")
    if deletion.appointed:
        click.echo(
            f"Note: {', '.join(deletion.appointed)} was appointed; keep the postholder's "
            "employment records outside jdtool."
        )


@main.command("dump")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def dump_command(context: Context, output: Path) -> None:
    """Write every table (files and the audit log included) to one portable file."""
    from ..services.audit import record_event
    from ..services.backup import dump_database

    engine = context.app.extensions["jdtool_engine"]
    try:
        with engine.connect() as connection:
            counts = dump_database(connection, output)
    except OSError as error:
        fail(f"{output}: cannot write the dump ({error.strerror})")
    with context.session() as session:
        record_event(session, "export", "database dump", f"{sum(counts.values())} rows")
    click.echo(f"{output}\t{sum(counts.values())} rows\t{len(counts)} tables")


@main.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def restore_command(context: Context, path: Path) -> None:
    """Restore a dump into a new, empty database (all or nothing)."""
    from sqlalchemy.orm import Session

    from ..services.audit import command_line_actor, record_event
    from ..services.backup import read_dump, restore_database

    dump = read_dump(path)  # checked whole before the database is touched
    engine = context.app.extensions["jdtool_engine"]
    with engine.begin() as connection:
        restored = restore_database(connection, dump)
        with Session(bind=connection) as session:
            record_event(
                session,
                "restore",
                f"dump {path.name}",
                f"{restored} rows, schema {dump.revision}",
                actor=command_line_actor(),
            )
    click.echo(f"Restored {restored} rows from {path.name}.")
