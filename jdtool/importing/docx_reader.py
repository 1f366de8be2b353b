"""Read a Word .docx into blocks, refusing files that are not safe to open.

Before python-docx sees the bytes we check that they are a zip holding a Word document, that no
member would inflate past a bound (zip bombs), that no XML part declares a DTD (entity bombs,
external entities), and that the document XML parses within libxml2's depth limit with a
bounded number of paragraphs. python-docx's own parser never resolves entities; the checks make
the refusal clear.

Then the body is read in order into blocks: paragraphs (text boxes, content controls and custom
XML included) and table rows (cells merged across columns kept in line, cells merged down not
repeated, a cell's list paragraphs given the markers a text rendering shows). What Word's
styles and numbering say about a paragraph (list kind, heading level, bold, larger text) is
worked out in `docx_styles.py`.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from .blocks import (
    MAX_CELLS,
    MAX_LINES,
    Block,
    Paragraph,
    TableRow,
    check_block_count,
    check_paragraph_length,
    check_row_width,
    clean_text,
    marker_family,
    paragraph_too_long,
    split_list_marker,
)
from .docx_styles import (
    W,
    heading_level_of,
    list_info,
    list_kind_of,
    numbering_formats_of,
    run_formatting,
    whole_number,
)
from .errors import UnreadableDocument

#: Largest uncompressed size of any one part, and of all parts together. A long JD with a logo
#: is well under 10 MB unpacked; these bounds leave room for large photographs.
MAX_PART_BYTES = 60 * 1024 * 1024
MAX_TOTAL_BYTES = 150 * 1024 * 1024
#: Deflate rarely beats 100:1 on real Word XML; bombs run to thousands.
MAX_COMPRESSION_RATIO = 200
MAX_PARTS = 2000
#: Deepest element nesting we read. libxml2, which python-docx parses with, refuses anything
#: deeper than 256 levels; real Word documents (even tables in tables) stay well under 60.
MAX_XML_DEPTH = 256
#: The first bytes of an OLE compound file: an old-style .doc, or any password-protected
#: Office document (Word encrypts a .docx into this container).
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def read_docx(data: bytes) -> list[Block]:
    """Return the paragraphs and table rows of a .docx body, in order."""
    _check_package(data)
    import docx  # python-docx; imported here so text-only use never loads lxml

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a damaged package
        raise UnreadableDocument("the Word file is damaged and cannot be opened") from error
    body = getattr(document.element, "body", None)
    if document.element.tag != f"{W}document" or body is None:
        raise UnreadableDocument("the Word file is damaged (its document has no body)")

    numbering_formats = numbering_formats_of(document)
    blocks: list[Block] = []
    table_count = 0
    empty_run = 0
    for element in _body_elements(body):
        if element.tag == f"{W}p":
            paragraphs = _paragraph_blocks(element, numbering_formats, document)
            if not paragraphs:
                empty_run += 1
                continue
            paragraphs[0].gap_before = empty_run
            empty_run = 0
            blocks.extend(paragraphs)
        elif element.tag == f"{W}tbl":
            empty_run = 0
            table_count += 1
            blocks.extend(_table_rows(element, table_count, numbering_formats, document))
        check_block_count(len(blocks))
    if not blocks:
        raise UnreadableDocument(
            "the Word file has no text (it is empty, or holds only pictures or scanned pages)"
        )
    return blocks


def _check_package(data: bytes) -> None:
    if data.startswith(_OLE_SIGNATURE):
        raise UnreadableDocument(
            "it is not a Word .docx file (it is an old-style .doc or a password-protected "
            "document; save it from Word as an unprotected .docx)"
        )
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
    if any(member.flag_bits & 0x1 for member in members):
        raise UnreadableDocument(
            "the Word file is encrypted (password-protected); save an unprotected copy"
        )
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
        for member in members:
            if member.filename.endswith((".xml", ".rels")) and _declares_a_dtd(
                _read_bounded(archive, member.filename)
            ):
                raise UnreadableDocument(
                    "the Word file contains a document type declaration, which Word never "
                    "writes (possible entity bomb)"
                )
        _check_xml(_read_bounded(archive, "word/document.xml"))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, RuntimeError) as error:
        # zlib.error: a corrupt deflate stream; RuntimeError: a compression method zipfile
        # cannot read (NotImplementedError is one).
        raise UnreadableDocument("the Word file is damaged or incomplete") from error


#: "<!DOCTYPE" as UTF-8 (or any ASCII-compatible encoding) and as UTF-16 in either byte order.
_DTD_MARKERS = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))


def _declares_a_dtd(xml: bytes) -> bool:
    """Whether an XML part declares a DTD: the only way to define entities (bombs, or external
    entities that would read a file of the server). Word never writes one."""
    return any(marker in xml for marker in _DTD_MARKERS)


def _check_xml(xml: bytes) -> None:
    """Parse the document XML once (libxml2, no entities, no network): well formed, no absurd
    nesting, not absurdly many paragraphs."""
    from lxml import etree  # here, like python-docx, so text-only use never loads lxml

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        if "depth" in str(error).lower():
            raise UnreadableDocument(
                f"the Word file's text is nested more than {MAX_XML_DEPTH} levels deep, "
                "which Word never writes (damaged or malicious file)"
            ) from error
        if "too long" in str(error).lower():  # libxml2: "Text node too long"
            raise paragraph_too_long() from error
        raise UnreadableDocument("the Word file's text is damaged (invalid XML)") from error
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnreadableDocument(
            "the Word file contains a document type declaration, which Word never writes "
            "(possible entity bomb)"
        )
    check_block_count(sum(1 for _ in root.iter(f"{W}p")), MAX_LINES)


def _read_bounded(archive: zipfile.ZipFile, name: str) -> bytes:
    """Read one member, stopping if it inflates past the bound whatever its header claims."""
    chunks = []
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_PART_BYTES:
                raise UnreadableDocument(
                    "the Word file unpacks to far more data than a document holds "
                    "(possible zip bomb)"
                )
            chunks.append(chunk)
    return b"".join(chunks)


def _body_elements(body):
    """Yield top-level paragraphs and tables, looking inside content controls and custom XML."""
    for child in body.iterchildren():
        if child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_elements(content)
        elif child.tag == f"{W}customXml":
            yield from _body_elements(child)
        elif child.tag in (f"{W}p", f"{W}tbl"):
            yield child


#: Parts of a paragraph whose text is not what the reader sees: the paragraph's properties
#: (tab-stop definitions are <w:tab> too), the copy of a text box Word keeps for older readers
#: (mc:Fallback repeats mc:Choice), and the old place of text moved with change tracking.
_SKIPPED = {f"{W}pPr", f"{W}rPr", f"{W}moveFrom", f"{_MC}Fallback"}


def _paragraph_text(paragraph) -> str:
    """The paragraph's text: tabs as "\t", line breaks as "\n", Symbol-font glyphs as "·".

    A paragraph inside it (a text box's content) becomes a line of its own.
    """
    parts: list[str] = []
    #: A nested paragraph began or ended: the next text starts a new line.
    new_line = False

    def add(text: str) -> None:
        nonlocal new_line
        if new_line and parts:
            parts.append("\n")
        new_line = False
        parts.append(text)

    #: Each open element's children still to read, and whether it is a nested paragraph.
    stack = [(iter(paragraph), False)]
    while stack:
        node = next(stack[-1][0], None)
        if node is None:
            new_line = stack.pop()[1] or new_line
            continue
        tag = node.tag
        if tag == f"{W}t":
            add(node.text or "")
        elif tag == f"{W}tab":
            add("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            add("\n")
        elif tag == f"{W}sym":
            add("·")
        elif tag not in _SKIPPED and len(node):
            nested = tag == f"{W}p"
            new_line = new_line or nested
            stack.append((iter(node), nested))
    text = "".join(parts)
    check_paragraph_length(text)
    return text


def _paragraph_blocks(paragraph, numbering_formats, document) -> list[Paragraph]:
    """The paragraph's lines as blocks; only its first line carries its list bullet or number.

    A manual line break inside a list item continues the item, as in a text rendering.
    """
    list_kind, marker, level = list_info(paragraph, numbering_formats, document)
    heading_level = heading_level_of(paragraph, document)
    bold, larger = run_formatting(paragraph, document)
    blocks = []
    for line in _paragraph_text(paragraph).split("\n"):
        line = clean_text(line)
        body, typed_kind = split_list_marker(line)
        if body:
            blocks.append(
                Paragraph(
                    text=body,
                    list_kind=list_kind or typed_kind,
                    marker=marker or marker_family(line),
                    level=level,
                    heading_level=heading_level,
                    bold=bold,
                    larger=larger,
                )
            )
            list_kind, marker = None, None
    return blocks


def _cell_paragraphs(cell, numbering_formats, document) -> list[str]:
    """Every paragraph of a cell, nested tables flattened, empty ones kept for alignment."""
    paragraphs: list[str] = []
    numbers = [0]
    for child in cell.iterchildren():
        if child.tag == f"{W}p":
            paragraphs.extend(_cell_lines(child, numbering_formats, document, numbers))
        elif child.tag == f"{W}tbl":
            for nested in child.iter(f"{W}p"):
                paragraphs.extend(_cell_lines(nested, numbering_formats, document, numbers))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                paragraphs.extend(_cell_paragraphs(content, numbering_formats, document))
        elif child.tag == f"{W}customXml":
            paragraphs.extend(_cell_paragraphs(child, numbering_formats, document))
    while paragraphs and not paragraphs[-1]:
        paragraphs.pop()
    if "·" in paragraphs and any(line and line != "·" for line in paragraphs):
        # An empty bulleted paragraph marks a cell that is otherwise empty (a tick); beside
        # text it is only the list's trailing empty item.
        paragraphs = [line for line in paragraphs if line != "·"]
    return paragraphs or [""]


def _cell_lines(paragraph, numbering_formats, document, numbers: list[int]) -> list[str]:
    """A cell paragraph's lines. Cells hold plain lines, so a list paragraph gets the marker
    Word's text rendering shows ("· " for a bullet, "1. " for a number; `numbers` counts the
    cell's numbered paragraphs) and the layout reads a Word cell and its rendering alike."""
    lines = [clean_text(line) for line in _paragraph_text(paragraph).split("\n")]
    kind = list_kind_of(paragraph, numbering_formats, document)
    if kind == "bullet" and len(lines) == 1 and not lines[0]:
        return ["·"]  # an empty bulleted paragraph: a tick in an E/D or method column
    if kind and lines[0] and split_list_marker(lines[0])[1] is None:
        if kind == "number":
            numbers[0] += 1
            lines[0] = f"{numbers[0]}. {lines[0]}"
        else:
            lines[0] = f"· {lines[0]}"
    return lines


def _table_rows(table, table_number: int, numbering_formats, document) -> list[TableRow]:
    rows = []
    for row in table.iterchildren(f"{W}tr"):
        cells = []
        check_row_width(sum(1 for _ in row.iterchildren(f"{W}tc")))
        spans = []
        for cell in row.iterchildren(f"{W}tc"):
            properties = cell.find(f"{W}tcPr")
            merge = properties.find(f"{W}vMerge") if properties is not None else None
            if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                cells.append([""])  # the text belongs to the cell above
            else:
                cells.append(_cell_paragraphs(cell, numbering_formats, document))
            span = properties.find(f"{W}gridSpan") if properties is not None else None
            value = span.get(f"{W}val", "1") if span is not None else "1"
            spans.append(min(whole_number(value, 1) or 1, MAX_CELLS))
        if len(cells) > 1 and any(span > 1 for span in spans):
            # A cell merged across grid columns keeps the columns after it in line with the
            # rows above and below: empty cells stand in for the columns it covers. (A row
            # that is one merged cell stays one cell: a full-width heading or category.)
            expanded: list[list[str]] = []
            fillers: set[int] = set()
            for cell, span in zip(cells, spans, strict=True):
                expanded.append(cell)
                fillers.update(range(len(expanded), len(expanded) + span - 1))
                expanded += [[""] for _ in range(span - 1)]
            check_row_width(len(expanded))
            rows.append(TableRow(cells=expanded, table=table_number, fillers=frozenset(fillers)))
            continue
        rows.append(TableRow(cells=cells, table=table_number))
    return rows
