"""Adverts: the advert-only facts of a job description, and the advert composed from them."""

from __future__ import annotations

import re
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
from .organisations import employer_name, inherited, name_key

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


class ClosingDateInPast(DomainError):
    """An advert cannot close before it is published."""


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
    closing = changes.get("closing_date")
    if closing is not None and closing != details.closing_date and closing < date.today():
        raise ClosingDateInPast(
            f"The closing date ({_long_date(closing)}) is in the past; choose a later date."
        )
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


def pay_settings(details: AdvertDetails, version: JobDescriptionVersion | None = None):
    """The pay rules: the JD's school or trust's where its record sets them, else the advert's."""

    def rule(record_field: str, advert_field: str):
        value = inherited(version, record_field) if version is not None else None
        return getattr(details, advert_field) if value is None else value

    paid_weeks, paid_fraction = parse_paid_weeks(rule("paid_weeks", "paid_weeks") or "")
    return PaySettings(
        full_time_hours=rule("full_time_hours", "full_time_hours"),
        weeks_in_year=rule("weeks_divisor", "weeks_in_year"),
        leave_days=rule("leave_days", "leave_days"),
        paid_weeks=paid_weeks,
        paid_fraction=paid_fraction,
    )


def rules_from_organisation(version: JobDescriptionVersion) -> list[str]:
    """The pay rules the JD's school or trust sets (their advert settings are not used)."""
    labels = {
        "full_time_hours": "full-time hours",
        "weeks_divisor": "weeks divisor",
        "leave_days": "leave days",
        "paid_weeks": "paid weeks",
    }
    return [label for field, label in labels.items() if inherited(version, field) is not None]


@dataclass(frozen=True)
class ComposedAdvert:
    advert: Advert
    version: JobDescriptionVersion
    pay: ProRata | None
    #: Why the actual salary could not be worked out, if it could not.
    pay_problem: str | None
    warnings: list[WritingWarning]


def compose_advert(session: Session, job_description_id: int) -> ComposedAdvert:
    """The advert of the newest approved version with its stored advert facts and the standard
    statements and pay rules of its school or trust."""
    version = approved_version(session, job_description_id)
    details = advert_details(session, job_description_id)
    pay, pay_problem = _pay(version, details)
    facts: list[tuple[str, str]] = []
    if version.grade:
        facts.append(("Grade", version.grade))
    if pay is not None:
        facts.append(("Salary (full-time equivalent)", pay.fte_text().removesuffix(" FTE")))
        facts.append(("Actual salary", f"{pay.actual_text()} (pro rata)"))
    elif version.salary_min is not None:
        facts.append(("Salary", _salary_as_written(version)))
    elif version.salary_text:
        facts.append(("Salary", version.salary_text))
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
    address = inherited(version, "address")
    if location and address and name_key(location) not in name_key(address):
        location = f"{location}, {', '.join(_paragraphs(address))}"
    elif address:
        location = ", ".join(_paragraphs(address))
    if location:
        facts.append(("Location", location))
    if details.start_date:
        facts.append(("Start date", details.start_date))
    if details.closing_date:
        facts.append(("Closing date", _long_date(details.closing_date)))
    if details.interview_date:
        facts.append(("Interview date", _long_date(details.interview_date)))
    statements = _statements(version, details)
    employer = employer_name(version)
    publisher = version.organisation or version.school
    advert = Advert(
        title=version.title,
        employer=employer,
        organisation=publisher.name if publisher else None,
        facts=facts,
        pay_working=pay.working() if pay else [],
        role_in_brief=version.purpose,
        person_summary=person_summary(version),
        how_to_apply=details.how_to_apply,
        contact=details.contact or inherited(version, "contact"),
        statements=statements,
        dated=date.today(),
        logo=organisation_logo(session, version),
    )
    warnings = check_advert(
        [version.purpose or "", details.how_to_apply or ""],
        [text for _heading, text in advert.statements],
        [c.priority for c in version.criteria()],
    )
    for missing, what in (
        (details.closing_date, "closing date"),
        (details.how_to_apply, "how to apply"),
    ):
        if not missing:
            warnings.insert(
                0, WritingWarning("missing", f"The advert has no {what} yet: add it below.")
            )
    if employer is None:
        warnings.insert(
            0,
            WritingWarning(
                "no employer",
                "The job description names no school or organisation, so the advert does not "
                "say who the employer is. Choose one in the draft editor of a new version.",
            ),
        )
    return ComposedAdvert(
        advert=advert, version=version, pay=pay, pay_problem=pay_problem, warnings=warnings
    )


def _statements(version: JobDescriptionVersion, details: AdvertDetails) -> list[tuple[str, str]]:
    """Each standard statement: the school's or trust's own wording when its record has one,
    else the advert's (a statement blanked on the advert, with none on record, is left out)."""
    statements = []
    for name, heading in STATEMENT_HEADINGS:
        text = inherited(version, name) or getattr(details, name)
        if text and text.strip():
            statements.append((heading, text))
    return statements


def person_summary(version: JobDescriptionVersion) -> str | None:
    """What the advert says about the person specification: the areas its essential criteria
    cover, never the criteria themselves (applicants read those in the specification)."""
    if not version.criteria():
        return None
    areas: list[str] = []
    for category in version.categories:
        top = category
        while top.parent is not None:
            top = top.parent
        area = _area_name(top.name)
        essential = any(c.priority == "essential" for c in category.criteria)
        if essential and area and area not in areas:
            areas.append(area)
    if not areas:
        return (
            "The person specification sets out what we are looking for; please read it before "
            "you apply."
        )
    separator = "; " if any("," in area for area in areas) else ", "
    last = "; and " if separator == "; " else " and "
    listed = areas[0] if len(areas) == 1 else f"{separator.join(areas[:-1])}{last}{areas[-1]}"
    return (
        f"The person specification sets out the essential and desirable criteria for this post, "
        f"covering {listed}. Please show in your application how you meet each essential "
        "criterion."
    )


def _area_name(name: str) -> str:
    """A category heading as a phrase inside a sentence: "VALUES-BASED BEHAVIOURS - It is
    important…" → "values-based behaviours"; acronyms (SEN, ICT) keep their capitals."""
    name = re.split(r"\s+[-–—:]\s+|:\s*$|\(", name, maxsplit=1)[0].strip(" :.-–—")
    words = []
    for word in name.split():
        letters = re.sub(r"[^A-Za-z]", "", word)
        keep = letters.isupper() and len(letters) <= 4 and not name.isupper()
        words.append(word if keep else word.lower())
    return " ".join(words)


def _salary_as_written(version: JobDescriptionVersion) -> str:
    """The salary figures as the JD gives them (an actual or hourly figure, or an FTE range
    whose actual salary could not be worked out)."""
    bottom = version.salary_min
    top = version.salary_max if version.salary_max is not None else bottom
    per = {"hourly": " an hour", "actual": " a year"}.get(version.salary_basis or "", "")
    amounts = f"£{bottom:,.2f}" if version.salary_basis == "hourly" else f"£{bottom:,.0f}"
    if top != bottom:
        amounts += f" – £{top:,.2f}" if version.salary_basis == "hourly" else f" – £{top:,.0f}"
    if version.salary_basis in (None, "fte"):
        return f"{amounts} full-time equivalent"
    return amounts + per


def _pay(version: JobDescriptionVersion, details: AdvertDetails):
    if version.salary_min is None:
        return None, "The job description gives no salary figures, so no actual salary is shown."
    if version.salary_basis not in (None, "fte"):
        return None, "The salary is not a full-time-equivalent range, so it is shown as written."
    try:
        return (
            pro_rata(
                version.salary_min,
                version.salary_max,
                version.hours_per_week,
                version.weeks_per_year,
                version.inset_days,
                pay_settings(details, version),
            ),
            None,
        )
    except PayError as error:
        return None, f"The actual salary cannot be worked out: {error}"


def missing_for_applicants(version: JobDescriptionVersion) -> list[str]:
    """What an advert must say and this job description does not: who the employer is, and
    the pay. An advert without them does not go out."""
    missing = []
    if employer_name(version) is None:
        missing.append("the employer (the school or trust)")
    if version.salary_min is None and not (version.salary_text or "").strip():
        missing.append("the salary")
    return missing


def export_advert(session: Session, job_description_id: int, kind: str) -> ExportedFile:
    """The advert as .docx, .txt or .html; refused while it would not name the employer or the
    pay."""
    composed = compose_advert(session, job_description_id)
    missing = missing_for_applicants(composed.version)
    if missing:
        raise DomainError(
            f"The advert cannot go out without {' or '.join(missing)}: the approved job "
            "description gives none. Start a new version, add it in the draft editor and "
            "approve it."
        )
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


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
