"""Organisations: the schools and trusts JDs belong to, with their statements and pay rules."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DomainError
from .core import Context, main

STATEMENT_OPTIONS = {
    "safeguarding_statement": "safeguarding",
    "online_search_statement": "online-search",
    "equality_statement": "equality",
    "right_to_work_statement": "right-to-work",
}


def organisation_options(command):
    """The options `org add` and `org set` share."""
    for option in reversed(
        (
            click.option("--address", help="Postal address (use \\n for new lines)."),
            click.option("--contact", help="Who applicants contact: name, email or phone."),
            click.option("--parent", help="The trust a school belongs to (name or ID)."),
            click.option("--kind", type=click.Choice(["trust", "school"]), help="Trust or school."),
            click.option("--full-time-hours", type=float, help="Pay: full-time hours a week (37)."),
            click.option(
                "--weeks-divisor",
                type=click.Choice(["52", "52.143"]),
                help="Pay: the divisor of paid weeks.",
            ),
            click.option(
                "--leave-days", type=float, help="Pay: annual leave + bank holidays (35)."
            ),
            click.option("--paid-weeks", help="Pay: the employer's paid weeks, 45.05 or 447/522."),
            *(
                click.option(
                    f"--{flag}-statement",
                    name,
                    help=f"The {flag.replace('-', ' ')} statement.",
                )
                for name, flag in STATEMENT_OPTIONS.items()
            ),
            *(
                click.option(
                    f"--{flag}-statement-file",
                    f"{name}_file",
                    type=click.Path(exists=True, dir_okay=False, path_type=Path),
                    help=f"Read the {flag.replace('-', ' ')} statement from a text file.",
                )
                for name, flag in STATEMENT_OPTIONS.items()
            ),
        )
    ):
        command = option(command)
    return command


def _changes(options: dict) -> dict:
    changes = {name: value for name, value in options.items() if value is not None}
    for name in STATEMENT_OPTIONS:
        path = changes.pop(f"{name}_file", None)
        if path is None:
            continue
        if name in changes:
            raise DomainError(f"Give the {STATEMENT_OPTIONS[name]} statement as text or a file.")
        try:
            changes[name] = path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not UTF-8 text"
            raise DomainError(f"{path}: cannot read the statement ({reason}).") from None
    if "address" in changes:
        changes["address"] = changes["address"].replace("\\n", "\n")
    if "weeks_divisor" in changes:
        changes["weeks_divisor"] = float(changes["weeks_divisor"])
    return changes


@main.group("org")
def org_group() -> None:
    """Schools and trusts: add, list, set their details."""


@org_group.command("add")
@click.argument("name")
@organisation_options
@click.pass_obj
def org_add_command(context: Context, name: str, **options) -> None:
    """Add a trust, or a school (--parent TRUST makes it one of the trust's schools)."""
    from ..services.organisations import add_organisation

    with context.session() as session:
        organisation = add_organisation(session, name, **_changes(options))
        line = f"{organisation.id}\t{organisation.name}"
    click.echo(line)


@org_group.command("list")
@click.pass_obj
def org_list_command(context: Context) -> None:
    """One line per organisation: ID, name, kind (or the trust it belongs to), JDs."""
    from ..services.organisations import list_organisations

    with context.session() as session:
        lines = [
            f"{row.organisation.id}\t{row.organisation.name}\t"
            f"{_kind(row.organisation)}\t{row.job_descriptions} JDs"
            for row in list_organisations(session)
        ]
    for line in lines:
        click.echo(line)


def _kind(organisation) -> str:
    if organisation.parent is not None:
        return f"{organisation.kind} of {organisation.parent.name}"
    return organisation.kind


@org_group.command("set")
@click.argument("organisation_id", type=int)
@click.option("--name", help="A new name.")
@organisation_options
@click.pass_obj
def org_set_command(context: Context, organisation_id: int, **options) -> None:
    """Change an organisation's details; an empty value ("") clears one."""
    from ..services.organisations import update_organisation

    changes = _changes(options)
    if not changes:
        raise DomainError("Nothing to change: give at least one option, e.g. --contact.")
    with context.session() as session:
        organisation = update_organisation(session, organisation_id, **changes)
        line = f"{organisation.id}\t{organisation.name}\t{_kind(organisation)}"
    click.echo(line)


@org_group.command("logo")
@click.argument("organisation_id", type=int)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def org_logo_command(context: Context, organisation_id: int, path: Path) -> None:
    """Store an organisation's logo (PNG or JPEG, at most 1 MB and 4,000 pixels each way)."""
    from ..services.organisations import set_logo

    try:
        data = path.read_bytes()
    except OSError as error:
        raise DomainError(f"{path}: cannot read the file ({error.strerror}).") from None
    with context.session() as session:
        logo = set_logo(session, organisation_id, path.name, data)
        line = f"Logo {logo.filename} saved for {logo.organisation.name}."
    click.echo(line)
