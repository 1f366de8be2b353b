"""Import, show, edit, approve and check job descriptions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..importing import UnreadableDocument
from .core import Context, fail, main


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(context: Context, paths: tuple[Path, ...]) -> None:
    """Import .docx, .txt or .md job descriptions; one line per file."""
    from ..services.documents import import_document, import_findings

    failed = False
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as error:
            click.echo(f"jdtool: {path}: cannot read the file ({error.strerror})", err=True)
            failed = True
            continue
        try:
            with context.session() as session:
                job_description = import_document(session, path.name, data)
                version = job_description.current
                line = (
                    f"{job_description.id}\t{version.title}\t{len(version.duties())} duties\t"
                    f"{len(version.criteria())} criteria"
                )
                findings = import_findings(version)
                needs_review = version.needs_review
        except UnreadableDocument as error:
            click.echo(f"jdtool: {path}: {error}", err=True)
            failed = True
            continue
        click.echo(line)
        for finding in findings:
            source = f" (“{finding['source']}”)" if finding.get("source") else ""
            click.echo(f"{path}: warning: {finding['message']}{source}", err=True)
        if needs_review:
            click.echo(
                f"{path}: warning: needs review before approval "
                f"(jdtool show {job_description.id} --json lists the findings)",
                err=True,
            )
    if failed:
        sys.exit(1)


@main.command("list")
@click.option("--search", help="Only documents whose title, school or trust contains this.")
@click.pass_obj
def list_command(context: Context, search: str | None) -> None:
    """List job descriptions: ID, title, school, status, version."""
    from ..services.documents import list_job_descriptions

    with context.session() as session:
        for version in list_job_descriptions(session, search):
            school = version.school.name if version.school else ""
            click.echo(
                f"{version.job_description_id}\t{version.title}\t{school}\t{version.status}\t"
                f"{version.number}"
            )


@main.command("show")
@click.argument("job_description_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the structured document as JSON.")
@click.pass_obj
def show_command(context: Context, job_description_id: int, as_json: bool) -> None:
    """Show one job description and its person specification."""
    from ..services.documents import get_job_description, version_dict

    with context.session() as session:
        content = version_dict(get_job_description(session, job_description_id).current)
    if as_json:
        click.echo(json.dumps(content, indent=2, ensure_ascii=False))
        return
    click.echo(_as_text(content))


def _as_text(content: dict) -> str:
    lines = [
        f"{content['title']}  (ID {content['id']}, version {content['version']}, "
        f"{content['status']})"
    ]
    for label, key in (
        ("Organisation", "organisation"), ("School", "school"), ("Location", "location"),
        ("Grade", "grade"), ("Reports to", "reports_to"), ("Contract", "contract"),
    ):  # fmt: skip
        if content[key]:
            lines.append(f"{label}: {content[key]}")
    salary = content["salary"]
    if salary["min"] is not None:
        lines.append(f"Salary: £{salary['min']:,.0f} – £{salary['max']:,.0f} ({salary['basis']})")
    if content["hours_per_week"] is not None:
        lines.append(f"Hours per week: {content['hours_per_week']:g}")
    if content["weeks_per_year"] is not None:
        lines.append(f"Weeks per year: {content['weeks_per_year']:g}")
    if content["purpose"]:
        lines += ["", "Job purpose", content["purpose"]]
    position = 0
    for section in content["sections"]:
        lines += ["", section["heading"]]
        for duty in section["duties"]:
            position += 1
            lines.append(f"  {position}. {duty}")
    if content["person_spec"]:
        lines += ["", "Person specification"]
        position = 0
        for category in content["person_spec"]["categories"]:
            lines.append(f"  {category['name']}")
            for criterion in category["criteria"]:
                position += 1
                priority = {"essential": "E", "desirable": "D"}.get(criterion["priority"], "?")
                methods = ", ".join(criterion["methods"]) or "no method given"
                lines.append(f"    {position}. [{priority}] {criterion['text']}  ({methods})")
    if content["signatories"]:
        lines += ["", "Signed by: " + ", ".join(content["signatories"])]
    for warning in content["warnings"]:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines)


@main.command("approve")
@click.argument("job_description_id", type=int)
@click.pass_obj
def approve_command(context: Context, job_description_id: int) -> None:
    """Approve the current draft; it becomes an immutable version.

    Refused while a blocking check fails (criteria with E/D unknown, an import awaiting review);
    every other warning is printed on stderr and acknowledged by running the command (logged).
    """
    from ..services.approval import approval_checks, approve_job_description
    from ..services.documents import get_job_description

    with context.session() as session:
        draft = get_job_description(session, job_description_id).current
        warnings = [] if draft.status != "draft" else approval_checks(draft)
        version = approve_job_description(session, job_description_id)
        message = (
            f"Approved version {version.number} of job description {job_description_id} "
            f"(content hash {version.content_hash[:12]})."
        )
    for warning in warnings:
        click.echo(f"jdtool: warning: {warning.message}", err=True)
    click.echo(message)


@main.command("edit")
@click.argument("job_description_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def edit_command(context: Context, job_description_id: int, path: Path) -> None:
    """Apply an edited copy of `show ID --json` to the draft (compare-and-set on edit_stamp)."""
    from ..services.drafts import edit_draft_from_json

    try:
        edited = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{path}: not a JSON file ({error})")
    with context.session() as session:
        version = edit_draft_from_json(session, job_description_id, edited)
        line = (
            f"{job_description_id}\t{version.title}\t{len(version.duties())} duties\t"
            f"{len(version.criteria())} criteria"
        )
    click.echo(line)


@main.command("verify")
@click.argument("job_description_id", type=int, required=False)
@click.pass_obj
def verify_command(context: Context, job_description_id: int | None) -> None:
    """Recompute the content hash of every approved version and signed copy; one line per
    mismatch, exit status 1 if any."""
    from ..services.approval import verify_content_hashes

    with context.session() as session:
        problems = verify_content_hashes(session, job_description_id)
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)


@main.command("accept")
@click.argument("job_description_id", type=int)
@click.pass_obj
def accept_command(context: Context, job_description_id: int) -> None:
    """Accept an import that needs review (after reading its findings with show --json)."""
    from ..services.documents import accept_review

    with context.session() as session:
        version = accept_review(session, job_description_id)
        message = (
            f"Accepted “{version.title}”: its text is linked into the clause library and it "
            "can be approved."
        )
    click.echo(message)


@main.command("new-version")
@click.argument("job_description_id", type=int)
@click.pass_obj
def new_version_command(context: Context, job_description_id: int) -> None:
    """Start a new draft version from the current approved one."""
    from ..services.documents import start_new_version

    with context.session() as session:
        draft = start_new_version(session, job_description_id)
        message = f"Started draft version {draft.number} of job description {job_description_id}."
    click.echo(message)


@main.command("duplicates")
@click.argument("job_description_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
@click.pass_obj
def duplicates_command(context: Context, job_description_id: int, as_json: bool) -> None:
    """Near-duplicate duties and criteria inside one job description.

    One line per pair: kind, position, position, exact|near|subset, score, first text.
    """
    from ..services.checks import find_document_duplicates

    with context.session() as session:
        duplicates = find_document_duplicates(session, job_description_id)
    if as_json:
        click.echo(
            json.dumps([pair.as_json() for pair in duplicates], indent=2, ensure_ascii=False)
        )
        return
    for pair in duplicates:
        click.echo(
            f"{pair.kind}\t{pair.position_a}\t{pair.position_b}\t{pair.match.kind}\t"
            f"{pair.match.score}\t{pair.text_a}"
        )
    if not duplicates:
        click.echo(f"No duplicated duties or criteria in job description {job_description_id}.")


@main.command("lint")
@click.argument("job_description_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.pass_obj
def lint_command(context: Context, job_description_id: int, as_json: bool) -> None:
    """Check a person specification: methods, priorities, repeats, suitability checks.

    One line per issue: code, criterion positions, message. Exit status 0 either way.
    """
    from ..services.checks import lint_job_description

    with context.session() as session:
        issues = lint_job_description(session, job_description_id)
    if as_json:
        content = [
            {"code": issue.code, "positions": list(issue.positions), "message": issue.message}
            for issue in issues
        ]
        click.echo(json.dumps(content, indent=2, ensure_ascii=False))
        return
    for issue in issues:
        positions = ",".join(str(position) for position in issue.positions) or "-"
        click.echo(f"{issue.code}\t{positions}\t{issue.message}")
    if not issues:
        click.echo(f"No problems found in the person specification of {job_description_id}.")
