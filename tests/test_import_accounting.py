"""Every source block is accounted for, and the importer says where it was unsure.

Each paragraph and table row a reader produces ends in one named place (a header field, the
purpose, a duty section, a criterion, a statement, an extra section, the signature block, a
table header or key) or is ignored with its reason; `JobDocument.placements` lists them in
source order. Findings record decisions made on weak evidence, and those that matter mark the
document as needing review.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jdtool.importing import read_document
from jdtool.importing.docx_reader import read_docx
from jdtool.importing.text_reader import read_text

from .conftest import seed_path
from .hostile_files import JD_LINES
from .seed_docx import build_seed_docx

SEED_IDS = ["000", "001", "002", "003", "004"]
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".docx"))


def corpus_bytes(path: Path) -> tuple[str, bytes]:
    data = path.read_bytes()
    if path.suffix == ".txt":  # the corpus's own two lines (source, kind) are not the document
        data = b"\n".join(data.split(b"\n")[2:])
    return re.sub(r"^\d+_", "", path.name), data


def assert_every_block_placed(filename: str, data: bytes) -> None:
    document = read_document(filename, data)
    if filename.endswith(".docx"):
        blocks = read_docx(data)
    else:
        blocks = read_text(data.decode("utf-8", errors="replace"))
    assert len(document.placements) == len(blocks)
    unplaced = [
        getattr(block, "text", None) or block.filled_cells()
        for block, place in zip(blocks, document.placements, strict=True)
        if place is None
    ]
    assert not unplaced, f"source parts that went nowhere: {unplaced[:3]}"
    for place in document.placements:
        assert place is not None
        if place.startswith("ignored"):
            assert place.startswith("ignored: ")
            assert len(place) > len("ignored: ")


@pytest.mark.parametrize("seed_id", SEED_IDS)
@pytest.mark.parametrize("form", ["text", "word"])
def test_every_block_of_a_seed_is_placed(seed_id, form):
    if form == "text":
        path = seed_path(seed_id)
        assert_every_block_placed(path.name, path.read_bytes())
    else:
        assert_every_block_placed(f"{seed_id}.docx", build_seed_docx(seed_id))


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.name[:30])
def test_every_block_of_a_corpus_document_is_placed(path):
    filename, data = corpus_bytes(path)
    assert_every_block_placed(filename, data)


@settings(
    max_examples=120,
    deadline=timedelta(seconds=10),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(JD_LINES),
            st.sampled_from(["", "", "Key Tasks", "SUMMARY", "• ", "(note)", "A = Application"]),
            st.text(max_size=60),
        ),
        max_size=40,
    )
)
def test_every_block_of_fuzzed_text_is_placed(lines):
    # Straight to the layout, so a text with nothing of a JD in it is checked too (not refused).
    from jdtool.importing.layout import read_layout

    blocks = read_text("\n".join(lines))
    document = read_layout(blocks)
    assert len(document.placements) == len(blocks)
    assert None not in document.placements


def test_a_seed_read_as_written_needs_no_review():
    path = seed_path("001")
    document = read_document(path.name, path.read_bytes())
    assert document.findings == []
    assert document.needs_review is False


def test_a_heading_nobody_listed_is_typed_by_its_list_and_reported():
    text = (
        "Job title: Teaching Assistant\n\n"
        "Purpose of the job\nTo support pupils with SEND in class.\n\n"
        "WHAT THE JOB INVOLVES\n"
        "• Support the pupil in lessons.\n"
        "• Keep daily records of progress.\n"
        "• Prepare resources with the teacher.\n"
    )
    document = read_document("ta.txt", text.encode())
    assert document.purpose == "To support pupils with SEND in class."
    assert [section.heading for section in document.sections] == ["WHAT THE JOB INVOLVES"]
    assert len(document.duties()) == 3
    assert document.needs_review is True
    finding = document.findings[0]
    assert finding.stage == "headings"
    assert finding.source == "WHAT THE JOB INVOLVES"
    assert finding.alternative == "an extra section"


def test_requirements_under_an_unnamed_heading_become_criteria_with_unknown_priority():
    text = (
        "Job title: Teaching Assistant\n\n"
        "Main duties\n1. Support the pupil in lessons.\n2. Keep daily records.\n\n"
        "WHO WE ARE LOOKING FOR\n"
        "• Experience of working with children with autism\n"
        "• Ability to stay calm under pressure\n"
        "• Good literacy and numeracy\n"
    )
    document = read_document("ta.txt", text.encode())
    assert [c.text for c in document.criteria()] == [
        "Experience of working with children with autism",
        "Ability to stay calm under pressure",
        "Good literacy and numeracy",
    ]
    assert {c.priority for c in document.criteria()} == {None}
    assert len(document.duties()) == 2
    assert document.needs_review is True


def test_a_template_prompt_is_left_out_and_asks_for_review():
    text = (
        "Job title: Teaching Assistant\n\nMain duties\n"
        "1. Support the pupil in lessons.\n"
        "2. Provide a summary of the postholder's contact with children here.\n"
        "3. Keep daily records.\n"
        "Delete as appropriate: full time / part time\n"
    )
    document = read_document("ta.txt", text.encode())
    assert document.duties() == ["Support the pupil in lessons.", "Keep daily records."]
    assert not any("Delete as appropriate" in s for s in document.statements)
    prompts = [f for f in document.findings if f.stage == "prompts"]
    assert len(prompts) == 2
    assert document.needs_review is True
    assert "ignored: a prompt to the template's author" in document.placements


def test_a_key_line_is_placed_as_the_key_not_a_criterion():
    text = (
        "Person specification\n"
        "A = Application form, I = Interview, R = References\n"
        "| Criteria | E/D | Method |\n"
        "|---|---|---|\n"
        "| Experience of working with children | E | A, I |\n"
        "| First aid certificate | D | A |\n"
    )
    document = read_document("spec.txt", text.encode())
    assert [(c.text, c.priority, c.methods) for c in document.criteria()] == [
        ("Experience of working with children", "essential", ["application", "interview"]),
        ("First aid certificate", "desirable", ["application"]),
    ]
    assert "ignored: the key to the assessment-method letters" in document.placements


def test_a_table_column_that_cannot_be_placed_is_a_finding():
    text = (
        "Person specification\n"
        "| Area | Criteria | Notes for the panel | E/D |\n"
        "|---|---|---|---|\n"
        "| Skills | Good literacy | check the letter | E |\n"
        "| Skills | First aid | ask at interview | D |\n"
    )
    document = read_document("spec.txt", text.encode())
    assert [(c.text, c.priority) for c in document.criteria()] == [
        ("Good literacy", "essential"),
        ("First aid", "desirable"),
    ]
    [finding] = [f for f in document.findings if f.stage == "tables"]
    assert "column 3 (“Notes for the panel”)" in finding.message
    assert document.needs_review is True


def test_a_prompt_inside_a_line_is_cut_out_and_the_line_kept():
    text = (
        "Job title: Teaching Assistant\n\nMain duties\n"
        "1. Follow [insert school name]'s safeguarding policy.\n"
        "2. Keep daily records.\n"
    )
    document = read_document("ta.txt", text.encode())
    assert document.duties() == ["Follow's safeguarding policy.", "Keep daily records."]
    [prompt] = [f for f in document.findings if f.stage == "prompts"]
    assert prompt.message.endswith("this line.")
    assert prompt.source == "Follow [insert school name]'s safeguarding policy."
