"""Word exports of approved versions, and the signed copies heads keep."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, joinedload

from ..errors import DomainError, Forbidden, NotFound
from ..export.job_description import (
    AssessmentMethodColumn,
    SignedFor,
    VersionRecord,
    build_job_description,
)
from ..export.styles import document_bytes
from ..models import AssessmentMethod, JobDescriptionVersion, OrganisationLogo, SignedCopy, User
from ..models.people import MANAGING_ROLES, utcnow
from ..writing_checks import WritingWarning, check_job_description
from .approved_content import APPROVED_VERSIONS_KEPT, load_version_parts
from .audit import record_event
from .documents import document_of, get_job_description, newest_approved_version, version_dict
from .organisations import logo_for, set_logo
from .worker_cache import BoundedCache

#: Who may produce signed copies and record them as signed.
SIGNING_ROLES = MANAGING_ROLES
RECORDING_ROLES = ("admin", "head")
MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class ExportedFile:
    filename: str
    content: bytes


def approved_version(session: Session, job_description_id: int) -> JobDescriptionVersion:
    """The newest approved version; Forbidden when there is none yet."""
    return newest_approved_version(
        session, job_description_id, needed_for="Approve it before producing Word documents."
    )


def assessment_method_columns(
    session: Session, version: JobDescriptionVersion
) -> list[AssessmentMethodColumn]:
    """The methods any criterion of `version` uses, in table order."""
    used = {code for criterion in version.criteria() for code in criterion.methods}
    methods = session.scalars(select(AssessmentMethod).order_by(AssessmentMethod.position))
    return [AssessmentMethodColumn(m.code, m.label) for m in methods if m.code in used]


def export_job_description(session: Session, job_description_id: int) -> ExportedFile:
    """The JD + person spec .docx of the newest approved version."""
    version = approved_version(session, job_description_id)
    document = build_job_description(
        document_of(version),
        VersionRecord(version.number, version.content_hash),
        assessment_method_columns(session, version),
        dated=(version.approved_at or utcnow()).date(),
        logo=organisation_logo(session, version),
    )
    exported = ExportedFile(
        filename=f"{file_stem(version)}-v{version.number}-job-description.docx",
        content=document_bytes(document),
    )
    record_event(
        session,
        "export",
        f"job description {job_description_id} version {version.number}",
        f"job description .docx ({len(exported.content):,} bytes)",
    )
    return exported


def produce_signed_copy(
    session: Session, job_description_id: int, postholder: str, user: User | None = None
) -> SignedCopy:
    """Render the newest approved version for a named postholder and keep the bytes."""
    _check_role(user, SIGNING_ROLES, "produce signed copies")
    postholder = " ".join(postholder.split())
    if not postholder:
        raise DomainError("Enter the postholder's name.")
    if len(postholder) > MAX_NAME_LENGTH:
        raise DomainError(f"The postholder's name must be at most {MAX_NAME_LENGTH} characters.")
    version = approved_version(session, job_description_id)
    produced_at = utcnow()
    document = build_job_description(
        document_of(version),
        VersionRecord(version.number, version.content_hash),
        assessment_method_columns(session, version),
        dated=produced_at.date(),
        signed_for=SignedFor(postholder=postholder, produced_on=produced_at.date()),
        logo=organisation_logo(session, version),
    )
    content = document_bytes(document)
    signed_copy = SignedCopy(
        job_description_id=job_description_id,
        version_number=version.number,
        postholder=postholder,
        filename=(f"{file_stem(version)}-v{version.number}-signed-copy-{_slug(postholder)}.docx"),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        produced_at=produced_at,
        produced_by_id=user.id if user else None,
    )
    session.add(signed_copy)
    session.flush()
    record_event(
        session,
        "export",
        f"job description {job_description_id} version {version.number}",
        f"signed copy {signed_copy.id} produced (SHA-256 {signed_copy.sha256})",
        actor=user,
    )
    return signed_copy


def get_signed_copy(session: Session, signed_copy_id: int) -> SignedCopy:
    signed_copy = session.get(SignedCopy, signed_copy_id)
    if signed_copy is None:
        raise NotFound(f"There is no signed copy with ID {signed_copy_id}.")
    return signed_copy


def record_signed(
    session: Session,
    signed_copy_id: int,
    signed_on: date,
    signed_by: str,
    user: User | None = None,
) -> SignedCopy:
    """Record that a signed copy was signed: on which date and by whom."""
    _check_role(user, RECORDING_ROLES, "record signed copies as signed")
    signed_copy = get_signed_copy(session, signed_copy_id)
    signed_by = " ".join(signed_by.split())
    if not signed_by:
        raise DomainError("Enter who signed the copy.")
    if signed_on > utcnow().date():
        raise DomainError("The signing date cannot be in the future.")
    if signed_on < signed_copy.produced_at.date():
        raise DomainError(
            "The signing date is before the copy was produced "
            f"({signed_copy.produced_at:%d %B %Y})."
        )
    if signed_copy.signed_on is not None:
        raise Forbidden(
            f"This copy was already recorded as signed on {signed_copy.signed_on:%d %B %Y}."
        )
    signed_copy.signed_on = signed_on
    signed_copy.signed_by = signed_by
    signed_copy.signed_recorded_by_id = user.id if user else None
    session.flush()
    record_event(
        session,
        "sign",
        f"job description {signed_copy.job_description_id} version {signed_copy.version_number}",
        f"signed copy {signed_copy.id} signed on {signed_on:%d %B %Y} by {signed_by}",
        actor=user,
    )
    return signed_copy


@dataclass(frozen=True)
class SignedCopyListing:
    signed_copy: SignedCopy
    produced_by: str | None
    #: The newest approved version number when this copy refers to an older one, else None.
    superseded_by: int | None


def list_signed_copies(
    session: Session, job_description_id: int, newest_approved: int | None = None
) -> list[SignedCopyListing]:
    """A job description's signed copies, newest first, flagging copies of older versions
    (older than `newest_approved` when the caller has read it already)."""
    newest = newest_approved
    if newest is None:
        job_description = get_job_description(session, job_description_id)
        approved = [v.number for v in job_description.versions if v.status == "approved"]
        newest = max(approved, default=None)
    rows = session.execute(
        select(SignedCopy, User.name)
        .options(defer(SignedCopy.content))  # the listing never shows the file itself
        .outerjoin(User, User.id == SignedCopy.produced_by_id)
        .where(SignedCopy.job_description_id == job_description_id)
        .order_by(SignedCopy.produced_at.desc(), SignedCopy.id.desc())
    ).all()
    return [
        SignedCopyListing(
            signed_copy=signed_copy,
            produced_by=name,
            superseded_by=newest
            if newest is not None and signed_copy.version_number < newest
            else None,
        )
        for signed_copy, name in rows
    ]


def _check_role(user: User | None, roles: tuple[str, ...], action: str) -> None:
    """The CLI (no user) is trusted; on the web only some roles may act."""
    if user is not None and user.role not in roles:
        raise Forbidden(f"Your account ({user.role}) cannot {action}.")


def file_stem(version: JobDescriptionVersion) -> str:
    return f"jd-{version.job_description_id}-{_slug(version.title)}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "document"


@dataclass(frozen=True)
class ExportPanel:
    """What the JD page shows about Word documents: what can be downloaded, the signed copies,
    and the writing checks on the current version."""

    approved_number: int | None
    signed_copies: list[SignedCopyListing]
    writing_warnings: list[WritingWarning]
    #: The organisation the current version names (logos belong to it), if any.
    organisation: str | None
    logo_filename: str | None


def export_panel(session: Session, job_description_id: int) -> ExportPanel:
    versions = list(
        session.scalars(
            select(JobDescriptionVersion)
            .where(JobDescriptionVersion.job_description_id == job_description_id)
            .order_by(JobDescriptionVersion.number)
            .options(
                joinedload(JobDescriptionVersion.organisation),
                joinedload(JobDescriptionVersion.school),
            )
        )
    )
    if not versions:
        get_job_description(session, job_description_id)  # NotFound, said as everywhere else
    current = versions[-1]
    approved = [v.number for v in versions if v.status == "approved"]
    organisation = current.employer
    newest_approved = max(approved, default=None)
    return ExportPanel(
        approved_number=newest_approved,
        signed_copies=list_signed_copies(session, job_description_id, newest_approved),
        writing_warnings=list(_current_writing_warnings(session, current)),
        organisation=organisation.name if organisation else None,
        logo_filename=session.scalar(
            select(OrganisationLogo.filename).where(
                OrganisationLogo.organisation_id == organisation.id
            )
        )
        if organisation
        else None,
    )


#: Writing checks of approved versions by (version id, content hash, organisation and school
#: names): an approved version's text never changes, so its checks are worked out once per
#: worker without reading its parts again. The names are in the key because the checked
#: content names them and an organisation can be renamed after approval.
_approved_warnings: BoundedCache[tuple[WritingWarning, ...]] = BoundedCache(APPROVED_VERSIONS_KEPT)


def _current_writing_warnings(
    session: Session, version: JobDescriptionVersion
) -> tuple[WritingWarning, ...]:
    if version.status != "approved" or not version.content_hash:
        return _writing_warnings(json.dumps(version_dict(version), sort_keys=True, default=str))
    key = (
        version.id,
        version.content_hash,
        version.organisation.name if version.organisation else None,
        version.school.name if version.school else None,
    )
    warnings = _approved_warnings.get(key)
    if warnings is None:
        load_version_parts(session, version)
        warnings = _writing_warnings(json.dumps(version_dict(version), sort_keys=True, default=str))
        _approved_warnings.put(key, warnings)
    return warnings


def forget_approved_warnings() -> None:
    """Empty this process's cache of approved versions' writing checks."""
    _approved_warnings.clear()


@lru_cache(maxsize=256)
def _writing_warnings(content_json: str) -> tuple[WritingWarning, ...]:
    """The writing checks of a version's content, remembered by that content: they are the
    slowest part of the JD page and the content rarely changes between views."""
    return tuple(check_job_description(json.loads(content_json)))


def set_organisation_logo(
    session: Session, job_description_id: int, filename: str, data: bytes, user: User | None = None
) -> OrganisationLogo:
    """Store (or replace) the logo of the school or organisation a job description belongs to."""
    _check_role(user, SIGNING_ROLES, "change logos")
    employer = get_job_description(session, job_description_id).current.employer
    if employer is None:
        raise DomainError(
            "This job description names no school or organisation, so there is nothing to "
            "attach a logo to."
        )
    return set_logo(session, employer.id, filename, data, user)


def organisation_logo(session: Session, version: JobDescriptionVersion) -> bytes | None:
    """The logo of the JD's school, else of its trust or organisation."""
    return logo_for(session, version)
