"""Applicants of a vacancy: add one, import many from a CSV file (all or nothing), and attach their
application forms (PDF metadata removed)."""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..importing.file_types import describe, display_filename
from ..models import (
    Applicant,
    Application,
    ApplicationFile,
    Vacancy,
)
from ..pdf_metadata import UnreadablePdf, without_metadata
from .audit import record_event
from .vacancies import (
    REFERENCE_ALPHABET,
    REFERENCE_PATTERN,
    CsvRowsInvalid,
    check_not_closed,
    read_csv,
)

APPLICANT_COLUMNS = ("name", "email", "reference", "disability_confident")


YES = {"yes", "y", "true", "1"}


NO = {"no", "n", "false", "0", ""}


MAX_APPLICATION_FILE_BYTES = 10 * 1024 * 1024


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
