"""The draft's edit stamp: every change to a draft's content claims it in one compare-and-set."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..errors import DomainError, Forbidden
from ..models import JobDescriptionVersion, User
from ..models.people import utcnow
from .locking import claim

#: Times in messages are the schools' local time.
SCHOOL_TIME = ZoneInfo("Europe/London")


class StaleDraft(DomainError):
    """Someone else saved the draft after this page was loaded; nothing was written."""


def claim_draft(
    session: Session,
    version: JobDescriptionVersion,
    loaded_stamp: int | None = None,
    user: User | None = None,
) -> None:
    """Increment the draft's edit stamp, before changing its content in the same transaction.

    Compare and increment in one statement: of two saves loaded at the same stamp, the database
    lets exactly one through (the other waits for the row, then matches nothing); a draft
    approved meanwhile matches nothing either. `loaded_stamp=None` (Compose adding one clause)
    only requires the version to be a draft still. Raises StaleDraft or Forbidden, writing
    nothing.
    """
    conditions = [JobDescriptionVersion.id == version.id, JobDescriptionVersion.status == "draft"]
    if loaded_stamp is not None:
        conditions.append(JobDescriptionVersion.edit_stamp == loaded_stamp)
    values: dict = {"edit_stamp": JobDescriptionVersion.edit_stamp + 1, "edited_at": utcnow()}
    if user is not None or loaded_stamp is not None:
        values["edited_by_id"] = user.id if user else None
    if not claim(session, update(JobDescriptionVersion).where(*conditions).values(**values)):
        session.refresh(version)
        if version.status != "draft":
            raise Forbidden(
                f"Version {version.number} of “{version.title}” is approved and cannot change. "
                "Nothing was saved. Start a new version to edit it."
            )
        raise StaleDraft(stale_message(version, user))
    session.refresh(version, ["edit_stamp", "edited_at", "edited_by_id"])


def stale_message(version: JobDescriptionVersion, user: User | None = None) -> str:
    when = ""
    if version.edited_at is not None:
        local = version.edited_at.replace(tzinfo=UTC).astimezone(SCHOOL_TIME)
        when = f" at {local:%H:%M}"
    if user is not None and version.edited_by_id == user.id:
        return (
            f"You already saved this draft{when} (the form may have been sent twice, or the "
            "draft is open in another tab). This copy was not saved: reload to see the draft "
            "as saved."
        )
    return (
        f"Someone else saved this draft{when} while you were editing. Your changes were not "
        "saved: reload to see theirs, then make your changes again."
    )
