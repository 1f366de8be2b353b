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


# -- Word documents --

EXPORT_SUFFIXES = {"jd": (".docx",), "signed": (".docx",), "advert": (".docx", ".txt", ".html")}


ADVERT_OPTIONS = (
    "closing_date", "interview_date", "start_date", "how_to_apply", "contact",
    "full_time_hours", "weeks_in_year", "leave_days", "paid_weeks",
)  # fmt: skip


@main.command("export")
@click.argument("job_description_id", type=int)
@click.option(
    "--kind",
    type=click.Choice(["jd", "advert", "signed"]),
    required=True,
    help="jd: the JD and person spec; signed: a signed copy (needs --for); advert: the advert.",
)
@click.option("--for", "postholder", help="The postholder a signed copy is for.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="File to write; an advert may be .docx, .txt or .html.",
)
@click.option("--closing-date", type=click.DateTime(["%Y-%m-%d"]), help="Advert: YYYY-MM-DD.")
@click.option("--interview-date", type=click.DateTime(["%Y-%m-%d"]), help="Advert: YYYY-MM-DD.")
@click.option("--start-date", help="Advert: as you want it written, e.g. 'September 2026'.")
@click.option("--how-to-apply", help="Advert: how to apply.")
@click.option("--contact", help="Advert: who to contact with questions.")
@click.option("--full-time-hours", type=float, help="Advert pay: full-time hours (37).")
@click.option(
    "--weeks-in-year", type=click.Choice(["52", "52.143"]), help="Advert pay: divisor (52.143)."
)
@click.option("--leave-days", type=float, help="Advert pay: annual leave + bank holidays (35).")
@click.option("--paid-weeks", help="Advert pay: the employer's paid weeks, e.g. 45.05 or 447/522.")
@click.pass_obj
def export_command(
    context: Context,
    job_description_id: int,
    kind: str,
    postholder: str | None,
    output: Path,
    **advert_options,
) -> None:
    """Write a Word document (or advert text/HTML) of the newest approved version.

    Advert options are saved with the job description's advert details.
    """
    from .services import adverts, exports

    suffix = output.suffix.lower()
    if suffix not in EXPORT_SUFFIXES[kind]:
        allowed = " or ".join(EXPORT_SUFFIXES[kind])
        fail(f"A {kind} export can be written as {allowed}, not “{suffix or 'no suffix'}”.")
    if kind == "signed" and not (postholder and postholder.strip()):
        fail("A signed copy needs the postholder's name: --for NAME.")
    if kind != "signed" and postholder:
        fail("--for is only for signed copies (--kind signed).")
    changes = {name: value for name, value in advert_options.items() if value is not None}
    if changes and kind != "advert":
        fail("The advert options are only for adverts (--kind advert).")
    for name in ("closing_date", "interview_date"):
        if name in changes:
            changes[name] = changes[name].date()
    if "weeks_in_year" in changes:
        changes["weeks_in_year"] = float(changes["weeks_in_year"])
    try:
        with context.session() as session:
            if kind == "jd":
                content = exports.export_job_description(session, job_description_id).content
                message = f"Wrote {output}"
            elif kind == "advert":
                if changes:
                    adverts.save_advert_details(session, job_description_id, **changes)
                exported = adverts.export_advert(session, job_description_id, suffix[1:])
                content = exported.content
                composed = adverts.compose_advert(session, job_description_id)
                message = f"Wrote {output}"
                if composed.pay is not None:
                    message += f": actual salary {composed.pay.actual_text()}"
                else:
                    message += f" ({composed.pay_problem})"
            else:
                signed_copy = exports.produce_signed_copy(session, job_description_id, postholder)
                content = signed_copy.content
                message = (
                    f"Wrote {output}: signed copy {signed_copy.id} of version "
                    f"{signed_copy.version_number} for {signed_copy.postholder} "
                    f"(SHA-256 {signed_copy.sha256[:12]})"
                )
            output.write_bytes(content)
    except DomainError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{output}: cannot write the file ({error.strerror}).")
    click.echo(message)


@main.group("signed")
def signed_group() -> None:
    """Signed copies: list them, save one again, record one as signed."""


@signed_group.command("list")
@click.argument("job_description_id", type=int)
@click.pass_obj
def signed_list_command(context: Context, job_description_id: int) -> None:
    """One line per signed copy: ID, postholder, version, produced, signed, SHA-256."""
    from .services.exports import list_signed_copies

    try:
        with context.session() as session:
            lines = []
            for listing in list_signed_copies(session, job_description_id):
                copy = listing.signed_copy
                signed = f"signed {copy.signed_on} by {copy.signed_by}" if copy.signed_on else ""
                older = (
                    f"older: version {listing.superseded_by} is approved"
                    if listing.superseded_by
                    else ""
                )
                lines.append(
                    f"{copy.id}\t{copy.postholder}\tversion {copy.version_number}\t"
                    f"{copy.produced_at:%Y-%m-%d %H:%M}\t{signed}\t{copy.sha256}\t{older}".rstrip()
                )
    except DomainError as error:
        fail(str(error))
    for line in lines:
        click.echo(line)


@signed_group.command("save")
@click.argument("signed_copy_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.pass_obj
def signed_save_command(context: Context, signed_copy_id: int, output: Path) -> None:
    """Write a signed copy's stored .docx again (the same bytes as when it was produced)."""
    from .services.exports import get_signed_copy

    try:
        with context.session() as session:
            content = get_signed_copy(session, signed_copy_id).content
        output.write_bytes(content)
    except DomainError as error:
        fail(str(error))
    except OSError as error:
        fail(f"{output}: cannot write the file ({error.strerror}).")
    click.echo(f"Wrote {output}")


@signed_group.command("record")
@click.argument("signed_copy_id", type=int)
@click.option("--on", "signed_on", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--by", "signed_by", required=True, help="Everyone who signed.")
@click.pass_obj
def signed_record_command(context: Context, signed_copy_id: int, signed_on, signed_by: str) -> None:
    """Record that a signed copy has been signed: the date and by whom."""
    from .services.exports import record_signed

    try:
        with context.session() as session:
            copy = record_signed(session, signed_copy_id, signed_on.date(), signed_by)
            message = (
                f"Recorded signed copy {copy.id} as signed on {copy.signed_on} by {copy.signed_by}."
            )
    except DomainError as error:
        fail(str(error))
    click.echo(message)


@main.command("new-version")
@click.argument("job_description_id", type=int)
@click.pass_obj
def new_version_command(context: Context, job_description_id: int) -> None:
    """Start a new draft version from the current approved one."""
    from .services.documents import start_new_version

    try:
        with context.session() as session:
            draft = start_new_version(session, job_description_id)
            message = (
                f"Started draft version {draft.number} of job description {job_description_id}."
            )
    except DomainError as error:
        fail(str(error))
    click.echo(message)
