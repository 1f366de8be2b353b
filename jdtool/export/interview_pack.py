"""The interview pack: for each candidate a cover page (organisation, vacancy, candidate, date,
panel, scale) and the questions in the order asked, each with the criteria it evidences, what a
strong answer shows, follow-up prompts, a box for notes and a line to score each criterion.

Pure: takes plain dataclasses, returns bytes; no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from docx.enum.text import WD_BREAK
from docx.shared import Cm

from .styles import (
    HEADER_FILL,
    add_heading,
    add_paragraph,
    add_table,
    document_bytes,
    keep_row_on_one_page,
    new_document,
    repeat_as_header,
    set_column_widths,
    set_footer,
    set_properties,
    shade,
    write_cell,
)

#: Room to write notes under each question (most of what is left of a page with a short
#: question; a long one carries on over the page).
NOTES_HEIGHT = Cm(7.0)
#: Room to circle a score by hand.
SCORE_ROW_HEIGHT = Cm(0.9)
#: Usable width of an A4 portrait page with jdtool's 2 cm margins.
PAGE_WIDTH_CM = 17.0
#: Written where the pack has no value to print, for the panel to fill in by hand.
BLANK = "________________________"


@dataclass(frozen=True)
class PackQuestion:
    #: 1-based, the order asked.
    number: int
    text: str
    #: (person-spec position, criterion text), in person-spec order.
    criteria: list[tuple[int, str]]
    guidance: str = ""
    #: (score, what an answer worth it shows), lowest score first.
    score_guidance: list[tuple[int, str]] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PackCandidate:
    #: The reference when the vacancy is anonymised, else the name (with the reference).
    label: str


def build_interview_pack(
    *,
    vacancy_title: str,
    organisation: str | None,
    interview_date: date | None,
    panel: Sequence[tuple[str, bool]],
    scale_points: Sequence[tuple[int, str]],
    questions: Sequence[PackQuestion],
    candidates: Sequence[PackCandidate],
    produced_on: date,
) -> bytes:
    """One copy per candidate (one blank copy when there are none), each starting on a new page.

    `panel` is (name, is chair) per interview panel member."""
    document = new_document()
    footer = " · ".join(
        part for part in ("CONFIDENTIAL", organisation, vacancy_title, "Interview pack") if part
    )
    set_footer(document, footer)
    set_properties(
        document,
        title=f"Interview pack: {vacancy_title}",
        author=organisation,
        subject="Confidential interview pack",
        created=produced_on,
    )
    copies: list[PackCandidate | None] = [*candidates] or [None]
    for index, candidate in enumerate(copies):
        if index:
            _page_break(document)
        _cover(
            document, vacancy_title, organisation, interview_date, panel, scale_points, candidate
        )
        for question in questions:
            _question(document, question, len(questions), scale_points, candidate)
        _closing(document, candidate)
    return document_bytes(document)


def _page_break(document) -> None:
    add_paragraph(document).add_run().add_break(WD_BREAK.PAGE)


def _cover(document, vacancy_title, organisation, interview_date, panel, scale_points, candidate):
    if organisation:
        add_paragraph(document, organisation, "Organisation")
    add_paragraph(document, "CONFIDENTIAL", "Organisation")
    add_heading(document, f"Interview pack: {vacancy_title}", 0)
    facts = add_table(document, 2, 2)
    rows = [
        ("Candidate", candidate.label if candidate else BLANK),
        ("Interview date", _long_date(interview_date) if interview_date else BLANK),
    ]
    for row, (label, value) in zip(facts.rows, rows, strict=True):
        write_cell(row.cells[0], label, "Table Heading")
        write_cell(row.cells[1], value)
        shade(row.cells[0], HEADER_FILL)
    set_column_widths(facts, [Cm(4.5), Cm(PAGE_WIDTH_CM - 4.5)])

    add_heading(document, "Panel", 1)
    if panel:
        table = add_table(document, 1, 2)
        _header(table, ["Panel member", "Role"])
        for name, is_chair in panel:
            cells = table.add_row().cells
            write_cell(cells[0], name)
            write_cell(cells[1], "Chair" if is_chair else "Panel member")
        set_column_widths(table, [Cm(11.0), Cm(PAGE_WIDTH_CM - 11.0)])
    else:
        add_paragraph(document, "No interview panel is recorded yet: write the names here.")
        for _ in range(3):
            add_paragraph(document, BLANK * 2, "Signature Line")

    add_heading(document, "Scoring", 1)
    add_paragraph(
        document,
        "Each panel member scores alone first, beside the question the evidence was heard in; "
        "the panel then compares and agrees its scores. Score every criterion on this scale:",
    )
    scale = add_table(document, 1, 2)
    _header(scale, ["Score", "Meaning"])
    for value, descriptor in scale_points:
        cells = scale.add_row().cells
        write_cell(cells[0], str(value))
        write_cell(cells[1], descriptor)
    set_column_widths(scale, [Cm(2.5), Cm(PAGE_WIDTH_CM - 2.5)])
    add_paragraph(
        document,
        "Record what the candidate said, not your impression of them: the notes are part of "
        "the recruitment record and the candidate may ask to see them.",
        "Key",
    ).paragraph_format.space_before = Cm(0.3)


def _question(document, question, count, scale_points, candidate) -> None:
    _page_break(document)
    heading = add_heading(document, f"Question {question.number} of {count}", 1)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = 0
    if candidate:
        add_paragraph(document, f"Candidate: {candidate.label}", "Key")
    add_paragraph(document, question.text, "Heading 2")
    if question.criteria:
        add_paragraph(document, "Evidence for:", "Table Heading")
        for position, text in question.criteria:
            add_paragraph(document, f"{position}. {text}", "List Bullet")
    if question.follow_ups:
        add_paragraph(document, "Follow-up prompts:", "Table Heading")
        for prompt in question.follow_ups:
            add_paragraph(document, prompt, "List Bullet")
    if question.guidance or question.score_guidance:
        add_paragraph(document, "What a strong answer shows:", "Table Heading")
        if question.guidance:
            add_paragraph(document, question.guidance)
        if question.score_guidance:
            descriptors = dict(scale_points)
            table = add_table(document, 1, 2)
            _header(table, ["Score", "An answer worth this score"])
            for score, text in question.score_guidance:
                cells = table.add_row().cells
                label = f"{score} {descriptors.get(score, '')}".strip()
                write_cell(cells[0], label)
                write_cell(cells[1], text)
                keep_row_on_one_page(table.rows[-1])
            set_column_widths(table, [Cm(4.0), Cm(PAGE_WIDTH_CM - 4.0)])
            add_paragraph(document)

    notes = add_table(document, 2, 1)
    write_cell(notes.rows[0].cells[0], "Notes (what the candidate said)", "Table Heading")
    shade(notes.rows[0].cells[0], HEADER_FILL)
    notes.rows[1].height = NOTES_HEIGHT
    keep_row_on_one_page(notes.rows[1])
    set_column_widths(notes, [Cm(PAGE_WIDTH_CM)])
    add_paragraph(document)

    values = "      ".join(str(value) for value, _ in scale_points)
    scores = add_table(document, 1, 2)
    _header(scores, ["Criterion", "Score (circle one)"])
    for position, text in question.criteria:
        row = scores.add_row()
        write_cell(row.cells[0], f"{position}. {text}")
        write_cell(row.cells[1], values)
        row.height = SCORE_ROW_HEIGHT
        keep_row_on_one_page(row)
    set_column_widths(scores, [Cm(PAGE_WIDTH_CM - 5.0), Cm(5.0)])


def _closing(document, candidate) -> None:
    add_heading(document, "Panel member", 2)
    who = f" for {candidate.label}" if candidate else ""
    add_paragraph(document, f"I confirm these notes and scores{who} are my own.")
    for label in ("Name", "Signature", "Date"):
        add_paragraph(document, f"{label}: {BLANK}", "Signature Line")


def _header(table, labels: Sequence[str]) -> None:
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        write_cell(cell, label, "Table Heading")
        shade(cell, HEADER_FILL)
    repeat_as_header(table.rows[0])


def _long_date(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"
