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
from .models.audit import AUDIT_ACTIONS as AUDIT_ACTION_NAMES

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
        from .services.audit import command_line_actor, set_actor

        session = self.app.extensions["jdtool_sessions"]()
        set_actor(session, command_line_actor())
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
    from .services.documents import import_document, import_findings

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
    """Approve the current draft; it becomes an immutable version.

    Refused while a blocking check fails (criteria with E/D unknown, an import awaiting review);
    every other warning is printed on stderr and acknowledged by running the command (logged).
    """
    from .services.approval import approval_checks, approve_job_description
    from .services.documents import get_job_description

    try:
        with context.session() as session:
            draft = get_job_description(session, job_description_id).current
            warnings = [] if draft.status != "draft" else approval_checks(draft)
            version = approve_job_description(session, job_description_id)
            message = (
                f"Approved version {version.number} of job description {job_description_id} "
                f"(content hash {version.content_hash[:12]})."
            )
    except DomainError as error:
        fail(str(error))
    for warning in warnings:
        click.echo(f"jdtool: warning: {warning.message}", err=True)
    click.echo(message)


@main.command("edit")
@click.argument("job_description_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def edit_command(context: Context, job_description_id: int, path: Path) -> None:
    """Apply an edited copy of `show ID --json` to the draft (compare-and-set on edit_stamp)."""
    from .services.drafts import edit_draft_from_json

    try:
        edited = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror})")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(f"{path}: not a JSON file ({error})")
    try:
        with context.session() as session:
            version = edit_draft_from_json(session, job_description_id, edited)
            line = (
                f"{job_description_id}\t{version.title}\t{len(version.duties())} duties\t"
                f"{len(version.criteria())} criteria"
            )
    except DomainError as error:
        fail(str(error))
    click.echo(line)


@main.command("verify")
@click.argument("job_description_id", type=int, required=False)
@click.pass_obj
def verify_command(context: Context, job_description_id: int | None) -> None:
    """Recompute the content hash of every approved version and signed copy; one line per
    mismatch, exit status 1 if any."""
    from .services.approval import verify_content_hashes

    try:
        with context.session() as session:
            problems = verify_content_hashes(session, job_description_id)
    except DomainError as error:
        fail(str(error))
    for problem in problems:
        click.echo(problem)
    if problems:
        sys.exit(1)


@main.command("accept")
@click.argument("job_description_id", type=int)
@click.pass_obj
def accept_command(context: Context, job_description_id: int) -> None:
    """Accept an import that needs review (after reading its findings with show --json)."""
    from .services.documents import accept_review

    try:
        with context.session() as session:
            version = accept_review(session, job_description_id)
            message = (
                f"Accepted “{version.title}”: its text is linked into the clause library and it "
                "can be approved."
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
        vacancy_lines = _demo_vacancy(session)
    click.echo(f"Sign in as {DEMO_ADMIN_EMAIL} with password {DEMO_ADMIN_PASSWORD}")
    for line in vacancy_lines:
        click.echo(line)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (gunicorn workers) answering requests side by side.",
)
@click.option(
    "--timeout",
    default=60,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds a request may take before its worker is restarted.",
)
@click.pass_obj
def serve_command(context: Context, host: str, port: int, workers: int, timeout: int) -> None:
    """Run the web app with gunicorn.

    The database schema is upgraded and the instance secret key created once, before the
    workers start; each worker then opens its own database connections.
    """
    from .server import run_server
    from .services.retention import retention_months

    app = context.app  # upgrades the schema, reads or creates the secret key
    try:  # settings the pages rely on: refuse to start rather than fail on every page
        retention_months(app.config["RETENTION_MONTHS"])
    except DomainError as error:
        fail(str(error))
    app.extensions["jdtool_engine"].dispose()  # no connection may be shared across fork
    click.echo(
        f"jdtool is running at http://{host}:{port}/ with {workers} worker"
        f"{'s' if workers != 1 else ''}  (Ctrl+C to stop)"
    )
    run_server(app, host=host, port=port, workers=workers, timeout=timeout)


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


# -- recruitment --


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
    from .services.vacancies import create_vacancy

    try:
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
    except DomainError as error:
        fail(str(error))
    click.echo(vacancy_id)


@vacancy_group.command("rank")
@click.argument("vacancy_id", type=int)
@click.option("--stage", type=click.Choice(["shortlisting", "interview"]), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.pass_obj
def vacancy_rank_command(context: Context, vacancy_id: int, stage: str, as_json: bool) -> None:
    """Rank applicants: essential gate, total, rank (ties stay tied)."""
    from .services.scoping import command_line_scope
    from .services.scoring import rank_stage

    try:
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
    except DomainError as error:
        fail(str(error))
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


@main.group("applicants")
def applicants_group() -> None:
    """Applicants of a vacancy."""


@applicants_group.command("import")
@click.argument("vacancy_id", type=int)
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def applicants_import_command(context: Context, vacancy_id: int, csv_file: Path) -> None:
    """Import applicants from CSV: name,email[,reference,disability_confident]."""
    from .services.vacancies import get_vacancy, import_applicants

    try:
        with context.session() as session:
            result = import_applicants(
                session, get_vacancy(session, vacancy_id), csv_file.read_bytes()
            )
            lines = [
                f"{a.reference}\t{a.applicant.name}\t{a.applicant.email}"
                for a in result.applications
            ]
            unknown = result.unknown_columns
    except DomainError as error:
        fail(str(error))
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
    from .services.vacancies import add_panel_member, get_vacancy

    try:
        with context.session() as session:
            seat = add_panel_member(
                session, get_vacancy(session, vacancy_id), email, stage, chair=chair, name=name
            )
            role = "chair" if chair else "member"
            message = f"Added {seat.member.user.email} to the {stage} panel as {role}."
            password = seat.new_password
    except DomainError as error:
        fail(str(error))
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
    from .services.scoring import import_scores

    try:
        with context.session() as session:
            sheets = import_scores(session, vacancy_id, stage, csv_file.read_bytes())
            count = len(sheets)
    except DomainError as error:
        fail(str(error))
    click.echo(f"Imported {count} score sheets.")


DEMO_VACANCY_TITLE = "1:1 SEN Teaching Assistant (demo vacancy)"
DEMO_PANEL_PASSWORD = "jdtool-demo-panel"
DEMO_PANEL = (
    ("chair@example.org", "Priya Shah", True),
    ("senco@example.org", "Tom Ellis (SENCo)", False),
    ("governor@example.org", "Ruth Okafor (governor)", False),
)
DEMO_APPLICANTS = (
    "Amina Begum", "Ben Carter", "Chloe Davies", "Daniel Evans", "Ella Fraser", "Farah Hussain",
    "George Ibbotson", "Hannah Jones", "Isaac Kowalski", "Jade Lewis", "Kieran Murphy",
    "Lucy Nwosu",
)  # fmt: skip


def _demo_vacancy(session) -> list[str]:
    """A vacancy on seed 000 with applicants, a three-person panel and most of their scores."""
    import random
    from datetime import date

    from .models import JobDescription, User, Vacancy
    from .services.approval import approve_job_description
    from .services.documents import accept_review
    from .services.scoping import scope_for
    from .services.scoring import ScoreEntry, stage_criteria, submit_score_sheet
    from .services.users import create_user
    from .services.vacancies import add_applicant, add_panel_member, create_vacancy

    sign_ins = [
        f"Panel sign-in: {email} with password {DEMO_PANEL_PASSWORD}" for email, *_ in DEMO_PANEL
    ]
    vacancy = session.scalar(select(Vacancy).where(Vacancy.title == DEMO_VACANCY_TITLE))
    if vacancy is not None:
        return [f"Demo vacancy {vacancy.id} is ready.", *sign_ins]
    seed = session.scalar(
        select(JobDescription).where(
            JobDescription.source_filename.startswith("000_", autoescape=True)
        )
    )
    if seed is None:
        return []
    if not any(version.status == "approved" for version in seed.versions):
        if seed.current.needs_review:
            # The demo vacancy needs seed 000 approved; the other seeds keep their review.
            accept_review(session, seed.id)
        approve_job_description(session, seed.id)
    vacancy = create_vacancy(session, seed.id, DEMO_VACANCY_TITLE, maintained_school=True)
    applications = [
        add_applicant(
            session,
            vacancy,
            name,
            name.lower().replace(" ", ".") + "@example.net",
            disability_confident=index == 4,
        )
        for index, name in enumerate(DEMO_APPLICANTS)
    ]
    members = []
    for index, (email, name, chair) in enumerate(DEMO_PANEL):
        if session.scalar(select(User).where(User.email == email)) is None:
            create_user(session, email, DEMO_PANEL_PASSWORD, name=name, role="panel")
        training = date(2025, 9, 1) if index == 0 else None
        members.append(
            add_panel_member(
                session, vacancy, email, "shortlisting", chair=chair, training_date=training
            ).member
        )
    scorer = random.Random(0)
    criteria = stage_criteria(vacancy.version, "shortlisting")
    for index, application in enumerate(applications):
        strength = scorer.choice((1, 2, 2, 3))
        for member in members:
            if member is members[-1] and index >= len(applications) - 2:
                continue  # left for the demo user to score in the grid
            entries = {}
            for item in criteria:
                value = max(0, min(3, strength + scorer.choice((-1, 0, 0, 1))))
                if index == 1 and item.position == 8:
                    value = 0  # no GCSE evidence: fails the essential gate
                for method in item.methods:
                    entries[(item.criterion.id, method)] = ScoreEntry(str(value), "")
            scope = scope_for(session, member.user, vacancy.id)
            submit_score_sheet(session, scope, application.id, "shortlisting", entries)
    return [f"Demo vacancy {vacancy.id}: {len(applications)} applicants.", *sign_ins]


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


# -- audit log --------------------------------------------------------------------------------


@main.command("audit")
@click.option("--action", type=click.Choice(sorted(AUDIT_ACTION_NAMES)), help="Only this action.")
@click.option("--actor", help="Only events by someone whose email or label contains this.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.pass_obj
def audit_command(context: Context, action: str | None, actor: str | None, limit: int) -> None:
    """The audit log, newest first: `when<TAB>who<TAB>action<TAB>subject<TAB>detail`."""
    from .services.audit import list_events

    with context.session() as session:
        page = list_events(session, action=action, actor=actor, page_size=limit)
        for event in page.events:
            click.echo(
                "\t".join(
                    [
                        event.at.isoformat(timespec="seconds"),
                        event.actor,
                        event.action,
                        event.subject,
                        " ".join(event.detail.split()),
                    ]
                )
            )


# -- personal data: retention, erasure, dump and restore --------------------------------------


@vacancy_group.command("close")
@click.argument("vacancy_id", type=int)
@click.pass_obj
def vacancy_close_command(context: Context, vacancy_id: int) -> None:
    """Close a vacancy once every interviewed applicant has a decision; retention starts now."""
    from .services.lifecycle import close_vacancy
    from .services.retention import deletion_due, retention_months
    from .services.scoping import command_line_scope

    try:
        months = retention_months(context.app.config["RETENTION_MONTHS"])
        with context.session() as session:
            scope = command_line_scope(session, vacancy_id)
            close_vacancy(session, scope)
            due = deletion_due(scope.vacancy, months)
    except DomainError as error:
        fail(str(error))
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
    from .models import Application
    from .services.lifecycle import decide_on_paper
    from .services.scoping import command_line_scope

    try:
        with context.session() as session:
            scope = command_line_scope(session, vacancy_id)
            decision = decide_on_paper(session, scope, applicant, stage, outcome, reason, criteria)
            reference = session.get(Application, decision.application_id).reference
    except DomainError as error:
        fail(str(error))
    click.echo(f"{reference}\t{stage}\t{outcome}")


@vacancy_group.command("finalise")
@click.argument("vacancy_id", type=int)
@click.option("--stage", type=click.Choice(["shortlisting"]), required=True)
@click.pass_obj
def vacancy_finalise_command(context: Context, vacancy_id: int, stage: str) -> None:
    """Make the shortlist final (two members' scores and a decision for everyone needed)."""
    from .services.lifecycle import finalise_on_paper
    from .services.scoping import command_line_scope

    try:
        with context.session() as session:
            shortlisted = finalise_on_paper(session, command_line_scope(session, vacancy_id), stage)
    except DomainError as error:
        fail(str(error))
    click.echo(f"Vacancy {vacancy_id}: the shortlist is final ({shortlisted} shortlisted).")


@vacancy_group.command("list")
@click.pass_obj
def vacancy_list_command(context: Context) -> None:
    """`ID<TAB>title<TAB>status<TAB>closing date<TAB>progress` per vacancy."""
    from .models import Vacancy
    from .services.lifecycle import vacancy_progress

    with context.session() as session:
        for vacancy in session.scalars(select(Vacancy).order_by(Vacancy.id)):
            progress = vacancy_progress(session, vacancy)
            closing = f"{vacancy.closing_date:%Y-%m-%d}" if vacancy.closing_date else "-"
            click.echo(
                f"{vacancy.id}\t{vacancy.title}\t{progress.status}\t{closing}\t{progress.summary}"
            )


@main.group("retention")
def retention_group() -> None:
    """Delete unsuccessful applicants' personal data after the retention period."""


@retention_group.command("run")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.pass_obj
def retention_run_command(context: Context, dry_run: bool) -> None:
    """For every vacancy closed longer ago than JDTOOL_RETENTION_MONTHS (6): delete the
    personal data of applicants who were not appointed; scores and decisions stay."""
    from .db import checkpoint
    from .services.retention import retention_months, run_retention

    try:
        months = retention_months(context.app.config["RETENTION_MONTHS"])
        with context.session() as session:
            deletions = run_retention(session, months, dry_run=dry_run)
            if dry_run:
                session.rollback()
    except DomainError as error:
        fail(str(error))
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
    from .db import checkpoint
    from .services.retention import erase_applicant

    try:
        with context.session() as session:
            deletion = erase_applicant(session, email)
    except DomainError as error:
        fail(str(error))
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
    from .services.audit import record_event
    from .services.backup import dump_database

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

    from .services.audit import command_line_actor, record_event
    from .services.backup import read_dump, restore_database

    try:
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
    except DomainError as error:
        fail(str(error))
    click.echo(f"Restored {restored} rows from {path.name}.")


# -- users and roles --------------------------------------------------------------------------


@main.group("user")
def user_group() -> None:
    """Accounts and their roles (admin, hr, head, panel)."""


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "hr", "head", "panel"]), required=True)
@click.option("--name", help="Full name (default: the part of the email before @).")
@click.password_option(help="At least 10 characters.")
@click.pass_obj
def user_add_command(
    context: Context, email: str, role: str, name: str | None, password: str
) -> None:
    """Create an account with a role."""
    from .services.users import add_user

    try:
        with context.session() as session:
            user = add_user(session, email, password, name=name, role=role)
            line = f"{user.id}\t{user.email}\t{user.role}"
    except DomainError as error:
        fail(str(error))
    click.echo(line)


@user_group.command("list")
@click.pass_obj
def user_list_command(context: Context) -> None:
    """Every account: `email<TAB>name<TAB>role`."""
    from .services.users import list_users

    with context.session() as session:
        for user in list_users(session):
            click.echo(f"{user.email}\t{user.name}\t{user.role}")


@user_group.command("role")
@click.argument("email")
@click.argument("role", type=click.Choice(["admin", "hr", "head", "panel"]))
@click.pass_obj
def user_role_command(context: Context, email: str, role: str) -> None:
    """Give an account another role."""
    from .services.users import change_role

    try:
        with context.session() as session:
            user = change_role(session, email, role)
            line = f"{user.email}\t{user.role}"
    except DomainError as error:
        fail(str(error))
    click.echo(line)
