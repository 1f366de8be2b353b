"""Organisations: the schools and trusts that employ staff, as records with their standard
statements, pay rules and logo; the documents of a job description take them from its record."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from docx.image.image import Image as DocxImage
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden, NotFound
from ..importing.file_types import describe, display_filename
from ..models import JobDescriptionVersion, Organisation, OrganisationLogo, User
from ..models.documents import ORGANISATION_KINDS, WEEKS_DIVISORS
from ..models.exports import MAX_LOGO_BYTES
from ..pay import PayError, parse_paid_weeks

#: Who may add and change organisations.
ORGANISATION_ROLES = ("admin", "hr")
#: The largest logo accepted, in pixels each way: a logo prints about 4 cm wide, and a larger
#: image only makes every Word file heavier (and may be a decompression bomb).
MAX_LOGO_PIXELS = 4000
#: The standard statements, with the words an HR officer knows them by.
STATEMENTS = (
    ("safeguarding_statement", "Safeguarding and enhanced DBS"),
    ("online_search_statement", "Online searches"),
    ("equality_statement", "Equality"),
    ("right_to_work_statement", "Right to work in the UK"),
)
PAY_RULES = ("full_time_hours", "weeks_divisor", "leave_days", "paid_weeks")
#: The fields `update_organisation` may set.
EDITABLE_FIELDS = ("name", "address", "contact", *(n for n, _ in STATEMENTS), *PAY_RULES)
MAX_NAME_LENGTH = 300


def name_key(name: str) -> str:
    """The name as it is matched: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def find_organisation(session: Session, name: str) -> Organisation | None:
    """The organisation of that name (case and spacing ignored), or None."""
    key = name_key(name)
    if not key:
        return None
    for organisation in session.scalars(select(Organisation)):
        if name_key(organisation.name) == key:
            return organisation
    return None


def find_or_create_organisation(
    session: Session, name: str | None, kind: str = "trust", parent: Organisation | None = None
) -> Organisation | None:
    """The record an imported or edited JD names, made when there is none yet."""
    name = " ".join((name or "").split())
    if not name:
        return None
    organisation = find_organisation(session, name)
    if organisation is None:
        organisation = Organisation(name=name[:MAX_NAME_LENGTH], kind=kind, parent=parent)
        session.add(organisation)
        session.flush()
    elif parent is not None and organisation.parent_id is None and organisation is not parent:
        organisation.parent = parent  # a school first seen alone, now seen with its trust
    return organisation


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no organisation with ID {organisation_id}.")
    return organisation


@dataclass(frozen=True)
class OrganisationListing:
    organisation: Organisation
    job_descriptions: int
    has_logo: bool


def list_organisations(session: Session) -> list[OrganisationListing]:
    """Every organisation, trusts first then schools, by name, with how many JDs name it."""
    counts = dict(
        session.execute(
            select(
                Organisation.id, func.count(func.distinct(JobDescriptionVersion.job_description_id))
            )
            .join(
                JobDescriptionVersion,
                or_(
                    JobDescriptionVersion.organisation_id == Organisation.id,
                    JobDescriptionVersion.school_id == Organisation.id,
                ),
            )
            .group_by(Organisation.id)
        ).all()
    )
    logos = set(session.scalars(select(OrganisationLogo.organisation_id)))
    organisations = session.scalars(select(Organisation)).all()
    organisations = sorted(
        organisations, key=lambda o: (ORGANISATION_KINDS.index(o.kind), name_key(o.name))
    )
    return [OrganisationListing(o, counts.get(o.id, 0), o.id in logos) for o in organisations]


def organisation_choices(session: Session) -> list[Organisation]:
    return [listing.organisation for listing in list_organisations(session)]


def add_organisation(
    session: Session,
    name: str,
    *,
    kind: str | None = None,
    parent: str | int | None = None,
    user: User | None = None,
    **fields,
) -> Organisation:
    """Add a school or trust; a school may name the trust it belongs to (`parent`, its name or
    ID). With a parent the kind is "school" unless given."""
    _check_role(user)
    name = _clean_name(name)
    if find_organisation(session, name) is not None:
        raise DomainError(f"There is already an organisation called “{name}”.")
    parent_record = _parent(session, parent)
    kind = kind or ("school" if parent_record is not None else "trust")
    if kind not in ORGANISATION_KINDS:
        raise DomainError(
            f"An organisation is a {' or a '.join(ORGANISATION_KINDS)}, not “{kind}”."
        )
    organisation = Organisation(name=name, kind=kind, parent=parent_record)
    session.add(organisation)
    _apply(organisation, fields)
    session.flush()
    return organisation


def update_organisation(
    session: Session,
    organisation_id: int,
    *,
    user: User | None = None,
    parent: str | int | None = None,
    kind: str | None = None,
    **fields,
) -> Organisation:
    """Change the fields given (a blank text clears it: the trust's, or the default, applies)."""
    _check_role(user)
    organisation = get_organisation(session, organisation_id)
    if "name" in fields:
        name = _clean_name(fields.pop("name"))
        other = find_organisation(session, name)
        if other is not None and other is not organisation:
            raise DomainError(f"There is already an organisation called “{name}”.")
        if name != organisation.name and _named_by_approved_versions(session, organisation):
            # An approved version's content (and its hash) includes the names it prints.
            raise DomainError(
                f"Approved job descriptions name “{organisation.name}”, and an approved version "
                "never changes: the name cannot change. Add a new organisation instead, and "
                "choose it in new versions."
            )
        organisation.name = name
    if kind is not None:
        if kind not in ORGANISATION_KINDS:
            raise DomainError(
                f"An organisation is a {' or a '.join(ORGANISATION_KINDS)}, not “{kind}”."
            )
        organisation.kind = kind
    if parent is not None:
        record = _parent(session, parent)
        ancestor = record
        while ancestor is not None:
            if ancestor is organisation:
                raise DomainError(f"{organisation.name} cannot belong to itself.")
            ancestor = ancestor.parent
        organisation.parent = record
    _apply(organisation, fields)
    session.flush()
    return organisation


def _named_by_approved_versions(session: Session, organisation: Organisation) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(JobDescriptionVersion)
        .where(
            JobDescriptionVersion.status == "approved",
            or_(
                JobDescriptionVersion.organisation_id == organisation.id,
                JobDescriptionVersion.school_id == organisation.id,
            ),
        )
    )
    return bool(count)


def _apply(organisation: Organisation, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not organisation fields: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip() or None
        setattr(organisation, name, value)
    if organisation.full_time_hours is not None and not 0 < organisation.full_time_hours <= 48:
        raise DomainError("Full-time hours must be more than 0 and at most 48.")
    if organisation.weeks_divisor is not None and organisation.weeks_divisor not in WEEKS_DIVISORS:
        raise DomainError("The weeks divisor must be 52 or 52.143.")
    if organisation.leave_days is not None and not 0 <= organisation.leave_days <= 100:
        raise DomainError("Leave days must be between 0 and 100.")
    try:
        parse_paid_weeks(organisation.paid_weeks or "")
    except PayError as error:
        raise DomainError(f"Paid weeks: {error}") from None


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter the organisation's name.")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(f"The name must be at most {MAX_NAME_LENGTH} characters.")
    return name


def _parent(session: Session, parent: str | int | None) -> Organisation | None:
    if parent is None or parent == "":
        return None
    if isinstance(parent, int) or str(parent).isdigit():
        record = session.get(Organisation, int(parent))
    else:
        record = find_organisation(session, str(parent))
    if record is None:
        raise DomainError(f"There is no trust or organisation “{parent}”; add it first.")
    if record.kind != "trust":
        raise DomainError(f"{record.name} is a school; a school belongs to a trust.")
    return record


def _check_role(user: User | None) -> None:
    """The command line (no user) is trusted; on the web, administrators and HR."""
    if user is not None and user.role not in ORGANISATION_ROLES:
        raise Forbidden(f"Your account ({user.role}) cannot change organisations.")


# Logos ---------------------------------------------------------------------------------------


def set_logo(
    session: Session, organisation_id: int, filename: str, data: bytes, user: User | None = None
) -> OrganisationLogo:
    """Store (or replace) an organisation's logo: a PNG or JPEG of at most 1 MB and
    `MAX_LOGO_PIXELS` each way, checked from its header before any pixel is decoded."""
    organisation = get_organisation(session, organisation_id)
    filename = display_filename(filename)
    content_type = check_logo(filename, data)
    logo = session.scalar(
        select(OrganisationLogo).where(OrganisationLogo.organisation_id == organisation.id)
    )
    if logo is None:
        logo = OrganisationLogo(organisation_id=organisation.id)
        session.add(logo)
    logo.filename = filename
    logo.content_type = content_type
    logo.content = data
    logo.uploaded_by_id = user.id if user else None
    session.flush()
    return logo


def check_logo(filename: str, data: bytes) -> str:
    """The logo's content type; DomainError (one line, for beside the field) when it is not a
    small, readable PNG or JPEG."""
    content_type = _image_type(data)
    if content_type is None:
        what = describe(data)
        raise DomainError(
            f"{filename}: a logo must be a PNG or JPEG image"
            + (f"; this file is {what}." if what else ".")
        )
    if len(data) > MAX_LOGO_BYTES:
        raise DomainError(f"{filename}: a logo must be at most {MAX_LOGO_BYTES // 1024} KB.")
    damaged = DomainError(f"{filename}: the image is damaged and cannot be read.")
    try:
        with warnings.catch_warnings():
            # Pillow warns, then refuses, on huge sizes; the size is checked just below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height = image.size
            if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
                raise DomainError(_too_large(filename, width, height))
            image.verify()  # checks the file's structure without keeping the pixels
        DocxImage.from_blob(data)
    except Image.DecompressionBombError:
        raise DomainError(_too_large(filename)) from None
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise damaged from None
    except Exception:  # python-docx raises several types for a broken image header
        raise damaged from None
    return content_type


def _too_large(filename: str, width: int | None = None, height: int | None = None) -> str:
    size = f" ({width:,} × {height:,} pixels)" if width is not None else ""
    return (
        f"{filename}: the image is too large{size}; a logo must be at most "
        f"{MAX_LOGO_PIXELS:,} × {MAX_LOGO_PIXELS:,} pixels."
    )


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


# What documents take from the record -----------------------------------------------------------


def lineage(organisation: Organisation | None) -> list[Organisation]:
    """The record, then its trust (and that trust's, if any): where a value is looked up."""
    chain: list[Organisation] = []
    while organisation is not None and organisation not in chain:
        chain.append(organisation)
        organisation = organisation.parent
    return chain


def employer_records(version: JobDescriptionVersion) -> list[Organisation]:
    """The JD's school, then its trust(s), then the JD's organisation when it is not already
    among them: the records its documents draw on, nearest first."""
    chain = lineage(version.school)
    for organisation in lineage(version.organisation):
        if organisation not in chain:
            chain.append(organisation)
    return chain


def inherited(version: JobDescriptionVersion, field: str):
    """The nearest record's value of `field`, or None."""
    for organisation in employer_records(version):
        value = getattr(organisation, field)
        if value not in (None, ""):
            return value
    return None


def employer_name(version: JobDescriptionVersion) -> str | None:
    """As documents print the employer: "Oak Trust · Hill School", or the one record."""
    school = version.school
    trust = version.organisation or (school.parent if school else None)
    names = [record.name for record in (trust, school) if record is not None]
    if len(names) == 2 and name_key(names[0]) == name_key(names[1]):
        names = names[1:]
    return " · ".join(names) or None


def organisation_statements(version: JobDescriptionVersion) -> list[tuple[str, str, str]]:
    """(field, heading, text) of every standard statement the JD's records set."""
    found = []
    for field, heading in STATEMENTS:
        text = inherited(version, field)
        if text:
            found.append((field, heading, text))
    return found


def missing_statements(version_content: dict, version: JobDescriptionVersion) -> list[str]:
    """The organisation's standard statements the JD does not carry yet (its texts compared with
    case and spacing ignored), to offer in the editor."""
    present = {name_key(text) for text in version_content.get("statements") or []}
    return [
        text for _field, _heading, text in organisation_statements(version)
        if name_key(text) not in present
    ]  # fmt: skip


def logo_for(session: Session, version: JobDescriptionVersion) -> bytes | None:
    """The logo of the nearest record that has one."""
    for organisation in employer_records(version):
        content = session.scalar(
            select(OrganisationLogo.content).where(
                OrganisationLogo.organisation_id == organisation.id
            )
        )
        if content is not None:
            return content
    return None
