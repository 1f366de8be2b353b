"""The job description and person specification as a Word document, and its signed copy.

Built from the typed document model of an approved version (`jdtool.document.JobDocument`)
and its record (version number, content hash), so this module needs neither the database nor
the web app.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from ..document import JobDocument, PersonSpec, Salary
from .styles import (
    CATEGORY_FILL,
    HEADER_FILL,
    add_heading,
    add_logo,
    add_paragraph,
    add_table,
    keep_row_on_one_page,
    new_document,
    repeat_as_header,
    set_column_widths,
    set_footer,
    set_properties,
    shade,
    write_cell,
)

#: The letters person specifications use for each assessment method (DOMAIN.md).
METHOD_LETTERS = {
    "application": "A",
    "interview": "I",
    "references": "R",
    "task": "T",
    "observation": "O",
    "certificates": "C",
}
PRIORITY_LETTERS = {"essential": "E", "desirable": "D"}
TICK = "✓"
#: Roles that sign when the job description names none.
DEFAULT_SIGNATURE_ROLES = ("Employee", "Headteacher")
#: Roles whose printed name is the postholder's.
POSTHOLDER_ROLES = ("employee", "job holder", "jobholder", "postholder", "post holder")
PAGE_WIDTH = 17.0  # cm between the margins
DUTIES_HEADING = "Duties and responsibilities"


@dataclass(frozen=True)
class AssessmentMethodColumn:
    code: str
    label: str

    @property
    def letter(self) -> str:
        return METHOD_LETTERS.get(self.code, self.label[:1].upper())


@dataclass(frozen=True)
class VersionRecord:
    """What the document itself does not hold: which approved version it is."""

    number: int
    content_hash: str | None


@dataclass(frozen=True)
class SignedFor:
    """Who a signed copy is for, and when it was produced."""

    postholder: str
    produced_on: date


def build_job_description(
    content: JobDocument,
    record: VersionRecord,
    methods: list[AssessmentMethodColumn],
    *,
    dated: date,
    signed_for: SignedFor | None = None,
    logo: bytes | None = None,
) -> Document:
    """The JD and person spec of one approved version; with `signed_for`, its signed copy."""
    document = new_document()
    if logo:
        add_logo(document, logo)
    _add_title(document, content, signed_for)
    _add_header_fields(document, content, signed_for)
    if content.purpose:
        add_heading(document, "Job purpose", level=1)
        for paragraph in content.purpose.splitlines():
            if paragraph.strip():
                add_paragraph(document, paragraph.strip())
    if content.sections:
        # Many JDs head their first duty section "Duties and responsibilities" themselves.
        if content.sections[0].heading.strip().lower() != DUTIES_HEADING.lower():
            add_heading(document, DUTIES_HEADING, level=1)
        for section in content.sections:
            add_heading(document, section.heading, level=2)
            for duty in section.duties:
                add_paragraph(document, duty, "List Number")
    if content.statements:
        add_heading(document, "Statements", level=1)
        for statement in content.statements:
            add_paragraph(document, statement)
    for extra in content.extra_sections:
        add_heading(document, extra.heading, level=1)
        for paragraph in extra.paragraphs:
            add_paragraph(document, paragraph)
    if content.person_spec and content.person_spec.categories:
        _add_person_spec(document, content.person_spec, methods)
    if signed_for is not None:
        _add_signature_block(document, content, record, signed_for)
    set_footer(document, _footer_text(content, record, dated, signed_for))
    set_properties(
        document,
        title=content.title or "",
        author=content.organisation or content.school,
        subject=(
            f"Signed copy for {signed_for.postholder}"
            if signed_for is not None
            else "Job description and person specification"
        ),
        created=dated,
    )
    return document


def signature_roles(content: JobDocument) -> list[str]:
    return list(content.signatories) or list(DEFAULT_SIGNATURE_ROLES)


def _add_title(document: Document, content: JobDocument, signed_for: SignedFor | None) -> None:
    employer = " · ".join(name for name in (content.organisation, content.school) if name)
    if employer:
        add_paragraph(document, employer, "Organisation")
    add_heading(document, content.title or "", level=0)
    subtitle = "Job description and person specification"
    if signed_for is not None:
        subtitle = f"Signed copy for {signed_for.postholder}"
    add_paragraph(document, subtitle, "Subtitle")


def _header_fields(content: JobDocument) -> list[tuple[str, str]]:
    salary = content.salary
    weeks = content.weeks_per_year
    working_year = None
    if weeks is not None:
        working_year = f"{weeks:g}"
        if content.inset_days:
            working_year += f" + {content.inset_days} INSET days"
    contract = content.contract
    if content.contract_end and not contract:
        contract = f"Ends {date.fromisoformat(content.contract_end):%d %B %Y}"
    hours = content.hours_per_week
    fields = [
        ("Job title", content.title),
        ("Organisation", content.organisation),
        ("School", content.school),
        ("Location", content.location),
        ("Grade", content.grade),
        ("Salary", salary.text or _salary_figures(salary)),
        ("Hours per week", f"{hours:g}" if hours else None),
        ("Weeks per year", working_year),
        ("Contract", contract),
        ("Reports to", content.reports_to),
        ("Key relationships", content.key_relationships),
        ("Department", content.department),
        ("Section", content.section),
        ("Job number", content.job_number),
        ("Date", content.date),
    ]
    return [(label, value) for label, value in fields if value]


def _salary_figures(salary: Salary) -> str | None:
    if salary.min is None:
        return None
    text = f"£{salary.min:,.0f}"
    if salary.max is not None and salary.max != salary.min:
        text += f" – £{salary.max:,.0f}"
    return text + (" (full-time equivalent)" if salary.basis == "fte" else "")


def _add_header_fields(
    document: Document, content: JobDocument, signed_for: SignedFor | None
) -> None:
    fields = _header_fields(content)
    if signed_for is not None:
        fields.insert(1, ("Postholder", signed_for.postholder))
    table = add_table(document, len(fields), 2)
    for row, (label, value) in zip(table.rows, fields, strict=True):
        write_cell(row.cells[0], label, "Table Heading")
        shade(row.cells[0], CATEGORY_FILL)
        write_cell(row.cells[1], value)
        keep_row_on_one_page(row)
    set_column_widths(table, [Cm(4.5), Cm(PAGE_WIDTH - 4.5)])


def _add_person_spec(
    document: Document, person_spec: PersonSpec, methods: list[AssessmentMethodColumn]
) -> None:
    # The person spec starts on its own page: panels print it separately.
    add_heading(document, "Person specification", level=1).paragraph_format.page_break_before = True
    criteria = person_spec.criteria()
    # An E/D column nobody filled in (no priority given anywhere) is left out with its key.
    priorities = any(c.priority in PRIORITY_LETTERS for c in criteria)
    headings = ["Criterion", *(["E/D"] if priorities else []), *(m.letter for m in methods)]
    table = add_table(document, 1, len(headings))
    header = table.rows[0]
    for cell, text in zip(header.cells, headings, strict=True):
        paragraph = write_cell(cell, text, "Table Heading")
        if text != "Criterion":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, HEADER_FILL)
    repeat_as_header(header)
    keep_row_on_one_page(header)
    for category in person_spec.categories:
        row = table.add_row()
        keep_row_on_one_page(row)
        merged = row.cells[0].merge(row.cells[-1])
        write_cell(merged, category.name, "Table Heading")
        merged.paragraphs[0].paragraph_format.keep_with_next = True
        shade(merged, CATEGORY_FILL)
        for criterion in category.criteria:
            row = table.add_row()
            keep_row_on_one_page(row)
            write_cell(row.cells[0], criterion.text)
            mark_cells = row.cells[1:]
            if priorities:
                # A priority nobody resolved is left blank: the school's document never says
                # what the imported file did not.
                letter = PRIORITY_LETTERS.get(criterion.priority or "", "")
                write_cell(row.cells[1], letter).alignment = WD_ALIGN_PARAGRAPH.CENTER
                mark_cells = row.cells[2:]
            for cell, method in zip(mark_cells, methods, strict=True):
                mark = TICK if method.code in criterion.methods else ""
                write_cell(cell, mark).alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark_width = 1.0
    priority_width = [Cm(1.3)] if priorities else []
    set_column_widths(
        table,
        [Cm(PAGE_WIDTH - 1.3 * priorities - mark_width * len(methods)), *priority_width]
        + [Cm(mark_width)] * len(methods),
    )
    keys = []
    if priorities:
        keys.append("Key: E = Essential, D = Desirable.")
    if methods:
        legend = ", ".join(f"{method.letter} = {method.label}" for method in methods)
        keys.append(f"Assessed by: {legend}. {TICK} = assessed this way.")
    for position, key in enumerate(keys):
        paragraph = add_paragraph(document, key, "Key")
        if position == 0:
            paragraph.paragraph_format.space_before = Pt(6)


def _add_signature_block(
    document: Document, content: JobDocument, record: VersionRecord, signed_for: SignedFor
) -> None:
    """A signature page: the heading, then one table, each role a row that never splits.

    The page starts fresh: kept-with-next paragraphs cannot hold a heading to the table after it
    in every word processor, and a heading alone at the foot of a page would split the block."""
    heading = add_heading(document, "Signatures", level=1)
    heading.paragraph_format.page_break_before = True
    heading.paragraph_format.keep_with_next = True
    intro = add_paragraph(
        document, f"This job description (version {record.number}) has been agreed by:"
    )
    intro.paragraph_format.keep_with_next = True
    roles = signature_roles(content)
    table = add_table(document, len(roles), 1)
    for index, (row, role) in enumerate(zip(table.rows, roles, strict=True)):
        keep_row_on_one_page(row)
        cell = row.cells[0]
        write_cell(cell, role, "Table Heading")
        is_postholder = role.strip().lower() in POSTHOLDER_ROLES
        name = signed_for.postholder if is_postholder else ""
        for label in ("Print name", "Signed", "Date"):
            line = add_paragraph(cell, style="Signature Line")
            line.add_run(f"{label}: ")
            line.add_run(name if label == "Print name" and name else "_" * 40)
        # Word keeps a table on one page when every paragraph but the last keeps with the next.
        paragraphs = cell.paragraphs
        last_row = index == len(roles) - 1
        for position, paragraph in enumerate(paragraphs):
            last_paragraph = last_row and position == len(paragraphs) - 1
            paragraph.paragraph_format.keep_with_next = not last_paragraph
    set_column_widths(table, [Cm(PAGE_WIDTH)])


def _footer_text(
    content: JobDocument, record: VersionRecord, dated: date, signed_for: SignedFor | None
) -> str:
    parts = [content.title or "", f"Version {record.number}", _long_date(dated)]
    if record.content_hash:
        parts.append(f"Content {record.content_hash[:12]}")
    if signed_for is not None:
        parts.insert(1, f"Signed copy for {signed_for.postholder}")
    return " · ".join(parts)


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"
