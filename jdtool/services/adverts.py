"""Adverts: the advert-only facts of a job description, and the advert composed from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import DomainError
from ..export.advert import Advert, advert_docx, advert_html, advert_text
from ..export.styles import document_bytes
from ..models import AdvertDetails, JobDescriptionVersion
from ..models.exports import (
    DEFAULT_EQUALITY_STATEMENT,
    DEFAULT_ONLINE_SEARCH_STATEMENT,
    DEFAULT_RIGHT_TO_WORK_STATEMENT,
    DEFAULT_SAFEGUARDING_STATEMENT,
)
from ..pay import PayError, PaySettings, ProRata, parse_paid_weeks, pro_rata
from ..writing_checks import WritingWarning, check_advert
from .audit import record_event
from .documents import get_job_description
from .exports import ExportedFile, approved_version, file_stem, organisation_logo

#: The fields of AdvertDetails a form or the CLI may set.
EDITABLE_FIELDS = (
    "closing_date", "interview_date", "start_date", "how_to_apply", "contact",
    "safeguarding_statement", "online_search_statement", "equality_statement",
    "right_to_work_statement", "full_time_hours", "weeks_in_year", "leave_days", "paid_weeks",
)  # fmt: skip
STATEMENT_HEADINGS = (
    ("safeguarding_statement", "Safeguarding"),
    ("online_search_statement", "Online searches"),
    ("equality_statement", "Equality"),
    ("right_to_work_statement", "Right to work in the UK"),
)
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "txt": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def advert_details(session: Session, job_description_id: int) -> AdvertDetails:
    """The stored advert facts, or (unsaved) defaults when there are none yet."""
    get_job_description(session, job_description_id)
    details = session.scalar(
        select(AdvertDetails).where(AdvertDetails.job_description_id == job_description_id)
    )
    if details is None:
        details = AdvertDetails(
            job_description_id=job_description_id,
            safeguarding_statement=DEFAULT_SAFEGUARDING_STATEMENT,
            online_search_statement=DEFAULT_ONLINE_SEARCH_STATEMENT,
            equality_statement=DEFAULT_EQUALITY_STATEMENT,
            right_to_work_statement=DEFAULT_RIGHT_TO_WORK_STATEMENT,
            full_time_hours=37.0,
            weeks_in_year=52.143,
            leave_days=35.0,
        )
    return details


def save_advert_details(session: Session, job_description_id: int, **changes) -> AdvertDetails:
    """Update the advert facts (only the fields given); DomainError when they cannot hold."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not advert fields: {sorted(unknown)}")
    details = advert_details(session, job_description_id)
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip() or None
        setattr(details, name, value)
    for name, _heading in STATEMENT_HEADINGS:
        if getattr(details, name) is None:
            setattr(details, name, "")
    if (
        details.closing_date
        and details.interview_date
        and (details.closing_date > details.interview_date)
    ):
        raise DomainError("The interview date must be on or after the closing date.")
    pay_settings(details)  # raises PayError with the reason when the settings are impossible
    if details.id is None:
        session.add(details)
    session.flush()
    return details


def pay_settings(details: AdvertDetails) -> PaySettings:
    paid_weeks, paid_fraction = parse_paid_weeks(details.paid_weeks or "")
    return PaySettings(
        full_time_hours=details.full_time_hours,
        weeks_in_year=details.weeks_in_year,
        leave_days=details.leave_days,
        paid_weeks=paid_weeks,
        paid_fraction=paid_fraction,
    )


@dataclass(frozen=True)
class ComposedAdvert:
    advert: Advert
    version: JobDescriptionVersion
    pay: ProRata | None
    #: Why the actual salary could not be worked out, if it could not.
    pay_problem: str | None
    warnings: list[WritingWarning]


def compose_advert(session: Session, job_description_id: int) -> ComposedAdvert:
    """The advert of the newest approved version with its stored advert facts."""
    version = approved_version(session, job_description_id)
    details = advert_details(session, job_description_id)
    pay, pay_problem = _pay(version, details)
    facts: list[tuple[str, str]] = []
    if version.grade:
        facts.append(("Grade", version.grade))
    if pay is not None:
        facts.append(("Salary (full-time equivalent)", pay.fte_text().removesuffix(" FTE")))
        facts.append(("Actual salary", f"{pay.actual_text()} (pro rata)"))
    elif version.salary_text or version.salary_min is not None:
        facts.append(("Salary", version.salary_text or f"£{version.salary_min:,.0f}"))
    if version.hours_per_week is not None:
        facts.append(("Hours", f"{version.hours_per_week:g} hours a week"))
    if version.weeks_per_year is not None:
        weeks = f"{version.weeks_per_year:g} weeks a year"
        if version.inset_days:
            weeks += f" + {version.inset_days} INSET days"
        facts.append(("Weeks", weeks))
    if version.contract:
        facts.append(("Contract", version.contract))
    elif version.contract_end:
        facts.append(("Contract", f"Fixed term until {_long_date(version.contract_end)}"))
    location = version.location or (version.school.name if version.school else None)
    if location:
        facts.append(("Location", location))
    if details.start_date:
        facts.append(("Start date", details.start_date))
    if details.closing_date:
        facts.append(("Closing date", _long_date(details.closing_date)))
    if details.interview_date:
        facts.append(("Interview date", _long_date(details.interview_date)))
    essential = _once_each(c.text for c in version.criteria() if c.priority == "essential")
    employer = " · ".join(
        name
        for name in (
            version.organisation.name if version.organisation else None,
            version.school.name if version.school else None,
        )
        if name
    )
    advert = Advert(
        title=version.title,
        employer=employer or None,
        organisation=(version.organisation.name if version.organisation else None)
        or (version.school.name if version.school else None),
        facts=facts,
        pay_working=pay.working() if pay else [],
        role_in_brief=version.purpose,
        essential_criteria=essential,
        how_to_apply=details.how_to_apply,
        contact=details.contact,
        statements=[
            (heading, getattr(details, name))
            for name, heading in STATEMENT_HEADINGS
            if getattr(details, name)
        ],
        dated=date.today(),
        logo=organisation_logo(session, version),
    )
    warnings = check_advert(
        [version.purpose or "", details.how_to_apply or "", *essential],
        [text for _heading, text in advert.statements],
        [c.priority for c in version.criteria()],
    )
    return ComposedAdvert(
        advert=advert, version=version, pay=pay, pay_problem=pay_problem, warnings=warnings
    )


def _pay(version: JobDescriptionVersion, details: AdvertDetails):
    if version.salary_min is None:
        return None, "The job description gives no salary figures, so no actual salary is shown."
    if version.salary_basis != "fte":
        return None, "The salary is not a full-time-equivalent range, so it is shown as written."
    try:
        return (
            pro_rata(
                version.salary_min,
                version.salary_max,
                version.hours_per_week,
                version.weeks_per_year,
                version.inset_days,
                pay_settings(details),
            ),
            None,
        )
    except PayError as error:
        return None, f"The actual salary cannot be worked out: {error}"


def export_advert(session: Session, job_description_id: int, kind: str) -> ExportedFile:
    """The advert as .docx, .txt or .html."""
    composed = compose_advert(session, job_description_id)
    if kind == "docx":
        content = document_bytes(advert_docx(composed.advert))
    elif kind == "txt":
        content = advert_text(composed.advert).encode("utf-8")
    elif kind == "html":
        content = advert_html(composed.advert).encode("utf-8")
    else:
        raise DomainError(f"An advert can be written as .docx, .txt or .html, not .{kind}.")
    version = composed.version
    record_event(
        session,
        "export",
        f"job description {job_description_id} version {version.number}",
        f"advert .{kind} ({len(content):,} bytes)",
    )
    return ExportedFile(
        filename=f"{file_stem(version)}-v{version.number}-advert.{kind}", content=content
    )


def _once_each(texts) -> list[str]:
    """Each text once, in order: a criterion a spec repeats (in two categories, say) is listed
    once for applicants (case and spacing ignored)."""
    seen: set[str] = set()
    result = []
    for text in texts:
        key = " ".join(text.split()).casefold()
        if key not in seen:
            seen.add(key)
            result.append(text)
    return result


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
