"""Change what Compose and the checks page show of a draft: remove or move one duty or criterion,
remove a duplicate, keep both lines of a duplicate pair.

Every change to the draft's content goes through `edit_draft`, on the edit stamp the page was
loaded at: a page older than the draft is refused with the editor's "Someone else saved…" (or
"You already saved…" when the same form is sent twice), and the change is logged as an edit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..document_content import apply_action
from ..errors import DomainError
from ..models import JobDescriptionVersion, KeptDuplicate, User
from .audit import record_event
from .checks import DocumentDuplicate, version_duplicates
from .documents import version_dict
from .draft_stamp import StaleDraft, stale_message
from .drafts import edit_draft, editable_draft
from .locking import lock_row

#: The lines Compose can change, and where `show --json` keeps them: groups, then lines.
LINE_KINDS = ("duty", "criterion")
MOVES = ("up", "down")


def remove_line(
    session: Session,
    job_description_id: int,
    kind: str,
    position: int,
    loaded_stamp: int,
    user: User | None = None,
) -> str:
    """Remove the duty or criterion at 1-based `position` (counted across sections or
    categories) from the draft loaded at `loaded_stamp`; returns its text.

    A section or category left empty goes too (unless it holds a sub-group).
    """
    return _change_line(session, job_description_id, kind, position, "delete", loaded_stamp, user)


def move_line(
    session: Session,
    job_description_id: int,
    kind: str,
    position: int,
    direction: str,
    loaded_stamp: int,
    user: User | None = None,
) -> str:
    """Move the duty or criterion at `position` one place up or down; the first of a section
    moves up to the end of the section above, the last down to the start of the one below.
    Returns its text."""
    if direction not in MOVES:
        raise DomainError("A line can only move up or down.")
    return _change_line(session, job_description_id, kind, position, direction, loaded_stamp, user)


def _change_line(
    session: Session,
    job_description_id: int,
    kind: str,
    position: int,
    verb: str,
    loaded_stamp: int,
    user: User | None,
) -> str:
    if kind not in LINE_KINDS:
        raise DomainError("Only duties and criteria can be removed or moved here.")
    version = editable_draft(session, job_description_id)
    if version.edit_stamp != loaded_stamp:
        # Positions on an older page may name other lines now: refuse before looking them up.
        raise StaleDraft(stale_message(version, user))
    content = version_dict(version)
    groups = _groups(content, kind)
    found = _locate(groups, kind, position)
    if found is None:
        raise StaleDraft(stale_message(version, user))
    group, index = found
    line = _lines(groups[group], kind)[index]
    text = line if kind == "duty" else line["text"]
    last = len(groups) - 1
    if (verb == "up" and (group, index) == (0, 0)) or (
        verb == "down" and group == last and index == len(_lines(groups[group], kind)) - 1
    ):
        where = "first" if verb == "up" else "last"
        raise DomainError(f"This {kind} is already the {where} in the document.")
    changed = apply_action(content, f"{verb}-{kind}-{group}-{index}")
    _drop_empty_groups(changed, kind)
    edit_draft(session, job_description_id, changed, loaded_stamp, user)
    return text


def _groups(content: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind == "duty":
        return content["sections"]
    return (content.get("person_spec") or {}).get("categories") or []


def _lines(group: dict[str, Any], kind: str) -> list[Any]:
    return group["duties"] if kind == "duty" else group["criteria"]


def _locate(groups: list[dict[str, Any]], kind: str, position: int) -> tuple[int, int] | None:
    """(group, index) of the 1-based document position, or None past the end."""
    if position < 1:
        return None
    remaining = position - 1
    for group_index, group in enumerate(groups):
        lines = _lines(group, kind)
        if remaining < len(lines):
            return group_index, remaining
        remaining -= len(lines)
    return None


def _drop_empty_groups(content: dict[str, Any], kind: str) -> None:
    """Remove the duty sections, or the categories, that have no line left (a category that
    is the group of another stays)."""
    if kind == "duty":
        content["sections"] = [s for s in content["sections"] if s["duties"]]
        return
    categories = _groups(content, kind)
    parents = {category.get("parent") for category in categories}
    content["person_spec"]["categories"] = [
        category for category in categories if category["criteria"] or category["name"] in parents
    ]


def remove_duplicate(
    session: Session,
    job_description_id: int,
    kind: str,
    position_a: int,
    position_b: int,
    loaded_stamp: int,
    user: User | None = None,
) -> str:
    """Remove the repeat (the second line) of the duplicate pair the checks page showed at
    `loaded_stamp`; returns its text."""
    _shown_pair(session, job_description_id, kind, position_a, position_b, loaded_stamp, user)
    return remove_line(session, job_description_id, kind, position_b, loaded_stamp, user)


def keep_both(
    session: Session,
    job_description_id: int,
    kind: str,
    position_a: int,
    position_b: int,
    loaded_stamp: int,
    user: User | None = None,
) -> KeptDuplicate:
    """Record that the pair was reviewed and both lines stay: the checks stop flagging it for
    this draft (until either text changes). Logged; sending it twice keeps one record.

    The draft's content does not change, so its edit stamp does not either."""
    version, duplicate = _shown_pair(
        session, job_description_id, kind, position_a, position_b, loaded_stamp, user
    )
    kind, first, second = duplicate.pair_key
    # A second request for the same pair waits here, then finds the first one's record.
    lock_row(session, JobDescriptionVersion, version.id)
    kept = session.scalar(
        select(KeptDuplicate).where(
            KeptDuplicate.version_id == version.id,
            KeptDuplicate.kind == kind,
            KeptDuplicate.first_key_hash == first,
            KeptDuplicate.second_key_hash == second,
        )
    )
    if kept is not None:
        return kept
    kept = KeptDuplicate(
        version_id=version.id,
        kind=kind,
        first_key_hash=first,
        second_key_hash=second,
        kept_by_id=user.id if user else None,
    )
    session.add(kept)
    record_event(
        session,
        "duplicate-kept",
        f"job description {job_description_id} version {version.number}",
        f"kept both {kind} {position_a} “{duplicate.text_a}” and {kind} {position_b} "
        f"“{duplicate.text_b}”",
        actor=user,
    )
    session.flush()
    return kept


def _shown_pair(
    session: Session,
    job_description_id: int,
    kind: str,
    position_a: int,
    position_b: int,
    loaded_stamp: int,
    user: User | None,
) -> tuple[JobDescriptionVersion, DocumentDuplicate]:
    """The draft and the duplicate pair at these positions, as a page loaded at `loaded_stamp`
    showed them (StaleDraft when the draft has changed since)."""
    version = editable_draft(session, job_description_id)
    if version.edit_stamp != loaded_stamp:
        raise StaleDraft(stale_message(version, user))
    if kind not in LINE_KINDS:
        raise DomainError("Only duplicated duties and criteria can be dealt with here.")
    shown = [
        pair
        for pair in version_duplicates(version)
        if (pair.kind, pair.position_a, pair.position_b) == (kind, position_a, position_b)
    ]
    if not shown:
        raise DomainError(
            f"{kind.capitalize()} {position_a} and {position_b} do not repeat each other: "
            "reload the checks."
        )
    return version, shown[0]
