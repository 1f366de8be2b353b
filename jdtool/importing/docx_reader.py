"""Read a Word .docx into blocks, refusing files that are not safe to open.

Before python-docx sees the bytes we check that they are a zip holding a Word document, that no
member would inflate past a bound (zip bombs), and that the document XML declares no DTD (entity
bombs). python-docx's own parser never resolves entities; the DTD check makes the refusal clear.
"""

from __future__ import annotations

import io
import zipfile

import defusedxml.ElementTree
from defusedxml import DefusedXmlException

from .blocks import Block, Paragraph, TableRow, clean_text, split_list_marker
from .errors import UnreadableDocument

#: Largest uncompressed size of any one part, and of all parts together. A long JD with a logo
#: is well under 10 MB unpacked; these bounds leave room for large photographs.
MAX_PART_BYTES = 60 * 1024 * 1024
MAX_TOTAL_BYTES = 150 * 1024 * 1024
#: Deflate rarely beats 100:1 on real Word XML; bombs run to thousands.
MAX_COMPRESSION_RATIO = 200
MAX_PARTS = 2000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> list[Block]:
    """Return the paragraphs and table rows of a .docx body, in order."""
    _check_package(data)
    import docx  # python-docx; imported here so text-only use never loads lxml

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a damaged package
        raise UnreadableDocument("the Word file is damaged and cannot be opened") from error

    numbering_formats = _numbering_formats(document)
    blocks: list[Block] = []
    table_count = 0
    empty_run = 0
    for element in _body_elements(document.element.body):
        if element.tag == f"{_W}p":
            paragraphs = _paragraph_blocks(element, numbering_formats, document)
            if not paragraphs:
                empty_run += 1
                continue
            paragraphs[0].gap_before = empty_run
            empty_run = 0
            blocks.extend(paragraphs)
        elif element.tag == f"{_W}tbl":
            empty_run = 0
            table_count += 1
            blocks.extend(_table_rows(element, table_count))
    return blocks


def _check_package(data: bytes) -> None:
    if not data.startswith(b"PK"):
        raise UnreadableDocument("it is not a Word .docx file (the content is not a Word package)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableDocument("the Word file is damaged or incomplete") from error
    if len(members) > MAX_PARTS:
        raise UnreadableDocument("the Word file has too many parts to be a job description")
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise UnreadableDocument("it is not a Word .docx file (no document inside the package)")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if (
            member.file_size > MAX_PART_BYTES
            or total > MAX_TOTAL_BYTES
            or (member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO)
        ):
            raise UnreadableDocument(
                "the Word file unpacks to far more data than a document holds (possible zip bomb)"
            )
    try:
        xml = _read_bounded(archive, "word/document.xml")
        defusedxml.ElementTree.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as error:
        raise UnreadableDocument(
            "the Word file contains a document type declaration, which Word never writes "
            "(possible entity bomb)"
        ) from error
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise UnreadableDocument("the Word file is damaged or incomplete") from error
    except defusedxml.ElementTree.ParseError as error:
        raise UnreadableDocument("the Word file's text is damaged (invalid XML)") from error
    except RecursionError as error:
        raise UnreadableDocument("the Word file is nested too deeply to read") from error


def _read_bounded(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, stopping if it inflates past the bound whatever its header claims."""
    chunks = []
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_PART_BYTES:
                raise UnreadableDocument(
                    "the Word file unpacks to far more data than a document holds (possible zip bomb)"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _body_elements(body):
    """Yield top-level paragraphs and tables, looking inside content controls."""
    for child in body.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _paragraph_text(paragraph) -> str:
    parts: list[str] = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}sym"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag == f"{_W}sym":
            parts.append("·")
        else:
            parts.append("\n")
    return "".join(parts)


def _numbering_formats(document) -> dict[tuple[str, str], str]:
    """Map (numId, ilvl) to Word's number format ("bullet", "decimal", ...)."""
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract_formats: dict[str, dict[str, str]] = {}
    for abstract in numbering.iter(f"{_W}abstractNum"):
        levels = {}
        for level in abstract.iter(f"{_W}lvl"):
            fmt = level.find(f"{_W}numFmt")
            levels[level.get(f"{_W}ilvl", "0")] = fmt.get(f"{_W}val", "") if fmt is not None else ""
        abstract_formats[abstract.get(f"{_W}abstractNumId", "")] = levels
    formats = {}
    for num in numbering.iter(f"{_W}num"):
        abstract_id = num.find(f"{_W}abstractNumId")
        if abstract_id is None:
            continue
        for ilvl, fmt in abstract_formats.get(abstract_id.get(f"{_W}val", ""), {}).items():
            formats[(num.get(f"{_W}numId", ""), ilvl)] = fmt
    return formats


def _list_kind(paragraph, numbering_formats, document) -> str | None:
    properties = paragraph.find(f"{_W}pPr")
    style_name = ""
    num_pr = None
    if properties is not None:
        num_pr = properties.find(f"{_W}numPr")
        style = properties.find(f"{_W}pStyle")
        if style is not None:
            style_name = _style_name(document, style.get(f"{_W}val", ""))
    if num_pr is not None:
        num_id = num_pr.find(f"{_W}numId")
        ilvl = num_pr.find(f"{_W}ilvl")
        key = (
            num_id.get(f"{_W}val", "") if num_id is not None else "",
            ilvl.get(f"{_W}val", "0") if ilvl is not None else "0",
        )
        if key[0] == "0":  # numId 0 switches numbering off
            return None
        return "bullet" if numbering_formats.get(key) == "bullet" else "number"
    if "List Bullet" in style_name:
        return "bullet"
    if "List Number" in style_name:
        return "number"
    return None


def _style_name(document, style_id: str) -> str:
    try:
        return document.styles.element.get_by_id(style_id).name_val or ""
    except AttributeError:
        return ""


def _paragraph_blocks(paragraph, numbering_formats, document) -> list[Paragraph]:
    list_kind = _list_kind(paragraph, numbering_formats, document)
    blocks = []
    for line in _paragraph_text(paragraph).split("\n"):
        body, typed_kind = split_list_marker(clean_text(line))
        if body:
            blocks.append(Paragraph(text=body, list_kind=list_kind or typed_kind))
    return blocks


def _cell_paragraphs(cell) -> list[str]:
    """Every paragraph of a cell, nested tables flattened, empty ones kept for alignment."""
    paragraphs: list[str] = []
    for child in cell.iterchildren():
        if child.tag == f"{_W}p":
            paragraphs.extend(clean_text(line) for line in _paragraph_text(child).split("\n"))
        elif child.tag == f"{_W}tbl":
            for nested in child.iter(f"{_W}p"):
                paragraphs.append(clean_text(_paragraph_text(nested)))
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                paragraphs.extend(_cell_paragraphs(content))
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    return paragraphs or [""]


def _table_rows(table, table_number: int) -> list[TableRow]:
    rows = []
    for row in table.iterchildren(f"{_W}tr"):
        cells = []
        for cell in row.iterchildren(f"{_W}tc"):
            properties = cell.find(f"{_W}tcPr")
            merge = properties.find(f"{_W}vMerge") if properties is not None else None
            if merge is not None and merge.get(f"{_W}val", "continue") == "continue":
                cells.append([""])  # the text belongs to the cell above
            else:
                cells.append(_cell_paragraphs(cell))
        rows.append(TableRow(cells=cells, table=table_number))
    return rows
