"""Person-spec tables whose Essential and Desirable columns hold the criteria themselves, one row
per category, with the methods written out in a last column — read alike from Word and text."""

from __future__ import annotations

import io

import docx
import pytest

from jdtool.importing import read_document

HEADER = ("Area", "Essential", "Desirable", "How identified")
ROWS = (
    (
        "Qualifications",
        ["GCSE English and Maths at grade 4 or above", "Level 2 teaching assistant certificate"],
        ["Level 3 supporting teaching and learning"],
        "Application / Certificates",
    ),
    (
        "Experience",
        ["Working with a child who has an EHCP"],
        ["Using Makaton or PECS", "Supporting personal care"],
        "Application / Interview",
    ),
    (
        "Personal qualities",
        ["Patience and a calm manner", "Commitment to safeguarding children"],
        [],
        "Interview / References",
    ),
)
EXPECTED = [
    ("Qualifications", "GCSE English and Maths at grade 4 or above", "essential",
     ["application", "certificates"]),
    ("Qualifications", "Level 2 teaching assistant certificate", "essential",
     ["application", "certificates"]),
    ("Qualifications", "Level 3 supporting teaching and learning", "desirable",
     ["application", "certificates"]),
    ("Experience", "Working with a child who has an EHCP", "essential",
     ["application", "interview"]),
    ("Experience", "Using Makaton or PECS", "desirable", ["application", "interview"]),
    ("Experience", "Supporting personal care", "desirable", ["application", "interview"]),
    ("Personal qualities", "Patience and a calm manner", "essential", ["interview", "references"]),
    ("Personal qualities", "Commitment to safeguarding children", "essential",
     ["interview", "references"]),
]  # fmt: skip
INTRODUCTION = (
    "1:1 Teaching Assistant\n\nJob purpose\nTo support one pupil with an EHCP.\n\n"
    "Main duties\n1. Support the pupil in lessons.\n2. Keep records of progress.\n\n"
    "Person Specification\n"
)


def _criteria(document) -> list[tuple[str, str, str | None, list[str]]]:
    return [
        (category.name, criterion.text, criterion.priority, criterion.methods)
        for category in document.person_spec.categories
        for criterion in category.criteria
    ]


def _inline_pipe_text() -> str:
    lines = [" | ".join(HEADER)]
    for area, essential, desirable, methods in ROWS:
        cells = [" / ".join(f"• {text}" for text in column) for column in (essential, desirable)]
        lines.append(" | ".join([area, *cells, methods]))
    return INTRODUCTION + "\n".join(lines) + "\n"


def _markdown_text() -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|---|---|---|---|"]
    for area, essential, desirable, methods in ROWS:
        cells = [
            "<ul>" + "".join(f"<li>{text}</li>" for text in column) + "</ul>" if column else ""
            for column in (essential, desirable)
        ]
        lines.append("| " + " | ".join([area, *cells, methods]) + " |")
    return INTRODUCTION + "\n".join(lines) + "\n"


def _word_file() -> bytes:
    document = docx.Document()
    document.add_heading("1:1 Teaching Assistant", level=1)
    for line in INTRODUCTION.splitlines()[1:]:
        if line:
            document.add_paragraph(line)
    table = document.add_table(rows=1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    for area, essential, desirable, methods in ROWS:
        cells = table.add_row().cells
        cells[0].text = area
        for cell, column in ((cells[1], essential), (cells[2], desirable)):
            for index, text in enumerate(column):
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.text = text
                paragraph.style = document.styles["List Bullet"]
        cells[3].text = methods
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("spec.txt", lambda: _inline_pipe_text().encode()),
        ("spec.md", lambda: _markdown_text().encode()),
        ("spec.docx", _word_file),
    ],
)
def test_criteria_written_in_the_essential_and_desirable_columns(filename, content):
    document = read_document(filename, content())
    assert _criteria(document) == EXPECTED
    assert not [warning for warning in document.warnings if "criteria" in warning]


@pytest.mark.parametrize(
    ("header", "cell", "methods"),
    [
        ("How identified", "Application / Interview", ["application", "interview"]),
        ("Method of assessment", "Interview & references", ["interview", "references"]),
        ("Assessed by", "A, I, R", ["application", "interview", "references"]),
        ("Evidence", "Certificates", ["certificates"]),
    ],
)
def test_methods_written_in_a_column_beside_one_criterion_per_row(header, cell, methods):
    text = (
        INTRODUCTION
        + f"Criterion | E/D | {header}\n"
        + f"Can work calmly with a distressed child | E | {cell}\n"
    )
    document = read_document("spec.txt", text.encode())
    assert _criteria(document) == [
        ("Person specification", "Can work calmly with a distressed child", "essential", methods)
    ]


def test_a_slash_inside_a_criterion_does_not_split_it():
    text = (
        INTRODUCTION
        + "Area | Essential | Desirable | How identified\n"
        + "Experience | Working with children / young people with autism | | Interview\n"
    )
    document = read_document("spec.txt", text.encode())
    assert [text for _, text, _, _ in _criteria(document)] == [
        "Working with children / young people with autism"
    ]


def test_a_criterion_whose_bullet_was_lost_is_not_taken_for_a_category():
    text = (
        INTRODUCTION
        + "Personal qualities\n"
        + " Warmth towards children with additional needs\n"
        + " Calm, patient and kind.\n"
        + "Knowledge\n"
        + " Awareness of safeguarding procedures.\n"
    )
    document = read_document("spec.txt", text.encode())
    assert [(name, text) for name, text, _, _ in _criteria(document)] == [
        ("Personal qualities", "Warmth towards children with additional needs"),
        ("Personal qualities", "Calm, patient and kind."),
        ("Knowledge", "Awareness of safeguarding procedures."),
    ]


def test_a_safeguarding_sentence_after_the_person_spec_is_a_statement_not_a_criterion():
    statement = (
        "Hillside Primary School is committed to safeguarding and promoting the welfare of "
        "children and expects all staff to share this commitment."
    )
    text = _inline_pipe_text() + "\n" + statement + "\n"
    document = read_document("spec.txt", text.encode())
    assert _criteria(document) == EXPECTED
    assert document.statements == [statement]
