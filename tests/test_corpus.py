"""General properties of the importer on the real-world corpus in ../shared/corpus/.

The corpus is third-party text, so nothing here quotes it: every check is a property any correct
import has (nothing but UnreadableDocument escapes, no header labels posing as duties, duties and
criteria are text the document really contains, ...), and anything document-specific (the posting
table of an advert) is read from the file at run time. The module skips when the folder is absent.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import sys
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest

from jdtool.document import JobDocument
from jdtool.importing import UnreadableDocument, read_document

pytestmark = pytest.mark.corpus

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

if not CORPUS.is_dir():
    pytest.skip(f"corpus folder {CORPUS} is absent", allow_module_level=True)


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "import_corpus", REPO / "scripts" / "import_corpus.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


_SCRIPT = _load_script()
FILES = {item.path.name: item for item in _SCRIPT.corpus_files(CORPUS)}
NAMES = sorted(FILES)

#: Header fields a user sees as single values on the job description.
TEXT_FIELDS = (
    "title", "organisation", "school", "location", "grade", "contract", "contract_end",
    "reports_to", "key_relationships", "department", "section", "job_number", "date",
)  # fmt: skip

#: Labels that head a value in JD headers and posting tables (never a duty or criterion).
LABELS = (
    r"job title", r"post title", r"title of (?:the )?(?:post|job)", r"title", r"post", r"grade",
    r"salary(?: grade)?", r"pay", r"closing date", r"posting date", r"hours", r"location",
    r"reports? to", r"reporting to", r"responsible (?:to|for)", r"contract(?: type)?",
    r"school", r"department", r"directorate", r"service", r"status", r"job type",
    r"job reference", r"company", r"key interfaces", r"staff reports", r"line manager",
    r"(?:main |role |job )?purpose(?: of (?:the )?(?:job|post|role))?", r"duties",
)  # fmt: skip
_LABEL_ALT = "|".join(LABELS)
#: A key that hands E/D over to formatting the text cannot carry ("entries in italics are ...").
_FORMAT_KEY = re.compile(
    r"\b(?:italic|italics|bold|underlined?|shaded|highlighted|asterisk|colou?red)\b", re.IGNORECASE
)
_PRIORITY_WORD = re.compile(r"\b(?:essential|desirable)\b", re.IGNORECASE)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def source_text(name: str) -> str:
    """The document's own text: the .txt minus its metadata lines, or every paragraph of a .docx."""
    data = FILES[name].data
    if not name.lower().endswith(".docx"):
        return data.decode("utf-8-sig", errors="replace")
    from docx import Document
    from docx.oxml.ns import qn

    body = Document(BytesIO(data)).element.body
    lines = []
    for paragraph in body.iter(qn("w:p")):
        parts = []
        for node in paragraph.iter():
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            elif node.tag in (qn("w:tab"), qn("w:br"), qn("w:cr")):
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(lines)


@cache
def imported(name: str) -> JobDocument | None:
    """The import of one corpus file, or None when the importer rejected it with a reason."""
    try:
        return read_document(name, FILES[name].data)
    except UnreadableDocument:
        return None


def document_or_skip(name: str) -> JobDocument:
    document = imported(name)
    if document is None:
        pytest.skip("the importer rejected this file with a reason")
    return document


def items(document: JobDocument) -> list[tuple[str, str]]:
    """Every duty and criterion, labelled for failure messages."""
    found = [(f"duty in '{section.heading}'", duty) for section in document.sections
             for duty in section.duties]  # fmt: skip
    if document.person_spec:
        found += [
            (f"criterion in '{category.name}'", criterion.text)
            for category in document.person_spec.categories
            for criterion in category.criteria
        ]
    return found


def field_values(document: JobDocument) -> list[tuple[str, str]]:
    values = [(name, getattr(document, name)) for name in TEXT_FIELDS]
    values.append(("salary.text", document.salary.text))
    return [(name, value) for name, value in values if value]


@pytest.mark.parametrize("name", NAMES)
def test_import_raises_nothing_but_unreadable_document(name):
    # Any other exception fails the test with its traceback.
    with contextlib.suppress(UnreadableDocument):
        read_document(name, FILES[name].data)


@pytest.mark.parametrize("name", NAMES)
def test_duties_and_criteria_are_non_empty_text_from_the_document(name):
    document = document_or_skip(name)
    source = _normalise(source_text(name)).casefold()
    bad = [(where, text) for where, text in items(document)
           if not text.strip() or _normalise(text).casefold() not in source]  # fmt: skip
    assert not bad, f"not text the document contains: {bad}"


@pytest.mark.parametrize("name", NAMES)
def test_header_values_have_no_label_glued_in(name):
    document = document_or_skip(name)
    bad = []
    for field_name, value in field_values(document):
        match = re.match(rf"(?:{_LABEL_ALT})", value, re.IGNORECASE)
        if not match or match.end() == len(value):
            continue
        label, rest = value[: match.end()], value[match.end() :]
        glued = label[-1].islower() and rest[0].isupper()
        if glued or re.match(r"\s*[:|]", rest):
            bad.append((field_name, value))
    assert not bad, f"label glued to a header value: {bad}"


def _posting_table(name: str) -> list[str]:
    """Values of the two-cell '| Label: | value |' rows of a job-board posting table."""
    values = []
    for line in source_text(name).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].endswith(":") and cells[1] and set(cells[1]) != {"-"}:
            values.append(_normalise(cells[1]).casefold())
    return values


ADVERTS = [name for name in NAMES if (FILES[name].kind or "").lower() == "advert"]


@pytest.mark.parametrize("name", ADVERTS)
def test_advert_posting_table_is_not_taken_as_jd_fields(name):
    posting = _posting_table(name)
    assert posting, "expected a posting-metadata table in an advert file"
    document = document_or_skip(name)
    bad = []
    for field_name, value in field_values(document):
        value = _normalise(value).casefold()
        for posted in posting:
            if value == posted or (len(posted) >= 6 and posted in value):
                bad.append((field_name, value))
    assert not bad, f"posting-table values used as JD fields: {bad}"


def _states_priority(name: str) -> bool:
    """Whether the text itself says essential/desirable anywhere but in a formatting key."""
    for line in source_text(name).splitlines():
        if _PRIORITY_WORD.search(line) and not _FORMAT_KEY.search(line):
            return True
    return False


@pytest.mark.parametrize("name", NAMES)
def test_priority_is_unknown_when_the_text_cannot_tell(name):
    document = document_or_skip(name)
    if _states_priority(name):
        return
    guessed = [(c.text, c.priority) for c in document.criteria() if c.priority is not None]
    assert not guessed, f"E/D set though the text never states it: {guessed}"


#: Corpus documents given both as the original Word file and as its text rendering.
WORD_AND_TEXT = sorted(
    (word, text)
    for word in NAMES
    if word.endswith(".docx")
    for text in NAMES
    if text.endswith(".txt") and text.split("_", 1)[0] == word.split("_", 1)[0]
)


@pytest.mark.parametrize(("word", "text"), WORD_AND_TEXT)
def test_word_original_and_its_text_rendering_give_the_same_person_spec(word, text):
    from_word, from_text = imported(word), imported(text)
    assert from_word is not None
    assert from_text is not None
    assert from_word.person_spec is not None
    assert from_word.to_dict()["person_spec"] == from_text.to_dict()["person_spec"]
    assert from_word.to_dict()["sections"] == from_text.to_dict()["sections"]


@pytest.mark.parametrize(("word", "text"), WORD_AND_TEXT)
def test_essential_and_desirable_columns_give_every_criterion_a_priority(word, text):
    for name in (word, text):
        document = imported(name)
        assert document is not None
        criteria = document.criteria()
        assert criteria
        assert all(criterion.priority in ("essential", "desirable") for criterion in criteria)
        assert all(criterion.methods for criterion in criteria)
