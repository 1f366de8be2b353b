"""The school's own documents (JD, signed copy, advert) read as the school's: no wording about
the imported file, no "?" placeholders, no trace of the tool; Word opens them without
Compatibility Mode and File → Info shows the title, the organisation and the date."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from docx import Document

from jdtool.document import Category, Criterion, JobDocument, PersonSpec
from jdtool.export.job_description import (
    AssessmentMethodColumn,
    VersionRecord,
    build_job_description,
)
from jdtool.export.styles import document_bytes
from jdtool.services.adverts import export_advert
from jdtool.services.documents import version_dict
from jdtool.services.exports import export_job_description, produce_signed_copy

from .conftest import SEED_IDS

#: Wording that belongs to the tool or the import, never to a school's document.
TOOL_WORDING = re.compile(
    r"the source|not stated|jdtool|python-docx|needs review|finding|unknown|\?\s*=|\bnull\b",
    re.IGNORECASE,
)


def every_text(content: bytes) -> str:
    """Body, tables, headers and footers, and the document properties."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        parts = [
            name
            for name in package.namelist()
            if re.match(r"(word/(document|header\d*|footer\d*)|docProps/\w+)\.xml$", name)
        ]
        xml = " ".join(package.read(name).decode("utf-8") for name in parts)
    return re.sub(r"<[^>]+>", " ", xml)


def compatibility_mode(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        settings = package.read("word/settings.xml").decode("utf-8")
    return re.search(r'w:name="compatibilityMode"[^>]*w:val="(\d+)"', settings).group(1)


def school_documents(session, seed_document, seed_id):
    job_description = seed_document(seed_id, approve=True, advertised=True)
    return job_description, {
        "jd": export_job_description(session, job_description.id).content,
        "signed": produce_signed_copy(session, job_description.id, "Jo Bloggs").content,
        "advert": export_advert(session, job_description.id, "docx").content,
    }


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_school_documents_carry_no_tool_wording(session, seed_document, seed_id):
    _job_description, documents = school_documents(session, seed_document, seed_id)
    for kind, content in documents.items():
        text = every_text(content)
        assert not TOOL_WORDING.search(text), (kind, TOOL_WORDING.search(text).group(0))
        cells = [cell.text for table in Document(io.BytesIO(content)).tables
                 for row in table.rows for cell in row.cells]  # fmt: skip
        assert "?" not in cells, kind


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_advert_text_and_page_carry_no_tool_wording(session, seed_document, seed_id):
    job_description = seed_document(seed_id, approve=True, advertised=True)
    for kind in ("txt", "html"):
        text = export_advert(session, job_description.id, kind).content.decode("utf-8")
        if kind == "html":
            text = re.sub(r"<[^>]+>", " ", text)
        assert not TOOL_WORDING.search(text), (kind, TOOL_WORDING.search(text).group(0))
        assert not re.search(r"\badvert\b|\?|\bFTE\b|content hash|version \d", text, re.I), kind
        criteria = [c.text for c in job_description.current.criteria() if len(c.text) > 30]
        assert not [criterion for criterion in criteria if criterion in text], kind


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_word_opens_them_without_compatibility_mode_and_with_properties(
    session, seed_document, seed_id
):
    job_description, documents = school_documents(session, seed_document, seed_id)
    version = job_description.current
    employer = version_dict(version)["organisation"] or version_dict(version)["school"]
    for kind, content in documents.items():
        assert compatibility_mode(content) == "15", kind
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            assert "docProps/thumbnail.jpeg" not in package.namelist(), kind
        properties = Document(io.BytesIO(content)).core_properties
        assert properties.title == version.title, kind
        assert properties.author == (employer or ""), kind
        assert properties.created.date() in {date.today(), version.approved_at.date()}, kind
        assert properties.comments == "", kind
        assert properties.last_modified_by == (employer or ""), kind


def content(**changes) -> JobDocument:
    base = JobDocument(
        title="Teaching Assistant",
        school="Hill School",
        person_spec=PersonSpec(
            [
                Category(
                    "Experience",
                    None,
                    [
                        Criterion("Work with children", None, []),
                        Criterion("A first-aid certificate", "desirable", []),
                    ],
                )
            ]
        ),
    )
    return replace(base, **changes)


RECORD = VersionRecord(number=1, content_hash="ab" * 32)


@pytest.mark.parametrize(
    "methods", [[], [AssessmentMethodColumn("application", "Application form")]]
)
def test_unresolved_priorities_and_methods_leave_blanks_not_tool_notes(methods):
    """A priority or method nobody resolved prints nothing, not a note about the source."""
    built = build_job_description(content(), RECORD, methods, dated=date(2026, 9, 1))
    data = document_bytes(built)
    assert not TOOL_WORDING.search(every_text(data))
    rows = [[cell.text for cell in row.cells] for row in built.tables[-1].rows]
    assert rows[2][:2] == ["Work with children", ""]
    assert rows[3][:2] == ["A first-aid certificate", "D"]
    assert built.core_properties.created.date() == date(2026, 9, 1)
    assert built.core_properties.author == "Hill School"


def test_a_person_spec_without_priorities_prints_no_empty_priority_column():
    spec = PersonSpec(
        [Category("Experience", None, [Criterion("Work with children", None, ["interview"])])]
    )
    built = build_job_description(
        content(person_spec=spec),
        RECORD,
        [AssessmentMethodColumn("interview", "Interview")],
        dated=date(2026, 9, 1),
    )
    rows = [[cell.text for cell in row.cells] for row in built.tables[-1].rows]
    assert rows[0] == ["Criterion", "I"]
    assert rows[2] == ["Work with children", "✓"]
    keys = [p.text for p in built.paragraphs if p.style.name == "Key"]
    assert keys == ["Assessed by: I = Interview. ✓ = assessed this way."]
