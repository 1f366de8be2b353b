"""A draft's whole content in the `jdtool show --json` shape: check it and turn it into a
JobDocument, and the structural edits of the web editor (add, delete, move) on that shape.

Pure: no Flask, no SQLAlchemy. Every problem is reported with the name of the form field it
concerns (`sections-0-duties-2`, `categories-1-criteria-0-priority`), so the web editor can show
it beside the field and the command line can print the first one.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .document import (
    METHOD_CODES,
    Category,
    Criterion,
    DutySection,
    ExtraSection,
    JobDocument,
    PersonSpec,
    Salary,
)
from .errors import DomainError

#: Keys `show --json` prints that an edit cannot change (the edit stamp is read separately, as
#: the stamp the edited copy was taken at; needs_review is read separately, as an acceptance).
READ_ONLY_KEYS = frozenset(
    {"id", "version", "status", "content_hash", "warnings", "findings", "edit_stamp",
     "needs_review"}
)  # fmt: skip
#: Keys whose values make up the document.
CONTENT_KEYS = frozenset(JobDocument().to_dict())
SALARY_BASES = ("fte", "actual", "hourly")
PRIORITY_VALUES = ("essential", "desirable")

#: Longest texts the database columns hold (jdtool.models.documents), by field.
MAX_LENGTHS = {
    "title": 300, "organisation": 300, "school": 300, "location": 300, "grade": 200,
    "salary_text": 500, "contract": 500, "reports_to": 300, "department": 200, "section": 200,
    "job_number": 100, "date": 100,
}  # fmt: skip
HEADER_TEXT_FIELDS = (
    "title", "organisation", "school", "location", "grade", "contract", "reports_to",
    "key_relationships", "department", "section", "job_number", "date", "purpose",
)  # fmt: skip
HEADER_LABELS = {
    "title": "Job title", "organisation": "Organisation or trust", "school": "School",
    "location": "Location", "grade": "Grade", "contract": "Contract",
    "reports_to": "Reports to", "key_relationships": "Key relationships",
    "department": "Department", "section": "Section", "job_number": "Job number",
    "date": "Document date", "purpose": "Job purpose", "salary_min": "Lowest salary",
    "salary_max": "Highest salary", "salary_basis": "Salary basis",
    "salary_text": "Salary as written",
    "hours_per_week": "Hours per week", "weeks_per_year": "Weeks per year",
    "inset_days": "INSET days", "contract_end": "Contract end date",
}  # fmt: skip


@dataclass(frozen=True)
class ContentProblem:
    #: The form field the problem is about (`title`, `sections-0-duties-2`…).
    field: str
    message: str


class InvalidContent(DomainError):
    """The edited content cannot be saved; `problems` lists each one with its field."""

    def __init__(self, problems: Iterable[ContentProblem]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems[0].message if self.problems else "The content is invalid.")


def parse_content(data: Any, method_codes: Iterable[str] = METHOD_CODES) -> JobDocument:
    """Check an edited `show --json` document and return it as a JobDocument.

    Read-only keys are ignored; a missing key keeps no value (as `null`/`[]`). Raises
    InvalidContent listing every problem (unknown keys, wrong types, bad codes, empty texts).
    """
    reader = _Reader(tuple(method_codes))
    document = reader.document(data)
    if reader.problems:
        raise InvalidContent(reader.problems)
    return document


class _Reader:
    def __init__(self, method_codes: tuple[str, ...]) -> None:
        self.method_codes = method_codes
        self.problems: list[ContentProblem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(ContentProblem(field, message))

    def unknown_keys(self, value: dict, allowed: Iterable[str], where: str, field: str) -> None:
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            names = ", ".join(f"“{key}”" for key in unknown)
            self.problem(field, f"Unknown key {names} in {where}: it is not part of a document.")

    def text(self, value: Any, field: str, label: str, *, required: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(field, f"{label}: enter the text.")
            return None
        if not isinstance(value, str):
            self.problem(field, f"{label}: expected text, not {type(value).__name__}.")
            return None
        value = value.strip()
        limit = MAX_LENGTHS.get(field)
        if limit and len(value) > limit:
            self.problem(field, f"{label}: at most {limit} characters ({len(value)} given).")
        return value

    def number(self, value: Any, field: str, label: str, maximum: float) -> float | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, str):
            cleaned = value.strip().replace(",", "").removeprefix("£")
            try:
                value = float(cleaned)
            except ValueError:
                self.problem(field, f"{label}: enter a number, like 25583 or 31.5.")
                return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            self.problem(field, f"{label}: enter a number, like 25583 or 31.5.")
            return None
        if not 0 <= value <= maximum:
            self.problem(field, f"{label}: enter a number from 0 to {maximum:g}.")
            return None
        return float(value)

    def items(self, value: Any, field: str, label: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(field, f"{label}: expected a list.")
            return []
        return value

    def document(self, data: Any) -> JobDocument:
        if not isinstance(data, dict):
            self.problem(
                "title", "The document must be a JSON object, as `jdtool show --json` prints."
            )
            return JobDocument()
        self.unknown_keys(data, CONTENT_KEYS | READ_ONLY_KEYS, "the document", "title")
        document = JobDocument()
        for name in HEADER_TEXT_FIELDS:
            setattr(
                document,
                name,
                self.text(data.get(name), name, HEADER_LABELS[name], required=name == "title"),
            )
        document.salary = self.salary(data.get("salary"))
        document.hours_per_week = self.number(
            data.get("hours_per_week"), "hours_per_week", "Hours per week", 168
        )
        document.weeks_per_year = self.number(
            data.get("weeks_per_year"), "weeks_per_year", "Weeks per year", 52.143
        )
        inset = self.number(data.get("inset_days"), "inset_days", "INSET days", 366)
        if inset is not None and inset != int(inset):
            self.problem("inset_days", "INSET days: enter a whole number of days.")
        document.inset_days = int(inset) if inset is not None else None
        document.contract_end = self.date(data.get("contract_end"))
        document.sections = self.sections(data.get("sections"))
        document.statements = self.texts(data.get("statements"), "statements", "Statement")
        document.signatories = self.texts(data.get("signatories"), "signatories", "Signatory")
        for index, role in enumerate(document.signatories):
            if len(role) > 200:
                self.problem(
                    f"signatories-{index}", f"Signatory {index + 1}: at most 200 characters."
                )
        document.extra_sections = self.extra_sections(data.get("extra_sections"))
        document.person_spec = self.person_spec(data.get("person_spec"))
        return document

    def salary(self, value: Any) -> Salary:
        if value is None:
            return Salary()
        if not isinstance(value, dict):
            self.problem("salary_min", "Salary: expected an object with min, max, basis and text.")
            return Salary()
        self.unknown_keys(value, ("min", "max", "basis", "text"), "the salary", "salary_min")
        salary = Salary(
            min=self.number(value.get("min"), "salary_min", "Lowest salary", 1_000_000),
            max=self.number(value.get("max"), "salary_max", "Highest salary", 1_000_000),
            basis=value.get("basis") or None,
            text=self.text(value.get("text"), "salary_text", "Salary as written"),
        )
        if salary.basis is not None and salary.basis not in SALARY_BASES:
            self.problem(
                "salary_basis",
                f"Salary basis “{salary.basis}” is not one of fte, actual, hourly.",
            )
        if salary.min is not None and salary.max is not None and salary.min > salary.max:
            self.problem("salary_max", "Highest salary: must not be less than the lowest.")
        return salary

    def date(self, value: Any) -> str | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            self.problem("contract_end", "Contract end date: enter a date as YYYY-MM-DD.")
            return None

    def texts(self, value: Any, field: str, label: str) -> list[str]:
        texts = []
        for index, item in enumerate(self.items(value, field, f"{label}s")):
            text = self.text(item, f"{field}-{index}", f"{label} {index + 1}", required=True)
            if text is not None:
                texts.append(text)
        return texts

    def sections(self, value: Any) -> list[DutySection]:
        sections = []
        for index, item in enumerate(self.items(value, "sections-0-heading", "Duty sections")):
            field = f"sections-{index}"
            if not isinstance(item, dict):
                self.problem(f"{field}-heading", f"Duty section {index + 1}: expected an object.")
                continue
            self.unknown_keys(
                item, ("heading", "duties"), f"duty section {index + 1}", f"{field}-heading"
            )
            heading = self.text(
                item.get("heading"), f"{field}-heading", f"Duty section {index + 1} heading",
                required=True,
            )  # fmt: skip
            duties = []
            for position, duty in enumerate(self.items(item.get("duties"), field, "Duties")):
                text = self.text(
                    duty, f"{field}-duties-{position}",
                    f"Duty {position + 1} in “{heading or index + 1}”", required=True,
                )  # fmt: skip
                if text is not None:
                    duties.append(text)
            sections.append(DutySection(heading or "", duties))
        return sections

    def extra_sections(self, value: Any) -> list[ExtraSection]:
        extras = []
        for index, item in enumerate(self.items(value, "extra_sections", "Extra sections")):
            field = f"extra_sections-{index}"
            if not isinstance(item, dict):
                self.problem(f"{field}-heading", f"Extra section {index + 1}: expected an object.")
                continue
            self.unknown_keys(
                item, ("heading", "paragraphs"), f"extra section {index + 1}", f"{field}-heading"
            )
            heading = self.text(
                item.get("heading"), f"{field}-heading", f"Extra section {index + 1} heading",
                required=True,
            )  # fmt: skip
            paragraphs = [
                paragraph.strip()
                for paragraph in self.items(item.get("paragraphs"), f"{field}-body", "Paragraphs")
                if isinstance(paragraph, str) and paragraph.strip()
            ]
            extras.append(ExtraSection(heading or "", paragraphs))
        return extras

    def person_spec(self, value: Any) -> PersonSpec | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem("categories", "Person specification: expected an object or null.")
            return None
        self.unknown_keys(value, ("categories",), "the person specification", "categories")
        spec = PersonSpec()
        names: set[str] = set()
        for index, item in enumerate(
            self.items(value.get("categories"), "categories", "Categories")
        ):
            field = f"categories-{index}"
            if not isinstance(item, dict):
                self.problem(f"{field}-name", f"Category {index + 1}: expected an object.")
                continue
            self.unknown_keys(
                item, ("name", "parent", "criteria"), f"category {index + 1}", f"{field}-name"
            )
            name = self.text(
                item.get("name"), f"{field}-name", f"Category {index + 1} name", required=True
            )
            parent = self.text(item.get("parent"), f"{field}-parent", f"Category {index + 1} group")
            if parent is not None and parent not in names:
                self.problem(
                    f"{field}-parent",
                    f"Category “{name}”: its group “{parent}” must be a category above it.",
                )
            category = Category(name or "", parent)
            for position, criterion in enumerate(
                self.items(item.get("criteria"), f"{field}-name", "Criteria")
            ):
                parsed = self.criterion(criterion, f"{field}-criteria-{position}", name, position)
                if parsed is not None:
                    category.criteria.append(parsed)
            spec.categories.append(category)
            names.add(name or "")
        return spec

    def criterion(
        self, value: Any, field: str, category: str | None, position: int
    ) -> Criterion | None:
        where = f"Criterion {position + 1} in “{category}”"
        if not isinstance(value, dict):
            self.problem(f"{field}-text", f"{where}: expected an object.")
            return None
        self.unknown_keys(value, ("text", "priority", "methods"), where.lower(), f"{field}-text")
        text = self.text(value.get("text"), f"{field}-text", where, required=True)
        priority = value.get("priority")
        if priority in ("", "unknown"):
            priority = None
        if priority is not None and priority not in PRIORITY_VALUES:
            self.problem(
                f"{field}-priority",
                f"{where}: priority “{priority}” is not essential, desirable or null (unknown).",
            )
            priority = None
        methods = []
        for code in self.items(value.get("methods"), f"{field}-methods", f"{where} methods"):
            if code not in self.method_codes:
                self.problem(
                    f"{field}-methods",
                    f"{where}: “{code}” is not an assessment method "
                    f"(use {', '.join(self.method_codes)}).",
                )
            elif code not in methods:
                methods.append(code)
        methods.sort(key=self.method_codes.index)
        return Criterion(text or "", priority, methods) if text is not None else None


# -- structural edits of the web editor ---------------------------------------------------------

#: A structural action: verb, what, then the indexes of the item (`up-duty-1-3`).
_ACTION = re.compile(
    r"^(?P<verb>add|delete|up|down)-(?P<kind>section|duty|statement|extra|signatory|category|"
    r"criterion)(?P<indexes>(?:-\d{1,4}){0,2})$"
)


def apply_action(content: dict[str, Any], action: str) -> dict[str, Any]:
    """The content with one editor action applied: `add-duty-0` (a new empty duty at the end of
    section 0), `delete-criterion-1-2`, `up-section-2`, `down-duty-0-4`…

    Moving the first duty of a section up puts it at the end of the section above; moving the
    last one down puts it first in the section below (criteria likewise between categories).
    An action that does not fit the content (an old page) changes nothing.
    """
    match = _ACTION.match(action)
    content = copy.deepcopy(content)
    if match is None:
        return content
    verb, kind = match["verb"], match["kind"]
    indexes = [int(part) for part in match["indexes"].split("-") if part]
    categories = (content.get("person_spec") or {}).get("categories") or []
    lists = {
        "section": (content.setdefault("sections", []), {"heading": "", "duties": [""]}),
        "statement": (content.setdefault("statements", []), ""),
        "extra": (content.setdefault("extra_sections", []), {"heading": "", "paragraphs": []}),
        "signatory": (content.setdefault("signatories", []), ""),
        "category": (categories, {"name": "", "parent": None, "criteria": []}),
    }
    if kind in lists:
        items, blank = lists[kind]
        if verb == "add":
            if kind == "category":
                if content.get("person_spec") is None:
                    content["person_spec"] = {"categories": categories}
                content["person_spec"]["categories"] = categories
            items.append(copy.deepcopy(blank))
        elif indexes and indexes[0] < len(items):
            if kind == "category" and verb == "delete":
                removed = items[indexes[0]]["name"]
                for category in items:
                    if category.get("parent") == removed:
                        category["parent"] = None
            _move_or_delete(items, indexes[0], verb)
        return content
    groups, child = (content["sections"], "duties") if kind == "duty" else (categories, "criteria")
    blank_child: Any = "" if kind == "duty" else {"text": "", "priority": None, "methods": []}
    if not indexes or indexes[0] >= len(groups):
        return content
    group = indexes[0]
    children = groups[group].setdefault(child, [])
    if verb == "add":
        children.append(blank_child)
        return content
    if len(indexes) < 2 or indexes[1] >= len(children):
        return content
    position = indexes[1]
    if verb == "up" and position == 0 and group > 0:
        groups[group - 1].setdefault(child, []).append(children.pop(0))
    elif verb == "down" and position == len(children) - 1 and group + 1 < len(groups):
        groups[group + 1].setdefault(child, []).insert(0, children.pop())
    else:
        _move_or_delete(children, position, verb)
    return content


def _move_or_delete(items: list, index: int, verb: str) -> None:
    if verb == "delete":
        del items[index]
    elif verb == "up" and index > 0:
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and index + 1 < len(items):
        items[index + 1], items[index] = items[index], items[index + 1]
