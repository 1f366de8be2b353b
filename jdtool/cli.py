"""The `jdtool` command. Output formats are a stable contract (see the README)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import select

from .errors import DomainError
from .importing import UnreadableDocument

SEED_FOLDER = Path(__file__).resolve().parent.parent / "seed_jds"
DEMO_ADMIN_EMAIL = "admin@example.org"
DEMO_ADMIN_PASSWORD = "jdtool-demo-admin"


class Context:
    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url
        self._app = None

    @property
    def app(self):
        if self._app is None:
            from . import create_app

            overrides = {"DATABASE_URL": self.database_url} if self.database_url else None
            self._app = create_app(overrides)
        return self._app

    @contextmanager
    def session(self):
        """One transaction: committed when the block ends cleanly, rolled back otherwise."""
        session = self.app.extensions["jdtool_sessions"]()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def fail(message: str) -> None:
    click.echo(f"jdtool: {message}", err=True)
    sys.exit(1)


@click.group()
@click.option(
    "--db",
    "database_url",
    envvar="JDTOOL_DATABASE_URL",
    help="Database URL (default: a SQLite file in the instance folder).",
)
@click.pass_context
def main(click_context: click.Context, database_url: str | None) -> None:
    """Job descriptions and person specifications for schools."""
    click_context.obj = Context(database_url)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(context: Context, paths: tuple[Path, ...]) -> None:
    """Import .docx, .txt or .md job descriptions; one line per file."""
    from .services.documents import import_document

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
        except UnreadableDocument as error:
            click.echo(f"jdtool: {path}: {error}", err=True)
            failed = True
            continue
        click.echo(line)
    if failed:
        sys.exit(1)


@main.command("list")
@click.option("--search", help="Only documents whose title, school or trust contains this.")
@click.pass_obj
def list_command(context: Context, search: str | None) -> None:
    """List job descriptions: ID, title, school, status, version."""
    from .services.documents import list_job_descriptions

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
    from .services.documents import get_job_description, version_dict

    try:
        with context.session() as session:
            content = version_dict(get_job_description(session, job_description_id).current)
    except DomainError as error:
        fail(str(error))
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
    """Approve the current draft; it becomes an immutable version."""
    from .services.documents import approve_job_description

    try:
        with context.session() as session:
            version = approve_job_description(session, job_description_id)
            message = (
                f"Approved version {version.number} of job description {job_description_id} "
                f"(content hash {version.content_hash[:12]})."
            )
    except DomainError as error:
        fail(str(error))
    click.echo(message)


@main.command("create-admin")
@click.argument("email")
@click.option("--name", help="Display name.")
@click.password_option(help="At least 10 characters.")
@click.pass_obj
def create_admin_command(context: Context, email: str, name: str | None, password: str) -> None:
    """Create an administrator account."""
    from .services.users import create_user

    try:
        with context.session() as session:
            user = create_user(session, email, password, name=name, role="admin")
            message = f"Created administrator {user.email}."
    except DomainError as error:
        fail(str(error))
    click.echo(message)


@main.command("demo")
@click.pass_obj
def demo_command(context: Context) -> None:
    """Load the seed job descriptions and a demo administrator (safe to run again)."""
    from .models import JobDescription, User
    from .services.documents import import_document
    from .services.users import create_user

    with context.session() as session:
        loaded = set(session.scalars(select(JobDescription.source_filename)))
        for path in sorted(SEED_FOLDER.glob("*.txt")):
            if path.name not in loaded:
                job_description = import_document(session, path.name, path.read_bytes())
                click.echo(f"Loaded {job_description.id}\t{job_description.current.title}")
        if session.scalar(select(User).where(User.email == DEMO_ADMIN_EMAIL)) is None:
            create_user(
                session, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, name="Demo admin", role="admin"
            )
    click.echo(f"Sign in as {DEMO_ADMIN_EMAIL} with password {DEMO_ADMIN_PASSWORD}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_obj
def serve_command(context: Context, host: str, port: int) -> None:
    """Run the web app."""
    from werkzeug.serving import run_simple

    click.echo(f"jdtool is running at http://{host}:{port}/  (Ctrl+C to stop)")
    run_simple(host, port, context.app, threaded=True)


# -- clause library --


@main.command("duplicates")
@click.argument("job_description_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
@click.pass_obj
def duplicates_command(context: Context, job_description_id: int, as_json: bool) -> None:
    """Near-duplicate duties and criteria inside one job description.

    One line per pair: kind, position, position, exact|near|subset, score, first text.
    """
    from .services.library import find_document_duplicates

    try:
        with context.session() as session:
            duplicates = find_document_duplicates(session, job_description_id)
    except DomainError as error:
        fail(str(error))
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


@main.group("library")
def library_group() -> None:
    """The clause library: search, near-duplicate clusters, merges."""


@library_group.command("search")
@click.argument("words", required=False, default="")
@click.option("--kind", type=click.Choice(["duty", "criterion", "statement"]))
@click.option("--category", help="Only clauses whose category contains this.")
@click.option("--min-usage", type=int, default=0, help="Used by at least this many documents.")
@click.pass_obj
def library_search_command(
    context: Context, words: str, kind: str | None, category: str | None, min_usage: int
) -> None:
    """Canonical clauses: ID, kind, documents using it, category, text."""
    from .services.library import search_library

    with context.session() as session:
        for entry in search_library(
            session, words, kind=kind, category=category, min_usage=min_usage
        ):
            clause = entry.clause
            click.echo(
                f"{clause.id}\t{clause.kind}\t{entry.usage}\t{clause.category or ''}\t{clause.text}"
            )


@library_group.command("clusters")
@click.option("--kind", type=click.Choice(["duty", "criterion", "statement"]))
@click.option("--json", "as_json", is_flag=True, help="Print the clusters as JSON.")
@click.pass_obj
def library_clusters_command(context: Context, kind: str | None, as_json: bool) -> None:
    """Groups of near-duplicate clauses across the library (first: suggested canonical)."""
    from .services.library import find_clusters

    with context.session() as session:
        clusters = [
            {
                "kind": cluster.kind,
                "clauses": [
                    {
                        "id": member.clause.id,
                        "text": member.clause.text,
                        "usage": member.usage,
                        "score": round(member.score),
                    }
                    for member in cluster.members
                ],
            }
            for cluster in find_clusters(session, kind)
        ]
    if as_json:
        click.echo(json.dumps(clusters, indent=2, ensure_ascii=False))
        return
    for number, cluster in enumerate(clusters, start=1):
        click.echo(f"Cluster {number} ({cluster['kind']})")
        for clause in cluster["clauses"]:
            documents = "document" if clause["usage"] == 1 else "documents"
            click.echo(
                f"  {clause['id']}\t{clause['score']}\t{clause['usage']} {documents}\t"
                f"{clause['text']}"
            )


@library_group.command("merge")
@click.argument("canonical_id", type=int)
@click.argument("clause_ids", type=int, nargs=-1, required=True)
@click.option("--text", "canonical_text", help="New canonical wording (default: keep it).")
@click.pass_obj
def library_merge_command(
    context: Context, canonical_id: int, clause_ids: tuple[int, ...], canonical_text: str | None
) -> None:
    """Merge near-duplicate clauses into CANONICAL_ID; documents keep their own text."""
    from .services.library import merge_clauses

    try:
        with context.session() as session:
            merge = merge_clauses(session, clause_ids, canonical_id, canonical_text=canonical_text)
            message = (
                f"Merge {merge.id}: {len(merge.members)} clause(s) are now variants of clause "
                f"{canonical_id} (lowest score {merge.score:.0f})."
            )
    except DomainError as error:
        fail(str(error))
    click.echo(message)


@library_group.command("undo")
@click.argument("merge_id", type=int)
@click.pass_obj
def library_undo_command(context: Context, merge_id: int) -> None:
    """Undo a clause merge."""
    from .services.library import undo_merge

    try:
        with context.session() as session:
            merge = undo_merge(session, merge_id)
            message = f"Undid merge {merge.id}: {len(merge.members)} clause(s) stand alone again."
    except DomainError as error:
        fail(str(error))
    click.echo(message)


@main.command("lint")
@click.argument("job_description_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the issues as JSON.")
@click.pass_obj
def lint_command(context: Context, job_description_id: int, as_json: bool) -> None:
    """Check a person specification: methods, priorities, repeats, suitability checks.

    One line per issue: code, criterion positions, message. Exit status 0 either way.
    """
    from .services.library import lint_job_description

    try:
        with context.session() as session:
            issues = lint_job_description(session, job_description_id)
    except DomainError as error:
        fail(str(error))
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
