"""The draft editor's one big form: indexed field names <-> the `show --json` shape.

The editor works without JavaScript: every part of the document is a field named by its place
(`sections-1-duties-3`, `categories-0-criteria-2-priority`); the add, delete and move buttons
submit the whole form with an `action` (`up-duty-1-3`), and the page comes back with the change
applied and nothing saved yet. This is not a WTForms form: nested lists that grow and shrink
between submits are what WTForms' FieldList handles worst, and the checking that matters is
`document_content.parse_content`, shared with `jdtool edit`, whose problems name these fields.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from ..document_content import HEADER_TEXT_FIELDS

#: Most rows of one kind the editor takes (the longest real JD has about 150 paragraphs).
MAX_ROWS = 500
NUMBER_FIELDS = ("hours_per_week", "weeks_per_year", "inset_days", "contract_end")
SALARY_FIELDS = ("min", "max", "basis", "text")
#: Header fields chosen from the organisations on record (or typed as a new one).
RECORD_FIELDS = ("organisation", "school")
NEW_RECORD = "__new__"


def content_from_form(form: MultiDict) -> dict[str, Any]:
    """The document as the form describes it, texts as typed (checked later, on save)."""
    content: dict[str, Any] = {name: form.get(name, "") for name in HEADER_TEXT_FIELDS}
    for name in RECORD_FIELDS:
        # A record chosen from the list wins; "new" (or no list) means the name typed.
        chosen = form.get(f"{name}_record")
        if chosen is not None and chosen != NEW_RECORD:
            content[name] = chosen
    content["salary"] = {part: form.get(f"salary_{part}", "") for part in SALARY_FIELDS}
    content.update({name: form.get(name, "") for name in NUMBER_FIELDS})
    content["sections"] = [
        {
            "heading": form.get(f"sections-{index}-heading", ""),
            "duties": [
                form.get(f"sections-{index}-duties-{position}", "")
                for position in _indexes(form, rf"sections-{index}-duties-(\d+)")
            ],
        }
        for index in _indexes(form, r"sections-(\d+)-heading")
    ]
    content["statements"] = _texts(form, "statements")
    content["signatories"] = _texts(form, "signatories")
    content["extra_sections"] = [
        {
            "heading": form.get(f"extra_sections-{index}-heading", ""),
            "paragraphs": _paragraphs(form.get(f"extra_sections-{index}-body", "")),
        }
        for index in _indexes(form, r"extra_sections-(\d+)-heading")
    ]
    names = {
        index: form.get(f"categories-{index}-name", "")
        for index in _indexes(form, r"categories-(\d+)-name")
    }
    categories = []
    for index, name in names.items():
        parent = form.get(f"categories-{index}-parent", "")
        parent_index = int(parent) if parent.isdigit() and len(parent) < 6 else index
        categories.append(
            {
                "name": name,
                "parent": names.get(parent_index) if parent_index < index else None,
                "criteria": [
                    {
                        "text": form.get(f"categories-{index}-criteria-{position}-text", ""),
                        "priority": form.get(
                            f"categories-{index}-criteria-{position}-priority", "unknown"
                        ),
                        "methods": form.getlist(f"categories-{index}-criteria-{position}-methods"),
                    }
                    for position in _indexes(form, rf"categories-{index}-criteria-(\d+)-text")
                ],
            }
        )
    has_spec = form.get("has_person_spec") == "1" or bool(categories)
    content["person_spec"] = {"categories": categories} if has_spec else None
    return content


def without_blank_rows(content: dict[str, Any]) -> dict[str, Any]:
    """What saving means for rows left empty: a duty, criterion, statement or signatory with no
    text is removed, as is a section or category with no name and nothing in it."""
    content = dict(content)
    content["sections"] = [
        {**section, "duties": [duty for duty in section["duties"] if duty.strip()]}
        for section in content["sections"]
        if section["heading"].strip() or any(duty.strip() for duty in section["duties"])
    ]
    content["statements"] = [text for text in content["statements"] if text.strip()]
    content["signatories"] = [text for text in content["signatories"] if text.strip()]
    content["extra_sections"] = [
        extra
        for extra in content["extra_sections"]
        if extra["heading"].strip() or extra["paragraphs"]
    ]
    if content["person_spec"] is not None:
        content["person_spec"] = {
            "categories": [
                {
                    **category,
                    "criteria": [c for c in category["criteria"] if c["text"].strip()],
                }
                for category in content["person_spec"]["categories"]
                if category["name"].strip() or any(c["text"].strip() for c in category["criteria"])
            ]
        }
    return content


def focus_after(action: str, content: dict[str, Any]) -> str | None:
    """The field to put the keyboard focus on after an add or move, so the page opens where the
    user was working: the new row, or the row that moved."""
    match = re.match(r"^(add|up|down)-([a-z]+)((?:-\d+)*)$", action)
    if match is None:
        return None
    verb, kind = match[1], match[2]
    indexes = [int(part) for part in match[3].split("-") if part]
    lists = {
        "section": ("sections", "heading"),
        "extra": ("extra_sections", "heading"),
        "category": ("categories", "name"),
        "statement": ("statements", None),
        "signatory": ("signatories", None),
    }
    categories = (content.get("person_spec") or {}).get("categories") or []
    if kind in lists:
        name, part = lists[kind]
        items = categories if kind == "category" else content.get(name, [])
        index = len(items) - 1 if verb == "add" else _moved(indexes[0], verb, len(items))
        return f"{name}-{index}-{part}" if part else f"{name}-{index}"
    if kind not in ("duty", "criterion") or not indexes:
        return None
    groups, child, prefix = (
        (content["sections"], "duties", "sections")
        if kind == "duty"
        else (categories, "criteria", "categories")
    )
    suffix = "" if kind == "duty" else "-text"
    if verb == "add":
        group = indexes[0]
        return f"{prefix}-{group}-{child}-{len(groups[group][child]) - 1}{suffix}"
    if len(indexes) < 2:
        return None
    group, position = indexes[0], indexes[1]
    if verb == "up":
        if position == 0 and group > 0:
            group, position = group - 1, len(groups[group - 1][child]) - 1
        else:
            position = max(position - 1, 0)
    elif position >= len(groups[group][child]) and group + 1 < len(groups):
        group, position = group + 1, 0  # the last one moved down into the next group
    else:
        position = min(position + 1, len(groups[group][child]) - 1)
    return f"{prefix}-{group}-{child}-{position}{suffix}"


def _moved(index: int, verb: str, length: int) -> int:
    return max(0, min(length - 1, index - 1 if verb == "up" else index + 1))


def _indexes(form: MultiDict, pattern: str) -> list[int]:
    """The row indexes the form sent for one kind of row, in order (a browser sends 0, 1, 2…;
    a crafted `sections-99999999-heading` is one row, not a hundred million)."""
    expression = re.compile(f"^{pattern}$")
    found = {int(match[1]) for key in form if (match := expression.match(key))}
    return sorted(found)[:MAX_ROWS]


def _texts(form: MultiDict, name: str) -> list[str]:
    return [form.get(f"{name}-{index}", "") for index in _indexes(form, rf"{name}-(\d+)")]


def _paragraphs(body: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", body.replace("\r", "")) if part.strip()]
