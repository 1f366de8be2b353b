"""Approve a draft with eyes open: every check listed, blocking ones fixed, the rest acknowledged,
and the approval a compare-and-set on the edit stamp the approver saw."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import JobDescriptionVersion, SignedCopy, User
from ..models.people import utcnow
from ..writing_checks import check_job_description
from .audit import record_event
from .checks import lint_version, version_duplicates
from .documents import content_hash, get_job_description, version_dict
from .draft_stamp import StaleDraft, stale_message
from .locking import claim

#: Where in the editor each kind of check is fixed (an anchor on the edit page).
FIX_PLACES = {
    "needs-review": "review",
    "unknown-priority": "person-spec",
    "no-method": "person-spec",
    "essential-not-at-application": "person-spec",
    "repeated": "person-spec",
    "no-suitability-criterion": "person-spec",
    "no-person-spec": "person-spec",
    "duplicate-duty": "duties",
    "duplicate-criterion": "person-spec",
    "safeguarding": "statements",
    "no-pay": "job-details",
}
#: Checks that stop an approval until they are fixed; the rest are acknowledged.
BLOCKING = frozenset({"needs-review", "unknown-priority"})


@dataclass(frozen=True)
class ApprovalCheck:
    #: Stable for the same content: the approve form names acknowledged checks by key.
    key: str
    code: str
    message: str

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING

    @property
    def fix_place(self) -> str:
        return FIX_PLACES.get(self.code, "job-details")


def approval_checks(version: JobDescriptionVersion) -> list[ApprovalCheck]:
    """Everything still wrong with a draft, blocking checks first."""
    found: list[tuple[str, str]] = []
    if getattr(version, "needs_review", False):
        found.append(
            (
                "needs-review",
                "The import has findings to check: review and accept it before approving it.",
            )
        )
    found += [(issue.code, issue.message) for issue in lint_version(version)]
    for duplicate in version_duplicates(version):
        what = "Duties" if duplicate.kind == "duty" else "Criteria"
        found.append(
            (
                f"duplicate-{duplicate.kind}",
                f"{what} {duplicate.position_a} and {duplicate.position_b} repeat each other "
                f"({duplicate.match.kind} match): “{duplicate.text_a}” / “{duplicate.text_b}”.",
            )
        )
    content = version_dict(version)
    for warning in check_job_description(content):
        code = "safeguarding" if warning.kind == "safeguarding" else f"writing-{warning.kind}"
        found.append((code.replace(" ", "-"), warning.message))
    if version.salary_min is None and not version.salary_text:
        found.append(
            (
                "no-pay",
                "There is no salary: an advert must show the full-time-equivalent range and "
                "the actual pay.",
            )
        )
    checks = [
        ApprovalCheck(f"{code}-{index}", code, message)
        for index, (code, message) in enumerate(found, start=1)
    ]
    return sorted(checks, key=lambda check: not check.blocking)


def approve_job_description(
    session: Session,
    job_description_id: int,
    user: User | None = None,
    *,
    seen_stamp: int | None = None,
    acknowledged: Collection[str] | None = None,
) -> JobDescriptionVersion:
    """Approve the current draft: it becomes an immutable version with a content hash.

    `seen_stamp` is the edit stamp of the draft the approver looked at (the command line passes
    none: it approves the draft as it is now). Refused, approving nothing, while a blocking
    check fails, when a warning in the approve form was not acknowledged (`acknowledged`, the
    keys ticked; None means running the command is the acknowledgement), or when the draft
    changed after the approver saw it. The acknowledged warnings are logged with the approval.
    """
    version = get_job_description(session, job_description_id).current
    if version.status == "approved":
        raise Forbidden(
            f"Version {version.number} of job description {job_description_id} is already approved."
        )
    stamp = version.edit_stamp if seen_stamp is None else seen_stamp
    if stamp != version.edit_stamp:
        raise StaleDraft(_changed_message(version))
    checks = approval_checks(version)
    blocking = [check for check in checks if check.blocking]
    if blocking:
        raise DomainError(f"It cannot be approved yet. {blocking[0].message}")
    warnings = [check for check in checks if not check.blocking]
    if acknowledged is not None:
        missing = [check for check in warnings if check.key not in acknowledged]
        if missing:
            raise DomainError(
                f"Tick each warning to confirm you have read it ({len(missing)} not ticked). "
                "Nothing was approved."
            )
    digest = content_hash(version)  # of the text read at the stamp the approver saw
    approved_at = utcnow()
    claimed = claim(
        session,
        update(JobDescriptionVersion)
        .where(
            JobDescriptionVersion.id == version.id,
            JobDescriptionVersion.status == "draft",
            JobDescriptionVersion.edit_stamp == stamp,
        )
        .values(
            status="approved",
            content_hash=digest,
            approved_at=approved_at,
            approved_by_id=user.id if user else None,
        ),
    )
    session.refresh(version)
    if not claimed:
        if version.status == "approved":
            raise Forbidden(
                f"Version {version.number} of job description {job_description_id} is already "
                "approved."
            )
        raise StaleDraft(_changed_message(version))
    subject = f"job description {job_description_id} version {version.number}"
    record_event(
        session, "approve", subject, f"content hash {digest}; edit stamp {stamp}", actor=user
    )
    if warnings:
        record_event(
            session,
            "approve-warnings",
            subject,
            "warnings acknowledged: " + " | ".join(check.message for check in warnings),
            actor=user,
        )
    return version


def _changed_message(version: JobDescriptionVersion) -> str:
    return stale_message(version).replace(
        "Your changes were not saved: reload to see theirs, then make your changes again.",
        "Nothing was approved: check the draft again before approving it.",
    )


def verify_content_hashes(session: Session, job_description_id: int | None = None) -> list[str]:
    """One line per approved version whose content no longer matches its hash, and per signed
    copy whose stored bytes no longer match theirs; empty when everything is intact."""
    versions = select(JobDescriptionVersion).where(JobDescriptionVersion.status == "approved")
    copies = select(SignedCopy)
    if job_description_id is not None:
        get_job_description(session, job_description_id)  # NotFound for an unknown ID
        versions = versions.where(JobDescriptionVersion.job_description_id == job_description_id)
        copies = copies.where(SignedCopy.job_description_id == job_description_id)
    problems = []
    for version in session.scalars(versions.order_by(JobDescriptionVersion.id)):
        actual = content_hash(version)
        if actual != version.content_hash:
            problems.append(
                f"job description {version.job_description_id} version {version.number}: "
                f"content hash {actual} does not match the recorded {version.content_hash}"
            )
    for copy in session.scalars(copies.order_by(SignedCopy.id)):
        actual = hashlib.sha256(copy.content).hexdigest()
        if actual != copy.sha256:
            problems.append(
                f"signed copy {copy.id} (job description {copy.job_description_id} version "
                f"{copy.version_number}): SHA-256 {actual} does not match the recorded "
                f"{copy.sha256}"
            )
    return problems


@dataclass(frozen=True)
class ApprovalReview:
    """The approve page: the draft, its edit stamp as shown, and every check."""

    version: JobDescriptionVersion
    checks: list[ApprovalCheck]

    @property
    def blocking(self) -> list[ApprovalCheck]:
        return [check for check in self.checks if check.blocking]

    @property
    def warnings(self) -> list[ApprovalCheck]:
        return [check for check in self.checks if not check.blocking]


def review_for_approval(session: Session, job_description_id: int) -> ApprovalReview:
    """The current version and, when it is a draft, every check on it."""
    version = get_job_description(session, job_description_id).current
    checks = approval_checks(version) if version.status == "draft" else []
    return ApprovalReview(version, checks)
