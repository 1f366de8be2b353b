"""Vacancies, their applicants and their panels."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..importing.file_types import describe, display_filename
from ..models import (
    Applicant,
    Application,
    ApplicationFile,
    ConflictDeclaration,
    JobDescriptionVersion,
    PanelMember,
    ScoreDraft,
    ScoreSheet,
    User,
    Vacancy,
)
from ..models.people import utcnow
from ..models.recruitment import SCALES
from ..pdf_metadata import UnreadablePdf, without_metadata
from ..scoring import STAGE_LABELS, stages_for_methods
from .approved_content import pinned_criteria
from .audit import record_event
from .documents import newest_approved_version
from .users import create_user, one_time_password

#: Letters and digits that cannot be mistaken for one another when read aloud or written down.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: The shape of every reference jdtool gives: "A-" and six of the letters and digits above.
REFERENCE_PATTERN = re.compile(rf"A-[{REFERENCE_ALPHABET}]{{6}}")
APPLICANT_COLUMNS = ("name", "email", "reference", "disability_confident")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
MAX_APPLICATION_FILE_BYTES = 10 * 1024 * 1024
#: A CSV of applicants or of a panel's scores: thousands of rows at most.
MAX_CSV_BYTES = 5 * 1024 * 1024
MAX_CSV_ROWS = 20_000
MAX_CSV_COLUMNS = 50


class CsvRowsInvalid(DomainError):
    """Some rows of a CSV file are wrong; nothing was stored. `errors` holds one line per row."""

    def __init__(self, what: str, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"Nothing was imported: {what}\n" + "\n".join(errors))


def create_vacancy(
    session: Session,
    job_description_id: int,
    title: str,
    scale: str = "0-3",
    *,
    anonymised: bool = False,
    maintained_school: bool = False,
    closing_date: date | None = None,
) -> Vacancy:
    """A vacancy on the job description's newest approved version."""
    title = (title or "").strip()
    if not title:
        raise DomainError("Give the vacancy a title.")
    if scale not in SCALES:
        raise DomainError(f"The scale must be one of {', '.join(SCALES)}.")
    version = newest_approved_version(
        session,
        job_description_id,
        needed_for="Approve it first: a vacancy must use a version that can no longer change.",
    )
    if not version.criteria():
        raise DomainError(
            f"Job description {job_description_id} has no person specification to score against."
        )
    vacancy = Vacancy(
        title=title,
        version=version,
        scale=scale,
        anonymised=anonymised,
        maintained_school=maintained_school,
        closing_date=closing_date,
    )
    session.add(vacancy)
    session.flush()
    return vacancy


def get_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"There is no vacancy with ID {vacancy_id}.")
    return vacancy


def vacancy_stages(vacancy: Vacancy) -> list[str]:
    """The stages the pinned person spec needs, from the assessment methods it uses."""
    return stages_for_methods(
        method for criterion in pinned_criteria(vacancy.version) for method in criterion.methods
    )


def check_not_closed(vacancy: Vacancy, what: str) -> None:
    """Refuse to change a closed vacancy: its decisions are final and retention has started."""
    if vacancy.closed_at is not None:
        raise Forbidden(
            f"The vacancy {vacancy.title} was closed on "
            f"{vacancy.closed_at.day} {vacancy.closed_at:%B %Y}: "
            f"it takes no more {what}."
        )


def check_stage(vacancy: Vacancy, stage: str) -> None:
    stages = vacancy_stages(vacancy)
    if stage not in stages:
        names = ", ".join(stages) or "none"
        raise DomainError(
            f"This vacancy's person specification assesses nothing at the '{stage}' stage "
            f"(its stages: {names})."
        )


def repin_vacancy(session: Session, vacancy: Vacancy, version: JobDescriptionVersion) -> None:
    """Move a vacancy to another approved version; refused once applications exist."""
    if has_applications(session, vacancy):
        raise Forbidden(
            "The criteria are locked because applications have been received. Changing them "
            "needs a new vacancy on the new version, and every applicant must be re-scored."
        )
    if version.status != "approved":
        raise Forbidden("A vacancy can only use an approved version.")
    vacancy.version = version
    session.flush()


def has_applications(session: Session, vacancy: Vacancy) -> bool:
    count = session.scalar(
        select(func.count(Application.id)).where(Application.vacancy_id == vacancy.id)
    )
    return bool(count)


def new_reference(session: Session, vacancy: Vacancy) -> str:
    """A random reference such as "A-7KQ3PX", unused in this vacancy (not from the name)."""
    while True:
        reference = "A-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        taken = session.scalar(
            select(Application.id).where(
                Application.vacancy_id == vacancy.id, Application.reference == reference
            )
        )
        if taken is None:
            return reference


def add_applicant(
    session: Session,
    vacancy: Vacancy,
    name: str,
    email: str,
    *,
    reference: str | None = None,
    disability_confident: bool = False,
    logged: bool = True,
) -> Application:
    """Add one applicant; logged as `applicant-add` by reference (an import logs its own
    event for the whole file, so it passes `logged=False`)."""
    check_not_closed(vacancy, "applicants")
    name = (name or "").strip()
    email = (email or "").strip().lower()
    if not name:
        raise DomainError("Give the applicant's name.")
    if "@" not in email or " " in email:
        raise DomainError(f"'{email}' is not an email address.")
    reference = (reference or "").strip().upper()
    if reference and not REFERENCE_PATTERN.fullmatch(reference):
        # The text is not repeated: it may be a name, and messages can reach logs.
        raise DomainError(
            "The reference is not one jdtool gave (like A-7KQ3PX); leave the reference "
            "column empty and jdtool makes one"
        )
    reference = reference or new_reference(session, vacancy)
    applicant = session.scalar(select(Applicant).where(Applicant.email == email))
    if applicant is None:
        applicant = Applicant(name=name, email=email)
        session.add(applicant)
        session.flush()
    elif session.scalar(
        select(Application.id).where(
            Application.vacancy_id == vacancy.id, Application.applicant_id == applicant.id
        )
    ):
        raise DomainError(f"{email} has already applied for this vacancy.")
    if session.scalar(
        select(Application.id).where(
            Application.vacancy_id == vacancy.id, Application.reference == reference
        )
    ):
        raise DomainError(f"The reference {reference} is already used in this vacancy.")
    application = Application(
        vacancy=vacancy,
        applicant=applicant,
        reference=reference,
        disability_confident=disability_confident,
    )
    session.add(application)
    session.flush()
    if logged:
        record_event(
            session,
            "applicant-add",
            f"vacancy {vacancy.id} / {reference}",
            "Disability Confident" if disability_confident else "",
        )
    return application


@dataclass
class ApplicantImport:
    applications: list[Application] = field(default_factory=list)
    #: Columns the file has that jdtool does not use.
    unknown_columns: list[str] = field(default_factory=list)


def read_csv(data: bytes, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased) and (spreadsheet row number, row) pairs; row 1 is the header."""
    if len(data) > MAX_CSV_BYTES:
        raise DomainError(
            f"The {what} file is {len(data) / 1024 / 1024:.0f} MB; a CSV file of applicants or "
            f"scores is far smaller (the limit is {MAX_CSV_BYTES // 1024 // 1024} MB)."
        )
    kind = describe(data)
    if kind is not None:
        raise DomainError(f"The {what} file is {kind}, not a CSV file. Save it as 'CSV UTF-8'.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(f"The {what} file is not UTF-8 text. Save it as 'CSV UTF-8'.") from None
    if "\x00" in text:
        raise DomainError(f"The {what} file is not text. Save it as 'CSV UTF-8'.")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [column.strip().lower() for column in next(reader)]
    except StopIteration:
        raise DomainError(f"The {what} file is empty.") from None
    except csv.Error as error:
        raise _unreadable_csv(what, error) from None
    if len(header) > MAX_CSV_COLUMNS:
        raise DomainError(f"The {what} file has {len(header)} columns; it should have a few.")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_CSV_ROWS:
                raise DomainError(
                    f"The {what} file has more than {MAX_CSV_ROWS:,} rows; split it into "
                    "smaller files."
                )
            if not any(cell.strip() for cell in row):
                continue
            values = dict(zip(header, (cell.strip() for cell in row), strict=False))
            rows.append((reader.line_num, values))
    except csv.Error as error:
        raise _unreadable_csv(what, error, reader.line_num) from None
    return header, rows


def _unreadable_csv(what: str, error: csv.Error, line: int = 1) -> DomainError:
    if "field larger than field limit" in str(error):
        return DomainError(
            f"The {what} file has a cell over {csv.field_size_limit():,} characters long "
            f"(line {line}); check it is the right file."
        )
    return DomainError(f"The {what} file is not readable CSV (line {line}: {error}).")


def parse_yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise DomainError(f"'{text}' should be yes or no")


def import_applicants(session: Session, vacancy: Vacancy, data: bytes) -> ApplicantImport:
    """Add every applicant in a CSV file, or none when any row is wrong."""
    check_not_closed(vacancy, "applicants")
    header, rows = read_csv(data, "applicants")
    missing = [column for column in ("name", "email") if column not in header]
    if missing:
        raise DomainError(
            "The applicants file needs the columns name and email; it has no "
            + " or ".join(missing)
            + " column."
        )
    result = ApplicantImport(unknown_columns=[c for c in header if c not in APPLICANT_COLUMNS])
    errors = []
    for row_number, row in rows:
        try:
            # add_applicant checks everything before it stores anything, so a refused row
            # leaves nothing behind (and the caller rolls back when any row is refused).
            disability_confident = parse_yes_no(row.get("disability_confident", ""))
            result.applications.append(
                add_applicant(
                    session,
                    vacancy,
                    row.get("name", ""),
                    row.get("email", ""),
                    reference=row.get("reference"),
                    disability_confident=disability_confident,
                    logged=False,
                )
            )
        except DomainError as error:
            errors.append(f"Row {row_number}: {str(error).rstrip('.')}.")
    if errors:
        raise CsvRowsInvalid("some rows are wrong.", errors)
    record_event(
        session,
        "import",
        f"vacancy {vacancy.id}",
        f"{len(result.applications)} applicants from a CSV file: "
        + ", ".join(a.reference for a in result.applications),
    )
    return result


@dataclass
class PanelSeat:
    member: PanelMember
    #: Set when a new account was made: the password to give the person.
    new_password: str | None = None


def add_panel_member(
    session: Session,
    vacancy: Vacancy,
    email: str,
    stage: str,
    *,
    chair: bool = False,
    training_date: date | None = None,
    name: str | None = None,
) -> PanelSeat:
    """Seat a user on a stage's panel; a new `panel` account is made when the email is unknown."""
    check_stage(vacancy, stage)
    email = (email or "").strip().lower()
    user = session.scalar(select(User).where(func.lower(User.email) == email))
    password = None
    if user is None:
        password = one_time_password()
        user = create_user(session, email, password, name=name, role="panel")
        user.must_change_password = True
    if session.scalar(
        select(PanelMember.id).where(
            PanelMember.vacancy_id == vacancy.id,
            PanelMember.user_id == user.id,
            PanelMember.stage == stage,
        )
    ):
        raise DomainError(f"{email} is already on the {stage} panel.")
    if chair and any(m.is_chair for m in vacancy.panel if m.stage == stage):
        raise DomainError(f"The {stage} panel already has a chair.")
    member = PanelMember(vacancy=vacancy, user=user, stage=stage, is_chair=chair)
    session.add(member)
    record_training(session, member, training_date)
    return PanelSeat(member, password)


def record_training(session: Session, member: PanelMember, training_date: date | None) -> None:
    if training_date is not None and training_date > date.today():
        raise DomainError("The training date cannot be in the future.")
    member.training_date = training_date
    session.flush()


def declare_conflict(
    session: Session, member: PanelMember, application: Application, reason: str
) -> ConflictDeclaration:
    """Record a conflict of interest; the member no longer sees or scores that applicant."""
    if application.vacancy_id != member.vacancy_id:
        raise DomainError("That applicant did not apply for this vacancy.")
    declaration = session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.panel_member_id == member.id,
            ConflictDeclaration.application_id == application.id,
        )
    )
    if declaration is None:
        declaration = ConflictDeclaration(
            panel_member_id=member.id, application_id=application.id, reason=reason.strip()
        )
        session.add(declaration)
        session.flush()
    withdraw_for_conflict(session, member, application)
    return declaration


def withdraw_for_conflict(session: Session, member: PanelMember, application: Application) -> int:
    """A conflict declared after scoring: the member's live sheet for the applicant is withdrawn
    (kept on record, no longer counted) and any unsubmitted draft is discarded."""
    sheets = list(
        session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.panel_member_id == member.id,
                ScoreSheet.application_id == application.id,
                ScoreSheet.live.is_(True),
            )
        )
    )
    for sheet in sheets:
        sheet.live = None
        sheet.withdrawn_at = utcnow()
        session.flush()
        record_event(
            session,
            "score-withdraw",
            f"vacancy {member.vacancy_id} {sheet.stage} / {application.reference}",
            f"sheet {sheet.id} withdrawn: the panel member declared a conflict",
        )
    session.execute(
        delete(ScoreDraft).where(
            ScoreDraft.panel_member_id == member.id,
            ScoreDraft.application_id == application.id,
        )
    )
    return len(sheets)


def vacancy_warnings(vacancy: Vacancy) -> list[str]:
    """What the vacancy page must point out."""
    warnings = []
    if vacancy.maintained_school and not any(m.training_date for m in vacancy.panel):
        warnings.append(
            "This is a maintained school: at least one panel member must have safer-recruitment "
            "training. No member has a training date recorded yet."
        )
    for stage in vacancy_stages(vacancy):
        if stage != "references" and not any(m.stage == stage for m in vacancy.panel):
            warnings.append(f"No one sits on the {STAGE_LABELS[stage].lower()} panel yet.")
    return warnings


def attach_application_file(
    session: Session, application: Application, filename: str, data: bytes
) -> ApplicationFile:
    """Store an application form after checking what the bytes are, not what the name says."""
    filename = display_filename(filename)
    if application.personal_data_deleted_at is not None:
        raise DomainError(
            f"The personal data of {application.reference} was deleted; its application cannot "
            "take new files."
        )
    check_not_closed(application.vacancy, "application forms")
    if not data:
        raise DomainError(f"{filename} is empty.")
    if len(data) > MAX_APPLICATION_FILE_BYTES:
        limit = MAX_APPLICATION_FILE_BYTES // 1024 // 1024
        raise DomainError(f"{filename} is larger than the {limit} MB limit.")
    kind = _file_kind(data)
    if kind is None:
        what = describe(data)
        raise DomainError(
            f"{filename} is not a PDF or Word (.docx) document (it is {what})."
            if what
            else f"{filename} is not a PDF or Word (.docx) document, whatever its name says."
        )
    if kind == "pdf":  # an anonymised panel must not read the applicant's name in the metadata
        try:
            data = without_metadata(data)
        except UnreadablePdf as error:
            raise DomainError(f"{filename} cannot be used: {error}.") from None
    stem, dot, suffix = filename.rpartition(".")
    if not dot or suffix.lower() != kind:  # named for what it is, e.g. a .docx called .pdf
        filename = f"{stem if dot else filename}.{kind}"
    stored = ApplicationFile(
        application_id=application.id,
        filename=filename,
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
    )
    session.add(stored)
    session.flush()
    return stored


def _file_kind(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return None
    return None


def approved_versions(session: Session) -> list[JobDescriptionVersion]:
    """The newest approved version of each job description that has a person spec."""
    newest = (
        select(func.max(JobDescriptionVersion.id))
        .where(JobDescriptionVersion.status == "approved")
        .group_by(JobDescriptionVersion.job_description_id)
    )
    return list(
        session.scalars(
            select(JobDescriptionVersion)
            .where(JobDescriptionVersion.id.in_(newest), JobDescriptionVersion.has_person_spec)
            .order_by(JobDescriptionVersion.title)
        )
    )
