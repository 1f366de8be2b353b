"""A Word file reads exactly like its text rendering: the seeds built as .docx, and Word lists
and merged table cells read the way the layout expects."""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from jdtool.importing import read_document
from jdtool.importing.blocks import Paragraph, TableRow
from jdtool.importing.docx_reader import read_docx

from .conftest import SEED_IDS, seed_path
from .seed_docx import build_seed_docx

HEADER_FIELDS = (
    "title", "organisation", "school", "location", "grade", "salary", "hours_per_week",
    "weeks_per_year", "contract", "reports_to", "inset_days", "contract_end",
    "key_relationships", "department", "section", "job_number", "date",
)  # fmt: skip


@pytest.fixture(scope="module")
def both_readings():
    """seed id -> (the .docx reading, the text reading), each built once."""
    cache: dict[str, tuple[dict, dict]] = {}

    def read(seed_id: str) -> tuple[dict, dict]:
        if seed_id not in cache:
            path = seed_path(seed_id)
            from_docx = read_document(f"{path.stem}.docx", build_seed_docx(seed_id)).to_dict()
            from_text = read_document(path.name, path.read_bytes()).to_dict()
            cache[seed_id] = (from_docx, from_text)
        return cache[seed_id]

    return read


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_header_fields_match_text(seed_id, both_readings):
    from_docx, from_text = both_readings(seed_id)
    assert {key: from_docx[key] for key in HEADER_FIELDS} == {
        key: from_text[key] for key in HEADER_FIELDS
    }


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_duties_match_text(seed_id, both_readings):
    from_docx, from_text = both_readings(seed_id)
    assert [section["heading"] for section in from_docx["sections"]] == [
        section["heading"] for section in from_text["sections"]
    ]
    assert from_docx["sections"] == from_text["sections"]


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_person_spec_matches_text(seed_id, both_readings):
    from_docx, from_text = both_readings(seed_id)
    spec_docx, spec_text = from_docx["person_spec"], from_text["person_spec"]
    assert (spec_docx is None) == (spec_text is None)
    if spec_text is None:
        return
    names = [(c["name"], c["parent"]) for c in spec_docx["categories"]]
    assert names == [(c["name"], c["parent"]) for c in spec_text["categories"]]
    for category_docx, category_text in zip(
        spec_docx["categories"], spec_text["categories"], strict=True
    ):
        assert category_docx["criteria"] == category_text["criteria"], category_text["name"]


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_signatories_purpose_and_statements_match_text(seed_id, both_readings):
    from_docx, from_text = both_readings(seed_id)
    for key in ("signatories", "purpose", "statements", "extra_sections"):
        assert from_docx[key] == from_text[key], key


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_reads_the_whole_document_like_text(seed_id, both_readings):
    from_docx, from_text = both_readings(seed_id)
    assert from_docx == from_text


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_docx_warnings_match_text(seed_id):
    path = seed_path(seed_id)
    from_docx = read_document("seed.docx", build_seed_docx(seed_id))
    from_text = read_document(path.name, path.read_bytes())
    assert from_docx.warnings == from_text.warnings


# -- the builder really writes Word structures (not text that merely looks like them) ----------


def _open(seed_id: str):
    return docx.Document(io.BytesIO(build_seed_docx(seed_id)))


def _spans(table) -> list[int]:
    """gridSpan of each row's first cell."""
    spans = []
    for row in table._tbl.tr_lst:
        span = row.tc_lst[0].tcPr.find(qn("w:gridSpan")) if row.tc_lst[0].tcPr is not None else None
        spans.append(int(span.get(qn("w:val"))) if span is not None else 1)
    return spans


def test_seed_000_docx_has_a_numbered_list_and_a_merged_spec_table():
    document = _open("000")
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 46
    assert not any(p.text.lstrip()[:1].isdigit() for p in numbered)
    assert any(p.style.name.startswith("Heading") for p in document.paragraphs)
    labels = [p for p in document.paragraphs if p.text.startswith("Location:\t")]
    assert len(labels) == 1
    [table] = document.tables
    assert len(table.columns) == 4
    spans = _spans(table)
    assert spans.count(4) == 9  # VALUES…, Compassion…Collaboration, the four section rows
    first_row = [cell.text for cell in table.rows[0].cells]
    assert first_row[1:] == [
        "Essential or Desirable",
        "Application Form",
        "Interview (or other selection activity)",
    ]


@pytest.mark.parametrize(("seed_id", "bullets"), [("001", 28), ("002", 4), ("004", 8)])
def test_seed_docx_bullets_are_word_list_paragraphs(seed_id, bullets):
    document = _open(seed_id)
    paragraphs = list(document.paragraphs) + [
        p for table in document.tables for cell in table._cells for p in cell.paragraphs
    ]
    listed = {p._p for p in paragraphs if p.style.name == "List Bullet"}
    assert len(listed) == bullets
    assert not any(p.text.startswith("·") for p in paragraphs)


def test_seed_001_docx_spec_cells_hold_one_paragraph_per_criterion():
    document = _open("001")
    header_table, spec = document.tables
    assert [row.cells[0].text for row in header_table.rows[1:]] == [
        "SCHOOL", "JOB TITLE", "GRADE", "REPORTS TO", "DATE",
    ]  # fmt: skip
    experience = spec.rows[2]
    criteria = [p.text.strip() for p in experience.cells[1].paragraphs]
    values = [p.text.strip() for p in experience.cells[2].paragraphs]
    assert len(criteria) == 5
    assert criteria[-1] == ""  # the rendering's blank line before the E/D cell
    assert values == ["Essential", "Essential", "Desirable", "", "Essential"]


def test_seed_003_docx_spec_marks_columns_with_a_dot_and_merges_category_rows():
    document = _open("003")
    job, spec = document.tables
    assert all(len(row._tr.tc_lst) == 2 for row in job.rows)
    assert [cell.text.strip() for cell in spec.rows[0].cells] == [
        "Attribute", "Essential", "Desirable",
    ]  # fmt: skip
    assert _spans(spec)[1] == 3
    assert spec.rows[1].cells[0].text == "Experience"
    assert [cell.text.strip() for cell in spec.rows[2].cells][1:] == ["·", ""]


# -- Word lists and merged cells ----------------------------------------------------------------


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraphs(blocks) -> list[tuple[str, str | None]]:
    return [(b.text, b.list_kind) for b in blocks if isinstance(b, Paragraph)]


def test_list_number_and_list_bullet_paragraphs_are_list_items():
    document = docx.Document()
    document.add_heading("Main duties", level=2)
    for text in ("Support pupils in class.", "Prepare resources.", "Keep records."):
        document.add_paragraph(text, style="List Number")
    document.add_paragraph("General", style="Heading 2")
    for text in ("Attend training.", "Follow school policies."):
        document.add_paragraph(text, style="List Bullet")
    blocks = read_docx(_save(document))
    assert _paragraphs(blocks) == [
        ("Main duties", None),
        ("Support pupils in class.", "number"),
        ("Prepare resources.", "number"),
        ("Keep records.", "number"),
        ("General", None),
        ("Attend training.", "bullet"),
        ("Follow school policies.", "bullet"),
    ]
    result = read_document("duties.docx", _save(document))
    assert [(s.heading, s.duties) for s in result.sections] == [
        ("Main duties", ["Support pupils in class.", "Prepare resources.", "Keep records."]),
        ("General", ["Attend training.", "Follow school policies."]),
    ]


def _numbered(paragraph, num_id: str, ilvl: str = "0") -> None:
    properties = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    level = OxmlElement("w:ilvl")
    level.set(qn("w:val"), ilvl)
    number = OxmlElement("w:numId")
    number.set(qn("w:val"), num_id)
    num_pr.append(level)
    num_pr.append(number)
    properties.append(num_pr)


def _num_id_for_style(document, style_name: str) -> str:
    style = document.styles[style_name].element
    return style.pPr.numPr.numId.get(qn("w:val"))


def test_direct_numbering_and_list_styles_by_inheritance_are_list_items():
    document = docx.Document()
    bullets = _num_id_for_style(document, "List Bullet")
    numbers = _num_id_for_style(document, "List Number")
    # Word's usual output: "List Paragraph" with the numbering on the paragraph itself.
    _numbered(document.add_paragraph("Direct bullet", style="List Paragraph"), bullets)
    _numbered(document.add_paragraph("Direct number", style="List Paragraph"), numbers)
    # A house style based on List Bullet inherits its numbering.
    house = document.styles.add_style("School Bullets", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    house.base_style = document.styles["List Bullet"]
    document.add_paragraph("Inherited bullet", style="School Bullets")
    # numId 0 switches numbering off even in a list style.
    _numbered(document.add_paragraph("Not a list", style="List Bullet"), "0")
    # A line break inside a list item continues the item; it is not a second item.
    item = document.add_paragraph("First line", style="List Bullet")
    item.add_run().add_break()
    item.add_run("second line")
    assert _paragraphs(read_docx(_save(document))) == [
        ("Direct bullet", "bullet"),
        ("Direct number", "number"),
        ("Inherited bullet", "bullet"),
        ("Not a list", None),
        ("First line", "bullet"),
        ("second line", None),
    ]


def test_list_paragraphs_in_a_table_cell_keep_their_markers():
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].add_run("Duties:")
    cell.add_paragraph("Support pupils", style="List Bullet")
    cell.add_paragraph("Keep records", style="List Bullet")
    cell.add_paragraph("Plan lessons", style="List Number")
    cell.add_paragraph("Mark work", style="List Number")
    [row] = read_docx(_save(document))
    assert isinstance(row, TableRow)
    assert row.cells == [["Duties:", "· Support pupils", "· Keep records", "1. Plan lessons",
                          "2. Mark work"]]  # fmt: skip


def test_merged_cells_keep_the_grid_columns_in_line():
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "Qualifications:"
    tall = table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge
    tall.text = "Experience"
    for row_index, values in ((1, ("Two years in a school", "E")), (2, ("Team work", "D"))):
        table.cell(row_index, 1).text, table.cell(row_index, 2).text = values
    block = table.cell(3, 0).merge(table.cell(3, 1))  # both at once: gridSpan 2 …
    block.text = "Wide"
    table.cell(3, 2).text = "E"
    rows = read_docx(_save(document))
    assert [row.cells for row in rows] == [
        [["Qualifications:"]],  # one <w:tc> spanning three columns
        [["Experience"], ["Two years in a school"], ["E"]],
        [[""], ["Team work"], ["D"]],  # the merged cell's text is not repeated
        [["Wide"], [""], ["E"]],  # the column it covers is empty: "E" stays in the E/D column
    ]
    assert {row.table for row in rows} == {1}


def test_vertically_and_horizontally_merged_block():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 1)).text = "Block"  # 2×2: gridSpan 2 and vMerge
    table.cell(0, 2).text = "a"
    table.cell(1, 2).text = "b"
    table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "c", "d", "e"
    rows = read_docx(_save(document))
    assert [row.cells for row in rows] == [
        [["Block"], [""], ["a"]],
        [[""], [""], ["b"]],
        [["c"], ["d"], ["e"]],
    ]


def test_symbol_font_bullet_marks_a_column():
    """Word's Symbol-font tick (<w:sym w:char="F0B7"/>) marks Essential like a typed "·"."""
    document = docx.Document()
    document.add_paragraph("Person specification")
    table = document.add_table(rows=3, cols=3)
    for i, header in enumerate(("Attribute", "Essential", "Desirable")):
        table.cell(0, i).text = header
    table.cell(1, 0).text = "Good literacy and numeracy skills"
    table.cell(2, 0).text = "First aid certificate"
    for row_index, column in ((1, 1), (2, 2)):
        run = table.cell(row_index, column).paragraphs[0].add_run()
        symbol = OxmlElement("w:sym")
        symbol.set(qn("w:font"), "Symbol")
        symbol.set(qn("w:char"), "F0B7")
        run._r.append(symbol)
    result = read_document("spec.docx", _save(document))
    assert [(c.text, c.priority) for c in result.criteria()] == [
        ("Good literacy and numeracy skills", "essential"),
        ("First aid certificate", "desirable"),
    ]


# -- text Word keeps in places a plain walk of the XML would get wrong ---------------------------

_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def _docx_with_body(body_xml: str) -> bytes:
    """A python-docx package whose body holds `body_xml` (namespaces w, mc, wps, v)."""
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    section = body[-1]
    for child in parse_xml(f"<w:body {_NAMESPACES}>{body_xml}</w:body>"):
        section.addprevious(child)
    return _save(document)


def _run(text: str) -> str:
    return f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>"


def test_text_box_is_read_once_not_with_its_fallback_copy():
    box = (
        "<w:r><mc:AlternateContent>"
        "<mc:Choice Requires='wps'><w:drawing><wps:txbx><w:txbxContent>"
        f"<w:p>{_run('Westcountry Schools Trust')}</w:p>"
        "</w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"<w:p>{_run('Westcountry Schools Trust')}</w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    blocks = read_docx(_docx_with_body(f"<w:p>{box}{_run('Job description')}</w:p>"))
    assert _paragraphs(blocks) == [
        ("Westcountry Schools Trust", None),
        ("Job description", None),
    ]


def test_tab_stops_tracked_deletions_and_moves_are_not_text():
    body = (
        "<w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='2000'/></w:tabs></w:pPr>"
        f"{_run('Grade:')}<w:r><w:tab/></w:r>{_run('C5')}"
        f"<w:del w:id='1' w:author='HR'><w:r><w:delText>C4</w:delText></w:r></w:del></w:p>"
        f"<w:p><w:moveFrom w:id='2' w:author='HR'>{_run('Moved away')}</w:moveFrom>"
        f"<w:ins w:id='3' w:author='HR'>{_run('Inserted')}</w:ins></w:p>"
    )
    assert _paragraphs(read_docx(_docx_with_body(body))) == [
        ("Grade:\tC5", None),
        ("Inserted", None),
    ]


def test_custom_xml_and_content_controls_are_read():
    body = (
        f"<w:customXml w:element='duties'><w:p>{_run('Duties')}</w:p></w:customXml>"
        "<w:sdt><w:sdtContent>"
        "<w:p><w:pPr><w:pStyle w:val='ListBullet'/></w:pPr>" + _run("Support pupils.") + "</w:p>"
        "</w:sdtContent></w:sdt>"
    )
    assert _paragraphs(read_docx(_docx_with_body(body))) == [
        ("Duties", None),
        ("Support pupils.", "bullet"),
    ]


def test_lower_case_list_items_stay_separate_duties():
    document = docx.Document()
    document.add_heading("Duties", level=2)
    for text in ("liaise with parents", "support pupils in class", "attend meetings"):
        document.add_paragraph(text, style="List Bullet")
    result = read_document("duties.docx", _save(document))
    assert result.duties() == ["liaise with parents", "support pupils in class", "attend meetings"]
