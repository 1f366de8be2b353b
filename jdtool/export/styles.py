"""Named styles, the table style, page set-up and the page-numbered footer of every export.

Documents are built with named styles (headings, List Number, "Table Grid", the "Table Text" /
"Table Heading" paragraph styles below) rather than run formatting, so a school can restyle them
in Word and screen readers see real headings and header rows.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from io import BytesIO

from docx import Document as new_word_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

#: Calibri in Word; LibreOffice substitutes the metric-compatible Carlito.
BODY_FONT = "Calibri"
TABLE_STYLE = "Table Grid"
#: Header-row and category-row shading (light grey-blue), readable in greyscale print.
HEADER_FILL = "D9E2F3"
CATEGORY_FILL = "F2F2F2"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
#: Word 2013 and later: without it Word opens python-docx's 2010-era template in Compatibility
#: Mode and says so in the title bar.
WORD_COMPATIBILITY_MODE = "15"
WORD_URI = "http://schemas.microsoft.com/office/word"


def new_document() -> Document:
    """An empty A4 document with jdtool's named styles."""
    document = new_word_document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 22), ("Heading 1", 15), ("Heading 2", 12.5)):
        styles[name].font.name = BODY_FONT
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = ACCENT
    styles["Heading 1"].paragraph_format.space_before = Pt(16)
    styles["Heading 2"].paragraph_format.space_before = Pt(10)
    _add_paragraph_style(document, "Organisation", size=12, bold=True, color=ACCENT)
    _add_paragraph_style(document, "Table Text", size=10, space_after=0)
    _add_paragraph_style(document, "Table Heading", size=10, bold=True, space_after=0)
    _add_paragraph_style(document, "Key", size=9, space_after=4)
    _add_paragraph_style(document, "Signature Line", size=11, space_after=0, space_before=14)
    styles["Footer"].font.size = Pt(8.5)
    _set_compatibility_mode(document)
    _drop_template_thumbnail(document)
    set_properties(document, title="", author="", subject="", created=None)
    return document


def _drop_template_thumbnail(document: Document) -> None:
    """python-docx's template carries a preview picture of another document; file browsers
    would show it for ours."""
    relationships = document.part.package.rels
    for key, relationship in list(relationships.items()):
        if relationship.reltype.endswith("/metadata/thumbnail"):
            relationships.pop(key)


def _set_compatibility_mode(document: Document) -> None:
    """Mark the file as written for current Word (compatibilityMode 15), not Word 2010."""
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        settings.append(compat)
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), WORD_COMPATIBILITY_MODE)
            return
    setting = OxmlElement("w:compatSetting")
    setting.set(qn("w:name"), "compatibilityMode")
    setting.set(qn("w:uri"), WORD_URI)
    setting.set(qn("w:val"), WORD_COMPATIBILITY_MODE)
    compat.append(setting)


def set_properties(
    document: Document, *, title: str, author: str | None, subject: str, created: date | None
) -> None:
    """The document's properties (File → Info in Word): its title, the organisation as author,
    what it is and the day it was made — nothing left over from python-docx's template.

    `created` is a date, not the moment of export, so the same version exports to the same
    bytes on the same day."""
    properties = document.core_properties
    properties.title = title
    properties.author = author or ""
    properties.last_modified_by = author or ""
    properties.subject = subject
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.revision = 1
    moment = datetime.combine(created or date.today(), time(), tzinfo=UTC)
    properties.created = properties.modified = moment


def _add_paragraph_style(
    document: Document,
    name: str,
    *,
    size: float,
    bold: bool = False,
    color: RGBColor | None = None,
    space_after: float = 6,
    space_before: float = 0,
) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    style.paragraph_format.space_after = Pt(space_after)
    style.paragraph_format.space_before = Pt(space_before)


def set_footer(document: Document, text: str) -> None:
    """Footer on every page: `text`, then "Page N of M" (Word fields, updated by the reader)."""
    for section in document.sections:
        paragraph = section.footer.paragraphs[0]
        paragraph._p.style = style_id("Footer")
        paragraph.text = f"{text} · Page "
        _add_field(paragraph, "PAGE")
        paragraph.add_run(" of ")
        _add_field(paragraph, "NUMPAGES")


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1")):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def add_table(document: Document, rows: int, columns: int) -> Table:
    table = document.add_table(rows=rows, cols=columns)
    table.style = document.styles[TABLE_STYLE]
    return table


def repeat_as_header(row: _Row) -> None:
    """Mark a row as the table's header row, repeated at the top of every page."""
    _row_property(row, "w:tblHeader")


def keep_row_on_one_page(row: _Row) -> None:
    _row_property(row, "w:cantSplit")


def _row_property(row: _Row, tag: str) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement(tag)
    element.set(qn("w:val"), "true")
    properties.append(element)


def shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def style_id(name: str) -> str:
    """The ID Word files use for a style name ("List Number" → "ListNumber").

    Setting `paragraph.style` by name makes python-docx search every style for the default on
    each call (≈ 3 ms; most of an export's time), so the builders set the ID directly. Every
    style jdtool uses has this ID: the default template's styles and those added above.
    """
    return name.replace(" ", "")


def add_paragraph(container, text: str = "", style: str = "Normal") -> Paragraph:
    """Add a paragraph in a named style to a document or a table cell."""
    paragraph = container.add_paragraph(text)
    if style != "Normal":
        paragraph._p.style = style_id(style)
    return paragraph


def add_heading(document: Document, text: str, level: int) -> Paragraph:
    return add_paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


def write_cell(cell: _Cell, text: str, style: str = "Table Text") -> Paragraph:
    """Put `text` in a cell's first paragraph, in a named style."""
    paragraph = cell.paragraphs[0]
    paragraph.text = text
    paragraph._p.style = style_id(style)
    return paragraph


def set_column_widths(table: Table, widths: list[Cm]) -> None:
    """Fixed column widths (Word reads the cells' widths; LibreOffice the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


#: Logo height at the top of the first page; the width follows the image's proportions.
LOGO_HEIGHT = Cm(2.0)


def add_logo(document: Document, image: bytes) -> None:
    """The organisation's logo, in its own paragraph at the top of the first page."""
    paragraph = add_paragraph(document)
    paragraph.add_run().add_picture(BytesIO(image), height=LOGO_HEIGHT)


def document_bytes(document: Document) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
