"""Recruitment records as Word documents and CSV: the shortlisting / interview record, the
per-candidate record, blank scoring sheets for paper panels, and a formula-safe CSV writer.

Pure: takes plain dataclasses, returns bytes; no Flask, no database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from ..scoring import OUTCOME_LABELS
from .styles import (
    BODY_FONT,
    document_bytes,
    new_document,
    repeat_as_header,
    set_column_widths,
    set_footer,
    set_properties,
)

TABLE_STYLE = "Light Grid Accent 1"
#: Plain ruled boxes for people to write in (no banding behind handwriting).
PLAIN_TABLE_STYLE = "Table Grid"
#: Shown in a member's column for an applicant they declared a conflict with.
CONFLICT_MARK = "conflict"
#: A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RecordCriterion:
    position: int
    text: str
    #: "essential", "desirable" or "unknown".
    priority: str
    method: str


@dataclass
class CandidateRecord:
    label: str
    #: One list per criterion (in RecordCriterion order): each member's score ("–" not assessed,
    #: "" no sheet, CONFLICT_MARK when the member declared a conflict and did not score,
    #: "withdrawn" when they declared it after scoring).
    member_scores: list[list[str]]
    #: Agreed score and rationale per criterion, or None.
    agreed: list[tuple[str, str] | None]
    total: float
    rank: int | None
    tied: bool
    eligible: bool
    failed_essentials: list[int]
    override_reason: str | None = None
    unassessed_essentials: list[int] = field(default_factory=list)
    guaranteed_interview: bool = False
    decision: str | None = None
    decision_reason: str | None = None
    decision_criteria: list[int] = field(default_factory=list)
    #: Evidence notes: (member name, criterion position, note).
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    #: Panel members who declared a conflict with this candidate (and so did not score).
    conflicted: list[str] = field(default_factory=list)
    #: Of those, the members who had scored first: their sheet is withdrawn, kept, not counted.
    withdrawn_for_conflict: list[str] = field(default_factory=list)


@dataclass
class SubjectAccess:
    """What a per-candidate record tells the candidate about their own data (a subject-access
    reply): what is held, why, and until when."""

    name: str
    email: str
    reference: str
    #: Each kind of data held, in the candidate's words.
    held: list[str]
    #: When their personal data will be deleted, or why that date is not fixed yet.
    kept_until: str


@dataclass
class StageRecord:
    vacancy_title: str
    job_title: str
    version_number: int
    content_hash: str
    stage_label: str
    scale_text: str
    members: list[str]
    chair: str | None
    criteria: list[RecordCriterion]
    candidates: list[CandidateRecord]
    #: The school (or trust) recruiting; None when the job description names neither.
    school: str | None = None
    produced_on: date | None = None
    #: Final once the stage's decisions are settled (the shortlist made final; every interview
    #: decided); a draft until then.
    final: bool = False
    #: Set for one candidate's record (a reply to their subject-access request).
    subject_access: SubjectAccess | None = None
    #: The interview questions in the order asked: (number, criterion positions, question).
    questions: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class RecordHeading:
    """What every record page says about itself: school, vacancy, stage, date, status."""

    school: str | None
    vacancy_title: str
    stage_label: str
    produced_on: date
    #: None for forms (blank score sheets), which are neither draft nor final.
    final: bool | None

    def line(self) -> str:
        parts = ["CONFIDENTIAL", self.school, self.vacancy_title, self.stage_label]
        parts.append(_long_date(self.produced_on))
        if self.final is not None:
            parts.append("Final" if self.final else "Draft")
        return " · ".join(part for part in parts if part)

    @property
    def status(self) -> str:
        return {True: "final", False: "draft", None: "form"}[self.final]


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _new_record_document(heading: RecordHeading, title: str):
    document = new_document()
    _landscape(document)
    set_footer(document, heading.line())
    set_properties(
        document,
        title=title,
        author=heading.school,
        subject=f"Confidential recruitment record ({heading.status})",
        created=heading.produced_on,
    )
    mark = document.add_paragraph()
    run = mark.add_run(heading.line())
    run.bold = True
    return document


def _landscape(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9.5)
    document.styles["Normal"].font.name = BODY_FONT  # as the job description uses


def _table(
    document,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    style: str = TABLE_STYLE,
    widths: Sequence[float] | None = None,
):
    """A table with a header row that repeats on every page; `widths` in cm, if given."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    repeat_as_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    if widths:
        set_column_widths(table, [Cm(width) for width in widths])
    return table


def _number(value: float) -> str:
    """A total as people write it: at most two decimals (22.3333 → 22.33, 16.0 → 16)."""
    return f"{round(value, 2):g}"


def _priority_letter(priority: str) -> str:
    return {"essential": "E", "desirable": "D"}.get(priority, "")


def build_stage_record(record: StageRecord, *, single_candidate: bool = False) -> bytes:
    """The shortlisting / interview record (or one candidate's record, for a subject-access
    request: then `record.candidates` holds that candidate only)."""
    kind = "Candidate record" if single_candidate else f"{record.stage_label} record"
    heading = RecordHeading(
        record.school,
        record.vacancy_title,
        f"{record.stage_label} record",
        record.produced_on or date.today(),
        record.final,
    )
    document = _new_record_document(heading, f"{kind}: {record.vacancy_title}")
    document.add_heading(f"{kind}: {record.vacancy_title}", level=0)
    if record.subject_access is not None:
        _subject_access_section(document, record)
    document.add_paragraph(
        f"Job description: {record.job_title}, approved version {record.version_number} "
        f"(content hash {record.content_hash[:12]}). Scale: {record.scale_text}."
    )
    document.add_heading("Panel", level=1)
    for name in record.members:
        suffix = " (chair)" if name == record.chair else ""
        document.add_paragraph(name + suffix, style="List Bullet")

    document.add_heading("Criteria", level=1)
    _table(
        document,
        ["No.", "Criterion", "E/D", "Method"],
        (
            [str(c.position), c.text, _priority_letter(c.priority), c.method]
            for c in record.criteria
        ),
        widths=[1.5, 19.2, 1.5, 4.5],
    )
    document.add_paragraph("E = essential, D = desirable; a dash means not assessed.")
    if record.questions:
        document.add_heading("Interview questions", level=1)
        _table(
            document,
            ["No.", "Criteria", "Question"],
            ([str(number), criteria, text] for number, criteria, text in record.questions),
            widths=[1.5, 3.0, 22.2],
        )

    document.add_heading("Summary", level=1)
    _table(
        document,
        ["Candidate", "Total", "Rank", "Essential criteria", "Decision", "Reason"],
        (_summary_row(candidate) for candidate in record.candidates),
        widths=[4.5, 1.8, 1.8, 7.0, 3.6, 8.0],
    )

    for candidate in record.candidates:
        document.add_heading(f"Scores: {candidate.label}", level=1)
        header = ["No.", *record.members, "Agreed", "Rationale"]
        rows = []
        for index, criterion in enumerate(record.criteria):
            agreed = candidate.agreed[index]
            rows.append(
                [
                    f"{criterion.position} ({criterion.method})",
                    *candidate.member_scores[index],
                    agreed[0] if agreed else "",
                    agreed[1] if agreed else "",
                ]
            )
        member_width = min(3.5, 12.0 / max(1, len(record.members)))
        _table(
            document,
            header,
            rows,
            widths=[
                3.5,
                *[member_width] * len(record.members),
                2.0,
                26.7 - 5.5 - member_width * len(record.members),
            ],
        )
        for member in candidate.conflicted:
            if member in candidate.withdrawn_for_conflict:
                document.add_paragraph(
                    f"{member} declared a conflict after scoring — their sheet is withdrawn "
                    "(kept on record) and not counted."
                )
            else:
                document.add_paragraph(f"{member} declared a conflict — did not score.")
        if candidate.notes:
            document.add_heading("Evidence noted", level=2)
            for member, position, note in candidate.notes:
                document.add_paragraph(
                    f"{member}, criterion {position}: {note}", style="List Bullet"
                )

    if single_candidate:
        # A reply to the candidate: the panel's signature lines belong on the full record.
        return document_bytes(document)
    document.add_heading("Signatures", level=1)
    document.add_paragraph("We confirm that this record is accurate.")
    _table(
        document,
        ["Panel member", "Signature", "Date"],
        ([name, "", ""] for name in record.members),
        style=PLAIN_TABLE_STYLE,
        widths=[8.0, 12.0, 6.7],
    )
    for row in document.tables[-1].rows[1:]:
        row.height = Cm(1.2)
    return document_bytes(document)


def _subject_access_section(document, record: StageRecord) -> None:
    """The opening of a subject-access reply: who, what is held, why, until when."""
    access = record.subject_access
    assert access is not None, "a per-candidate record carries its subject-access reply"
    holder = record.school or "The school"
    document.add_heading("Your personal data", level=1)
    document.add_paragraph(
        f"This is the information {holder} holds about {access.name} ({access.email}, "
        f"applicant reference {access.reference}) from the recruitment for "
        f"{record.vacancy_title}. It shows this application only; no other candidate's "
        "details are included."
    )
    document.add_heading("What we hold", level=2)
    for item in access.held:
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("Why we hold it", level=2)
    document.add_paragraph(
        "To assess applications fairly against the published person specification, to record "
        "the reasons for each decision (as safer-recruitment guidance and the Equality Act 2010 "
        "expect), and to answer any question or claim about the decision."
    )
    document.add_heading("How long we keep it", level=2)
    document.add_paragraph(access.kept_until)


def _summary_row(candidate: CandidateRecord) -> list[str]:
    if candidate.rank is None:
        rank = "–"
    else:
        rank = f"{candidate.rank}{' (tied)' if candidate.tied else ''}"
    if candidate.failed_essentials:
        gate = "Fails essential " + ", ".join(map(str, candidate.failed_essentials))
    elif candidate.unassessed_essentials:
        gate = "Essential " + ", ".join(map(str, candidate.unassessed_essentials))
        gate += " not assessed"
    else:
        gate = "Meets every essential"
    if candidate.override_reason:
        gate += f"; kept by override: {candidate.override_reason}"
    if candidate.guaranteed_interview:
        gate += "; Disability Confident: interview guaranteed"
    reason = candidate.decision_reason or ""
    if candidate.decision_criteria:
        reason += f" (criteria {', '.join(map(str, candidate.decision_criteria))})"
    return [
        candidate.label,
        _number(candidate.total),
        rank,
        gate,
        OUTCOME_LABELS.get(candidate.decision or "", "Not decided"),
        reason,
    ]


@dataclass(frozen=True)
class BlankSheet:
    candidate: str
    member: str


def build_blank_sheets(
    vacancy_title: str,
    stage_label: str,
    scale_points: Sequence[tuple[int, str]],
    criteria: Sequence[RecordCriterion],
    sheets: Sequence[BlankSheet],
    *,
    school: str | None = None,
    produced_on: date | None = None,
) -> bytes:
    """Printable score sheets, one per candidate and panel member, laid out like the CSV import
    (criterion number and method code on every row) so they can be typed back in."""
    heading = RecordHeading(
        school, vacancy_title, f"{stage_label} score sheets", produced_on or date.today(), None
    )
    document = _new_record_document(heading, f"{stage_label} score sheets: {vacancy_title}")
    scale_text = "; ".join(f"{value} = {descriptor}" for value, descriptor in scale_points)
    for index, sheet in enumerate(sheets):
        if index:
            document.add_page_break()
        document.add_heading(f"{stage_label} score sheet: {vacancy_title}", level=1)
        document.add_paragraph(f"Candidate: {sheet.candidate}    Panel member: {sheet.member}")
        document.add_paragraph(f"Scale: {scale_text}; write 'na' when not assessed.")
        table = _table(
            document,
            ["criterion", "method", "Criterion", "E/D", "score", "note (evidence)"],
            (
                [str(c.position), c.method, c.text, _priority_letter(c.priority), "", ""]
                for c in criteria
            ),
            style=PLAIN_TABLE_STYLE,
            widths=[2.0, 2.5, 10.0, 1.2, 2.0, 9.0],
        )
        for row in table.rows[1:]:
            row.height = Cm(1.3)
        document.add_paragraph()
        document.add_paragraph("Signed: ______________________    Date: ____________")
    return document_bytes(document)


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """CSV (UTF-8 with BOM, so Excel reads accents) with every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
